#!/usr/bin/env bash
# start-respawn.sh BIN_DIR [N=100] [REPS=3] [CRASHES=200]: the start and respawn cost of docs/performance.md
# ("Start and respawn cost"), each against its bash floor measured in the same run:
#   - `pmctl stop all` / `pmctl start all` of N `sleep` services, REPS times, against a bash loop starting N sleeps;
#   - crash-to-respawn with restart_backoff_ms: 0 (bench-tool stamps CLOCK_REALTIME and exits 1), median and p90 of
#     the intervals between CRASHES stamps, against a bash for loop re-running the same program.
# BIN_DIR holds processmaster and pmctl (build/publish.sh OUTDIR). Run as root; scratch dirs are kept (daemon log).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
source "$here/lib/scratch.sh"
bin=$1; n=${2:-100}; reps=${3:-3}; crashes=${4:-200}
mount="$(awk '$9=="cgroup2"{print $5; exit}' /proc/self/mountinfo)"
load() { cut -d' ' -f1-3 /proc/loadavg; }
stats() { sort -n | awk '{a[NR]=$1} END{printf "median %.2f ms, p90 %.2f ms", a[int((NR+1)/2)], a[int(NR*0.9)]}'; }
intervals() { awk 'NR>1{printf "%.3f\n", ($1-p)/1e6} {p=$1}'; }

# start all / stop all
work="$(mktemp -d /var/tmp/pm-ss-XXXXXX)"; name="pm-ss-$$"; sock="$work/pm.sock"
scratch_write "$work" "$name" "$sock" "$n"
"$bin/processmaster" -c "$work/config.yaml" >"$work/daemon.out" 2>&1 &
pid=$!
scratch_wait_phase "$bin/pmctl" "$sock" "$n" RUNNING
sleep 2
echo "load: $(load)"
for r in $(seq "$reps"); do
  t0=$EPOCHREALTIME; "$bin/pmctl" --sock "$sock" stop all >/dev/null; t1=$EPOCHREALTIME
  scratch_wait_phase "$bin/pmctl" "$sock" "$n" STOPPED; sleep 1
  t2=$EPOCHREALTIME; "$bin/pmctl" --sock "$sock" start all >/dev/null; t3=$EPOCHREALTIME
  scratch_wait_phase "$bin/pmctl" "$sock" "$n" RUNNING; sleep 1
  echo "rep $r: stop all $(echo "$t1 - $t0" | bc) s, start all $(echo "$t3 - $t2" | bc) s"
done
scratch_teardown "$bin/pmctl" "$sock" "$pid" "$mount" "$name"
pids=(); t0=$EPOCHREALTIME; for _ in $(seq "$n"); do sleep 100000 & pids+=($!); done; t1=$EPOCHREALTIME
echo "bash loop start of $n: $(echo "$t1 - $t0" | bc) s"
kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}" 2>/dev/null || true
echo "kept $work"

# crash-to-respawn
work="$(mktemp -d /var/tmp/pm-cr-XXXXXX)"; name="pm-cr-$$"; sock="$work/pm.sock"
tool="$work/bench-tool"
gcc -O2 -o "$tool" "$here/tools/bench-tool.c"
scratch_write "$work" "$name" "$sock" 0
cat > "$work/config.d/crash.yaml" <<YAML
process:
  working_directory: $work
  start_command: ["$tool", "stamp", "$work/stamps"]
restart_policy:
  policy: always
  restart_backoff_ms: 0
  tolerance:
    max_restarts: 500
    duration: 1h
YAML
echo "load: $(load)"
"$bin/processmaster" -c "$work/config.yaml" >"$work/daemon.out" 2>&1 &
pid=$!
for _ in $(seq 3000); do [ -f "$work/stamps" ] && [ "$(wc -l < "$work/stamps")" -ge "$crashes" ] && break; sleep 0.1; done
"$bin/pmctl" --sock "$sock" stop crash >/dev/null 2>&1 || true
scratch_teardown "$bin/pmctl" "$sock" "$pid" "$mount" "$name"
for _ in $(seq "$crashes"); do "$tool" stamp "$work/loop.stamps" || true; done
echo "crash-to-respawn over $((crashes - 1)) intervals: processmaster $(head -n "$crashes" "$work/stamps" | intervals | stats);" \
  "bash loop $(intervals < "$work/loop.stamps" | stats)"
echo "kept $work"
