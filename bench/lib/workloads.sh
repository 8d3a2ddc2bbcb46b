# shellcheck shell=bash
# The workloads of bench/run.sh, written once for every subject: pm (processmaster), svd (supervisord) and floor
# (no supervisor). A subject S provides S_boot, S_down, S_pid and the verbs below. Each session gets a fresh
# directory and a fresh daemon, and is torn down before the next one starts. Sourced, not run.

new_session() {
  SESSIONS=$(( ${SESSIONS:-0} + 1 ))
  SESS="$WORK/$SESSIONS-$1"
  mkdir -p "$SESS"
  cut -d' ' -f1 /proc/loadavg >> "$LOADS"   # the machine's 1-minute load when each session starts
}
end_session() { rm -rf "$SESS"; }

# ctl_error: what the last client command said on stderr, on one line (its problems only, not its successes).
ctl_error() { grep -v -e 'started (RUNNING)' -e 'stopped' "$SESS/ctl.err" | head -n 3 | tr '\n' ' '; }

# timed ROW SUBJECT CMD: records CMD's wall time in seconds; a failing CMD is noted with what it said.
timed() {
  local t0 t1 rc
  t0=$(now_us); "$3" 2> "$SESS/ctl.err"; rc=$?; t1=$(now_us)
  record "$1" "$2" "$(elapsed_s "$t0" "$t1")"
  [ "$rc" = 0 ] || fail "$2 $1 (exit $rc, time recorded): $(ctl_error)"
}

elapsed_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", (b - a) / 1e6 }'; }

# The double-forking service: a session leader whose child calls setsid and leaves two grandchildren behind.
# Every process of it has argv[0] = $TREE_TOKEN (tree_pids counts them). No double quotes or backslashes: the
# text goes into a JSON string and a supervisord command line as it is.
tree_script() {
  printf "%s" "setsid /bin/bash -c '(exec -a $TREE_TOKEN /bin/sleep 100000) & (exec -a $TREE_TOKEN /bin/sleep 100000) &' </dev/null >/dev/null 2>&1; exec -a $TREE_TOKEN /bin/sleep 100000"
}

# session_idle SUBJECT N WEB(0|1): boot with N sleeping services, then the idle window.
session_idle() {
  local s="$1" n="$2" web="$3" suffix="$2"
  [ "$web" = 1 ] && suffix="$n.web"
  say "rep $REP: $s idle, $n services$([ "$web" = 1 ] && echo ', web on')"
  new_session "$s-idle-$suffix"
  "${s}_boot" "$n" "$web" && measure_idle "$suffix" "$s" "$("${s}_pid")"
  "${s}_down"; end_session
}

# session_hundred SUBJECT: 100 services: the idle window, control latency, stop all, start all.
session_hundred() {
  local s="$1" t0 t1 v
  say "rep $REP: $s at 100 services: idle, status, stop all, start all"
  new_session "$s-100"
  if [ "$s" = floor ]; then
    if floor_boot 100; then
      record start.100 floor "$(floor_loop_seconds start)"
      measure_idle 100 floor "$FLOOR_PID"
      v=$(hyper_median_ms "$CTL_RUNS" /bin/true) && { record ctl.status.100 floor "$v"; record path.true pm "$v"; }
      v=$(hyper_median_ms "$CTL_RUNS" "$HELLO") && record path.hello pm "$v"
      floor_stop_all && record stop.100 floor "$(floor_loop_seconds stop)"
    fi
    floor_down; end_session; return
  fi
  if "${s}_boot" 100 0; then
    measure_idle 100 "$s" "$("${s}_pid")"
    # shellcheck disable=SC2046
    v=$(hyper_median_ms "$CTL_RUNS" $("${s}_status_cmd")) && record ctl.status.100 "$s" "$v" \
      || fail "$s status latency"
    [ "$s" = pm ] && pm_control_path
    timed stop.100 "$s" "${s}_stop_all"
    timed start.100 "$s" "${s}_start_all"
  fi
  "${s}_down"; end_session
}

# session_special SUBJECT: crash-to-respawn, log throughput, then the process tree.
session_special() {
  local s="$1"
  say "rep $REP: $s crash-to-respawn, log throughput, process tree"
  new_session "$s-special"
  if [ "$s" = floor ]; then
    floor_crash; floor_writer; floor_tree
    end_session; return
  fi
  if "${s}_boot" 0 0 special; then
    if wait_for "$CRASH_TIMEOUT" has_stamps "$SESS/crash.stamps"; then
      "${s}_stop_crash"; measure_crash "$s" "$SESS/crash.stamps"
    else
      "${s}_stop_crash"; fail "$s crash: only $(stamps "$SESS/crash.stamps") spawns in $CRASH_TIMEOUT s"
    fi
    supervisor_writer "$s"
    "${s}_start" tree || fail "$s tree: start"
    if wait_for 10 tree_up; then "${s}_stop" tree || fail "$s tree: stop"; record_tree "$s"
    else fail "$s tree: the tree did not come up"; record_tree "$s"; fi
  fi
  "${s}_down"; end_session
}

# supervisor_writer SUBJECT: the writer service writes $LOG_BYTES as fast as its log capture takes them.
supervisor_writer() {
  local s="$1" log pid c0 c1 end
  log=$("${s}_writer_log"); pid=$("${s}_pid")
  c0=$(cpu_ms "$pid")
  "${s}_start" writer || { fail "$s writer: start"; return 1; }
  end=$("$TOOL" waitsize "$log" "$LOG_BYTES" "$LOG_TIMEOUT") || { fail "$s writer: $log did not fill"; return 1; }
  c1=$(cpu_ms "$pid")
  record_writer "$s" "$(head -n 1 "$SESS/writer.start")" "$end" "$(( c1 - c0 ))"
  rm -f "$log"
}

# record_writer SUBJECT START_NS END_NS CPU_MS: throughput in MiB/s from the writer's first byte to the last byte
# on disk, and the capturing side's CPU per GiB.
record_writer() {
  record log.tput "$1" "$(awk -v b="$LOG_BYTES" -v a="$2" -v e="$3" 'BEGIN { printf "%.1f", b / 1048576 / ((e - a) / 1e9) }')"
  record log.cpu "$1" "$(awk -v b="$LOG_BYTES" -v c="$4" 'BEGIN { printf "%.3f", c / 1000 * 1073741824 / b }')"
}
