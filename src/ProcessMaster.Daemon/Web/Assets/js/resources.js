// One service's resources, live: cpu and memory sparklines, pressure, OOM kills, pids — what the kernel exposes.
import { stream } from "./api.js";
import { el, bytes, percent } from "./format.js";

const $ = (id) => document.getElementById(id);
const POINTS = 60;
let source = null;
let cpu = [];
let memory = [];
let previous = null;

function spark(svg, values) {
  const line = svg.querySelector("polyline");
  if (!values.length) { line.setAttribute("points", ""); return; }
  // The samples so far span the whole width; the newest is at the right.
  const max = Math.max(...values, 1e-9);
  const step = values.length > 1 ? 120 / (values.length - 1) : 0;
  line.setAttribute("points", values.map((v, i) => `${(values.length > 1 ? i * step : 120).toFixed(1)},${(31 - (v / max) * 30).toFixed(1)}`).join(" "));
}

function pressure(p) {
  if (!p || !p.some) return "not exposed";
  return `some ${p.some.avg10.toFixed(2)} % (10 s), ${p.some.avg60.toFixed(2)} % (60 s)` + (p.full ? `; full ${p.full.avg10.toFixed(2)} % (10 s)` : "");
}

function throttling(m) {
  const s = m.cpu_stat;
  if (!s || s.nr_throttled == null) return "not exposed (cpu controller off)";
  return `throttled in ${s.nr_throttled} of ${s.nr_periods ?? "?"} periods, ${((s.throttled_usec ?? 0) / 1e6).toFixed(2)} s in all` + (m.cpu_max ? ` (cpu.max ${m.cpu_max})` : "");
}

function facts(m, cpuNow) {
  const rows = [
    ["cgroup", m.cgroup_dir],
    ["CPU now", percent(cpuNow)],
    ["CPU time", m.cpu_stat ? `${(m.cpu_stat.usage_usec / 1e6).toFixed(2)} s (user ${(m.cpu_stat.user_usec / 1e6).toFixed(2)} s, system ${(m.cpu_stat.system_usec / 1e6).toFixed(2)} s)` : "-"],
    ["Memory", m.memory_current == null ? "not exposed (memory controller off)" : bytes(m.memory_current)],
    ["Memory peak", m.memory_peak == null ? "not exposed" : bytes(m.memory_peak)],
    ["OOM kills", m.oom_kills == null ? "not exposed (memory controller off)" : String(m.oom_kills)],
    ["CPU throttling", throttling(m)],
    ["Processes", m.pids_current == null ? "not exposed (pids controller off)" : String(m.pids_current)],
    ["CPU pressure", pressure(m.cpu_pressure)],
    ["Memory pressure", pressure(m.memory_pressure)],
    ["IO pressure", pressure(m.io_pressure)],
  ];
  $("resources-facts").replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
}

function sample(m) {
  let cpuNow = null;
  const usec = m.cpu_stat ? m.cpu_stat.usage_usec : null;
  if (previous && usec != null && m.sampled_at_ms > previous.at) cpuNow = Math.max(0, ((usec - previous.usec) / ((m.sampled_at_ms - previous.at) * 1000)) * 100);
  previous = usec == null ? null : { usec, at: m.sampled_at_ms };
  if (cpuNow != null) { cpu.push(cpuNow); if (cpu.length > POINTS) cpu.shift(); }
  if (m.memory_current != null) { memory.push(m.memory_current); if (memory.length > POINTS) memory.shift(); }
  $("cpu-value").textContent = percent(cpuNow);
  $("mem-value").textContent = m.memory_current == null ? "not exposed" : bytes(m.memory_current);
  spark($("cpu-spark"), cpu);
  spark($("mem-spark"), memory);
  facts(m, cpuNow);
  $("resources-note").textContent = "Live: a sample every few seconds while this view is open.";
}

function stop() {
  if (source) { source.close(); source = null; }
}

export function openResources(name, notify) {
  stop();
  cpu = []; memory = []; previous = null;
  $("resources-title").textContent = `Resources of ${name}`;
  $("resources-note").textContent = "Waiting for the first sample…";
  $("cpu-value").textContent = "–";
  $("mem-value").textContent = "–";
  spark($("cpu-spark"), []);
  spark($("mem-spark"), []);
  $("resources-facts").replaceChildren();
  $("resources").showModal();
  source = stream(`stream/resources?${new URLSearchParams({ name })}`, {
    sample,
    error: (e) => { $("resources-note").textContent = e.message; notify(false, e.message); },
  });
}

export function wireResources() {
  $("resources-close").addEventListener("click", () => $("resources").close());
  $("resources").addEventListener("close", stop);
}
