#!/usr/bin/env bash
# The VM test lane: proves every resource limit in a real cgroup v2 kernel.
#
#   tests/vm/lane.sh            (as root, from anywhere; CI runs it after build/test.sh)
#
# This build machine's cgroup2 hierarchy has no controllers, so limits are checked inside a throw-away QEMU guest
# (software emulation, TCG) running Debian's own kernel with a pure cgroup v2 hierarchy and every controller on.
# The guest boots from an initramfs holding busybox, the NativeAOT processmaster and pmctl from out/ (published
# with build/publish.sh when missing), the limit probe (tests/vm/limit-probe.c, gcc -static) and the guest scripts
# (guest-init.sh as /init, guest.sh, checks.sh). One guest boots per batch:
#   main    every check, each printing "CHECK name PASS|FAIL figure" on the serial console;
#   broken  the OOM check again with the daemon's test-only --fault-inject-skip-limit memory.max (honoured only
#           because this guest's kernel command line has processmaster.fault_injection=1): the check must FAIL,
#           which shows the lane able to fail. A PASS there is a lane failure.
# Exit status: 0 every check as expected; 1 a check failed (or the broken check passed); 3 the lane could not run
# (tools, kernel, or the guest did not boot or finish) — never a silent pass.
#
# Environment: PM_VM_OUT (binaries, default out), PM_VM_CACHE (kernel cache, default /var/cache/processmaster-vm),
# PM_VM_KERNEL_DEB (a linux-image .deb to use instead of apt's current one), PM_VM_TIMEOUT (seconds per guest,
# default 200), PM_VM_KEEP=1 (keep the work directory with the console logs).
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$PWD
OUT=${PM_VM_OUT:-out}
CACHE=${PM_VM_CACHE:-/var/cache/processmaster-vm}
TIMEOUT=${PM_VM_TIMEOUT:-200}
T0=$(date +%s)

say() { echo "vm-lane: $*"; }
broken_lane() { echo "vm-lane: CANNOT RUN: $*" >&2; echo "vm-lane: FAILED (the lane could not run; this is not a pass)" >&2; exit 3; }

[ "$(id -u)" = 0 ] || broken_lane "run as root (installs packages, boots a VM)"

