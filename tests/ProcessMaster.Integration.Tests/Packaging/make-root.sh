#!/usr/bin/env bash
# Builds a minimal clean root for `dpkg --root=ROOT -i processmaster_*.deb` from the host's own files (no network):
# a merged-/usr layout with a shell and the core tools the maintainer scripts use, the shared libraries they and the
# given binaries need, the user database, /dev/null, an empty dpkg database, and mount points for /proc and cgroup2.
#   make-root.sh ROOT [BINARY...]
set -euo pipefail
root=$1; shift
mkdir -p "$root"/{usr/bin,usr/sbin,usr/lib,usr/lib64,etc,dev,proc,run,tmp,var/lib/dpkg/info,var/lib/dpkg/updates,sys/fs/cgroup}
for link in bin sbin lib lib64; do ln -sfn "usr/$link" "$root/$link"; done
chmod 1777 "$root/tmp"
touch "$root/var/lib/dpkg/available"
# The C library in the root is the host's libc6 (copied below): record it, so the package's Depends holds.
printf 'Package: libc6\nStatus: install ok installed\nPriority: required\nSection: libs\nArchitecture: amd64\nMulti-Arch: same\nVersion: %s\nMaintainer: host\nDescription: the host C library, copied into this root\n\n' \
  "$(dpkg-query -W -f='${Version}' libc6)" > "$root/var/lib/dpkg/status"

copy() { # a file at the same path inside the root (symlinks resolved)
  local real
  real=$(readlink -f "$1")
  mkdir -p "$root$(dirname "$real")"
  cp -n "$real" "$root$real"
  if [ "$real" != "$1" ] && [ ! -e "$root$1" ]; then mkdir -p "$root$(dirname "$1")"; ln -s "$real" "$root$1"; fi
}
libraries() {
  ldd "$1" 2>/dev/null | grep -oE '/[^ ]+' | while read -r lib; do copy "$lib"; done
}
for tool in sh dash mkdir chmod chown rm rmdir cat sleep ls ln mv cp true false echo id install env stat grep sed; do
  copy "$(type -P "$tool")"
  libraries "$(type -P "$tool")"
done
for binary in "$@"; do libraries "$binary"; done
cp /etc/passwd /etc/group "$root/etc/"
touch "$root/var/lib/dpkg/info/libc6:amd64.list"
# /dev/null for the services' stdin; urandom/random (the daemon's random numbers), zero.
[ -e "$root/dev/null" ] || mknod -m 0666 "$root/dev/null" c 1 3
[ -e "$root/dev/zero" ] || mknod -m 0666 "$root/dev/zero" c 1 5
[ -e "$root/dev/random" ] || mknod -m 0666 "$root/dev/random" c 1 8
[ -e "$root/dev/urandom" ] || mknod -m 0666 "$root/dev/urandom" c 1 9
