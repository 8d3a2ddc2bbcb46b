// The events view: the daemon's journal, live, with a filter.
import { stream } from "./api.js";
import { el } from "./format.js";

const $ = (id) => document.getElementById(id);
const MAX = 2000;
let events = [];
let source = null;

const text = (e) => `${e.ts} ${e.component} ${e.app ?? ""} ${e.message}`.toLowerCase();

function row(e) {
  return el("tr", { role: "row" }, el("td", { role: "cell", text: e.ts.replace("_", " ") }), el("td", { role: "cell", text: e.component }),
    el("td", { role: "cell", text: e.app ?? "" }), el("td", { role: "cell", text: e.message }));
}

function render() {
  const filter = $("events-filter").value.trim().toLowerCase();
  const shown = filter ? events.filter((e) => text(e).includes(filter)) : events;
  $("events").tBodies[0].replaceChildren(...shown.slice(-500).reverse().map(row));
  $("events-count").textContent = `${shown.length} of ${events.length}`;
}

/** Starts the stream the first time the view is shown. */
export function showEvents() {
  if (source) return;
  source = stream("stream/events", {
    backlog: (b) => { events = b.events; render(); },
    event: (e) => {
      events.push(e);
      if (events.length > MAX) events.shift();
      const filter = $("events-filter").value.trim().toLowerCase();
      if (!filter || text(e).includes(filter)) { $("events").tBodies[0].prepend(row(e)); }
      $("events-count").textContent = `${filter ? events.filter((x) => text(x).includes(filter)).length : events.length} of ${events.length}`;
    },
  });
}

export function wireEvents() {
  let timer = null;
  $("events-filter").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(render, 120); });
}
