// Modal dialogs: confirmation, flags, admin actions, run history.
import { rpc } from "./api.js";
import { el, time, duration } from "./format.js";
import { entry } from "./table.js";

const $ = (id) => document.getElementById(id);

/** Asks before an action; resolves true when confirmed. */
export function confirmAction(title, text, okLabel, danger = true) {
  const dialog = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  const ok = $("confirm-ok");
  ok.textContent = okLabel;
  ok.classList.toggle("danger", danger);
  dialog.returnValue = "cancel";
  dialog.showModal();
  ok.focus();
  return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true }));
}

// ---- flags ----
const FLAG = /^[0-9A-Za-z_-]{1,20}$/;
const TTL = /^(\d+d)?(\d+h)?(\d+m)?(\d+s)?(\d+ms)?$/;
let flagsApp = null;

export function openFlags(name, notify) {
  flagsApp = name;
  $("flags-title").textContent = `Flags of ${name}`;
  $("flags-value").value = "";
  $("flags-ttl").value = "";
  $("flags-error").hidden = true;
  renderCurrentFlags(notify);
  $("flags").showModal();
  $("flags-value").focus();
}

/** Keeps the flags dialog in step with live status. */
export function refreshFlags(notify) {
  if ($("flags").open) renderCurrentFlags(notify);
}

function renderCurrentFlags(notify) {
  const list = $("flags-current");
  const s = entry(flagsApp);
  list.replaceChildren();
  for (const f of s ? s.user_flags : []) {
    const remove = el("button", { type: "button", "aria-label": `Remove flag ${f}`, text: "×" });
    remove.addEventListener("click", async () => {
      try { notify(true, (await rpc("unflag", { name: flagsApp, flags: [f] })).message); }
      catch (e) { notify(false, e.message); }
    });
    list.append(el("li", { class: "chip user" }, f, remove));
  }
  if (!list.childElementCount) list.append(el("li", { class: "muted", text: "(none)" }));
}

function flagError(text) {
  $("flags-error").textContent = text;
  $("flags-error").hidden = false;
}

export function wireFlags(notify) {
  $("flags-close").addEventListener("click", () => $("flags").close());
  $("flags-form").addEventListener("submit", async (e) => {
    e.preventDefault();
    const flags = $("flags-value").value.split(",").map((f) => f.trim()).filter((f) => f);
    if (!flags.length) return flagError("Enter at least one flag.");
    const bad = flags.find((f) => !FLAG.test(f));
    if (bad) return flagError(`"${bad}" is not a flag: use letters, digits, _ and -, up to 20.`);
    const ttl = $("flags-ttl").value.replace(/\s+/g, "").toLowerCase();
    if (ttl && !TTL.test(ttl)) return flagError(`"${ttl}" is not a duration: write e.g. 30s, 5m, 1h30m (units d, h, m, s, ms).`);
    $("flags-error").hidden = true;
    try {
      const result = await rpc("flag", ttl ? { name: flagsApp, flags, ttl } : { name: flagsApp, flags });
      notify(true, result.message);
      $("flags-value").value = "";
    } catch (err) {
      flagError(err.message);
    }
  });
}

// ---- admin actions ----
async function loadPids() {
  const pre = $("admin-pids");
  try {
    const ps = await rpc("admin_ps");
    pre.textContent = ps.pids.length ? ps.pids.join("\n") : "(none)";
  } catch (e) {
    pre.textContent = e.message;
  }
}

export async function openAdmin(notify) {
  const list = $("admin-list");
  list.replaceChildren(el("li", { class: "muted", text: "Loading…" }));
  $("admin-dialog").showModal();
  try {
    const actions = (await rpc("admin_list")).admin_actions;
    list.replaceChildren();
    for (const a of actions) {
      const run = el("button", { type: "button", "aria-label": `Run ${a.label}`, text: "Run" });
      run.addEventListener("click", async () => {
        if (!(await confirmAction(`Run ${a.label}?`, `Runs the admin action "${a.name}" as root. It may restart or stop services.`, "Run", false))) return;
        try { notify(true, (await rpc("admin_run", { id: a.name })).message); } catch (e) { notify(false, e.message); }
        await loadPids();
      });
      list.append(el("li", {}, el("span", {}, el("strong", { text: a.label }), " ", el("code", { class: "muted", text: a.name })), run));
    }
    if (!actions.length) list.append(el("li", { class: "muted", text: "No admin actions configured." }));
  } catch (e) {
    list.replaceChildren(el("li", { class: "error", text: e.message }));
  }
  await loadPids();
}

export function wireAdmin(notify) {
  $("admin-close").addEventListener("click", () => $("admin-dialog").close());
  $("admin-refresh").addEventListener("click", loadPids);
  $("admin-kill").addEventListener("click", async () => {
    if (!(await confirmAction("Kill all admin actions?", "Every running admin-action process is killed at once (cgroup.kill), not gracefully.", "Kill all"))) return;
    try { notify(true, (await rpc("admin_kill")).message); } catch (e) { notify(false, e.message); }
    await loadPids();
  });
}

// ---- run history of a cron job ----
export function openRuns(name) {
  const s = entry(name);
  $("runs-title").textContent = `Runs of ${name}`;
  const body = $("runs-body");
  body.replaceChildren();
  for (const r of [...(s ? s.runs : [])].reverse()) {
    body.append(el("tr", { role: "row" },
      el("td", { role: "cell", text: time(r.started_at_ms) }), el("td", { role: "cell", text: duration(r.duration_ms) }),
      el("td", { role: "cell", text: r.result }), el("td", { role: "cell", text: r.exit_code == null ? (r.signal == null ? "-" : `signal ${r.signal}`) : String(r.exit_code) }),
      el("td", { role: "cell", text: r.detail || "" })));
  }
  if (!body.childElementCount) body.append(el("tr", { role: "row" }, el("td", { role: "cell", colspan: "5", class: "muted", text: "(no finished runs yet)" })));
  $("runs").showModal();
}

export function wireRuns() {
  $("runs-close").addEventListener("click", () => $("runs").close());
}
