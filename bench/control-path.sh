#!/usr/bin/env bash
# Where the time of `pmctl status` goes (on demand; not in CI). Boots the published daemon (out/) with N sleeping
# services on a private cgroup, then:
#   1. the daemon's own CPU per status request: its CPU time over R `pmctl status` calls, divided by R;
#   2. a timeline of R `pmctl status` runs under strace (only the calls below are stopped, through seccomp-bpf, so
#      the client's start-up is not slowed by tracing): execve -> connect (the client's own start-up) -> handshake
#      reply -> status reply (the daemon's answer, plus the client's wait) -> exit_group (formatting, output, exit).
# Each phase is reported as the median over the runs. bench/run.sh reports the whole-process times beside it.
#   3. whole-process times (hyperfine medians, same session, one command after the other): /bin/true, a NativeAOT
#      hello world (HELLO=path, skipped when unset), `pmctl version`, `pmctl status`, `pmctl status --format json`;
#      with HELLO set, also hello, /bin/true, `pmctl version` and `pmctl status` (and BASE's) in ONE hyperfine
#      invocation, with each median's ratio to hello's (the form the issue's target takes);
#   4. the same commands interleaved (bench/tools/interleave.c: every round runs each once, in a rotating order, so a
#      shared machine's load hits all alike), with each one's median ratio to the first (hello when HELLO is set).
#      With BASE=dir (another build/publish.sh output, e.g. of main) a second daemon of that build runs beside
#      this one with the same services, and its `pmctl version` and `pmctl status` join the interleaved rounds:
#      before and after in one run.
# Usage: sudo [OUT=out] [HELLO=path/to/hello-aot] [BASE=dir] bench/control-path.sh [SERVICES=100] [RUNS=20]
#        (needs build/publish.sh out first)
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD" BENCH="$PWD/bench" OUT="$(realpath "${OUT:-$PWD/out}")" HELLO="${HELLO:-}"
N="${1:-100}" RUNS="${2:-20}"
[ "$(id -u)" = 0 ] || { echo "control-path: run as root (it creates cgroups)" >&2; exit 1; }
[ -x "$OUT/processmaster" ] && [ -x "$OUT/pmctl" ] || { echo "control-path: run build/publish.sh out first" >&2; exit 1; }
command -v strace >/dev/null || apt-get install -y -qq strace >/dev/null || exit 1
command -v hyperfine >/dev/null || apt-get install -y -qq hyperfine >/dev/null || exit 1
source "$BENCH/lib/common.sh"
source "$BENCH/lib/processmaster.sh"
source "$BENCH/lib/workloads.sh"

