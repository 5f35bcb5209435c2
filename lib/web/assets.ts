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
 *   run-finished queue hold pause) arrives on `/api/events`, at most about four times a second
 *   (not while the page is hidden: it catches up once when shown).
 * `#live-state` shows whether the event stream is connected (`data-state`: on, off).
 */

import type { Route } from "./context.ts";
import { response } from "./context.ts";

/** The stylesheet: light and dark from the system's setting, no web font, no image. */
export const APP_CSS = `
:root { color-scheme: light dark; --fg: #1d1d1f; --bg: #fff; --panel: #f6f8fa; --muted: #6e6e73;
  --line: #d8dee4; --ok: #1a7f37; --ok-bg: #dafbe1; --fail: #cf222e; --fail-bg: #ffebe9;
  --warn: #9a6700; --warn-bg: #fff8c5; --skip: #8c959f; --skip-bg: #eaeef2; --accent: #0969da;
  --accent-bg: #ddf4ff; --cell: #ebedf0; --radius: 6px; }
@media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --bg: #0d1117; --panel: #161b22;
  --muted: #8d96a0; --line: #30363d; --ok: #3fb950; --ok-bg: #12261e; --fail: #f85149;
  --fail-bg: #2d1316; --warn: #d29922; --warn-bg: #272115; --skip: #8d96a0; --skip-bg: #21262d;
  --accent: #58a6ff; --accent-bg: #121d2f; --cell: #2d333b; } }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 -apple-system, BlinkMacSystemFont, "Segoe UI", Roboto, sans-serif;
  color: var(--fg); background: var(--bg); }
header.top { display: flex; gap: 1.5em; align-items: center; padding: .6em 1.2em;
  border-bottom: 1px solid var(--line); background: var(--panel); position: sticky; top: 0;
  z-index: 1; }
header.top .brand { font-weight: 650; color: inherit; text-decoration: none; }
header.top nav a { margin-right: 1em; color: var(--muted); text-decoration: none; }
header.top nav a:hover { color: var(--fg); }
header.top nav a[aria-current="page"] { color: var(--fg); font-weight: 600; }
.live-state { margin-left: auto; width: .6em; height: .6em; border-radius: 50%;
  background: var(--skip); }
.live-state[data-state="on"] { background: var(--ok); }
main { padding: 1em 1.2em 3em; max-width: 76em; }
h1 { font-size: 1.4em; margin: .2em 0 .6em; }
h2 { font-size: 1.05em; margin: 1.4em 0 .5em; }
h3 { font-size: .9em; margin: 1em 0 .3em; color: var(--muted); font-weight: 600; }
.card h2 { margin-top: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
p { margin: .4em 0; }

/* Tables: a light rule between rows, numbers right-aligned, long text wraps. */
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4em .6em; border-bottom: 1px solid var(--line);
  vertical-align: top; overflow-wrap: anywhere; }
th { color: var(--muted); font-weight: 500; font-size: .9em; white-space: nowrap; }
tbody tr:hover { background: var(--panel); }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.nowrap, .nowrap { white-space: nowrap; }
table.compact td, table.compact th { padding: .25em .5em; }
.table-wrap { overflow-x: auto; }

code, pre, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 12.5px; }
pre { white-space: pre-wrap; word-break: break-word; background: var(--cell); padding: .6em;
  border-radius: var(--radius); margin: .3em 0; }
code { background: var(--cell); padding: .05em .3em; border-radius: 4px; }
.muted, .hint { color: var(--muted); }
.ok { color: var(--ok); } .fail { color: var(--fail); } .warn { color: var(--warn); }
.skip { color: var(--skip); }
.detail { color: var(--muted); font-size: .9em; }
.error { color: var(--fail); white-space: pre-wrap; font-size: .9em; margin-top: .2em; }
.empty { color: var(--muted); padding: 1em; border: 1px dashed var(--line);
  border-radius: var(--radius); }

/* Outcome badges: the word, coloured; colour is never the only sign. */
.badge { display: inline-block; padding: 0 .55em; border-radius: 999px; font-size: .85em;
  line-height: 1.6; white-space: nowrap; background: var(--skip-bg); color: var(--fg);
  border: 1px solid transparent; }
.badge.ok { background: var(--ok-bg); color: var(--ok); border-color: var(--ok); }
.badge.fail { background: var(--fail-bg); color: var(--fail); border-color: var(--fail); }
.badge.warn { background: var(--warn-bg); color: var(--warn); border-color: var(--warn); }
.badge.skip { background: var(--skip-bg); color: var(--muted); border-color: var(--skip); }
.badge.run { background: var(--accent-bg); color: var(--accent); border-color: var(--accent); }

/* The overview's cards, and notices that ask for something. */
.cards { display: grid; gap: 1em; grid-template-columns: repeat(auto-fit, minmax(20em, 1fr));
  margin-bottom: 1em; }
.card { border: 1px solid var(--line); border-radius: var(--radius); padding: .8em 1em;
  background: var(--panel); min-width: 0; }
.notice { border: 1px solid var(--line); border-left-width: 4px; border-radius: var(--radius);
  padding: .5em 1em; margin: 0 0 1em; display: flex; gap: 1em; align-items: center;
  flex-wrap: wrap; }
.notice.fail { border-color: var(--fail); background: var(--fail-bg); color: var(--fg); }
.notice.warn { border-color: var(--warn); background: var(--warn-bg); color: var(--fg); }
.notice p { margin: .2em 0; flex: 1 1 20em; }
.notice.block { display: block; }
ul.plain { list-style: none; padding: 0; margin: .3em 0; }
ul.plain li { padding: .15em 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .2em 1em; margin: .5em 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
.actions { display: flex; gap: .5em; flex-wrap: wrap; }
.budget { display: grid; grid-template-columns: 1fr 8em; gap: .8em; align-items: center;
  margin: .3em 0; }
meter { width: 100%; height: .8em; }

/* A progress line for a running task: moves while it runs, still when motion is reduced. */
progress.running { appearance: none; -webkit-appearance: none; display: block; width: 100%;
  height: 3px; border: 0; border-radius: 2px; margin: .5em 0; background: var(--cell);
  overflow: hidden; color: var(--accent); }
progress.running:indeterminate { background: linear-gradient(90deg, var(--cell) 0%,
  var(--accent) 50%, var(--cell) 100%) 0 0 / 40% 100% no-repeat var(--cell);
  animation: slide 1.4s linear infinite; }
progress.running:indeterminate::-webkit-progress-bar { background: transparent; }
progress.running:indeterminate::-moz-progress-bar { background: transparent; }
@keyframes slide { from { background-position: -40% 0; } to { background-position: 140% 0; } }
@media (prefers-reduced-motion: reduce) { progress.running:indeterminate { animation: none;
  background: var(--accent); } }

/* Forms: filters in a row that wraps. */
form.filters { display: flex; gap: .8em; flex-wrap: wrap; align-items: flex-end; margin: .5em 0 1em;
  padding: .6em .8em; background: var(--panel); border: 1px solid var(--line);
  border-radius: var(--radius); }
form.filters label { display: flex; flex-direction: column; font-size: .85em; color: var(--muted);
  gap: .2em; }
input, select { font: inherit; color: var(--fg); background: var(--bg); padding: .25em .5em;
  border: 1px solid var(--line); border-radius: var(--radius); }
input:focus, select:focus, button:focus-visible, a:focus-visible { outline: 2px solid var(--accent);
  outline-offset: 1px; }
button { font: inherit; padding: .3em .9em; border-radius: var(--radius);
  border: 1px solid var(--line); background: var(--bg); color: var(--fg); cursor: pointer; }
button:hover { border-color: var(--accent); }
button:disabled { opacity: .6; cursor: progress; }
button.danger { color: var(--fail); }
button.danger:hover { border-color: var(--fail); }
.pager { margin: .8em 0; }
table.log td:first-child { color: var(--muted); font-variant-numeric: tabular-nums; }

.flash { margin: .6em 1.2em 0; padding: .5em .8em; border-radius: var(--radius);
  background: var(--ok-bg); border: 1px solid var(--ok); }
.flash[data-kind="error"] { color: var(--fail); background: var(--fail-bg); border-color: var(--fail); }
.error-page { padding: 2em; }

/* ---- a run (lib/web/pages/run.ts) and cost (lib/web/pages/cost.ts, lib/web/svg.ts) ---- */
dl.facts, dl.figures { display: flex; flex-wrap: wrap; gap: .4em 2em; margin: .6em 0; }
dl.facts dt, dl.figures dt { color: var(--muted); font-size: .85em; }
dl.facts dd, dl.figures dd { margin: 0; }
.outcome { font-weight: 600; } .outcome.running { color: var(--accent); }
.warnings { padding-left: 1.2em; }
.prose { white-space: pre-wrap; word-break: break-word; }
.result.prose { padding: .6em; border-left: 3px solid var(--ok); background: var(--cell);
  border-radius: 0 6px 6px 0; } .result.prose.fail { border-left-color: var(--fail); }
ol.transcript { list-style: none; padding: 0; margin: .4em 0; }
.entry { padding: .45em .6em; margin: .35em 0; border-left: 3px solid var(--line); }
.entry .label { font-weight: 600; font-size: .85em; color: var(--muted); }
.entry.text { border-left-color: var(--accent); } .entry.thinking { opacity: .75; }
.entry.tool_use { border-left-color: var(--warn); }
.entry.tool_result summary { cursor: pointer; color: var(--muted); }
.entry.fail { border-left-color: var(--fail); } .entry.fail .label,
.entry.tool_result.fail summary { color: var(--fail); }
.entry.result.ok { border-left-color: var(--ok); color: var(--fg); }
.entry.system { font-size: .9em; color: var(--muted); }
.cut { font-size: .85em; }
form.filters { display: flex; flex-wrap: wrap; gap: .6em 1.2em; align-items: center;
  margin: .4em 0 1em; }
form.filters input { font: inherit; padding: .25em .5em; border: 1px solid var(--line);
  border-radius: 6px; background: var(--bg); color: var(--fg); }
svg.chart { display: block; max-width: 100%; height: auto; margin: .4em 0; }
svg.chart .bar { fill: var(--accent); } svg.chart .bar.over { fill: var(--fail); }
svg.chart .bar:hover { opacity: .75; }
svg.chart .grid { stroke: var(--line); stroke-width: .5; }
svg.chart .baseline { stroke: var(--muted); stroke-width: 1; }
svg.chart text { fill: var(--muted); font-size: 11px; }
svg.chart .budget line { stroke: var(--warn); stroke-width: 1.5; stroke-dasharray: 6 4; }
svg.chart .budget text { fill: var(--warn); paint-order: stroke; stroke: var(--bg);
  stroke-width: 3px; }
/* ---- end of run and cost ---- */
@media (max-width: 40em) { main { padding: .8em; } header.top { flex-wrap: wrap; gap: .6em; }
  .budget { grid-template-columns: 1fr; } }
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

// While the page is hidden nothing is fetched; it catches up once when it is shown again.
let stale = false;

function schedule(region) {
  if (document.hidden) {
    stale = true;
    return;
  }
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
  document.addEventListener("visibilitychange", () => {
    if (!document.hidden && stale) {
      stale = false;
      refreshAll();
    }
  });
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
