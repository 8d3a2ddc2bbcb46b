#!/usr/bin/env bash
# The daemon's idle profile: boots the NativeAOT daemon with N services running `sleep` (optionally with the web
# console on 127.0.0.1:PORT), waits until every service is RUNNING, idles SETTLE seconds, then prints the RSS
# breakdown by mapping, threads, descriptors by kind and per-thread wake-ups over WINDOW seconds
# (bench/lib/rss-breakdown.py), and stops everything. Quick and targeted; the side-by-side numbers come from bench/run.sh.
# Usage: sudo bench/idle-profile.sh [BIN_DIR=out] [N=100] [WINDOW=30] [SETTLE=10] [CONSOLE_PORT]
# Extra daemon environment (e.g. DOTNET_GCgen0size=...) is passed through.
# CONSOLE_VISIT=DURATION (with CONSOLE_PORT): web_console.idle_stop is DURATION, one page is fetched (admin/admin on
# loopback) once every service runs, and the SETTLE starts when the console's HTTP server has stopped for idleness.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="$(realpath "${1:-out}")"; n="${2:-100}"; window="${3:-30}"; settle="${4:-10}"; port="${5:-}"
[ "$(id -u)" = 0 ] || { echo "idle-profile: run as root (it creates cgroups)" >&2; exit 1; }
mount="$(awk '$9=="cgroup2"{print $5; exit}' /proc/self/mountinfo)"
work="$(mktemp -d /var/tmp/pm-idle-XXXXXX)"; name="pm-idle-$$"; sock="$work/pm.sock"
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
[ -z "$port" ] || printf 'web_console:\n  enabled: true\n  bind: 127.0.0.1\n  port: %s\n' "$port" >> "$work/config.yaml"
[ -z "$port" ] || [ -z "${CONSOLE_VISIT:-}" ] || printf '  idle_stop: %s\n' "$CONSOLE_VISIT" >> "$work/config.yaml"
for i in $(seq 1 "$n"); do
  printf 'process:\n  working_directory: %s\n  start_command: ["sleep", "100000"]\n' "$work/svc" > "$work/config.d/s$i.yaml"
done
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin/processmaster" -c "$work/config.yaml" >"$work/daemon.out" 2>&1 &
pid=$!
running=0
for _ in $(seq 3000); do
  if [ -S "$sock" ]; then
    running=$("$bin/pmctl" --sock "$sock" status --format json 2>/dev/null | grep -o '"phase": *"RUNNING"' | wc -l || true)
    [ "$running" -ge "$n" ] && break
  fi
  sleep 0.2
done
if [ -n "$port" ] && [ -n "${CONSOLE_VISIT:-}" ]; then
  curl -sf -o /dev/null -u admin:admin "http://127.0.0.1:$port/processmaster/status" && echo "visited the console"
  for _ in $(seq 600); do grep -q "HTTP server stopped" "$work/daemon.out" && break; sleep 0.2; done
  grep -o "web console: HTTP server stopped after [^;]*" "$work/daemon.out" || echo "the console's HTTP server did not stop"
fi
echo "$running of $n RUNNING; idling ${settle}s"
sleep "$settle"
python3 bench/lib/rss-breakdown.py "$pid" "$window"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin/pmctl" --sock "$sock" shutdown --stop-services >/dev/null 2>&1 || kill "$pid"
wait "$pid" 2>/dev/null || true
if [ -d "$mount/$name" ]; then
  find "$mount/$name" -depth -type d | while read -r d; do echo 1 > "$d/cgroup.kill" 2>/dev/null || true; done
  sleep 1
  find "$mount/$name" -depth -type d -exec rmdir {} \; 2>/dev/null || true
fi
[ "$running" -ge "$n" ] && rm -rf "$work"
