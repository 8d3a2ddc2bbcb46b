#!/bin/sh
# The VM lane's checks (sourced by guest.sh, busybox sh inside the guest). Each check_NAME starts its own daemon
# instance (own master cgroup /sys/fs/cgroup/NAME-ish, own socket under /lane/INSTANCE), drives it with pmctl, reads
# what the kernel says, and prints exactly one "CHECK name PASS|FAIL figure" line through pass/fail. Every wait has a
# deadline (guest time); nothing waits a fixed time except the measuring windows of the cpu checks.
PM=/opt/pm
CG=/sys/fs/cgroup
LANE=/lane
PROBE=$PM/limit-probe

now_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
kv() { awk -v k="$2" '$1 == k { print $2; exit }' "$1" 2>/dev/null; }          # kv FILE KEY: "key value" files
jfield() { sed -n 's/^ *"'"$1"'": *\([^,]*\),\{0,1\}$/\1/p' | head -n 1 | tr -d '"'; }  # first "key": value of pretty JSON
mib() { awk -v b="$1" 'BEGIN { printf "%.1fMiB", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "0"; else printf "%.3f\n", a / b }'; }
between() { awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'; }

# wait_for SECONDS 'shell condition': polls the condition every 0.2 s until it holds or the deadline passes.
wait_for() {
  _end=$(( $(now_ms) + $1 * 1000 )); shift
  until eval "$*" >/dev/null 2>&1; do
    [ "$(now_ms)" -ge "$_end" ] && return 1
    sleep 0.2
  done
}

pass() { echo "CHECK $CHECK PASS $*"; }
fail() { echo "CHECK $CHECK FAIL $*"; }

# svc INSTANCE NAME 'START_COMMAND (YAML flow list)' 'resources lines (indented 2)' : writes a service definition.
svc() {
  _d=$LANE/$1; mkdir -p "$_d/config.d" "$_d/work/$2"
  {
    echo "application: $2"
    echo "process:"
    echo "  working_directory: $_d/work/$2"
    echo "  start_command: $3"
    echo "  stop_grace_period_ms: 1000"
    [ -n "$4" ] && { echo "resources:"; echo "$4"; }
    echo "restart_policy:"
    echo "  policy: always"
    echo "  restart_backoff_ms: 300"
    echo "  tolerance:"
    echo "    max_restarts: 100"
    echo "    duration: 3m"
  } > "$_d/config.d/$2.yaml"
}

# pm_up INSTANCE : writes the master config (CGROUP_EXTRA / GLOBAL_EXTRA lines, CGROUP_ROOT) and starts the daemon
# (with $DAEMON_ARGS), waiting until its socket answers.
pm_up() {
  INST=$1; _d=$LANE/$1; mkdir -p "$_d/config.d"
  {
    echo "cgroup:"
    echo "  root: ${CGROUP_ROOT:-$CG}"
    echo "  name: $1"
    [ -n "$CGROUP_EXTRA" ] && echo "$CGROUP_EXTRA"
    echo "unix_socket:"
    echo "  path: $_d/pm.sock"
    echo "global:"
    echo "  config_directory: config.d"
    echo "  state_file: $_d/state/appstate.json"
    echo "  log_file: $_d/logs/processmaster.log"
    [ -n "$GLOBAL_EXTRA" ] && echo "$GLOBAL_EXTRA"
  } > "$_d/config.yaml"
  # shellcheck disable=SC2086
  $PM/processmaster -c "$_d/config.yaml" $DAEMON_ARGS > "$_d/daemon.out" 2>&1 &
  _pid=$!; echo $_pid > "$_d/daemon.pid"
  wait_for 60 "pmctl status || ! kill -0 $_pid"
  if ! pmctl status >/dev/null 2>&1; then
    echo "daemon $1 did not answer (pid $_pid $(kill -0 $_pid 2>/dev/null && echo alive || echo exited)):"; cat "$_d/daemon.out"; return 1
  fi
}

pmctl() { $PM/pmctl --sock "$LANE/$INST/pm.sock" $PMCTL_ARGS "$@"; }
ipmctl() { $PM/pmctl --sock "$LANE/inner/pm.sock" "$@"; }                       # the nested daemon's
status_of() { pmctl status "$1" --resources --format json; }  # the kernel counters (OOM kills, throttling) only with --resources
populated() { [ "$(kv "$1/cgroup.events" populated)" = 1 ]; }
svc_log() { echo "$LANE/$INST/work/$1/logs/stdout.log"; }

# pm_down INSTANCE : ends the instance at once — the daemon and every service live in its master cgroup, so one
# cgroup.kill ends them all (graceful stop is what the checks test, not the clean-up) — and removes the cgroup tree.
pm_down() {
  _cg=$CG/$1
  [ -d "$_cg" ] || return 0
  echo 1 > "$_cg/cgroup.kill" 2>/dev/null
  wait_for 20 "! populated $_cg"
  find "$_cg" -depth -type d -exec rmdir {} \; 2>/dev/null
}

# run_check NAME : runs check_NAME in a subshell, prints its CHECK line (or a FAIL when it printed none) and, on a
# failure, the tail of what it logged; then removes every daemon instance it started.
run_check() {
  CHECK=$1; _log=/tmp/check.$1.log
  _t0=$(now_ms)
  ( CHECK=$1; check_$1 ) > "$_log" 2>&1
  for _inst in $(ls "$LANE" 2>/dev/null); do
    case "$_inst" in *.done) continue ;; esac
    pm_down "$_inst" >/dev/null 2>&1
    mv "$LANE/$_inst" "$LANE/$_inst.done"
  done
  _secs=$(awk -v a="$_t0" -v b="$(now_ms)" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
  _line=$(grep -m 1 "^CHECK $1 " "$_log")
  [ -n "$_line" ] || _line="CHECK $1 FAIL the check printed no verdict"
  echo "$_line (${_secs}s)"
  case "$_line" in *" FAIL "*) tail -n 25 "$_log" | grep -v '^CHECK ' | sed 's/^/  | /' ;; esac
}

