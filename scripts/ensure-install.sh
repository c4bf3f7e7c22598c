#!/usr/bin/env bash
# System packages, then npm dependencies when node_modules is missing or older than the lock file,
# so `npm test` and `npm run demo` work on a fresh checkout by themselves.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/system-deps.sh "$@"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "Installing npm dependencies (npm ci)…"
  ELECTRON_SKIP_BINARY_DOWNLOAD="${ELECTRON_SKIP_BINARY_DOWNLOAD:-1}" npm ci --no-audit --no-fund
fi
