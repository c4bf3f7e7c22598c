#!/usr/bin/env bash
# System packages the tests and the demo need. Installed when run as root, otherwise named exactly.
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v gnome-keyring-daemon >/dev/null 2>&1 || missing+=(gnome-keyring)
command -v dbus-run-session >/dev/null 2>&1 || missing+=(dbus)
pkg-config --exists libsecret-1 2>/dev/null || missing+=(libsecret-1-dev pkg-config)

# With --with-directory-dc (npm test): the directory tests' Samba AD domain controller on loopback
# (test/directory), and OpenLDAP's ldapsearch for the directory benchmark. Without them (or without
# root) those tests say they skip. Installed without recommends: as tested, and winbind's would
# change the system's name service.
dc_packages=(samba samba-ad-dc samba-ad-provision ldb-tools krb5-user winbind
  libsasl2-modules-gssapi-mit ldap-utils dnsutils)
# With --with-windows-tier (npm test): Wine, to run the Windows code under the real Windows
# node.exe (scripts/windows-tier.sh), without recommends; binutils-mingw-w64 only assembles the
# tier's bcryptprimitives.dll.
windows_packages=(wine wine64 binutils-mingw-w64-x86-64)
wanted=()
for arg in "$@"; do
  [ "$arg" = --with-directory-dc ] && wanted+=("${dc_packages[@]}")
  [ "$arg" = --with-windows-tier ] && wanted+=("${windows_packages[@]}")
done
dc_missing=()
if [ ${#wanted[@]} -gt 0 ] && command -v dpkg-query >/dev/null 2>&1; then
  for pkg in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || dc_missing+=("$pkg")
  done
fi

[ ${#missing[@]} -eq 0 ] && [ ${#dc_missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq
  if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing system packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      "${missing[@]}" dbus-x11 ca-certificates fonts-dejavu-core >/dev/null
  fi
  if [ ${#dc_missing[@]} -gt 0 ]; then
    echo "Installing the test domain controller's and the Windows tier's packages: ${dc_missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      "${dc_missing[@]}" >/dev/null
  fi
else
  if [ ${#dc_missing[@]} -gt 0 ]; then
    echo "The directory tests and the Windows tier will skip; for them: sudo apt-get install --no-install-recommends ${dc_missing[*]}" >&2
  fi
  [ ${#missing[@]} -eq 0 ] && exit 0
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