# ---------------------------------------------------------------------------------------------------------- checks

# A stray --fault-inject-skip-limit on a kernel without processmaster.fault_injection=1 stops the daemon at once.
check_fault_switch_refused() {
  out=$($PM/processmaster --fault-inject-skip-limit memory.max -c /nonexistent.yaml 2>&1); rc=$?
  if [ "$rc" = 2 ] && echo "$out" | grep -q "processmaster.fault_injection=1"; then
    pass "exit $rc without processmaster.fault_injection=1 on the kernel command line"
  else
    fail "exit $rc: $out"
  fi
}

# max_memory 32MiB, the probe allocates 100 MiB: OOM-killed in its cgroup, recorded as an event and in status
# (oom_kills), and restarted by the restart policy (it is killed again after the restart).
check_oom_kill() {
  svc oom eater "[\"$PROBE\", \"alloc\", \"100\"]" "  max_memory: 32MiB
  max_swap: 0"
  pm_up oom || { fail "daemon did not start"; return; }
  log=$(svc_log eater)
  wait_for 120 '{ [ "$(status_of eater | jfield oom_kills)" -ge 1 ] && [ "$(status_of eater | jfield restarts_10m)" -ge 1 ]; } || grep -q "allocated 100" '"$log"
  st=$(status_of eater)
  kills=$(echo "$st" | jfield oom_kills); restarts=$(echo "$st" | jfield restarts_10m)
  events=$(pmctl events eater -n 200 | grep -c "OOM-killed")
  perf=$(pmctl perf-metrics eater --once --format json | jfield oom_kills)
  contention=$(pmctl status -r | grep -c "^~ eater: oom_kills=[1-9]")
  plain=$(pmctl status eater --format json | jfield oom_kills)  # without --resources: the count the loop last saw
  max=$(cat $CG/oom/pm-eater/memory.max)
  peak=$(cat $CG/oom/pm-eater/memory.peak 2>/dev/null || echo 0)
  figure="memory.max=$max peak=$(mib "$peak"); status oom_kills=$kills restarts_10m=$restarts; $events OOM events; perf-metrics oom_kills=$perf; status text line $contention; plain status oom_kills=$plain"
  grep -q "FAULT INJECTION" $LANE/oom/daemon.out && figure="$figure; daemon: $(grep -m 1 -o 'FAULT INJECTION.*' $LANE/oom/daemon.out)"
  if grep -q "allocated 100" "$log"; then
    fail "the probe allocated 100 MiB: no OOM kill; $figure"
  elif [ "${kills:-0}" -ge 1 ] && [ "${restarts:-0}" -ge 1 ] && [ "$events" -ge 1 ] && [ "${perf:-0}" -ge 1 ] && [ "$contention" = 1 ] && [ "${plain:-0}" -ge 1 ]; then
    pass "$figure"
  else
    fail "$figure"
  fi
  pmctl events eater -n 5
}