# ------------------------------------------------------------------------------------------------ host tools
need=()
command -v qemu-system-x86_64 >/dev/null || need+=(qemu-system-x86)
[ -f /usr/share/qemu/qboot.rom ] || need+=(qemu-system-data)
{ [ -x /bin/busybox ] && ! ldd /bin/busybox >/dev/null 2>&1; } || need+=(busybox-static)
command -v cpio >/dev/null || need+=(cpio)
command -v xz >/dev/null || need+=(xz-utils)
command -v zstd >/dev/null || need+=(zstd)
command -v gcc >/dev/null && [ -e /usr/include/stdio.h ] || need+=(gcc libc6-dev)
if [ ${#need[@]} -gt 0 ]; then
  say "installing ${need[*]}"
  { DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 ||
    { timeout 300 apt-get update -qq && DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }; } ||
    broken_lane "could not install ${need[*]} with apt-get"
fi

# ------------------------------------------------------------------------------------- kernel (cached, once)
mkdir -p "$CACHE"
extract_vmlinux() {  # bzImage -> uncompressed ELF (PVH entry: no decompressor under TCG)
  local img=$1 out=$2 spec magic cmd off
  for spec in '\xfd\x37\x7a\x58\x5a\x00:xz -dc' '\x28\xb5\x2f\xfd:zstd -dc' '\x1f\x8b\x08\x00:gzip -dc'; do
    magic=${spec%%:*} cmd=${spec#*:}
    for off in $(LC_ALL=C grep -obUaP "$magic" "$img" | cut -d: -f1 | head -5); do
      tail -c +$((off + 1)) "$img" | $cmd > "$out" 2>/dev/null || true
      [ "$(head -c 4 "$out" | od -An -tx1 | tr -d ' ')" = 7f454c46 ] && return 0
    done
  done
  rm -f "$out"; return 1
}
kernel_ready() { [ -f "$CACHE/kernel/ready" ]; }
(
  flock 9
  if ! kernel_ready; then
    deb=${PM_VM_KERNEL_DEB:-}
    if [ -z "$deb" ]; then
      pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
      if [ -z "$pkg" ]; then timeout 300 apt-get update -qq || true
        pkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }'); fi
      [ -n "$pkg" ] || { echo "cannot resolve linux-image-amd64 with apt-cache" >&2; exit 1; }
      mkdir -p "$CACHE/dl"; rm -f "$CACHE"/dl/*.deb
      ( cd "$CACHE/dl" && timeout 600 apt-get download "$pkg" ) >/dev/null 2>&1 || { echo "apt-get download $pkg failed" >&2; exit 1; }
      deb=$(ls "$CACHE"/dl/"$pkg"_*.deb | head -n 1)
    fi
    rm -rf "$CACHE/kernel.tmp"; mkdir -p "$CACHE/kernel.tmp/x"
    dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$CACHE/kernel.tmp/x" --wildcards './boot/vmlinuz-*' \
      './lib/modules/*/kernel/drivers/block/zram/*' './lib/modules/*/kernel/mm/zsmalloc.ko*' || { echo "cannot unpack $deb" >&2; exit 1; }
    kver=$(ls "$CACHE/kernel.tmp/x/lib/modules" | head -n 1)
    cp "$CACHE/kernel.tmp/x/boot/vmlinuz-$kver" "$CACHE/kernel.tmp/vmlinuz"
    extract_vmlinux "$CACHE/kernel.tmp/vmlinuz" "$CACHE/kernel.tmp/vmlinux" || true
    mv "$CACHE/kernel.tmp/x/lib/modules/$kver" "$CACHE/kernel.tmp/modules"
    echo "$kver" > "$CACHE/kernel.tmp/kver"
    rm -rf "$CACHE/kernel.tmp/x" "$CACHE/kernel"; mv "$CACHE/kernel.tmp" "$CACHE/kernel"
    touch "$CACHE/kernel/ready"
  fi
) 9>"$CACHE/.lock" || broken_lane "no guest kernel (see above)"
KVER=$(cat "$CACHE/kernel/kver")

# ------------------------------------------------------------------------------------------ binaries + probe
if [ ! -x "$OUT/processmaster" ] || [ ! -x "$OUT/pmctl" ]; then
  say "no NativeAOT binaries in $OUT: publishing (build/publish.sh $OUT)"
  build/publish.sh "$OUT" >/dev/null || broken_lane "build/publish.sh $OUT failed"
fi
WORK=$(mktemp -d /tmp/pm-vm-lane.XXXXXX)
cleanup() { if [ "${PM_VM_KEEP:-0}" = 1 ]; then say "work directory kept: $WORK"; else rm -rf "$WORK"; fi; }
trap cleanup EXIT
gcc -static -O2 -Wall -Wextra -Werror -o "$WORK/limit-probe" tests/vm/limit-probe.c || broken_lane "cannot build the limit probe"

# ---------------------------------------------------------------------------------------------- initramfs
IR=$WORK/root
mkdir -p "$IR"/{bin,dev,proc,sys,tmp,run,lane,root,etc,vm,opt/pm,lib/modules}
cp /bin/busybox "$IR/bin/busybox"
cp "$OUT/processmaster" "$OUT/pmctl" "$WORK/limit-probe" "$IR/opt/pm/"
# the shared libraries the NativeAOT binaries link against (glibc, libm, libstdc++, ...), at their own paths
for lib in $(ldd "$OUT/processmaster" "$OUT/pmctl" | grep -oE '/[^ ]+\.so[^ ]*' | sort -u); do
  mkdir -p "$IR$(dirname "$lib")"; cp -L "$lib" "$IR$lib"
done
cp -r "$CACHE/kernel/modules" "$IR/lib/modules/$KVER"
/bin/busybox depmod -b "$IR" "$KVER" 2>/dev/null || true
cp tests/vm/guest-init.sh "$IR/init"; chmod 755 "$IR/init"
cp tests/vm/guest.sh tests/vm/checks.sh "$IR/vm/"
printf 'root:x:0:0:root:/root:/bin/sh\npmuser:x:1000:1000:lane user:/tmp:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' > "$IR/etc/passwd"
printf 'root:x:0:\npmuser:x:1000:\nnogroup:x:65534:\n' > "$IR/etc/group"
printf 'passwd: files\ngroup: files\n' > "$IR/etc/nsswitch.conf"
( cd "$IR" && find . | LC_ALL=C sort | cpio -o -H newc --quiet ) > "$WORK/initramfs.cpio"
say "guest: kernel $KVER, initramfs $(( $(stat -c %s "$WORK/initramfs.cpio") / 1048576 )) MiB, binaries from $OUT ($("$OUT/processmaster" --version | head -n 1))"

# ------------------------------------------------------------------------------------------------ run batches
if [ -f "$CACHE/kernel/vmlinux" ]; then KERNEL=(-kernel "$CACHE/kernel/vmlinux" -bios /usr/share/qemu/qboot.rom)
else KERNEL=(-kernel "$CACHE/kernel/vmlinuz"); fi
boot() {  # boot BATCH EXTRA_CMDLINE [ATTEMPT] -> $WORK/BATCH.log
  local batch=$1 extra=$2 attempt=${3:-1} t0 rc=0
  t0=$(date +%s)
  timeout -k 5 "$TIMEOUT" qemu-system-x86_64 -nodefaults -no-user-config -accel tcg -cpu max -m 1G -smp 2 -machine pc \
    -display none -monitor none -nic none -no-reboot -serial "file:$WORK/$batch.console" \
    "${KERNEL[@]}" -initrd "$WORK/initramfs.cpio" \
    -append "console=ttyS0 loglevel=1 panic=-1 psi=1 no_timer_check cryptomgr.notests mitigations=off i8042.noprobe rdinit=/init processmaster.lane_batch=$batch $extra" \
    </dev/null >"$WORK/$batch.qemu" 2>&1 || rc=$?
  tr -d '\r' < "$WORK/$batch.console" > "$WORK/$batch.log"
  say "batch $batch: guest ran $(( $(date +%s) - t0 )) s (qemu exit $rc)"
  if ! grep -q '^LANE-INIT .*ready' "$WORK/$batch.log" && [ "$attempt" = 1 ]; then
    # The kernel never reached our init (e.g. a timer check lost to a loaded host): one more boot, then give up.
    say "batch $batch: the guest did not reach /init; console tail:"; tail -n 8 "$WORK/$batch.log"
    boot "$batch" "$extra" 2; return
  fi
  if ! grep -q '^LANE-END' "$WORK/$batch.log"; then
    echo "vm-lane: batch $batch: the guest did not finish (qemu exit $rc$([ $rc = 124 ] && echo ", timed out after ${TIMEOUT}s")); qemu output and console tail:" >&2
    cat "$WORK/$batch.qemu" >&2; tail -n 40 "$WORK/$batch.log" >&2
    broken_lane "the VM did not boot or did not finish batch $batch"
  fi
}

BATCHES=${PM_VM_BATCHES:-main broken}
for batch in $BATCHES; do
  case $batch in
    main) boot main "" ;;
    broken) boot broken "processmaster.fault_injection=1" ;;
    *) broken_lane "unknown batch \"$batch\" in PM_VM_BATCHES (main, broken)" ;;
  esac
