#!/usr/bin/env bash
# `npm run demo`: the assistant against the built-in demo tenant (see src/demo/runDemo.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-install.sh
npm run --silent build
has_electron=$(node -e "try{const p=require('electron');process.stdout.write(require('fs').existsSync(p)?'yes':'no')}catch{process.stdout.write('no')}")
if [ "$has_electron" = yes ] && [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ]; then
  exec node dist/demo/runDemo.js
fi
# Headless: a private D-Bus session with its own unlocked keyring, so the demo never touches yours.
export SIGNIN_ASSISTANT_DEMO_HEADLESS=1
exec dbus-run-session -- bash scripts/with-keyring.sh node dist/demo/runDemo.js