# max_cpu 100m on a busy loop: cpu.stat nr_throttled > 0 (also in status) and usage/wall near 0.1.
check_cpu_throttle() {
  svc cpu spinner "[\"$PROBE\", \"spin\"]" "  max_cpu: 100m"
  pm_up cpu || { fail "daemon did not start"; return; }
  f=$CG/cpu/pm-spinner/cpu.stat
  wait_for 30 "populated $CG/cpu/pm-spinner" || { fail "spinner never ran"; return; }
  sleep 1
  u0=$(kv $f usage_usec); t0=$(now_ms)
  sleep 5
  u1=$(kv $f usage_usec); t1=$(now_ms)
  r=$(ratio $((u1 - u0)) $(( (t1 - t0) * 1000 )))
  st=$(status_of spinner)
  thr=$(echo "$st" | jfield nr_throttled); tus=$(echo "$st" | jfield throttled_usec)
  perf=$(pmctl perf-metrics spinner --interval-ms 1000 | grep -E "cpu.max=|usage=" | tr -s ' ' | tr '\n' ';')
  figure="cpu.max=$(cat $CG/cpu/pm-spinner/cpu.max | tr ' ' /) usage/wall=$r over $((t1 - t0)) ms; status nr_throttled=$thr throttled_usec=$tus; perf-metrics: $perf"
  if [ "${thr:-0}" -gt 0 ] && between "$r" 0.05 0.13; then pass "$figure"; else fail "$figure"; fi
}

# max_swap 0 vs max_swap 64MiB under max_memory 32MiB, 48 MiB allocated, with zram swap in the guest.
check_swap() {
  total=$(awk '/SwapTotal/ { print $2 }' /proc/meminfo)
  [ "${total:-0}" -gt 0 ] || { fail "no swap in the guest"; return; }
  svc swap noswap "[\"$PROBE\", \"alloc\", \"48\"]" "  max_memory: 32MiB
  max_swap: 0"
  svc swap withswap "[\"$PROBE\", \"alloc\", \"48\"]" "  max_memory: 32MiB
  max_swap: 64MiB"
  pm_up swap || { fail "daemon did not start"; return; }
  wait_for 150 '[ "$(status_of noswap | jfield oom_kills)" -ge 1 ] && grep -q "allocated 48" '"$(svc_log withswap)"
  k0=$(status_of noswap | jfield oom_kills); k64=$(status_of withswap | jfield oom_kills)
  sc=$(cat $CG/swap/pm-withswap/memory.swap.current); s0=$(cat $CG/swap/pm-noswap/memory.swap.current)
  ok64=$(grep -c "allocated 48" "$(svc_log withswap)")
  figure="swap ${total}kB; max_swap 0: oom_kills=$k0 swap.current=$(mib "$s0"); max_swap 64MiB: swap.max=$(cat $CG/swap/pm-withswap/memory.swap.max) allocated 48 MiB=$ok64 oom_kills=$k64 swap.current=$(mib "$sc")"
  if [ "${k0:-0}" -ge 1 ] && [ "$ok64" -ge 1 ] && [ "${k64:-1}" = 0 ] && [ "$sc" -gt 0 ] && [ "$s0" = 0 ]; then pass "$figure"; else fail "$figure"; fi
}

