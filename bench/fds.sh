#!/usr/bin/env bash
# The daemon's descriptors and threads per service: boots the daemon with N services running `sleep` (each N in turn),
# each service in its own working directory (the usual layout, and the worst case for sharing log directories), waits
# until every service is RUNNING, prints the daemon's threads (/proc/PID/task) and its descriptors classified by what
# they point at (readlink /proc/PID/fd/*), stops every service and prints the descriptors again (they must fall back to
# the baseline), then shuts the daemon down.
# Usage: sudo bench/fds.sh [BIN_DIR=out] [N...=0 10 100 1000]      (BIN_DIR from build/publish.sh, or a build's
#        src/ProcessMaster.Daemon/bin/Debug/net10.0/linux-x64 with pmctl beside it)
# SHARED_WORKDIR=1 puts every service in one working directory (the layout of bench/memory.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/scratch.sh
bin="$(realpath "${1:-out}")"; shift || true
counts=("$@"); [ $# -gt 0 ] || counts=(0 10 100 1000)
pmctl="$bin/pmctl"; [ -x "$pmctl" ] || pmctl="$(realpath "$bin/../../../../../ProcessMaster.Cli/bin/Debug/net10.0/linux-x64/pmctl")"
[ "$(id -u)" = 0 ] || { echo "fds: run as root (it creates cgroups)" >&2; exit 1; }
mount="$(awk '$9=="cgroup2"{print $5; exit}' /proc/self/mountinfo)"

# Prints "total kind=count ..." for the daemon's descriptors.
classify() {
  local pid=$1 work=$2 name=$3
  for fd in /proc/"$pid"/fd/*; do
    l=$(readlink "$fd" 2>/dev/null) || continue
    case "$l" in
      "$work"/state/pipes/*) echo fifo ;;
      "$work"/*/logs/*.log|"$work"/*.log) echo log-file ;;
      "$work"/svc*|"$work"/svc/*) echo log-dir ;;
      "$mount/$name"/*/run) echo cgroup-leaf ;;
      "$mount/$name"/pm-*) echo cgroup-node ;;
      "$mount/$name"*) echo cgroup-master ;;
      "anon_inode:[pidfd]") echo pidfd ;;
      anon_inode:*) echo "${l#anon_inode:}" ;;
      socket:*) echo socket ;;
      pipe:*) echo pipe ;;
      *.dll|/memfd:*|/dev/urandom) echo runtime ;;
      *) echo "other:$l" ;;
    esac
  done | sort | uniq -c | awk '{t+=$1; s=s" "$2"="$1} END{printf "%d%s\n", t, s}'
}

wait_phase() {  # wait_phase SOCK N PHASE
  scratch_wait_phase "$pmctl" "$1" "$2" "$3" && return 0
  echo "  only $SCRATCH_GOT of $2 $3" >&2; return 1
}

for n in "${counts[@]}"; do
  work="$(mktemp -d /var/tmp/pm-fds-XXXXXX)"; name="pm-fds-$$-$n"; sock="$work/pm.sock"
  scratch_write "$work" "$name" "$sock" "$n" "$([ "${SHARED_WORKDIR:-0}" = 1 ] && echo 1 || echo 0)"
  "$bin/processmaster" -c "$work/config.yaml" >"$work/daemon.out" 2>&1 &
  pid=$!
  for _ in $(seq 600); do [ -S "$sock" ] && break; sleep 0.1; done
  ok=1; wait_phase "$sock" "$n" RUNNING || ok=0
  sleep 3
  echo "services=$n running: threads=$(ls /proc/$pid/task | wc -l) fds=$(classify "$pid" "$work" "$name")"
  "$pmctl" --sock "$sock" stop all >/dev/null 2>&1 || true
  wait_phase "$sock" "$n" STOPPED || ok=0
  sleep 3
  echo "services=$n stopped: threads=$(ls /proc/$pid/task | wc -l) fds=$(classify "$pid" "$work" "$name")"
  scratch_teardown "$pmctl" "$sock" "$pid" "$mount" "$name"
  if [ "$ok" = 1 ]; then rm -rf "$work"; else echo "  kept $work (see daemon.out)" >&2; fi
done
