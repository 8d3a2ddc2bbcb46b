#!/usr/bin/env bash
# The no-supervisor floor of bench/run.sh: a bash loop starts N copies of a program, each with its output appended
# to a file of its own (as a supervisor's capture would), then sleeps in a read on its control FIFO. "stop" on the
# FIFO ends them all (SIGTERM, then waits for every one) and exits. Both loops time themselves.
# Usage: floor-parent.sh DIR N PROGRAM [ARGS...]   (DIR/ctl: the FIFO; DIR/times: "start T0 T1", "stop T0 T1")
dir="$1" n="$2"; shift 2
pids=()
exec 3<>"$dir/ctl"
t0=$EPOCHREALTIME
for ((i = 1; i <= n; i++)); do "$@" >>"$dir/out.$i" 2>&1 </dev/null & pids+=($!); done
t1=$EPOCHREALTIME
echo "start $t0 $t1" >> "$dir/times"
while read -r -u 3 cmd; do
  [ "$cmd" = stop ] || continue
  t0=$EPOCHREALTIME
  [ "$n" -eq 0 ] || { kill "${pids[@]}" 2>/dev/null; wait "${pids[@]}"; }
  t1=$EPOCHREALTIME
  echo "stop $t0 $t1" >> "$dir/times"
  exit 0
done
