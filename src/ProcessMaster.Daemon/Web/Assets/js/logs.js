// The log viewer: the last lines of a service's files (stdout, stderr, hints), live follow over a stream, search
// within the loaded text and download. Text is only ever inserted as text nodes.
import { rpc, stream } from "./api.js";
import { el, stripAnsi } from "./format.js";

const $ = (id) => document.getElementById(id);
const MAX_LINES = 20000;
let app = null;
let files = [];        // [{ path, lines: [] }]
let source = null;     // the follow stream
let matches = [];
let current = -1;
let notifyFn = () => {};

const baseName = (path) => path.slice(path.lastIndexOf("/") + 1);
const selected = () => $("logs-file").value;
const visible = () => files.filter((f) => !selected() || baseName(f.path) === selected());

function stopFollowing() {
  if (source) { source.close(); source = null; }
  $("logs-state").textContent = "";
}

function render() {
  const pre = $("logs-text");
  const term = $("logs-search").value;
  const fragment = document.createDocumentFragment();
  matches = [];
  for (const f of visible()) {
    fragment.append(el("span", { class: "file", text: `==> ${f.path} <==\n` }));
    for (const line of f.lines) appendLine(fragment, line, term);
    fragment.append("\n");
  }
  if (!files.length) fragment.append(`${app}: no log files`);
  pre.replaceChildren(fragment);
  current = -1;
  showMatches(term);
  pre.scrollTop = pre.scrollHeight;
}

function appendLine(parent, raw, term) {
  const line = stripAnsi(raw);
  if (!term) { parent.append(line + "\n"); return; }
  const lower = line.toLowerCase();
  const needle = term.toLowerCase();
  let at = 0;
  for (let i = lower.indexOf(needle); i >= 0; i = lower.indexOf(needle, at)) {
    parent.append(line.slice(at, i));
    const mark = el("mark", { text: line.slice(i, i + needle.length) });
    matches.push(mark);
    parent.append(mark);
    at = i + needle.length;
  }
  parent.append(line.slice(at) + "\n");
}

function showMatches(term) {
  $("logs-matches").textContent = term ? `${matches.length} match${matches.length === 1 ? "" : "es"}` : "";
}

function nextMatch() {
  if (!matches.length) return;
  if (current >= 0) matches[current].classList.remove("current");
  current = (current + 1) % matches.length;
  matches[current].classList.add("current");
  matches[current].scrollIntoView({ block: "center" });
}

function setFiles(list) {
  files = list.map((f) => ({ path: f.path, lines: [...f.lines] }));
  const picker = $("logs-file");
  const keep = picker.value;
  picker.replaceChildren(el("option", { value: "", text: "All files" }));
  for (const f of files) picker.append(el("option", { value: baseName(f.path), title: f.path, text: baseName(f.path) }));
  picker.value = files.some((f) => baseName(f.path) === keep) ? keep : "";
}

async function load() {
  stopFollowing();
  $("logs-text").textContent = "Loading…";
  try {
    setFiles((await rpc("logs", { name: app, n: Number($("logs-lines").value) })).files);
    render();
  } catch (e) {
    $("logs-text").textContent = e.message;
  }
  if ($("logs-follow").checked) follow();
}

function follow() {
  stopFollowing();
  const params = new URLSearchParams({ name: app, n: $("logs-lines").value });
  if (selected()) params.set("file", selected());
  $("logs-state").textContent = "connecting…";
  source = stream(`stream/logs?${params}`, {
    backlog: (b) => {
      $("logs-state").textContent = "following";
      // The backlog of the followed files replaces what is shown for them.
      for (const f of b.files) {
        const known = files.find((x) => x.path === f.path);
        if (known) known.lines = [...f.lines]; else files.push({ path: f.path, lines: [...f.lines] });
      }
      render();
    },
    line: (l) => {
      const f = files.find((x) => x.path === l.path);
      if (!f) return;
      f.lines.push(l.line);
      if (f.lines.length > MAX_LINES) f.lines.splice(0, f.lines.length - MAX_LINES);
      if (!visible().includes(f)) return;
      const pre = $("logs-text");
      const atBottom = pre.scrollHeight - pre.scrollTop - pre.clientHeight < 40;
      const tail = el("span");
      appendLine(tail, l.line, $("logs-search").value);
      // Keep the line inside its file's section: with several files shown, re-render instead.
      if (visible().length === 1) pre.append(tail); else render();
      showMatches($("logs-search").value);
      if (atBottom) pre.scrollTop = pre.scrollHeight;
    },
    end: (e) => notifyFn(false, `${app}: ${e.reason}`),
    error: (e) => { $("logs-follow").checked = false; notifyFn(false, e.message); },
  });
}

export function openLogs(name, notify) {
  app = name;
  notifyFn = notify;
  files = [];
  $("logs-title").textContent = `Logs of ${name}`;
  $("logs-follow").checked = false;
  $("logs-search").value = "";
  $("logs-file").replaceChildren(el("option", { value: "", text: "All files" }));
  $("logs").showModal();
  load();
}

export function wireLogs() {
  const close = () => { stopFollowing(); $("logs").close(); };
  $("logs-close").addEventListener("click", close);
  $("logs").addEventListener("close", stopFollowing);
  $("logs-lines").addEventListener("change", load);
  $("logs-file").addEventListener("change", () => { render(); if ($("logs-follow").checked) follow(); });
  $("logs-follow").addEventListener("change", () => ($("logs-follow").checked ? follow() : stopFollowing()));
  let timer = null;
  $("logs-search").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(render, 150); });
  $("logs-search").addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); nextMatch(); } });
  $("logs-download").addEventListener("click", () => {
    const text = visible().map((f) => `==> ${f.path} <==\n${f.lines.join("\n")}\n`).join("\n");
    const link = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/plain" })), download: `${app}${selected() ? "-" + selected() : ""}.log` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(link.href), 1000);
  });
}
