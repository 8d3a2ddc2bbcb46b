// The console page: live status over a stream (pushed on change, never polled), actions through JSON-RPC.
import { rpc, stream } from "./api.js";
import { renderStatus, applyUsage, entry } from "./table.js";
import { confirmAction, openFlags, refreshFlags, wireFlags, openAdmin, wireAdmin, openRuns, wireRuns } from "./dialogs.js";
import { openLogs, wireLogs } from "./logs.js";
import { openResources, wireResources } from "./resources.js";
import { showEvents, wireEvents } from "./events.js";

const $ = (id) => document.getElementById(id);
const pageBuild = { host: document.querySelector('meta[name="build-host"]').content, time: document.querySelector('meta[name="build-time"]').content };

// ---- feedback ----
let toastTimer = null;
function notify(ok, text) {
  const toast = $("toast");
  toast.className = `toast ${ok ? "ok" : "error"}`;
  toast.textContent = text;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.textContent = ""; }, ok ? 6000 : 15000);
}

async function call(method, params) {
  try {
    const result = await rpc(method, params);
    notify(true, result.message ?? `${method}: done`);
    return result;
  } catch (e) {
    notify(false, e.message);
    return null;
  }
}

// ---- theme ----
function applyTheme(dark) {
  document.documentElement.dataset.theme = dark ? "dark" : "light";
  $("theme").setAttribute("aria-pressed", String(dark));
  $("theme").textContent = dark ? "☾" : "☀";
}
$("theme").addEventListener("click", () => {
  const dark = document.documentElement.dataset.theme !== "dark";
  try { localStorage.setItem("pm-theme", dark ? "dark" : "light"); } catch (e) { /* storage disabled */ }
  applyTheme(dark);
});
applyTheme(document.documentElement.dataset.theme === "dark");

// ---- tabs (arrow keys move between them) ----
const tabs = [...document.querySelectorAll('[role="tab"]')];
function select(tab) {
  for (const t of tabs) {
    const on = t === tab;
    t.setAttribute("aria-selected", String(on));
    t.tabIndex = on ? 0 : -1;
    $(t.getAttribute("aria-controls")).hidden = !on;
  }
  if (tab.id === "tab-events") showEvents();
}
tabs.forEach((tab, i) => {
  tab.addEventListener("click", () => select(tab));
  tab.addEventListener("keydown", (e) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    const next = tabs[(i + step + tabs.length) % tabs.length];
    select(next);
    next.focus();
  });
});

// ---- row actions ----
async function rowAction(action, name) {
  const s = entry(name);
  if (!s) return;
  const job = s.kind === "job";
  switch (action) {
    case "start":
      if (!s.enabled) {
        if (!(await confirmAction(`${job ? "Run" : "Start"} ${name}?`, `${name} is disabled. ${job ? "Run" : "Start"} it anyway (force)?`, job ? "Run" : "Start", false))) return;
        return call("start", { name, force: true });
      }
      return call("start", { name });
    case "stop":
      if (!(await confirmAction(`Stop ${name}?`, `Stops every process of ${name}.`, "Stop"))) return;
      return call("stop", { name });
    case "restart":
      if (!(await confirmAction(`Restart ${name}?`, `Stops every process of ${name}, then starts it again${s.enabled ? "" : " (it is disabled: forced)"}.`, "Restart"))) return;
      return call("restart", s.enabled ? { name } : { name, force: true });
    case "toggle":
      if (s.enabled) {
        if (!(await confirmAction(`Disable ${name}?`, `Sets enabled: false in ${s.source_file} and reloads definitions.`, "Disable"))) return;
        return call("disable", { name });
      }
      return call("enable", { name });
    case "logs": return openLogs(name, notify);
    case "resources": return openResources(name, notify);
    case "flags": return openFlags(name, notify);
    case "runs": return openRuns(name);
  }
}
for (const table of ["services", "jobs"]) {
  $(table).addEventListener("click", (e) => {
    const button = e.target.closest("button[data-action]");
    if (button) rowAction(button.dataset.action, button.dataset.name);
  });
}

// ---- toolbar ----
const bulk = ["reload", "start-all", "restart-all", "stop-all"];
async function busy(work) {
  for (const id of bulk) $(id).disabled = true;
  try { await work(); } finally { for (const id of bulk) $(id).disabled = false; }
}
$("reload").addEventListener("click", async () => {
  if (!(await confirmAction("Reload definitions?", "Reads every service definition again; services whose definition changed are restarted.", "Reload", false))) return;
  busy(async () => {
    const r = await call("update");
    if (r && r.warnings && r.warnings.length) notify(false, `${r.message}\n${r.warnings.join("\n")}`);
  });
});
$("start-all").addEventListener("click", () => busy(() => call("start", { name: "all" })));
$("restart-all").addEventListener("click", async () => {
  if (!(await confirmAction("Restart all?", "Restarts every enabled service.", "Restart all"))) return;
  busy(() => call("restart", { name: "all" }));
});
$("stop-all").addEventListener("click", async () => {
  if (!(await confirmAction("Stop all?", "Stops every running service and job.", "Stop all"))) return;
  busy(() => call("stop", { name: "all" }));
});
$("admin").addEventListener("click", () => openAdmin(notify));
$("banner-reload").addEventListener("click", () => location.reload());

wireFlags(notify);
wireAdmin(notify);
wireRuns();
wireLogs();
wireResources();
wireEvents();

// ---- live status ----
function live(state) {
  const badge = $("live");
  badge.className = `live ${state === "open" ? "on" : "off"}`;
  badge.textContent = state === "open" ? "live" : state === "closed" ? "disconnected" : "reconnecting…";
}
stream("stream/status", {
  hello: (h) => {
    if (h.build_host !== pageBuild.host || h.build_time !== pageBuild.time) {
      $("banner-text").textContent = `The daemon was upgraded: it now runs the build of ${h.build_host} at ${h.build_time} UTC; ` +
        `this page is from ${pageBuild.host} at ${pageBuild.time} UTC.`;
      $("banner").hidden = false;
    }
  },
  status: (s) => { renderStatus(s); refreshFlags(notify); },
  usage: applyUsage,
}, live);
