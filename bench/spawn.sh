#!/usr/bin/env bash
# On-demand spawn benchmark of the NativeAOT build (not part of CI; timings do not belong in tests).
#   1. spawn latency: N spawns of /bin/true through the daemon's Spawner (bench/spawn, published NativeAOT), until
#      exec and until the exit status is collected, without and with a target cgroup;
#   2. crash-to-respawn with restart_backoff_ms: 0, from the daemon's own event log: the "RUNNING -> BACKOFF" line
#      of a crash to the "(spawned, main pid" line of the next instance, over M crashes of a program that exits 1.
# Usage: sudo bench/spawn.sh [N=500] [M=200] [DAEMON_DIR=out]   (DAEMON_DIR: a published processmaster + pmctl;
#        the default publishes this tree into out/ first)
set -euo pipefail
cd "$(dirname "$0")/.."
spawns="${1:-500}"
crashes="${2:-200}"
dir="${3:-}"
[ "$(id -u)" = 0 ] || { echo "bench: run as root (it creates cgroups)" >&2; exit 1; }

if [ -z "$dir" ]; then
  build/publish.sh out >/dev/null
  dir="$PWD/out"
fi
dir="$(cd "$dir" && pwd)"
work="$(mktemp -d /var/tmp/pm-spawn-bench-XXXXXX)"
mount="$(awk '$9=="cgroup2"{print $5; exit}' /proc/self/mountinfo)"
name="pm-spawn-bench-$$"
daemon=""

cleanup() {
  if [ -n "$daemon" ] && kill -0 "$daemon" 2>/dev/null; then
    "$dir/pmctl" --sock "$work/pm.sock" shutdown --stop-services >/dev/null 2>&1 || true
    for _ in $(seq 100); do kill -0 "$daemon" 2>/dev/null || break; sleep 0.1; done
  fi
  if [ -d "$mount/$name" ]; then
    find "$mount/$name" -depth -type d | while read -r d; do echo 1 > "$d/cgroup.kill" 2>/dev/null || true; done
    sleep 0.5
    find "$mount/$name" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

echo "== spawn latency (Spawner, NativeAOT), $spawns spawns of /bin/true"
dotnet publish bench/spawn/SpawnBench.csproj -c Release -r linux-x64 -o "$work/bench" -warnaserror >/dev/null
"$work/bench/spawn-bench" "$spawns"

echo "== crash-to-respawn, restart_backoff_ms: 0, $crashes crashes ($dir/processmaster)"
mkdir -p "$work/config.d" "$work/svc"
cat > "$work/config.yaml" <<YAML
cgroup:
  root: $mount
  name: $name
unix_socket:
  path: $work/pm.sock
  owner: null
  group: null
global:
  config_directory: ./config.d
  state_file: ./state/appstate.json
  log_file: ./logs/processmaster.log
YAML
cat > "$work/config.d/crash.yaml" <<YAML
process:
  working_directory: $work/svc
  start_command: ["/bin/false"]
restart_policy:
  policy: always
  restart_backoff_ms: 0
  tolerance:
    max_restarts: $crashes
    duration: 1h
YAML
(cd "$work" && exec "$dir/processmaster" -c "$work/config.yaml" >"$work/daemon.out" 2>&1) &
daemon=$!
for _ in $(seq 1200); do grep -q "RUNNING -> FAILED" "$work/daemon.out" 2>/dev/null && break; sleep 0.1; done
grep "app=crash" "$work/daemon.out" | awk '
  function ms(t,   p) { split(t, p, /[:.]/); return ((p[1] * 60 + p[2]) * 60 + p[3]) * 1000 + p[4] }
  /RUNNING -> (BACKOFF|FAILED)/ { crash = ms($2) }
  /\(spawned, main pid/ && crash != "" { print ms($2) - crash; crash = "" }' | sort -n | awk '
  { d[++n] = $1; s += $1 }
  END {
    if (n == 0) { print "no crash/respawn pairs found"; exit 1 }
    printf "crash event -> spawned event: median %d ms, p90 %d ms, max %d ms, mean %.2f ms over %d respawns (the event log has ms resolution)\n", d[int((n + 1) / 2)], d[int(n * 0.9)], d[n], s / n, n
  }'
