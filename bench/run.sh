#!/usr/bin/env bash
# On-demand benchmark of the NativeAOT build (not part of CI; timings do not belong in tests).
# Reports, for the daemon on a private cgroup with N long-running services:
#   - `pmctl status` whole-process time (hyperfine), idle RSS and idle CPU of the daemon,
#   - `pmctl stop all` / `pmctl start all` wall time,
#   - log capture throughput against `cat` writing the same bytes to the same file system, and daemon CPU per GiB.
# Usage: sudo bench/run.sh [N=100] [GiB=1]
set -euo pipefail
cd "$(dirname "$0")/.."
services="${1:-100}"
gib="${2:-1}"
[ "$(id -u)" = 0 ] || { echo "bench: run as root (it creates cgroups)" >&2; exit 1; }
command -v hyperfine >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

build/publish.sh out >/dev/null
pm="$PWD/out/processmaster"
pmctl="$PWD/out/pmctl"
work="$(mktemp -d /var/tmp/pm-bench-XXXXXX)"
mount="$(awk '$9=="cgroup2"{print $5; exit}' /proc/self/mountinfo)"
name="pm-bench-$$"
sock="$work/pm.sock"
daemon=""

cleanup() {
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
    "$pmctl" --sock "$sock" shutdown --stop-services >/dev/null 2>&1 || true
    for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -d "$mount/$name" ]; then
    find "$mount/$name" -depth -type d | while read -r d; do
      [ -f "$d/cgroup.kill" ] && echo 1 > "$d/cgroup.kill" 2>/dev/null || true
    done
    sleep 0.5
    find "$mount/$name" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

mkdir -p "$work/config.d" "$work/svc"
cat > "$work/config.yaml" <<YAML
cgroup:
  name: $name
unix_socket:
  path: $sock
  owner: null
  group: null
global:
  config_directory: ./config.d
  state_file: ./state/appstate.json
  log_file: ./logs/processmaster.log
YAML
for i in $(seq -w 1 "$services"); do
  mkdir -p "$work/svc/s$i"
  cat > "$work/config.d/s$i.yaml" <<YAML
process:
  working_directory: $work/svc/s$i
  start_command: ["/bin/sh", "-c", "trap 'exit 0' TERM; while :; do sleep 1000 & wait; done"]
  stop_grace_period_ms: 2000
YAML
done

running() { "$pmctl" --sock "$sock" status --format json | grep -o '"phase": *"[A-Z]*"' | grep -c RUNNING || true; }

"$pm" -c "$work/config.yaml" >"$work/daemon.out" 2>&1 &
daemon=$!
for _ in $(seq 600); do [ -S "$sock" ] && [ "$(running)" -ge "$services" ] && break; sleep 0.1; done
echo "== $services services running ($(running))"

sleep 5
rss_kb=$(awk '/VmRSS/{print $2}' /proc/$daemon/status)
t0=$(awk '{print $14+$15}' /proc/$daemon/stat)
sleep 30
t1=$(awk '{print $14+$15}' /proc/$daemon/stat)
echo "daemon idle RSS: $((rss_kb / 1024)) MiB ($rss_kb KiB); idle CPU over 30 s: $((t1 - t0)) ticks (1 tick = 10 ms)"

hyperfine -N --warmup 5 --runs 50 "$pmctl --sock $sock status" 2>/dev/null | sed -n '/Time/,/Range/p'

start=$(date +%s.%N); "$pmctl" --sock "$sock" stop all >/dev/null; end=$(date +%s.%N)
echo "stop all ($services, SIGTERM-honouring): $(echo "$end - $start" | bc) s (pmctl whole process)"
start=$(date +%s.%N); "$pmctl" --sock "$sock" start all >/dev/null; end=$(date +%s.%N)
echo "start all ($services): $(echo "$end - $start" | bc) s (until every spawn has reported)"
"$pmctl" --sock "$sock" stop all >/dev/null

# Log capture throughput: one service writes GiB bytes as fast as it can; cat writes the same to the same disk.
bytes=$((gib * 1024 * 1024 * 1024))
mkdir -p "$work/svc/writer"
cat > "$work/config.d/writer.yaml" <<YAML
process:
  working_directory: $work/svc/writer
  start_command: ["/bin/sh", "-c", "head -c $bytes /dev/zero | tr '\\\\0' 'x' | fold -w 99; exec sleep 100000"]
logs:
  rotation_size: 100GiB
  compression_enabled: false
YAML
"$pmctl" --sock "$sock" update >/dev/null
c0=$(awk '{print $14+$15}' /proc/$daemon/stat)
start=$(date +%s.%N)
target=$((bytes + bytes / 99))
for _ in $(seq 6000); do
  size=$(stat -c %s "$work/svc/writer/logs/stdout.log" 2>/dev/null || echo 0)
  [ "$size" -ge "$target" ] && break
  sleep 0.05
done
end=$(date +%s.%N)
c1=$(awk '{print $14+$15}' /proc/$daemon/stat)
capture=$(echo "$end - $start" | bc)
start=$(date +%s.%N)
head -c "$bytes" /dev/zero | tr '\0' 'x' | fold -w 99 | cat > "$work/cat.out"
end=$(date +%s.%N)
plain=$(echo "$end - $start" | bc)
echo "log capture: ${gib} GiB in ${capture} s; the same through cat: ${plain} s; capture/cat throughput: $(echo "scale=2; $plain / $capture * 100" | bc) %"
echo "daemon CPU during capture: $(( (c1 - c0) * 10 )) ms for ${gib} GiB"