# max_pids 16 stops a fork bomb inside the service; stop then ends it completely.
check_pids_forkbomb() {
  svc pids bomb "[\"$PROBE\", \"forkbomb\"]" "  max_pids: 16"
  pm_up pids || { fail "daemon did not start"; return; }
  g=$CG/pids/pm-bomb
  wait_for 60 "grep -q 'fork refused' $(svc_log bomb)" || { fail "the bomb never hit a limit: pids.current=$(cat $g/pids.current)"; return; }
  # 6.1 counts a refused fork in pids.events of the forking task's own cgroup (the run leaf), not where the limit is.
  refused() { echo $(( $(kv $g/pids.events max) + $(kv $g/run/pids.events max) )); }
  wait_for 10 '[ "$(refused)" -ge 1 ]'
  cur=$(cat $g/pids.current); refused=$(refused); peak=$(cat $g/pids.peak 2>/dev/null || echo -)
  t0=$(now_ms)
  pmctl stop bomb >/dev/null
  stop_ms=$(( $(now_ms) - t0 ))
  after=$(cat $g/pids.current); procs=$(cat $g/cgroup.procs $g/run/cgroup.procs 2>/dev/null | wc -l)
  state=$(status_of bomb | jfield phase)
  figure="pids.max=$(cat $g/pids.max) pids.current=$cur peak=$peak forks refused (pids.events max)=$refused; stop took ${stop_ms} ms, then pids.current=$after procs=$procs phase=$state"
  if [ "$cur" -le 16 ] && [ "$refused" -gt 0 ] && [ "$after" = 0 ] && [ "$procs" = 0 ] && ! populated $g; then pass "$figure"; else fail "$figure"; fi
}

# io_weight and io_bandwidth are written and visible in io.weight / io.max; the write cap holds a direct write to it.
check_io_limits() {
  dev=$(cat /sys/block/zram1/dev)
  svc io writer "[\"$PROBE\", \"write\", \"/dev/zram1\", \"6\"]" "  io_weight: 300
  io_bandwidth:
    - device: \"$dev\"
      max_write_bytes_per_second: 2MiB"
  pm_up io || { fail "daemon did not start"; return; }
  wait_for 60 "grep -q '^wrote' $(svc_log writer)" || { fail "no write finished: $(cat "$(svc_log writer)")"; return; }
  w=$(cat $CG/io/pm-writer/io.weight | tr '\n' ' '); m=$(cat $CG/io/pm-writer/io.max | tr '\n' ' ')
  ms=$(sed -n 's/^wrote 6 MiB in \([0-9]*\) ms/\1/p' "$(svc_log writer)" | head -n 1)
  rate=$(awk -v ms="$ms" 'BEGIN { printf "%.2f", 6 / (ms / 1000) }')
  figure="io.weight: $w; io.max: $m; 6 MiB O_DIRECT to $dev in $ms ms = $rate MiB/s (cap 2 MiB/s)"
  if echo "$w" | grep -q "default 300" && echo "$m" | grep -q "$dev .*wbps=2097152" && between "$rate" 0.5 2.6; then pass "$figure"; else fail "$figure"; fi
}

check_subtree_control_on() {
  svc sc_on sleeper '["/bin/sleep", "1000"]' "  max_memory: 64MiB
  max_pids: 50"
  pm_up sc_on || { fail "daemon did not start"; return; }
  wait_for 30 "populated $CG/sc_on/pm-sleeper" || { fail "sleeper not running"; return; }
  sub=$(cat $CG/sc_on/cgroup.subtree_control); app=$(cat $CG/sc_on/pm-sleeper/cgroup.subtree_control)
  mm=$(cat $CG/sc_on/pm-sleeper/memory.max); pm=$(cat $CG/sc_on/pm-sleeper/pids.max)
  problems=$(status_of sleeper | grep -c "NOT applied")
  figure="master subtree_control: $sub; app: $app; memory.max=$mm pids.max=$pm; limit problems=$problems"
  if echo "$sub" | grep -q memory && echo "$sub" | grep -q cpu && echo "$sub" | grep -q pids && echo "$sub" | grep -q io \
     && [ "$mm" = 67108864 ] && [ "$pm" = 50 ] && [ "$problems" = 0 ]; then pass "$figure"; else fail "$figure"; fi
}

