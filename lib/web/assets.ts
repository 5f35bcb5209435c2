/**
 * @module
 * The pages' one stylesheet and one script, served from this module (no file beside the binary,
 * nothing from elsewhere: the dashboard works offline and under a CSP of 'self').
 *
 * The script knows no page; pages ask for behaviour with attributes:
 * - `data-post="/api/..."` on a button: a click POSTs `data-body` (JSON, default `{}`) with the
 *   token (from `<meta name="clodputer-token">`) and shows the answer's `message` (or its
 *   error's message and hint) in `#flash`; `data-confirm="..."` asks first. With
 *   `data-body-from="<css selector>"`, the named inputs' non-empty values join the body by name.
 * - `data-live="/fragments/..."` on an element: its content is fetched again from that path and
 *   replaced when an event named in `data-live-on` (space-separated: run-started run-progress
 *   run-finished queue hold pause) arrives on `/api/events`, at most about four times a second.
 * `#live-state` shows whether the event stream is connected (`data-state`: on, off).
 */

import type { Route } from "./context.ts";
import { response } from "./context.ts";

/** The stylesheet. */
export const APP_CSS = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --muted: #6e6e73; --line: #d2d2d7;
  --ok: #1a7f37; --fail: #cf222e; --warn: #9a6700; --skip: #8c959f; --accent: #0969da;
  --cell: #ebedf0; }
@media (prefers-color-scheme: dark) { :root { --fg: #f5f5f7; --bg: #161618; --muted: #a1a1a6;
  --line: #3a3a3c; --ok: #3fb950; --fail: #f85149; --warn: #d29922; --skip: #6e7681;
  --accent: #58a6ff; --cell: #2d333b; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 -apple-system, BlinkMacSystemFont, "Segoe UI", sans-serif;
  color: var(--fg); background: var(--bg); }
header.top { display: flex; gap: 1.5em; align-items: center; padding: .6em 1.2em;
  border-bottom: 1px solid var(--line); }
header.top .brand { font-weight: 600; color: inherit; text-decoration: none; }
header.top nav a { margin-right: 1em; color: var(--muted); text-decoration: none; }
header.top nav a[aria-current="page"] { color: var(--fg); font-weight: 600; }
.live-state { margin-left: auto; width: .6em; height: .6em; border-radius: 50%;
  background: var(--skip); }
.live-state[data-state="on"] { background: var(--ok); }
main { padding: 1em 1.2em; max-width: 72em; }
h1 { font-size: 1.4em; margin: .2em 0 .6em; } h2 { font-size: 1.1em; margin: 1.4em 0 .5em; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3em .6em; border-bottom: 1px solid var(--line);
  vertical-align: top; }
th { color: var(--muted); font-weight: 500; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
a { color: var(--accent); }
code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--cell); padding: .6em;
  border-radius: 6px; margin: .3em 0; }
.muted, .hint { color: var(--muted); }
.ok { color: var(--ok); } .fail { color: var(--fail); } .warn { color: var(--warn); }
button { font: inherit; padding: .3em .9em; border-radius: 6px; border: 1px solid var(--line);
  background: var(--bg); color: var(--fg); cursor: pointer; }
button:hover { border-color: var(--accent); }
button.danger { color: var(--fail); }
.flash { margin: .6em 1.2em 0; padding: .5em .8em; border-radius: 6px; background: var(--cell); }
.flash[data-kind="error"] { color: var(--fail); }
.error-page { padding: 2em; }

/* ---- the task page (lib/web/pages/task.ts) ---- */
.task-head { display: flex; align-items: center; gap: 1em; flex-wrap: wrap; }
.task-head h1 { margin-right: auto; }
.badge { font-size: .6em; font-weight: 500; padding: .15em .5em; border-radius: 1em;
  border: 1px solid var(--line); color: var(--muted); vertical-align: middle; }
