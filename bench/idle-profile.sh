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
source bench/lib/scratch.sh
bin="$(realpath "${1:-out}")"; n="${2:-100}"; window="${3:-30}"; settle="${4:-10}"; port="${5:-}"
[ "$(id -u)" = 0 ] || { echo "idle-profile: run as root (it creates cgroups)" >&2; exit 1; }
mount="$(awk '$9=="cgroup2"{print $5; exit}' /proc/self/mountinfo)"
work="$(mktemp -d /var/tmp/pm-idle-XXXXXX)"; name="pm-idle-$$"; sock="$work/pm.sock"
scratch_write "$work" "$name" "$sock" "$n" 1 "$port"
[ -z "$port" ] || [ -z "${CONSOLE_VISIT:-}" ] || printf '  idle_stop: %s\n' "$CONSOLE_VISIT" >> "$work/config.yaml"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$bin/processmaster" -c "$work/config.yaml" >"$work/daemon.out" 2>&1 &
pid=$!
scratch_wait_phase "$bin/pmctl" "$sock" "$n" RUNNING || true; running=$SCRATCH_GOT
if [ -n "$port" ] && [ -n "${CONSOLE_VISIT:-}" ]; then
  curl -sf -o /dev/null -u admin:admin "http://127.0.0.1:$port/processmaster/status" && echo "visited the console"
  for _ in $(seq 600); do grep -q "HTTP server stopped" "$work/daemon.out" && break; sleep 0.2; done
  grep -o "web console: HTTP server stopped after [^;]*" "$work/daemon.out" || echo "the console's HTTP server did not stop"
fi
echo "$running of $n RUNNING; idling ${settle}s"
sleep "$settle"
python3 bench/lib/rss-breakdown.py "$pid" "$window"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
scratch_teardown "$bin/pmctl" "$sock" "$pid" "$mount" "$name"
[ "$running" -ge "$n" ] && rm -rf "$work"
