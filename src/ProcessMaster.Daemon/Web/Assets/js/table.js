// The services and cron jobs tables: rows keyed by name and updated in place (focus and scroll survive updates).
import { el, uptime, bytes, percent, time } from "./format.js";

const rows = { services: new Map(), jobs: new Map() };
const usage = new Map(); // name -> { cpu, memory, usec, at }
let statusAt = 0;
let entries = new Map();

/** The last status entry of a service. */
export const entry = (name) => entries.get(name);

function stateClass(phase) {
  if (phase === "RUNNING") return "state run";
  if (phase === "FAILED") return "state bad";
  if (phase === "BACKOFF" || phase === "STOPPING" || phase === "STARTING" || phase === "RESTARTING") return "state warn";
  return "state";
}

function cell(label, cls) {
  return el("td", { role: "cell", "data-label": label, class: cls });
}

function button(text, label, action, name, cls) {
  return el("button", { type: "button", "aria-label": `${label} ${name}`, "data-action": action, "data-name": name, class: cls, text });
}

function flagsChips(s) {
  const list = el("ul", { class: "chips", "aria-label": `Flags of ${s.application}` });
  for (const f of s.system_flags) list.append(el("li", { class: "chip sys", title: "system flag", text: f }));
  for (const f of s.user_flags) list.append(el("li", { class: "chip user", title: "user flag", text: f }));
  if (!list.childElementCount) list.append(el("li", { class: "muted", text: "-" }));
  return list;
}

function lines(values) {
  const box = el("div");
  if (!values.length) box.textContent = "-";
  for (const v of values) box.append(el("div", { text: v }));
  return box;
}

function buildRow(kind, name) {
  const tr = el("tr", { role: "row", "data-name": name });
  const head = el("th", { role: "rowheader", scope: "row", "data-label": "Name", class: "name", text: name });
  const actions = el("div", { class: "actions", role: "group", "aria-label": `Actions for ${name}` });
  if (kind === "services") {
    actions.append(button("Start", "Start", "start", name), button("Stop", "Stop", "stop", name, "danger"),
      button("Restart", "Restart", "restart", name), button("Logs", "Logs of", "logs", name),
      button("Resources", "Resources of", "resources", name), button("Flags", "Flags of", "flags", name),
      button("Disable", "Disable", "toggle", name));
    tr.append(head, cell("State"), cell("PIDs", "pids"), cell("Uptime", "uptime"), cell("CPU", "num"), cell("Memory", "num"),
      cell("Flags"), cell("Restarts (10 min)", "num"), cell("Enabled"), cell("Actions"));
  } else {
    actions.append(button("Run now", "Run now", "start", name), button("Stop", "Stop", "stop", name, "danger"),
      button("Runs", "Runs of", "runs", name), button("Logs", "Logs of", "logs", name),
      button("Resources", "Resources of", "resources", name), button("Flags", "Flags of", "flags", name),
      button("Disable", "Disable", "toggle", name));
    tr.append(head, cell("Schedule"), cell("State"), cell("PIDs", "pids"), cell("Last run"), cell("Exit", "num"),
      cell("Next run"), cell("Flags"), cell("Enabled"), cell("Actions"));
  }
  tr.lastElementChild.append(actions);
  return tr;
}

function fill(td, content) {
  if (typeof content === "string") { if (td.textContent !== content || td.childElementCount) td.textContent = content; return; }
  td.replaceChildren(content);
}

function updateRow(kind, tr, s) {
  const c = tr.children;
  const name = s.application;
  const state = el("span", { class: stateClass(s.phase), title: s.detail || s.state, text: s.phase });
  const enabled = s.enabled ? "yes" : "no";
  const toggle = tr.querySelector('[data-action="toggle"]');
  toggle.textContent = s.enabled ? "Disable" : "Enable";
  toggle.setAttribute("aria-label", `${s.enabled ? "Disable" : "Enable"} ${name}`);
  if (kind === "services") {
    fill(c[1], state);
    fill(c[2], lines(s.pids.map(String)));
    fill(c[3], lines(s.pid_uptimes_ms.map(uptime)));
    const u = usage.get(name);
    fill(c[4], percent(u?.cpu));
    fill(c[5], bytes(u?.memory));
    fill(c[6], flagsChips(s));
    fill(c[7], String(s.restarts_10m));
    fill(c[8], enabled);
  } else {
    fill(c[1], el("code", { text: s.schedule || "-" }));
    fill(c[2], state);
    fill(c[3], lines(s.pids.map(String)));
    fill(c[4], time(s.last_run_at_ms));
    fill(c[5], s.last_exit_code == null ? "-" : String(s.last_exit_code));
    fill(c[6], time(s.next_run_at_ms));
    fill(c[7], flagsChips(s));
    fill(c[8], enabled);
  }
}

function renderTable(kind, list) {
  const tbody = document.querySelector(`#${kind} tbody`);
  const map = rows[kind];
  const wanted = new Set(list.map((s) => s.application));
  for (const [name, tr] of map) if (!wanted.has(name)) { tr.remove(); map.delete(name); }
  if (!list.length) {
    tbody.replaceChildren(el("tr", { role: "row" }, el("td", { role: "cell", colspan: "10", class: "empty", text: kind === "services" ? "(no services)" : "(no cron jobs)" })));
    return;
  }
  tbody.querySelectorAll("td.empty").forEach((td) => td.parentElement.remove());
  let previous = null;
  for (const s of list) {
    let tr = map.get(s.application);
    if (!tr) { tr = buildRow(kind, s.application); map.set(s.application, tr); }
    updateRow(kind, tr, s);
    const expected = previous ? previous.nextElementSibling : tbody.firstElementChild;
    if (expected !== tr) { if (previous) previous.after(tr); else tbody.prepend(tr); }
    previous = tr;
  }
}

/** Shows a status snapshot (every service, sorted by name). */
export function renderStatus(status) {
  statusAt = Date.now();
  entries = new Map(status.statuses.map((s) => [s.application, s]));
  renderTable("services", status.statuses.filter((s) => s.kind !== "job"));
  renderTable("jobs", status.statuses.filter((s) => s.kind === "job"));
}

/** Applies a usage sample: cpu % from the change of cumulative cpu time, memory as is; uptimes move on. */
export function applyUsage(sample) {
  for (const u of sample.services) {
    const before = usage.get(u.name);
    const cpu = before && sample.at_ms > before.at ? ((u.usage_usec - before.usec) / ((sample.at_ms - before.at) * 1000)) * 100 : null;
    usage.set(u.name, { cpu: cpu == null ? before?.cpu ?? null : Math.max(0, cpu), memory: u.memory_bytes, usec: u.usage_usec, at: sample.at_ms });
  }
  const elapsed = Date.now() - statusAt;
  for (const [name, tr] of rows.services) {
    const s = entries.get(name);
    if (!s) continue;
    const u = usage.get(name);
    fill(tr.children[3], lines(s.pid_uptimes_ms.map((ms) => uptime(ms < 0 ? ms : ms + elapsed))));
    fill(tr.children[4], percent(u?.cpu));
    fill(tr.children[5], bytes(u?.memory));
  }
}
