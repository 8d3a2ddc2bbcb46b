# shellcheck shell=bash
# The processmaster subject of bench/run.sh: a daemon per session, on its own master cgroup below $CG, with its
# own socket, config and state in the session directory. Sourced, not run.

pm_ctl() { "$OUT/pmctl" --sock "$SESS/pm.sock" "$@"; }

pm_running() { pm_ctl status --format json 2>/dev/null | grep -o '"phase": *"RUNNING"' | wc -l; }

# pm_define NAME START_COMMAND_JSON [MORE_YAML]: one service definition in the session's config.d.
pm_define() {
  mkdir -p "$SESS/svc/$1"
  {
    printf 'process:\n  working_directory: %s\n  start_command: %s\n  stop_grace_period_ms: 2000\n' "$SESS/svc/$1" "$2"
    printf '%s' "${3:-}"
  } > "$SESS/config.d/$1.yaml"
}

# pm_boot N WEB(0|1) [special]: a daemon with N sleeping services (or the crash/writer/tree trio); waits until
# every service that should run is RUNNING. Sets PM_PID.
pm_boot() {
  local n="$1" web="$2" special="${3:-}" i expect="$1"
  PM_SEQ=$(( ${PM_SEQ:-0} + 1 )); PM_CG="pm-$PM_SEQ"
  mkdir -p "$SESS/config.d"
  cat > "$SESS/config.yaml" <<YAML
cgroup:
  root: $MOUNT
  name: ${CG#"$MOUNT"/}/$PM_CG
unix_socket:
  path: $SESS/pm.sock
global:
  config_directory: ./config.d
  state_file: ./state/appstate.json
  log_file: ./logs/processmaster.log
web_console:
  enabled: $([ "$web" = 1 ] && echo true || echo false)
  bind: 127.0.0.1
  port: $WEB_PORT
YAML
  for ((i = 1; i <= n; i++)); do pm_define "$(printf 's%04d' "$i")" '["/bin/sleep", "100000"]'; done
  if [ "$special" = special ]; then
    expect=0
    pm_define crash "[\"$TOOL\", \"stamp\", \"$SESS/crash.stamps\"]" \
      $'restart_policy:\n  policy: always\n  restart_backoff_ms: 0\n  tolerance:\n    max_restarts: 500\n    duration: 1h\n'
    pm_define writer "[\"$TOOL\", \"write\", \"$LOG_BYTES\", \"$SESS/writer.start\"]" \
      $'logs:\n  rotation_size: 100GiB\n  compression_enabled: false\nrestart_policy:\n  policy: never\nglobal:\n  enabled: false\n'
    pm_define tree "[\"/bin/bash\", \"-c\", \"$(tree_script)\"]" \
      $'restart_policy:\n  policy: never\nglobal:\n  enabled: false\n'
  fi
  ( cg_enter pmd; cd "$SESS" && exec "$OUT/processmaster" -c "$SESS/config.yaml" ) > "$SESS/daemon.out" 2>&1 &
  PM_PID=$!
  if ! wait_for "$BOOT_TIMEOUT" pm_ready "$expect"; then
    fail "processmaster: $expect services not RUNNING within $BOOT_TIMEOUT s (see the tail of its output below)"
    tail -n 5 "$SESS/daemon.out" | sed 's/^/    /' >> "$FAILURES"
    return 1
  fi
}

pm_ready() { alive "$PM_PID" && [ -S "$SESS/pm.sock" ] && [ "$(pm_running)" -ge "$1" ]; }

pm_down() {
  if alive "$PM_PID"; then
    pm_ctl shutdown --stop-services >/dev/null 2>&1 || true
    wait_for 60 eval '! alive "$PM_PID"' || kill -9 "$PM_PID" 2>/dev/null
  fi
  wait "$PM_PID" 2>/dev/null
  cg_clear "$PM_CG"
  cg_clear pmd; mkdir -p "$CG/pmd"
}

# --- the workloads, as processmaster does them ---

pm_start_all() { pm_ctl start all >/dev/null; }
pm_stop_all() { pm_ctl stop all >/dev/null; }
pm_status_cmd() { echo "$OUT/pmctl --sock $SESS/pm.sock status"; }
pm_pid() { echo "$PM_PID"; }
pm_start() { pm_ctl start "$1" --force >/dev/null; }
pm_stop() { pm_ctl stop "$1" >/dev/null; }
pm_stop_crash() { pm_ctl stop crash >/dev/null 2>&1 || true; }
pm_writer_log() { echo "$SESS/svc/writer/logs/stdout.log"; }

# The control path of `pmctl status`, piece by piece (docs/performance.md, "Where pmctl status time goes").
pm_control_path() {
  local v
  v=$(hyper_median_ms "$CTL_RUNS" "$OUT/pmctl" version) && record path.version pm "$v"
  v=$(hyper_median_ms "$CTL_RUNS" "$OUT/pmctl" --sock "$SESS/pm.sock" server-version) && record path.server_version pm "$v"
  v=$(hyper_median_ms "$CTL_RUNS" "$OUT/pmctl" --sock "$SESS/pm.sock" status --format json) && record path.status_json pm "$v"
}
