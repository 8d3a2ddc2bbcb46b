#!/usr/bin/env bash
# processmaster side by side with supervisord, in one run, with a no-supervisor floor (on demand; not in CI).
#
#   sudo bench/run.sh            the full run: 3 repetitions, 60 s idle windows, 0/10/100/1000 services (~2 h)
#   sudo bench/run.sh --quick    a check of the harness: 2 repetitions, 5 s windows, 0/10/100 services (~10-25 min)
#   options: --reps N  --window SECONDS  --services "0 10 100"  --log-mib MIB  --crashes N  --no-publish
#
# It publishes the NativeAOT binaries (build/publish.sh out), installs Debian's supervisor and hyperfine when
# missing, builds the two helper programs (bench/tools/bench-tool.c, bench/hello), then runs every workload against
# processmaster (pm), supervisord (svd) and the floor, alternating the order each repetition:
#   - idle RSS, PSS, CPU and wakeups of the daemon over the window, at each service count, web console off and on
#     (supervisord's web console is its inet_http_server); the floor is the bash parent of the same programs;
#   - stop all / start all of 100 services (whole client command; floor: a bash loop kill+wait / &);
#   - `pmctl status` vs `supervisorctl status` at 100 services (hyperfine median; floor: /bin/true), and the
#     pieces of pmctl's time (/bin/true, a NativeAOT hello world, pmctl version, server-version, status);
#   - crash-to-respawn with zero backoff: intervals between the timestamps each spawn appends to a file;
#   - log throughput of one service writing as fast as it can (floor: the same writer piped into `cat > file`)
#     and the capturing side's CPU per GiB;
#   - processes left after stopping a double-forking service.
# Output: out/bench/report.md (printed), out/bench/results.tsv (every measurement).
# Each daemon runs in a private cgroup below the cgroup2 mount (pm-bench-PID/...), supervisord with a private
# config and socket in a temp directory; everything is torn down at exit, by cgroup and by pid.
set -uo pipefail
# The whole script is one block, read before it runs: editing this file during a run cannot derail the run.
{
cd "$(dirname "$0")/.."
ROOT="$PWD"
BENCH="$ROOT/bench"
OUT="$ROOT/out"
REPORT_DIR="$OUT/bench"

MODE=full REPS=3 WINDOW=60 SETTLE=10 SERVICE_COUNTS="0 10 100 1000" LOG_MIB=1024 CRASHES=200 CTL_RUNS=30 PUBLISH=1
COMMAND="bench/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) MODE=quick REPS=2 WINDOW=5 SETTLE=2 SERVICE_COUNTS="0 10 100" LOG_MIB=256 CRASHES=50 CTL_RUNS=10 ;;
    --reps) REPS="$2"; shift ;;
    --window) WINDOW="$2"; shift ;;
    --services) SERVICE_COUNTS="$2"; shift ;;
    --log-mib) LOG_MIB="$2"; shift ;;
    --crashes) CRASHES="$2"; shift ;;
    --no-publish) PUBLISH=0 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "bench: unknown option $1 (see bench/run.sh --help)" >&2; exit 2 ;;
  esac
  shift
done
case " $SERVICE_COUNTS " in *" 100 "*) ;; *) echo "bench: --services must include 100 (start/stop/status run there)" >&2; exit 2 ;; esac
[ "$(id -u)" = 0 ] || { echo "bench: run as root (it creates cgroups and installs packages)" >&2; exit 1; }
LOG_BYTES=$(( LOG_MIB * 1048576 / 100 * 100 ))   # whole 100-byte lines
BOOT_TIMEOUT=300 LOG_TIMEOUT=600
CRASH_TIMEOUT=$(( CRASHES * 3 + 60 ))   # supervisord respawns on its 1 s main-loop tick: ~1-1.5 s a crash

source "$BENCH/lib/common.sh"
source "$BENCH/lib/processmaster.sh"
source "$BENCH/lib/supervisord.sh"
source "$BENCH/lib/floor.sh"
source "$BENCH/lib/workloads.sh"

# --- prerequisites ---
missing=()
command -v supervisord >/dev/null || missing+=(supervisor)
command -v hyperfine >/dev/null || missing+=(hyperfine)
command -v gcc >/dev/null || missing+=(gcc libc6-dev)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null || { echo "bench: apt-get install ${missing[*]} failed" >&2; exit 1; }
  # On a systemd host the package starts the system's own supervisord; this install started it, so stop it again
  # (the benchmark runs private ones only, and an extra daemon would only add noise).
  if [[ " ${missing[*]} " == *" supervisor "* ]] && command -v systemctl >/dev/null && systemctl is-active --quiet supervisor 2>/dev/null; then
    say "stopping and disabling the system supervisord that the package install started"
    systemctl disable --now supervisor >/dev/null 2>&1 || true
  fi
