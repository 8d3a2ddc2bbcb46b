# shellcheck shell=bash
# Shared helpers of bench/run.sh: clocks, /proc readers, results, waiting, cgroups. Sourced, not run.

# Microseconds since the epoch, without a fork (bash 5: EPOCHREALTIME).
now_us() { local t=$EPOCHREALTIME; echo $(( ${t%.*} * 1000000 + 10#${t#*.} )); }

say() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }

# record ROW SUBJECT VALUE: one measurement of one repetition (REP is the current repetition).
record() { printf '%s\t%s\t%s\t%s\n' "$1" "$2" "$REP" "$3" >> "$RESULTS"; }

# fail WHAT: a workload that could not be measured; the report lists these under the table.
fail() { say "FAILED: $*"; printf '%s\t%s\n' "rep $REP" "$*" >> "$FAILURES"; }

# wait_for SECONDS CMD...: run CMD every 50 ms until it succeeds; false after SECONDS.
wait_for() {
  local deadline=$(( $(now_us) + $1 * 1000000 )); shift
  until "$@"; do
    [ "$(now_us)" -lt "$deadline" ] || return 1
    sleep 0.05
  done
}

alive() { kill -0 "$1" 2>/dev/null; }

# --- /proc readers (one process and all its threads) ---

rss_kib() { awk '/^VmRSS:/{print $2}' "/proc/$1/status"; }
pss_kib() { awk '/^Pss:/{print $2}' "/proc/$1/smaps_rollup"; }
threads() { awk '/^Threads:/{print $2}' "/proc/$1/status"; }
fds() { ls "/proc/$1/fd" | wc -l; }

# CPU time in ms from /proc/PID/stat (utime+stime, all threads including exited ones; 10 ms resolution).
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); print ($12 + $13) * 1000 / hz }' "/proc/$1/stat"; }

# schedstat PID: "TID ns_on_cpu runs" per live thread, from /proc/PID/task/TID/schedstat (ns resolution; a run is
# one switch-in, so runs per second are wakeups per second).
schedstat() {
  local f tid ns runs
  for f in /proc/"$1"/task/*/schedstat; do
    tid=${f%/schedstat}; tid=${tid##*/}
    read -r ns _ runs < "$f" 2>/dev/null && echo "$tid $ns $runs"
  done
}

# schedstat_delta BEFORE AFTER: "ns runs" gained by the threads present in both samples (a thread that exits
# within the window takes its share along; one that starts in it counts from the second sample only).
schedstat_delta() {
  awk 'NR == FNR { ns[$1] = $2; runs[$1] = $3; next }
       $1 in ns { dn += $2 - ns[$1]; dr += $3 - runs[$1] }
       END { printf "%d %d\n", dn, dr }' <(printf '%s\n' "$1") <(printf '%s\n' "$2")
}

# --- cgroups (all of ours live below $CG, made by run.sh) ---

# cg_enter NODE: move the calling (sub)shell into $CG/NODE; what it execs starts there.
cg_enter() { echo "$BASHPID" > "$CG/$1/cgroup.procs"; }

# cg_clear NODE: end every process below $CG/NODE and remove the nodes (only our processes live there).
cg_clear() {
  local top="$CG/$1" d
  [ -d "$top" ] || return 0
  while read -r d; do echo 1 > "$d/cgroup.kill" 2>/dev/null || true; done < <(find "$top" -depth -type d)
  wait_for 10 cg_empty "$top" || say "cgroup $top still populated"
  find "$top" -depth -type d -exec rmdir {} \; 2>/dev/null || true
}

cg_empty() { ! grep -q 'populated 1' "$1/cgroup.events" 2>/dev/null; }

# --- hyperfine: the median of one command's whole-process time, in ms ---

# hyper_median_ms RUNS CMD: prints the median in ms of RUNS timed runs (after 3 warm-up runs).
hyper_median_ms() {
  local runs="$1" json="$TMPD/hyperfine.json"; shift
  hyperfine -N -i --style none --warmup 3 --runs "$runs" --export-json "$json" "$*" >/dev/null 2>&1 || return 1
  python3 -c 'import json,sys; print("%.2f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1000))' "$json"
}

# --- what every subject measures the same way ---

# measure_idle ROW_SUFFIX SUBJECT PID: RSS, PSS, CPU, wakeups and threads of PID over $WINDOW seconds.
measure_idle() {
  local suffix="$1" subject="$2" pid="$3" a b t0 t1
  sleep "$SETTLE"
  alive "$pid" || { fail "$subject idle $suffix: the process exited"; return 1; }
  a=$(schedstat "$pid"); t0=$(now_us)
  sleep "$WINDOW"
  b=$(schedstat "$pid"); t1=$(now_us)
  alive "$pid" || { fail "$subject idle $suffix: the process exited"; return 1; }
  local secs d; secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e6 }')
  d=$(schedstat_delta "$a" "$b")
  record "idle.rss.$suffix" "$subject" "$(awk -v k="$(rss_kib "$pid")" 'BEGIN { printf "%.1f", k / 1024 }')"
  record "idle.pss.$suffix" "$subject" "$(awk -v k="$(pss_kib "$pid")" 'BEGIN { printf "%.1f", k / 1024 }')"
  record "idle.cpu.$suffix" "$subject" "$(awk -v d="${d% *}" -v s="$secs" 'BEGIN { printf "%.2f", d / 1e6 / s * 60 }')"
  record "idle.wake.$suffix" "$subject" "$(awk -v d="${d#* }" -v s="$secs" 'BEGIN { printf "%.2f", d / s }')"
  record "idle.threads.$suffix" "$subject" "$(threads "$pid")"
  record "idle.fds.$suffix" "$subject" "$(fds "$pid")"
}

# measure_crash SUBJECT STAMPFILE: the median interval between the first $CRASHES+1 spawns, in ms.
measure_crash() {
  local subject="$1" file="$2" v
  v=$(head -n $(( CRASHES + 1 )) "$file" | awk 'NR > 1 { printf "%.3f\n", ($1 - prev) / 1e6 } { prev = $1 }' | sort -n \
    | awk '{ d[++n] = $1 } END { if (n == 0) exit 1; p = int(n * 0.9); if (p < n * 0.9) p++; print d[int((n + 1) / 2)], d[p] }') \
    || { fail "$subject crash: no spawn intervals"; return 1; }
  record crash.median "$subject" "${v% *}"
  record crash.p90 "$subject" "${v#* }"
}

# stamps FILE: how many spawns wrote their stamp.
stamps() { [ -f "$1" ] && wc -l < "$1" || echo 0; }
has_stamps() { [ "$(stamps "$1")" -gt "$CRASHES" ]; }

# tree_pids: the processes of the double-forking service that are still alive (argv[0] is $TREE_TOKEN).
tree_pids() { pgrep -f "^$TREE_TOKEN( |\$)" || true; }
tree_count() { tree_pids | wc -l; }
tree_up() { [ "$(tree_count)" -ge 3 ]; }

# record_tree SUBJECT: count the survivors after a stop, then end them (we started them).
record_tree() {
  sleep 0.5
  local left; left=$(tree_pids)
  record tree.survivors "$1" "$(printf '%s' "$left" | grep -c . || true)"
  # shellcheck disable=SC2086
  [ -z "$left" ] || kill -9 $left 2>/dev/null || true
}
