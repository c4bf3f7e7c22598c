#!/usr/bin/env bash
# Inside a fresh D-Bus session: start an unlocked secret service, then run the given command.
set -euo pipefail
export XDG_DATA_HOME="${XDG_DATA_HOME:-$(mktemp -d)}"
eval "$(printf 'signin-assistant-test\n' | gnome-keyring-daemon --unlock --components=secrets)"
export GNOME_KEYRING_CONTROL SSH_AUTH_SOCK 2>/dev/null || true
export SIGNIN_ASSISTANT_KEYRING_READY=1
exec "$@"
