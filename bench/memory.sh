#!/usr/bin/env bash
# Where the daemon's memory goes: runs the NativeAOT daemon with N services running `sleep` (each N in turn) and
# prints, once every service is RUNNING and the daemon has idled 10 s, its RSS/PSS breakdown (smaps_rollup),
# thread count and open descriptors, then stops everything.
# Usage: sudo bench/memory.sh [BIN_DIR=out] [N...=0 100 1000]      (BIN_DIR from build/publish.sh)
# Extra daemon environment (e.g. DOTNET_GCgen0size=...) is passed through.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib/scratch.sh
bin="$(realpath "${1:-out}")"; shift || true
counts=("${@:-0 100 1000}"); [ $# -gt 0 ] || counts=(0 100 1000)
[ "$(id -u)" = 0 ] || { echo "memory: run as root (it creates cgroups)" >&2; exit 1; }
mount="$(awk '$9=="cgroup2"{print $5; exit}' /proc/self/mountinfo)"
printf '%-6s %8s %8s %8s %8s %8s %7s %5s %8s\n' services rss_kib pss_kib anon_kib file_kib priv_kib threads fds boot_s
for n in "${counts[@]}"; do
  work="$(mktemp -d /var/tmp/pm-mem-XXXXXX)"; name="pm-mem-$$-$n"; sock="$work/pm.sock"
  scratch_write "$work" "$name" "$sock" "$n"
  start=$(date +%s.%N)
  "$bin/processmaster" -c "$work/config.yaml" >"$work/daemon.out" 2>&1 &
  pid=$!
  scratch_wait_phase "$bin/pmctl" "$sock" "$n" RUNNING || true; running=$SCRATCH_GOT
  boot=$(echo "$(date +%s.%N) - $start" | bc)
  sleep 10
  read -r rss pss anon file priv < <(awk '/^Rss:/{r=$2} /^Pss:/{p=$2} /^Anonymous:/{a=$2} /^Pss_File:/{f=$2} /^Private_Dirty:/{d=$2} END{print r, p, a, f, d}' "/proc/$pid/smaps_rollup")
  threads=$(awk '/^Threads:/{print $2}' "/proc/$pid/status")
  fds=$(ls "/proc/$pid/fd" | wc -l)
  printf '%-6s %8s %8s %8s %8s %8s %7s %5s %8.1f\n' "$n" "$rss" "$pss" "$anon" "$file" "$priv" "$threads" "$fds" "$boot"
  [ "$running" -ge "$n" ] || echo "  only $running of $n RUNNING (see $work/daemon.out)" >&2
  scratch_teardown "$bin/pmctl" "$sock" "$pid" "$mount" "$name"
  [ "$running" -ge "$n" ] && rm -rf "$work"
done
