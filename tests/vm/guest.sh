#!/bin/sh
# Runs one batch of checks inside the guest (see checks.sh); the batch comes from the kernel command line
# (processmaster.lane_batch=NAME). Prints one "CHECK name PASS|FAIL figure" line per check, then "LANE-END".
. /vm/checks.sh
batch=$(tr ' ' '\n' < /proc/cmdline | sed -n 's/^processmaster.lane_batch=//p')
echo "LANE-BATCH $batch"
case "$batch" in
  main)
    for c in fault_switch_refused oom_kill cpu_throttle swap pids_forkbomb io_limits subtree_control_on subtree_control_off \
             master_limits nested_daemon global_user; do
      run_check "$c"
    done ;;
  broken)
    # processmaster.fault_injection=1 is on the kernel command line: the daemon never writes memory.max, so the
    # OOM check must FAIL here. The lane treats a PASS as a lane failure.
    DAEMON_ARGS="--fault-inject-skip-limit memory.max" run_check oom_kill ;;
  *) echo "LANE-ERROR unknown batch \"$batch\"" ;;
esac
echo "LANE-END"
