#!/usr/bin/env python3
"""Turns bench/run.sh's results.tsv (row, subject, repetition, value) into the markdown report.

Each cell is the median over the repetitions with [min–max]; ratios are of the medians. Usage: report.py DIR
"""
import statistics
import sys
from pathlib import Path

LOWER, HIGHER = "lower", "higher"

# key, label, unit, decimals, which way is better
IDLE_METRICS = [
    ("rss", "idle RSS", "MiB", 1),
    ("pss", "idle PSS", "MiB", 1),
    ("cpu", "idle CPU", "ms/min", 1),
    ("wake", "idle wakeups", "/s", 1),
    ("threads", "threads", "", 0),
]
OTHER_ROWS = [
    ("start.100", "start 100 services", "s", 3, LOWER),
    ("stop.100", "stop 100 services", "s", 3, LOWER),
    ("ctl.status.100", "status at 100 services (floor: /bin/true)", "ms", 1, LOWER),
    ("crash.median", "crash-to-respawn, zero backoff, median interval", "ms", 1, LOWER),
    ("crash.p90", "crash-to-respawn, zero backoff, p90 interval", "ms", 1, LOWER),
    ("log.tput", "log throughput, one writer (floor: cat > file)", "MiB/s", 0, HIGHER),
    ("log.cpu", "capturing CPU per GiB (floor: cat)", "s", 2, LOWER),
    ("tree.survivors", "processes left after stopping a double-forking service", "", 0, LOWER),
]
PATH_ROWS = [
    ("path.true", "/bin/true"),
    ("path.hello", "NativeAOT hello world (bench/hello)"),
    ("path.version", "pmctl version (no socket)"),
    ("path.server_version", "pmctl server-version (connect, handshake, one call)"),
    ("ctl.status.100", "pmctl status, 100 services (table)"),
    ("path.status_json", "pmctl status --format json, 100 services"),
]


def load(directory):
    values = {}
    for line in (directory / "results.tsv").read_text().splitlines():
        row, subject, _rep, value = line.split("\t")
        try:
            values.setdefault((row, subject), []).append(float(value))
        except ValueError:
            continue
    return values


def fmt(v, decimals):
    return f"{v:,.{decimals}f}"


def cell(vs, decimals, unit):
    if not vs:
        return "—"
    med = fmt(statistics.median(vs), decimals)
    u = f" {unit}" if unit else ""
    if len(vs) == 1:
        return f"{med}{u}"
    return f"{med}{u} [{fmt(min(vs), decimals)}–{fmt(max(vs), decimals)}]"


def ratio(a, b):
    if not a or not b:
        return "—"
    ma, mb = statistics.median(a), statistics.median(b)
    if mb == 0:
        return "—"
    return f"{ma / mb:.2f}×"


def ahead(pm, svd, better):
    if not pm or not svd:
        return "—"
    a, b = statistics.median(pm), statistics.median(svd)
    if a == b:
        return "level"
    return "yes" if (a < b) == (better == LOWER) else "**no**"


def main():
    directory = Path(sys.argv[1])
    values = load(directory)
    run = dict(line.split("=", 1) for line in (directory / "run.txt").read_text().splitlines() if "=" in line)
    counts = run.get("services", "").split()
    out = []
    out.append(f"Run of `{run.get('command', '?')}` ({run.get('mode', '?')} mode), started {run.get('started', '?')}, "
               f"{run.get('duration_min', '?')} min.  ")
    out.append(f"Machine: {run.get('machine', '?')}; load average before {run.get('load_before', '?')}, "
               f"after {run.get('load_after', '?')}; 1-minute load at the start of each session "
               f"{run.get('load_during', '?')}.  ")
    out.append(f"{run.get('processmaster', '?')} · supervisord {run.get('supervisord', '?')} (Debian).  ")
    out.append(f"Settings: {run.get('settings', '?')}.")
    out.append("")
    out.append("Cells: median over the repetitions [min–max]. Ratios are of the medians; \"ahead\" says whether "
               "processmaster's median beats supervisord's.")
    out.append("")
    out.append("| row | processmaster | supervisord | floor (no supervisor) | pm ÷ svd | pm ÷ floor | ahead |")
    out.append("|---|---|---|---|---|---|---|")

    def emit(label, key_pm, key_floor, unit, decimals, better, key_svd=None):
        pm = values.get((key_pm, "pm"), [])
        svd = values.get((key_svd or key_pm, "svd"), [])
        floor = values.get((key_floor, "floor"), []) if key_floor else []
        out.append(f"| {label} | {cell(pm, decimals, unit)} | {cell(svd, decimals, unit)} | "
                   f"{cell(floor, decimals, unit)} | {ratio(pm, svd)} | {ratio(pm, floor)} | {ahead(pm, svd, better)} |")

    for key, label, unit, decimals in IDLE_METRICS:
        for n in counts:
            emit(f"{label}, {n} services", f"idle.{key}.{n}", f"idle.{key}.{n}", unit, decimals, LOWER)
        for n in counts:
            if key == "threads":
                continue
            emit(f"{label}, {n} services, web console on", f"idle.{key}.{n}.web", f"idle.{key}.{n}", unit, decimals, LOWER)

    # The cost of one more service, from the medians of idle RSS.
    for lo, hi in zip(counts, counts[1:]):
        cells = []
        meds = {}
        for subject in ("pm", "svd", "floor"):
            a = values.get((f"idle.rss.{lo}", subject), [])
            b = values.get((f"idle.rss.{hi}", subject), [])
            if a and b:
                meds[subject] = (statistics.median(b) - statistics.median(a)) * 1024 / (int(hi) - int(lo))
                cells.append(f"{meds[subject]:,.0f} KiB")
            else:
                cells.append("—")
        r = lambda x, y: f"{meds[x] / meds[y]:.2f}×" if x in meds and y in meds and meds[y] > 0 else "—"
        better = "—" if "pm" not in meds or "svd" not in meds else ("yes" if meds["pm"] < meds["svd"] else "**no**")
        out.append(f"| RSS per added service, {lo} → {hi} (from the medians) | {cells[0]} | {cells[1]} | {cells[2]} | "
                   f"{r('pm', 'svd')} | {r('pm', 'floor')} | {better} |")

    for key, label, unit, decimals, better in OTHER_ROWS:
        emit(label, key, key, unit, decimals, better)

    out.append("")
    out.append("Where `pmctl status` time goes (whole-process time, hyperfine median of each repetition; "
               "same run, 100 services defined and running):")
    out.append("")
    out.append("| command | time | minus the row above |")
    out.append("|---|---|---|")
    previous = None
    for key, label in PATH_ROWS:
        vs = values.get((key, "pm"), [])
        step = "—" if previous is None or not vs else f"{statistics.median(vs) - previous:+.1f} ms"
        out.append(f"| {label} | {cell(vs, 1, 'ms')} | {step} |")
        if vs:
            previous = statistics.median(vs)

    failures = (directory / "failures.txt").read_text().strip() if (directory / "failures.txt").exists() else ""
    if failures:
        out.append("")
        out.append("Not measured (the harness's failure notes):")
        out.append("")
        out.extend(f"    {line}" for line in failures.splitlines())
    print("\n".join(out))


if __name__ == "__main__":
    main()
