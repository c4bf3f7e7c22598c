#!/usr/bin/env bash
# The whole test suite: lint, format, typecheck, build, then every test against real parts
# (MSAL over HTTPS to the demo tenant, the OS keyring, Chromium, a Samba AD DC, and the Windows
# code under the real Windows node.exe in Wine: scripts/windows-tier.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export ELECTRON_SKIP_BINARY_DOWNLOAD=1

bash scripts/ensure-install.sh --with-directory-dc --with-windows-tier

echo "== lint and format"
npm run --silent lint
echo "== typecheck"
npm run --silent typecheck
echo "== build"
npm run --silent build

echo "== tests ($SECONDS s so far)"
# The keyring tests need a D-Bus session with an unlocked secret service; make one when there is none.
status=0
if [ -z "${SIGNIN_ASSISTANT_KEYRING_READY:-}" ]; then
  dbus-run-session -- bash scripts/with-keyring.sh node scripts/run-tests.mjs "$@" || status=$?
else
  node scripts/run-tests.mjs "$@" || status=$?
fi
echo "== npm test took $SECONDS s (exit $status)"
exit "$status"
