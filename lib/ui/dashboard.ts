/**
 * @module
 * How `clodputer dashboard` looks: a pure function of its state and the terminal's size that
 * returns exactly `rows` lines, each at most `columns` cells wide. Plain text, no escapes.
 */

import { describeOutcome } from "../run/describe.ts";
import type { LiveRun } from "../run/live.ts";
import type { StatusView } from "../status/read.ts";
import type { QueueItem } from "../state/types.ts";
import { costPlaces, formatCost, formatDuration, formatTokens, localTime } from "./duration.ts";
import { holdLines } from "./hold.ts";
import { describePause } from "./pause.ts";

/** Which screen is shown. */
export type DashboardView =
  | { kind: "main" }
  | {
    kind: "picker";
    /** The tasks it offers. */
    names: string[];
    /** The folder-watch tasks it leaves out: a run of one needs a file. */
    needFile?: string[];
    index: number;
  }
  | { kind: "log"; lines: string[] }
  | { kind: "confirm_cancel"; task: string; run_id: string };

/** Everything the dashboard shows. */
export interface DashboardState {
  /** Epoch ms of this frame. */
  now: number;
  /** The machine's zone for the header's clock ("UTC+1": `zoneLabel()`); none in some tests. */
  zone?: string | undefined;
  /** null until the first read. */
  status: StatusView | null;
  queue: QueueItem[];
  live: LiveRun | null;
  view: DashboardView;
  /** The answer to the last key (what was started, cancelled, paused), or a refresh error. */
  message: string | null;
}

/** The terminal's size. */
export interface ScreenSize {
  columns: number;
  rows: number;
}

const KEYS_MAIN = "q quit · r run a task · c cancel · p pause/resume · l log";

/** The dashboard's lines: exactly `rows` of them, none wider than `columns`. */
export function renderDashboard(state: DashboardState, size: ScreenSize): string[] {
  const columns = Math.max(0, Math.floor(size.columns));
  const rows = Math.max(0, Math.floor(size.rows));
  const top = [header(state, columns), "─".repeat(columns)];
  let body: string[];
  let footer: string[];
  switch (state.view.kind) {
    case "main":
      body = mainBody(state);
      footer = [KEYS_MAIN];
      break;
    case "confirm_cancel":
      body = mainBody(state);
      footer = [
        `Cancel ${state.view.task} (run ${state.view.run_id})? y: cancel it · any other key: keep it`,
      ];
      break;
    case "picker":
      body = pickerBody(state.view, Math.max(0, rows - top.length - 2));
      footer = ["↑/↓ or j/k choose · Enter run · Esc back"];
      break;
    case "log":
      body = logBody(state.view.lines, Math.max(0, rows - top.length - 2));
      footer = ["execution log, following · any key: back"];
      break;
  }
  if (state.message !== null && state.view.kind !== "confirm_cancel") {
    footer = [state.message, ...footer];
  }
  const room = Math.max(0, rows - footer.length);
  const lines = [...top, ...body].slice(0, room);
  while (lines.length < room) lines.push("");
  lines.push(...footer);
  return lines.slice(0, rows).map((line) => fit(line, columns));
}

function header(state: DashboardState, columns: number): string {
  const left = "clodputer dashboard";
  const paused = state.status?.queue.paused ? " · PAUSED" : "";
  const clock = localTime(new Date(state.now).toISOString());
  const right = state.zone ? `${clock} ${state.zone}` : clock;
  const title = left + paused;
  const gap = columns - width(title) - width(right);
  return gap >= 1 ? title + " ".repeat(gap) + right : title;
}