done

# ------------------------------------------------------------------------------------------------------ report
EXPECTED="fault_switch_refused oom_kill cpu_throttle swap pids_forkbomb io_limits subtree_control_on subtree_control_off master_limits nested_daemon global_user"
echo
echo "== VM lane report (kernel $KVER, QEMU TCG) =="
cat "$WORK"/*.log | grep -m 1 -E '^LANE-INIT .*ready' | sed 's/^LANE-INIT \[[^]]*\] /guest /' || true
failures=0; passed=0
[ -f "$WORK/main.log" ] || { say "batch main not run (PM_VM_BATCHES=$BATCHES)"; EXPECTED=""; }
[ -f "$WORK/broken.log" ] || : > "$WORK/broken.log"
for c in $EXPECTED; do
  line=$(grep -m 1 "^CHECK $c " "$WORK/main.log" || true)
  if [ -z "$line" ]; then echo "CHECK $c FAIL (no result from the guest)"; failures=$((failures + 1)); continue; fi
  echo "$line"
  case "$line" in "CHECK $c PASS "*) passed=$((passed + 1)) ;; *) failures=$((failures + 1)) ;; esac
done
[ -z "$EXPECTED" ] || grep -A 25 -E '^CHECK [a-z_]+ FAIL' "$WORK/main.log" | grep '^  | ' || true
broken=$(grep -m 1 '^CHECK oom_kill ' "$WORK/broken.log" || true)
echo "-- broken limit (--fault-inject-skip-limit memory.max, processmaster.fault_injection=1):"
echo "   ${broken:-CHECK oom_kill (no result)}"
case "$broken" in
  "CHECK oom_kill FAIL "*) echo "broken-limit check failed as expected" ;;
  *) echo "broken-limit check did NOT fail: the lane cannot tell a missing limit from a working one"; failures=$((failures + 1)) ;;
esac
total=$(echo $EXPECTED | wc -w)
echo "vm-lane: $passed/$total checks passed, broken-limit check $([ "${broken#CHECK oom_kill FAIL}" != "$broken" ] && echo "failed as expected" || echo "WRONG"), $(( $(date +%s) - T0 )) s in all"
[ $failures = 0 ] || { echo "vm-lane: FAILED"; exit 1; }
echo "vm-lane: OK"