check_subtree_control_off() {
  svc sc_off sleeper '["/bin/sleep", "1000"]' "  max_memory: 64MiB"
  CGROUP_EXTRA="  subtree_control_allow: false" pm_up sc_off || { fail "daemon did not start"; return; }
  wait_for 30 "populated $CG/sc_off/pm-sleeper" || { fail "sleeper not running"; return; }
  sub=$(cat $CG/sc_off/cgroup.subtree_control)
  problem=$(status_of sleeper | grep -m 1 -o 'memory limit[^"]*NOT applied[^"]*' | head -c 160)
  figure="master subtree_control: \"$sub\"; pm-sleeper/memory.max exists: $([ -e $CG/sc_off/pm-sleeper/memory.max ] && echo yes || echo no); status: $problem"
  if [ -z "$sub" ] && [ ! -e $CG/sc_off/pm-sleeper/memory.max ] && [ -n "$problem" ]; then pass "$figure"; else fail "$figure"; fi
}

# cgroup.memory_max / cgroup.cpu_max bound every service together (services with no limits of their own): two
# 40 MiB allocations under 64 MiB (the daemon's own memory counts too: it lives in <master>/run), then two busy loops (each could take a whole vCPU of two) under 500m.
check_master_limits() {
  svc mmem hog1 "[\"$PROBE\", \"alloc\", \"40\"]" ""
  svc mmem hog2 "[\"$PROBE\", \"alloc\", \"40\"]" ""
  CGROUP_EXTRA="  memory_max: 64MiB
  memory_swap_max: 0" pm_up mmem || { fail "memory daemon did not start"; return; }
  wait_for 120 '[ "$(kv '"$CG"'/mmem/memory.events oom_kill)" -ge 1 ]'
  mk=$(kv $CG/mmem/memory.events oom_kill); mpeak=$(cat $CG/mmem/memory.peak); mmax=$(cat $CG/mmem/memory.max)
  own=$(cat $CG/mmem/pm-hog1/memory.max)
  pm_down mmem >/dev/null 2>&1
  svc mcpu spin1 "[\"$PROBE\", \"spin\"]" ""
  svc mcpu spin2 "[\"$PROBE\", \"spin\"]" ""
  # 500m, not less: the daemon lives in the master cgroup too (<master>/run) and shares the quota with the loops.
  CGROUP_EXTRA="  cpu_max: 500m" pm_up mcpu || { fail "cpu daemon did not start"; return; }
  wait_for 30 "populated $CG/mcpu/pm-spin1 && populated $CG/mcpu/pm-spin2"
  sleep 1
  u0=$(kv $CG/mcpu/cpu.stat usage_usec); a0=$(kv $CG/mcpu/pm-spin1/cpu.stat usage_usec); b0=$(kv $CG/mcpu/pm-spin2/cpu.stat usage_usec); t0=$(now_ms)
  sleep 5
  u1=$(kv $CG/mcpu/cpu.stat usage_usec); a1=$(kv $CG/mcpu/pm-spin1/cpu.stat usage_usec); b1=$(kv $CG/mcpu/pm-spin2/cpu.stat usage_usec); t1=$(now_ms)
  wall=$(( (t1 - t0) * 1000 ))
  r=$(ratio $((u1 - u0)) $wall); ra=$(ratio $((a1 - a0)) $wall); rb=$(ratio $((b1 - b0)) $wall)
  thr=$(kv $CG/mcpu/cpu.stat nr_throttled)
  figure="memory: master memory.max=$mmax (services: $own) peak=$(mib "$mpeak") oom_kill=$mk; cpu: master cpu.max=$(cat $CG/mcpu/cpu.max | tr ' ' /) usage/wall=$r (spin1 $ra + spin2 $rb) nr_throttled=$thr"
  if [ "$mk" -ge 1 ] && [ "$mpeak" -le 67108864 ] && [ "$own" = max ] && between "$r" 0.25 0.6 && [ "$thr" -gt 0 ] \
     && between "$ra" 0.05 0.45 && between "$rb" 0.05 0.45; then pass "$figure"; else fail "$figure"; fi
}