.badge[data-state="enabled"] { color: var(--ok); }
.badge[data-state="invalid"] { color: var(--fail); }
.run-now input { font: inherit; padding: .25em .4em; margin-right: .4em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3em 1em; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
ul.plain { list-style: none; margin: 0; padding: 0; }
svg.calendar { display: block; max-width: 100%; height: auto; }
svg.calendar text { font-size: 9px; fill: var(--muted); }
.cal-none { fill: var(--cell); } .cal-ok { fill: var(--ok); } .cal-failed { fill: var(--fail); }
.cal-mixed { fill: var(--warn); } .cal-skipped { fill: var(--skip); }
.cal-key { display: inline-block; width: .8em; height: .8em; border-radius: 2px;
  margin-left: .6em; vertical-align: -.05em; }
.cal-key.cal-none { background: var(--cell); } .cal-key.cal-ok { background: var(--ok); }
.cal-key.cal-failed { background: var(--fail); } .cal-key.cal-mixed { background: var(--warn); }
.cal-key.cal-skipped { background: var(--skip); }
.paging a { margin-right: 1em; }
/* ---- end of the task page ---- */
`;

/** The script (an ES module; no inline script anywhere, as the CSP forbids it). */
export const APP_JS = `
const token = document.querySelector('meta[name="clodputer-token"]')?.content ?? "";
const flash = document.getElementById("flash");

function say(text, kind) {
  if (!flash) return;
  flash.textContent = text;
  flash.dataset.kind = kind;
  flash.hidden = false;
}

// data-body, plus the non-empty values of the inputs data-body-from names, by their names.
function bodyOf(button) {
  const body = JSON.parse(button.dataset.body ?? "{}");
  const from = button.dataset.bodyFrom;
  if (from) for (const input of document.querySelectorAll(from)) if (input.name && input.value) body[input.name] = input.value;
  return JSON.stringify(body);
}

async function post(button) {
  const question = button.dataset.confirm;
  if (question && !window.confirm(question)) return;
  button.disabled = true;
  try {
    const res = await fetch(button.dataset.post, {
      method: "POST",
      headers: { "authorization": "Bearer " + token, "content-type": "application/json" },
      body: bodyOf(button),
    });
    const body = await res.json().catch(() => ({}));
    if (res.ok) say(body.message ?? "Done.", "ok");
    else say((body.error?.message ?? res.statusText) + (body.error?.hint ? " (" + body.error.hint + ")" : ""), "error");
    refreshAll();
  } catch (error) {
    say(String(error), "error");
  } finally {
    button.disabled = false;
  }
}

document.addEventListener("click", (event) => {
  const button = event.target instanceof Element ? event.target.closest("[data-post]") : null;
  if (button) {
    event.preventDefault();
    post(button);
  }
});

const pending = new Map();

async function refresh(region) {
  const res = await fetch(region.dataset.live, { headers: { "authorization": "Bearer " + token } });
  if (!res.ok) return;
  const text = await res.text();
  // The fragment is this server's HTML, built with every outside value escaped.
  region.innerHTML = text;
  region.dispatchEvent(new CustomEvent("clodputer:refreshed", { bubbles: true }));
}

function schedule(region) {
  if (pending.has(region)) return;
  pending.set(region, window.setTimeout(() => {
    pending.delete(region);
    refresh(region).catch(() => {});
  }, 250));
}

function refreshAll() {
  for (const region of document.querySelectorAll("[data-live]")) schedule(region);
}

const regions = document.querySelectorAll("[data-live]");
if (regions.length > 0) {
  const state = document.getElementById("live-state");
  const source = new EventSource("/api/events");
  source.onopen = () => { if (state) state.dataset.state = "on"; };
  source.onerror = () => { if (state) state.dataset.state = "off"; };
  const kinds = new Set();
  for (const region of regions) {
    for (const kind of (region.dataset.liveOn ?? "").split(/\\s+/)) if (kind) kinds.add(kind);
  }
  for (const kind of kinds) {
    source.addEventListener(kind, () => {
      for (const region of document.querySelectorAll("[data-live]")) {
        if ((region.dataset.liveOn ?? "").split(/\\s+/).includes(kind)) schedule(region);
      }
    });
  }
  window.addEventListener("pagehide", () => source.close());
}
`;

/** The assets' routes. */
export function assetRoutes(): Route[] {
  return [
    {
      method: "GET",
      path: "/assets/app.css",
      handle: () => response(APP_CSS, { type: "text/css; charset=utf-8" }),
    },
    {
      method: "GET",
      path: "/assets/app.js",
      handle: () => response(APP_JS, { type: "text/javascript; charset=utf-8" }),
    },
  ];
}
