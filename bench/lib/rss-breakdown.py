#!/usr/bin/env python3
"""Where a running daemon's memory, threads, descriptors and wake-ups go (bench/idle-profile.sh runs it).

Usage: rss-breakdown.py PID [WINDOW_SECONDS]
RSS by mapping kind (/proc/PID/smaps: the executable's text and read-only/data pages, the anonymous mappings, each
thread's stack found through the stack pointer in /proc/PID/task/TID/syscall), threads by name, descriptors by kind
(/proc/PID/fd), and with a window the context switches and CPU of each thread over it (/proc/PID/task/*/schedstat).
"""
import os, sys, time, re, collections
pid = int(sys.argv[1]); window = float(sys.argv[2]) if len(sys.argv) > 2 else 0
P = f"/proc/{pid}"
def threads():
    out = {}
    for t in os.listdir(f"{P}/task"):
        try:
            comm = open(f"{P}/task/{t}/comm").read().strip()
            run, wait, slices = map(int, open(f"{P}/task/{t}/schedstat").read().split())
            out[int(t)] = (comm, run, slices)
        except OSError: pass
    return out
# mappings
maps = []
cur = None
for line in open(f"{P}/smaps"):
    m = re.match(r'^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \d+\s*(.*)$', line)
    if m:
        cur = dict(lo=int(m[1],16), hi=int(m[2],16), perm=m[3], name=m[4].strip(), rss=0, pss=0, anon=0)
        maps.append(cur); continue
    k, _, v = line.partition(':')
    if k in ('Rss','Pss','Anonymous'): cur[k.lower()] = int(v.split()[0])
# thread stacks via /proc/task/syscall sp
sps = {}
for t in os.listdir(f"{P}/task"):
    try:
        f = open(f"{P}/task/{t}/syscall").read().split()
        if len(f) >= 8: sps[int(t)] = int(f[-2], 16)
    except OSError: pass
exe = os.readlink(f"{P}/exe")
cats = collections.Counter(); catn = collections.Counter(); stackrss = {}
for m in maps:
    size = (m['hi']-m['lo'])//1024
    tid = next((t for t, sp in sps.items() if m['lo'] <= sp < m['hi']), None)
    if tid is not None:
        c = 'thread stacks'; stackrss[tid] = m['rss']
    elif m['name'] == exe: c = 'binary ' + ('text' if 'x' in m['perm'] else 'data/ro')
    elif m['name'].startswith('/'): c = 'shared libs/files'
    elif m['name'] == '[heap]': c = '[heap] (malloc brk)'
    elif m['name'].startswith('['): c = m['name']
    elif size >= 64*1024: c = 'anon: GC reservation (>=64MiB)'
    else: c = 'anon: other (malloc arenas, runtime, GC bookkeeping)'
    cats[c] += m['rss']; catn[c] += 1
st = dict(l.split(':',1) for l in open(f"{P}/status"))
print(f"VmRSS {st['VmRSS'].strip()}  RssAnon {st['RssAnon'].strip()}  RssFile {st['RssFile'].strip()}  Threads {st['Threads'].strip()}")
roll = dict((l.split(':')[0], l.split()[1]) for l in open(f"{P}/smaps_rollup").readlines()[1:])
print(f"Pss {roll['Pss']}  Pss_Anon {roll.get('Pss_Anon')}  Pss_File {roll.get('Pss_File')}")
for c, r in cats.most_common(): print(f"  {r:8d} KiB  {catn[c]:4d} maps  {c}")
# large anon maps detail
print("  largest anonymous mappings by RSS:")
for m in sorted([m for m in maps if not m['name']], key=lambda m: -m['rss'])[:8]:
    print(f"    {m['rss']:7d} KiB rss of {(m['hi']-m['lo'])//1024:9d} KiB {m['perm']} {m['lo']:x}")
th = threads()
names = collections.Counter(c for c, _, _ in th.values())
print("threads:", dict(names))
print("stack rss per thread (KiB):", {th[t][0]+str(t): r for t, r in stackrss.items() if t in th})
# fds
kinds = collections.Counter()
for fd in os.listdir(f"{P}/fd"):
    try: l = os.readlink(f"{P}/fd/{fd}")
    except OSError: continue
    if l.startswith('anon_inode:'): k = l
    elif l.startswith('socket:'): k = 'socket'
    elif l.startswith('pipe:'): k = 'pipe'
    elif '/sys/fs/cgroup' in l: k = 'cgroup ' + ('file '+os.path.basename(l) if '.' in os.path.basename(l) else 'dir')
    elif '/pipes/' in l: k = 'fifo ' + l.rsplit('.',1)[-1]
    elif '/logs/' in l or l.endswith('.log'): k = 'log file' if '.' in os.path.basename(l) else 'log dir'
    else: k = 'other ' + l
    kinds[k] += 1
print("fds:", sum(kinds.values()), dict(kinds.most_common()))
if window:
    a = threads(); time.sleep(window); b = threads()
    tot_w = tot_c = 0
    rows = []
    for t, (c, r, s) in b.items():
        if t in a:
            dw = s - a[t][2]; dc = r - a[t][1]; tot_w += dw; tot_c += dc
            if dw: rows.append((c, t, dw, dc))
    print(f"window {window}s: wakeups {tot_w/window:.2f}/s  cpu {tot_c/1e6/window*60:.1f} ms/min")
    for c, t, dw, dc in sorted(rows, key=lambda r: -r[2]): print(f"    {c:16s} {t}: {dw} switches, {dc/1e6:.2f} ms")
