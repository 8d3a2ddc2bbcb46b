// The console's only ways to talk to the daemon: JSON-RPC over POST (with the CSRF token) and server-sent events.
const token = document.querySelector('meta[name="csrf-token"]').content;
let nextId = 1;

/** Calls a supervisor method; resolves with its result, rejects with an Error carrying the daemon's message. */
export async function rpc(method, params = {}) {
  const response = await fetch("rpc", {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": token },
    body: JSON.stringify({ jsonrpc: "2.0", id: nextId++, method, params }),
  });
  const type = response.headers.get("Content-Type") || "";
  if (!type.startsWith("application/json")) {
    const text = (await response.text()).trim();
    throw new Error(`${method}: HTTP ${response.status}: ${text || response.statusText}`);
  }
  const reply = await response.json();
  if (reply.error) throw new Error(reply.error.message);
  return reply.result;
}

/**
 * Opens a stream; `handlers` maps event names to functions of the parsed data. An `error` event from the daemon
 * (bad parameter, unknown service) closes the stream for good and is passed to handlers.error.
 */
export function stream(path, handlers, onState) {
  const source = new EventSource(path);
  for (const [name, handle] of Object.entries(handlers)) {
    if (name === "error") continue;
    source.addEventListener(name, (e) => handle(JSON.parse(e.data)));
  }
  source.addEventListener("error", (e) => {
    if (e.data) {
      source.close();
      if (handlers.error) handlers.error(JSON.parse(e.data));
      return;
    }
    if (onState) onState(source.readyState === EventSource.CLOSED ? "closed" : "reconnecting");
  });
  source.addEventListener("open", () => onState && onState("open"));
  return source;
}