# A service that runs a second processmaster whose cgroup.root is the service's own cgroup: it starts, limits and
# stops its own services, and stopping the outer service ends all of it.
check_nested_daemon() {
  mkdir -p $LANE/inner/config.d $LANE/inner/work/leaf
  {
    echo "cgroup:"; echo "  root: $CG/outer/pm-nested"; echo "  name: inner"
    echo "unix_socket:"; echo "  path: $LANE/inner/pm.sock"
    echo "global:"; echo "  config_directory: config.d"; echo "  state_file: $LANE/inner/state/appstate.json"
    echo "  log_file: $LANE/inner/logs/processmaster.log"; echo "  stop_services_on_shutdown: true"
  } > $LANE/inner/config.yaml
  svc inner leaf '["/bin/sleep", "1000"]' "  max_memory: 48MiB
  max_pids: 8"
  svc outer nested "[\"$PM/processmaster\", \"-c\", \"$LANE/inner/config.yaml\"]" "  max_memory: 256MiB"
  pm_up outer || { fail "outer daemon did not start"; return; }
  leaf=$CG/outer/pm-nested/inner/pm-leaf
  wait_for 60 "populated $leaf" || { fail "the inner daemon's service never ran"; cat $LANE/inner/logs/processmaster.log; return; }
  ist=$(ipmctl status leaf --format json | jfield phase)
  mm=$(cat $leaf/memory.max); pmx=$(cat $leaf/pids.max)
  ipmctl stop leaf >/dev/null; stopped=$(populated $leaf && echo no || echo yes)
  ipmctl start leaf >/dev/null; restarted=$(populated $leaf && echo yes || echo no)
  t0=$(now_ms); pmctl stop nested >/dev/null; stop_ms=$(( $(now_ms) - t0 ))
  gone=$(populated $CG/outer/pm-nested && echo no || echo yes)
  figure="inner daemon in $CG/outer/pm-nested: leaf $ist memory.max=$mm pids.max=$pmx; inner stop -> empty: $stopped; inner start: $restarted; outer stop of the nested service: everything gone=$gone in ${stop_ms} ms"
  if [ "$ist" = RUNNING ] && [ "$mm" = 50331648 ] && [ "$pmx" = 8 ] && [ $stopped = yes ] && [ $restarted = yes ] && [ $gone = yes ]; then pass "$figure"; else fail "$figure"; fi
}

# global.user: the root-started daemon delegates its master cgroup to pmuser, drops to it, and runs and limits
# services on that delegated subtree as pmuser.
check_global_user() {
  svc guser whoami '["/bin/sh", "-c", "id; exec sleep 1000"]' "  max_memory: 48MiB
  max_pids: 20"
  chown -R pmuser:pmuser $LANE/guser/work/whoami
  PMCTL_ARGS="--daemon-uid 1000"
  GLOBAL_EXTRA="  user: pmuser" pm_up guser || { fail "daemon did not start"; return; }
  g=$CG/guser/pm-whoami
  wait_for 30 "populated $g" || { fail "service not running"; return; }
  dpid=$(cat $LANE/guser/daemon.pid)
  duid=$(awk '/^Uid:/ { print $2 }' /proc/$dpid/status)
  spid=$(cat $g/run/cgroup.procs | head -n 1); suid=$(awk '/^Uid:/ { print $2 }' /proc/$spid/status)
  owner=$(stat -c %U $CG/guser); sowner=$(stat -c %U $g)
  mm=$(cat $g/memory.max); pmx=$(cat $g/pids.max)
  pmctl stop whoami >/dev/null; stopped=$(populated $g && echo no || echo yes)
  figure="daemon uid $duid; service uid $suid; master cgroup owner $owner, app cgroup owner $sowner; memory.max=$mm pids.max=$pmx; stop -> empty: $stopped"
  if [ "$duid" = 1000 ] && [ "$suid" = 1000 ] && [ "$owner" = pmuser ] && [ "$mm" = 50331648 ] && [ "$pmx" = 20 ] && [ "$stopped" = yes ]; then
    pass "$figure"; else fail "$figure"; cat $LANE/guser/daemon.out; fi
}
