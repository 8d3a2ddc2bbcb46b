#!/usr/bin/env bash
# On-demand micro-benchmark of the spawn path (not part of CI; timings do not belong in tests): N spawns of
# /bin/true through the daemon's Spawner (bench/spawn, published NativeAOT), until exec and until the exit status is
# collected, without and with a target cgroup. Crash-to-respawn through the whole daemon, side by side with
# supervisord, is in bench/run.sh.
# Usage: sudo bench/spawn.sh [N=500]
set -euo pipefail
cd "$(dirname "$0")/.."
spawns="${1:-500}"
[ "$(id -u)" = 0 ] || { echo "bench: run as root (it creates cgroups)" >&2; exit 1; }
work="$(mktemp -d /var/tmp/pm-spawn-bench-XXXXXX)"
trap 'rm -rf "$work"' EXIT

echo "== spawn latency (Spawner, NativeAOT), $spawns spawns of /bin/true"
dotnet publish bench/spawn/SpawnBench.csproj -c Release -r linux-x64 -o "$work/bench" -warnaserror >/dev/null
"$work/bench/spawn-bench" "$spawns"