MOUNT="$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)"
CG="$MOUNT/pm-bench-$$"
WORK="$(mktemp -d /var/tmp/pm-bench-XXXXXX)"
TMPD="$WORK" RESULTS="$WORK/results.tsv" FAILURES="$WORK/failures.txt" LOADS=/dev/null REP=1 BOOT_TIMEOUT=300 WEB_PORT=19999 PM_PID=""
mkdir -p "$CG/pmd"
cleanup() {
  [ -n "${BASE_SOCK:-}" ] && base_down
  [ -n "$PM_PID" ] && alive "$PM_PID" && pm_down
  CG="$MOUNT" cg_clear "pm-bench-$$"
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

INTERLEAVE="$WORK/interleave"
gcc -O2 -Wall -Wextra -Werror -o "$INTERLEAVE" "$BENCH/tools/interleave.c" || exit 1
BASE_SOCK=""
if [ -n "${BASE:-}" ]; then
  BASE="$(realpath "$BASE")" THIS_OUT="$OUT"
  OUT="$BASE"; new_session base
  pm_boot "$N" 0 || { cat "$FAILURES" >&2; exit 1; }
  BASE_SOCK="$SESS/pm.sock" BASE_PID="$PM_PID" OUT="$THIS_OUT"
  base_down() { "$BASE/pmctl" --sock "$BASE_SOCK" shutdown --stop-services >/dev/null 2>&1; wait_for 60 eval '! alive "$BASE_PID"'; }
else
  base_down() { :; }
fi
new_session control
pm_boot "$N" 0 || { base_down; cat "$FAILURES" >&2; exit 1; }
sleep 2

c0=$(cpu_ms "$PM_PID")
for ((i = 0; i < RUNS; i++)); do pm_ctl status >/dev/null; done
c1=$(cpu_ms "$PM_PID")
echo "daemon CPU per \`pmctl status\` at $N services: $(awk -v c=$(( c1 - c0 )) -v r="$RUNS" 'BEGIN { printf "%.1f", c / r }') ms (over $RUNS calls, 10 ms resolution)"
if [ -n "$BASE_SOCK" ]; then
  c0=$(cpu_ms "$BASE_PID")
  for ((i = 0; i < RUNS; i++)); do "$BASE/pmctl" --sock "$BASE_SOCK" status >/dev/null; done
  c1=$(cpu_ms "$BASE_PID")
  echo "BASE daemon CPU per \`pmctl status\` at $N services: $(awk -v c=$(( c1 - c0 )) -v r="$RUNS" 'BEGIN { printf "%.1f", c / r }') ms"
fi

for ((i = 0; i < RUNS; i++)); do
  strace -f --seccomp-bpf -ttt -o "$WORK/trace.$i" \
    -e trace=execve,connect,write,sendto,sendmsg,read,recvfrom,recvmsg,exit_group \
    "$OUT/pmctl" --sock "$SESS/pm.sock" status >/dev/null
done
# Per run: the socket fd from connect(); replies are the reads on it that return data (a call split by -f into
# "unfinished" and "resumed" lines is matched by pid).
for ((i = 0; i < RUNS; i++)); do
  awk '
    { pid = $1; t = $2 }
    / execve\(/ && !exec { exec = t }
    / connect\(/ && /AF_UNIX/ { split($3, a, /[(,]/); fd = a[2]; conn = t }
    fd != "" && $3 ~ "^(read|recvfrom|recvmsg)\\(" fd "," {
      if ($0 ~ /unfinished/) { pending[pid] = 1; next }
      if ($0 ~ /= [1-9][0-9]*$/ || $0 ~ /= [1-9][0-9]* /) reply[++n] = t
    }
    $3 ~ /^<\.\.\. (read|recvfrom|recvmsg) resumed>/ && pending[pid] {
      pending[pid] = 0
      if ($0 ~ /= [1-9][0-9]*$/) reply[++n] = t
    }
    / exit_group\(/ { done = t }
    END { if (!exec || !conn || n < 2 || !done) exit 1
          printf "%.2f %.2f %.2f %.2f\n", (conn - exec) * 1e3, (reply[1] - conn) * 1e3, (reply[n] - reply[1]) * 1e3, (done - reply[n]) * 1e3 }
  ' "$WORK/trace.$i" || echo "run $i: phases not found in the trace" >&2
done > "$WORK/phases"
[ -s "$WORK/phases" ] || { echo "control-path: no trace could be read" >&2; exit 1; }
median_col() { cut -d' ' -f"$1" "$WORK/phases" | sort -n | awk '{ v[++n] = $1 } END { print v[int((n + 1) / 2)] }'; }
echo "\`pmctl status\` at $N services under strace (median of $(wc -l < "$WORK/phases") runs, ms):"
echo "| phase | ms |"
echo "|---|---|"
echo "| execve → connect (runtime start-up, argument parsing, before the socket) | $(median_col 1) |"
echo "| connect → handshake reply | $(median_col 2) |"
echo "| handshake reply → last status reply read | $(median_col 3) |"
echo "| last reply → exit_group (formatting, output, exit) | $(median_col 4) |"

echo
echo "whole-process times at $N services (hyperfine, median [min–max] of $RUNS runs, load $(cut -d' ' -f1-3 /proc/loadavg)):"
echo "| command | ms |"
echo "|---|---|"
hyper_row() {
  local label="$1" json="$WORK/hyper.json"; shift
  hyperfine -N -i --style none --warmup 3 --runs "$RUNS" --export-json "$json" "$*" >/dev/null 2>&1 || { echo "| $label | failed |"; return; }
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("| %s | %.1f [%.1f–%.1f] |" % (sys.argv[2], r["median"]*1e3, r["min"]*1e3, r["max"]*1e3))' "$json" "$label"
}
hyper_row "/bin/true" /bin/true
[ -n "$HELLO" ] && hyper_row "NativeAOT hello world" "$HELLO"
hyper_row "pmctl version" "$OUT/pmctl" version
hyper_row "pmctl status" "$OUT/pmctl" --sock "$SESS/pm.sock" status
hyper_row "pmctl status --format json" "$OUT/pmctl" --sock "$SESS/pm.sock" status --format json

if [ -n "$HELLO" ]; then
  # The ratios the target is stated in, from ONE hyperfine invocation (hello, /bin/true and status measured side by
  # side in the same session, each after its own warm-up).
  echo
  echo "one hyperfine invocation at $N services (--warmup 3, $RUNS runs each, load $(cut -d' ' -f1-3 /proc/loadavg)):"
  echo "| command | median ms [min–max] | user+sys ms, mean | ÷ hello (median) |"
  echo "|---|---|---|---|"
  one=("$HELLO" /bin/true "$OUT/pmctl version")
  [ -n "$BASE_SOCK" ] && one+=("$BASE/pmctl --sock $BASE_SOCK status")
  one+=("$OUT/pmctl --sock $SESS/pm.sock status")
  if hyperfine -N -i --style none --warmup 3 --runs "$RUNS" --export-json "$WORK/one.json" "${one[@]}" >/dev/null 2>&1; then
    python3 -c '
import json, sys
rs = json.load(open(sys.argv[1]))["results"]
hello = rs[0]["median"]
for r in rs:
    label = r["command"].replace(sys.argv[2], "BASE").replace(sys.argv[3], "").replace(sys.argv[4], "")
    print("| %s | %.1f [%.1f–%.1f] | %.1f | %.2f× |" % (label, r["median"] * 1e3, r["min"] * 1e3, r["max"] * 1e3,
                                                     (r["user"] + r["system"]) * 1e3, r["median"] / hello))
' "$WORK/one.json" "${BASE:-/nonexistent}/pmctl --sock $BASE_SOCK" "$OUT/" " --sock $SESS/pm.sock"
  else
    echo "| (hyperfine failed) | | | |"
  fi
fi

echo
echo "interleaved whole-process times at $N services ($RUNS rounds after 3 warm-up rounds, load $(cut -d' ' -f1-3 /proc/loadavg)):"
rounds=()
[ -n "$HELLO" ] && rounds+=("hello" "$HELLO" ::)
rounds+=("/bin/true" /bin/true ::)
[ -n "$BASE_SOCK" ] && rounds+=("pmctl version (BASE)" "$BASE/pmctl" version ::)
rounds+=("pmctl version" "$OUT/pmctl" version ::)
[ -n "$BASE_SOCK" ] && rounds+=("pmctl status (BASE)" "$BASE/pmctl" --sock "$BASE_SOCK" status ::)
rounds+=("pmctl status" "$OUT/pmctl" --sock "$SESS/pm.sock" status ::)
rounds+=("pmctl status --format json" "$OUT/pmctl" --sock "$SESS/pm.sock" status --format json)
"$INTERLEAVE" "$RUNS" 3 "${rounds[@]}"
