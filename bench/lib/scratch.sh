# A scratch daemon for the targeted scripts (memory.sh, idle-profile.sh, fds.sh): a private config, N services running
# `sleep`, a wait for a phase, and a teardown that leaves no cgroup behind. Sourced; nothing runs on its own.

# scratch_write WORK NAME SOCK N [SHARED=1] [CONSOLE_PORT]
# Writes WORK/config.yaml (master cgroup NAME, socket SOCK, web console on 127.0.0.1:PORT when given) and N service
# definitions running `sleep 100000`, all in WORK/svc (SHARED=1) or each in its own WORK/svcI (SHARED=0).
scratch_write() {
  local work=$1 name=$2 sock=$3 n=$4 shared=${5:-1} port=${6:-} i dir
  mkdir -p "$work/config.d" "$work/svc"
  cat > "$work/config.yaml" <<YAML
cgroup:
  name: $name
unix_socket:
  path: $sock
  owner: null
  group: null
global:
  config_directory: ./config.d
  state_file: ./state/appstate.json
  log_file: ./logs/processmaster.log
YAML
  [ -z "$port" ] || printf 'web_console:\n  enabled: true\n  bind: 127.0.0.1\n  port: %s\n' "$port" >> "$work/config.yaml"
  for i in $(seq 1 "$n"); do
    dir="$work/svc"; [ "$shared" = 1 ] || { dir="$work/svc$i"; mkdir -p "$dir"; }
    printf 'process:\n  working_directory: %s\n  start_command: ["sleep", "100000"]\n' "$dir" > "$work/config.d/s$i.yaml"
  done
}

# scratch_wait_phase PMCTL SOCK N PHASE: waits (up to 20 min) until N services show PHASE; SCRATCH_GOT holds the count.
scratch_wait_phase() {
  SCRATCH_GOT=0
  for _ in $(seq 6000); do
    if [ -S "$2" ]; then
      SCRATCH_GOT=$("$1" --sock "$2" status --format json 2>/dev/null | grep -o "\"phase\": *\"$4\"" | wc -l || true)
      [ "$SCRATCH_GOT" -ge "$3" ] && return 0
    fi
    sleep 0.2
  done
  return 1
}

# scratch_teardown PMCTL SOCK PID MOUNT NAME: shuts the daemon down with its services and removes its cgroups.
scratch_teardown() {
  local d
  "$1" --sock "$2" shutdown --stop-services >/dev/null 2>&1 || kill "$3"
  wait "$3" 2>/dev/null || true
  if [ -d "$4/$5" ]; then
    find "$4/$5" -depth -type d | while read -r d; do echo 1 > "$d/cgroup.kill" 2>/dev/null || true; done
    sleep 1
    find "$4/$5" -depth -type d -exec rmdir {} \; 2>/dev/null || true
  fi
}