fi
mkdir -p "$REPORT_DIR"
if [ "$PUBLISH" = 1 ]; then
  say "publishing the NativeAOT binaries (build/publish.sh out)"
  build/publish.sh out >/dev/null || exit 1
fi
[ -x "$OUT/processmaster" ] && [ -x "$OUT/pmctl" ] || { echo "bench: no out/processmaster or out/pmctl" >&2; exit 1; }
TOOL="$REPORT_DIR/bench-tool"
gcc -O2 -Wall -Wextra -Werror -o "$TOOL" "$BENCH/tools/bench-tool.c" || exit 1
HELLO="$REPORT_DIR/hello/hello-aot"
if [ "$PUBLISH" = 1 ] || [ ! -x "$HELLO" ]; then
  say "publishing the NativeAOT hello world (bench/hello)"
  dotnet publish "$BENCH/hello/Hello.csproj" -c Release -r linux-x64 -o "$REPORT_DIR/hello" -warnaserror >/dev/null || exit 1
fi

# --- private places ---
MOUNT="$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)"
[ -n "$MOUNT" ] || { echo "bench: no cgroup2 mount" >&2; exit 1; }
CG="$MOUNT/pm-bench-$$"
WORK="$(mktemp -d /var/tmp/pm-bench-XXXXXX)"
TMPD="$WORK/tmp"
RESULTS="$REPORT_DIR/results.tsv"
FAILURES="$REPORT_DIR/failures.txt"
LOADS="$REPORT_DIR/load.txt"
TREE_TOKEN="pm-bench-tree-$$"
WEB_PORT=$(( 20000 + $$ % 20000 ))
PM_PID="" SVD_PID="" FLOOR_PID=""
mkdir -p "$TMPD" "$CG/pmd" "$CG/svd" "$CG/floor"
: > "$RESULTS"; : > "$FAILURES"; : > "$LOADS"

cleanup() {
  say "cleaning up"
  [ -n "$PM_PID" ] && alive "$PM_PID" && pm_down
  [ -n "$SVD_PID" ] && alive "$SVD_PID" && svd_down
  local left; left=$(tree_pids)
  # shellcheck disable=SC2086
  [ -z "$left" ] || kill -9 $left 2>/dev/null
  CG="$MOUNT" cg_clear "pm-bench-$$"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

STARTED="$(date -u +'%Y-%m-%d %H:%M UTC')"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
T_START=$(now_us)
say "bench ($MODE): $REPS repetitions, ${WINDOW}s idle windows, services: $SERVICE_COUNTS; work dir $WORK"

for ((REP = 1; REP <= REPS; REP++)); do
  if (( REP % 2 )); then order=(pm svd floor) web_order=(pm svd); else order=(svd pm floor) web_order=(svd pm); fi
  for n in $SERVICE_COUNTS; do
    for s in "${order[@]}"; do
      if [ "$n" = 100 ]; then session_hundred "$s"; else session_idle "$s" "$n" 0; fi
    done
  done
  for n in $SERVICE_COUNTS; do
    for s in "${web_order[@]}"; do session_idle "$s" "$n" 1; done
  done
  for s in "${order[@]}"; do session_special "$s"; done
done

T_END=$(now_us)
{
  echo "mode=$MODE"
  echo "command=sudo $COMMAND"
  echo "started=$STARTED"
  echo "duration_min=$(awk -v a="$T_START" -v b="$T_END" 'BEGIN { printf "%.0f", (b - a) / 6e7 }')"
  echo "services=$SERVICE_COUNTS"
  echo "settings=$REPS repetitions, ${WINDOW} s idle windows after ${SETTLE} s, services $SERVICE_COUNTS, ${LOG_MIB} MiB logged, $CRASHES crashes, $CTL_RUNS timed runs per control command"
  echo "load_before=$LOAD_BEFORE"
  echo "load_after=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "load_during=$(sort -n "$LOADS" | awk '{ v[++n] = $1 } END { if (n) printf "%s–%s (median %s) over %d sessions", v[1], v[n], v[int((n + 1) / 2)], n }')"
  echo "machine=$(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo), $(awk '/MemTotal/ { printf "%.0f GiB RAM", $2 / 1048576 }' /proc/meminfo), kernel $(uname -r)"
  echo "processmaster=$("$OUT/processmaster" --version 2>/dev/null | head -n 1)"
  echo "supervisord=$(supervisord --version 2>/dev/null)"
} > "$REPORT_DIR/run.txt"
python3 "$BENCH/lib/report.py" "$REPORT_DIR" > "$REPORT_DIR/report.md"
cat "$REPORT_DIR/report.md"
exit
}