function mainBody(state: DashboardState): string[] {
  const s = state.status;
  if (!s) return ["reading the state…"];
  const lines: string[] = [];
  const r = s.runner;
  switch (r.state) {
    case "idle":
      lines.push("runner    idle");
      break;
    case "busy":
      lines.push(`runner    between tasks (pid ${r.pid})`);
      break;
    case "running": {
      lines.push(
        `runner    running ${r.task} for ${formatDuration(r.elapsed_ms)} · run ${r.run_id} · ` +
          `claude pid ${r.claude_pid ?? "?"}`,
      );
      const live = state.live?.run_id === r.run_id ? state.live : null;
      if (live) {
        lines.push(`          turn ${live.turns} · ${live.activity}`);
        lines.push(
          `          tokens ${formatTokens(live.tokens_in)} in, ${
            formatTokens(live.tokens_out)
          } out · cost so far ${
            live.cost_usd === null ? "not reported until the result" : formatCost(live.cost_usd)
          }`,
        );
      } else {
        lines.push("          waiting for claude's first output");
      }
      break;
    }
    case "dead":
      lines.push(`runner    dead (pid ${r.pid}): ${r.reason}; the next clodputer run recovers`);
      break;
  }
  const q = s.queue;
  lines.push(
    `queue     ${
      q.queued === 0 ? "empty" : `${q.queued} queued${q.high > 0 ? ` (${q.high} high)` : ""}`
    }${q.paused ? ` · ${describePause(q.paused)}` : ""}`,
  );
  for (const h of holdLines(q, s.today.date)) lines.push(`${h.label.padEnd(10)}${h.text}`);
  if (s.attention) {
    const a = s.attention;
    lines.push(
      `failed    ${a.failed} run${a.failed === 1 ? "" : "s"} since ${
        localTime(a.since)
      }, the last ${a.last.task} (run ${a.last.id}); clodputer ack when seen`,
    );
  }
  for (const o of s.overdue) lines.push(`overdue   ${o.message} (clodputer doctor says why)`);
  const t = s.today;
  // As status says it: the skipped count too, and the runs below rounded alike.
  const places = costPlaces([t.cost_usd, ...s.recent.map((r) => r.cost_usd)]);
  lines.push(
    `today     ${t.succeeded} succeeded, ${t.failed} failed${
      t.skipped > 0 ? `, ${t.skipped} skipped` : ""
    } · ${formatCost(t.cost_usd, places)}`,
  );
  lines.push(`schedule  ${scheduler(s)}`);
  const w = s.watcher;
  lines.push(
    `watcher   ${
      w.state === "running"
        ? `running (pid ${w.pid}${w.info ? `, ${w.info.folders.length} folder(s)` : ""})`
        : w.state === "stale"
        ? `not running (stale watcher.pid names ${w.pid})`
        : "not running"
    }`,
  );
  lines.push("");
  if (state.queue.length === 0) {
    lines.push("QUEUE  empty");
  } else {
    lines.push(`QUEUE  ${state.queue.length}`);
    const shown = state.queue.slice(0, 5);
    lines.push(
      ...columnsOf(shown.map((item, i) => [
        `${i + 1}.`,
        item.task,
        item.priority,
        item.trigger.type,
        `queued ${localTime(item.enqueued_at)}`,
        item.id,
      ])).map((l) => `  ${l}`),
    );
    if (state.queue.length > shown.length) {
      lines.push(`  … and ${state.queue.length - shown.length} more`);
    }
  }
  lines.push("");
  if (s.recent.length === 0) {
    lines.push("RECENT RUNS  none yet (r runs a task)");
  } else {
    lines.push("RECENT RUNS");
    lines.push(
      ...columnsOf(s.recent.map((run) => [
        run.status === "succeeded" ? "✓" : run.status === "skipped" ? "⊘" : "✗",
        run.task,
        localTime(run.started_at),
        formatDuration(run.duration_ms),
        run.cost_usd === null ? "-" : formatCost(run.cost_usd, places),
        run.status === "succeeded" ? "succeeded" : describeOutcome(run.outcome),
      ])).map((l) => `  ${l}`),
    );
  }
  return lines;
}

function scheduler(s: StatusView): string {
  const sch = s.scheduler;
  let text = sch.backend === null
    ? "not installed"
    : sch.stale.length > 0
    ? `${sch.backend}, stale (clodputer install)`
    : `${sch.backend}, current`;
  if (sch.last_tick && sch.tick_age_ms !== null) {
    text += ` · last tick ${formatDuration(sch.tick_age_ms)} ago${
      sch.last_tick.ok ? "" : " (failed)"
    }`;
  }
  const next = sch.next[0];
  if (next) text += ` · next ${next.task} at ${localTime(next.at)}`;
  return text;
}

function pickerBody(
  view: { names: string[]; needFile?: string[]; index: number },
  room: number,
): string[] {
  const needFile = view.needFile ?? [];
  const left = needFile.length === 0 ? [] : [
    `Not here: ${needFile.join(", ")} (folder watches run on a file: ` +
    "clodputer run <task> --file <path>)",
  ];
  if (view.names.length === 0) {
    return left.length > 0
      ? left
      : ["No tasks yet: write one with clodputer new <name>, then press r again."];
  }
  const lines = ["Run which task?"];
  const fits = Math.max(1, room - 1 - left.length);
  const first = Math.min(
    Math.max(0, view.index - fits + 1),
    Math.max(0, view.names.length - fits),
  );
  view.names.slice(first, first + fits).forEach((name, i) => {
    lines.push(`${first + i === view.index ? "  > " : "    "}${name}`);
  });
  return [...lines, ...left];
}

function logBody(lines: string[], room: number): string[] {
  if (lines.length === 0) return ["The execution log is empty: nothing has run yet."];
  return lines.slice(-Math.max(1, room));
}

/** Left-aligned columns, two spaces apart (cells measured in terminal cells). */
function columnsOf(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, width(clean(cell))));
  }
  return rows.map((row) =>
    row.map((cell, i) => {
      const c = clean(cell);
      return i === row.length - 1 ? c : c + " ".repeat((widths[i] ?? 0) - width(c));
    }).join("  ")
  );
}

/** Control characters (newlines, escapes) as spaces: a line stays one line and sets no mode. */
function clean(text: string): string {
  // deno-lint-ignore no-control-regex -- exactly what must never reach the terminal raw
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, " ");
}

/** How many cells one code point takes: 0 for combining marks, 2 for wide East Asian. */
function cellWidth(ch: string): number {
  const cp = ch.codePointAt(0) ?? 0;
  if (/\p{Mn}|\p{Me}|\p{Cf}/u.test(ch)) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

/** The width of `text` in terminal cells. */
export function width(text: string): number {
  let n = 0;
  for (const ch of text) n += cellWidth(ch);
  return n;
}

/** `text` cut to at most `columns` cells (ending in "…" when cut), control characters as spaces. */
export function fit(text: string, columns: number): string {
  const flat = clean(text);
  if (width(flat) <= columns) return flat;
  if (columns <= 0) return "";
  let out = "";
  let used = 0;
  for (const ch of flat) {
    const w = cellWidth(ch);
    if (used + w > columns - 1) break;
    out += ch;
    used += w;
  }
  return out + "…";
}
