# shellcheck shell=bash
# The no-supervisor floor of bench/run.sh: the same programs started by a bash loop (floor-parent.sh), crashes
# repeated by a bash `for` loop, the writer piped into `cat > file`, the tree killed by pid. Everything runs in
# the private cgroup $CG/floor. Sourced, not run.

# floor_boot N: the bash parent of N sleeping programs. Sets FLOOR_PID.
floor_boot() {
  mkfifo "$SESS/ctl"
  ( cg_enter floor; exec bash "$BENCH/lib/floor-parent.sh" "$SESS" "$1" /bin/sleep 100000 ) &
  FLOOR_PID=$!
  wait_for "$BOOT_TIMEOUT" floor_ready "$1" || { fail "floor: $1 programs not started"; return 1; }
}

floor_ready() { grep -q '^start' "$SESS/times" 2>/dev/null && [ "$(wc -l < "$CG/floor/cgroup.procs")" -gt "$1" ]; }

floor_pid() { echo "$FLOOR_PID"; }

# floor_loop_seconds start|stop: how long the parent's own loop took.
floor_loop_seconds() { awk -v w="$1" '$1 == w { printf "%.3f", $3 - $2 }' "$SESS/times"; }

floor_stop_all() {
  echo stop > "$SESS/ctl"
  wait_for 60 grep -q '^stop' "$SESS/times"
}

floor_down() {
  alive "$FLOOR_PID" && echo stop > "$SESS/ctl"
  wait_for 10 eval '! alive "$FLOOR_PID"'
  wait "$FLOOR_PID" 2>/dev/null
  cg_clear floor; mkdir -p "$CG/floor"
}

floor_crash() {
  ( cg_enter floor
    exec bash -c 'for ((i = 0; i <= $2; i++)); do "$0" stamp "$1"; done' "$TOOL" "$SESS/crash.stamps" "$CRASHES" )
  measure_crash floor "$SESS/crash.stamps"
}

floor_writer() {
  local log="$SESS/cat.out" writer end start cpu
  ( cg_enter floor; "$TOOL" write "$LOG_BYTES" "$SESS/writer.start" | { cat > "$log"; times > "$SESS/cat.times"; } ) &
  writer=$!
  end=$("$TOOL" waitsize "$log" "$LOG_BYTES" "$LOG_TIMEOUT") || { fail "floor writer: $log did not fill"; wait "$writer"; return 1; }
  wait "$writer"
  start=$(head -n 1 "$SESS/writer.start")
  # `times` in the subshell: line 2 is its children's (cat's) user and system time, as "0m1.234s 0m0.567s".
  cpu=$(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, p, /[ms]/); t += p[1] * 60 + p[2] } print t * 1000 }' "$SESS/cat.times")
  record_writer floor "$start" "$end" "$cpu"
  rm -f "$log"
}

floor_tree() {
  ( cg_enter floor; exec /bin/bash -c "$(tree_script)" ) >/dev/null 2>&1 &
  local main=$!
  wait_for 10 tree_up || fail "floor tree: the tree did not come up"
  kill "$main"; wait "$main" 2>/dev/null
  record_tree floor
}
