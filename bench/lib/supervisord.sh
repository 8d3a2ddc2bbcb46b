# shellcheck shell=bash
# The supervisord subject of bench/run.sh: Debian's supervisor, one supervisord per session in the foreground,
# in the private cgroup $CG/svd, with its own config, unix socket and logs in the session directory. Programs are
# configured as processmaster's services are: stdout/stderr captured to files below their directory, started
# RUNNING at once (startsecs=0, as processmaster counts a spawned service as running), stop signal to the process
# group (stopasgroup/killasgroup, supervisord's best effort for process trees), 2 s grace. Sourced, not run.

svd_ctl() { supervisorctl -c "$SESS/supervisord.conf" "$@"; }

# svd_program NAME COMMAND [MORE_LINES]
svd_program() {
  mkdir -p "$SESS/svc/$1"
  cat >> "$SESS/supervisord.conf" <<INI

[program:$1]
command=$2
directory=$SESS/svc/$1
autostart=true
autorestart=true
startsecs=0
stopasgroup=true
killasgroup=true
stopwaitsecs=2
stdout_logfile=$SESS/svc/$1/stdout.log
stderr_logfile=$SESS/svc/$1/stderr.log
${3:-}
INI
}

# svd_boot N WEB(0|1) [special]: as pm_boot. WEB turns on supervisord's own web interface (inet_http_server).
svd_boot() {
  local n="$1" web="$2" special="${3:-}" i expect="$1"
  cat > "$SESS/supervisord.conf" <<INI
[unix_http_server]
file=$SESS/svd.sock

[supervisord]
logfile=$SESS/supervisord.log
pidfile=$SESS/supervisord.pid
childlogdir=$SESS
nodaemon=true
minfds=8192

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl=unix://$SESS/svd.sock
INI
  [ "$web" = 1 ] && printf '\n[inet_http_server]\nport=127.0.0.1:%s\n' "$WEB_PORT" >> "$SESS/supervisord.conf"
  for ((i = 1; i <= n; i++)); do svd_program "$(printf 's%04d' "$i")" "/bin/sleep 100000"; done
  if [ "$special" = special ]; then
    expect=0
    svd_program crash "$TOOL stamp $SESS/crash.stamps"
    svd_program writer "$TOOL write $LOG_BYTES $SESS/writer.start" \
      $'autostart=false\nautorestart=false\nstdout_logfile_maxbytes=0'
    svd_program tree "/bin/bash -c \"$(tree_script)\"" $'autostart=false\nautorestart=false'
  fi
  ( cg_enter svd; cd "$SESS" && exec supervisord -c "$SESS/supervisord.conf" ) > "$SESS/daemon.out" 2>&1 &
  SVD_PID=$!
  if ! wait_for "$BOOT_TIMEOUT" svd_ready "$expect"; then
    fail "supervisord: $expect programs not RUNNING within $BOOT_TIMEOUT s (see the tail of its log below)"
    tail -n 5 "$SESS/supervisord.log" | sed 's/^/    /' >> "$FAILURES"
    return 1
  fi
}

# Ready: the socket answers and the cgroup holds supervisord plus one process per program (a forked program is
# RUNNING with startsecs=0); the client is asked once at the end rather than polled (it costs ~0.2 s a call).
svd_ready() {
  alive "$SVD_PID" && [ -S "$SESS/svd.sock" ] && [ "$(wc -l < "$CG/svd/cgroup.procs")" -gt "$1" ] \
    && [ "$(svd_ctl status 2>/dev/null | grep -c ' RUNNING ')" -ge "$1" ]
}

svd_down() {
  if alive "$SVD_PID"; then
    svd_ctl shutdown >/dev/null 2>&1 || true
    wait_for 60 eval '! alive "$SVD_PID"' || kill -9 "$SVD_PID" 2>/dev/null
  fi
  wait "$SVD_PID" 2>/dev/null
  cg_clear svd; mkdir -p "$CG/svd"
}

# --- the workloads, as supervisord does them ---

svd_start_all() { svd_ctl start all >/dev/null; }
svd_stop_all() { svd_ctl stop all >/dev/null; }
svd_status_cmd() { echo "supervisorctl -c $SESS/supervisord.conf status"; }
svd_pid() { echo "$SVD_PID"; }
svd_start() { svd_ctl start "$1" >/dev/null; }
svd_stop() { svd_ctl stop "$1" >/dev/null; }
svd_stop_crash() { svd_ctl stop crash >/dev/null 2>&1 || true; }
svd_writer_log() { echo "$SESS/svc/writer/stdout.log"; }
