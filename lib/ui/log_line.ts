/**
 * @module
 * The execution log's events in words, as `logs`, the terminal dashboard's log view and the web
 * dashboard's Logs page say them. Pure.
 */

import type { LogEvent } from "../log/writer.ts";
import type { Colors } from "./color.ts";
import { formatCost, formatDuration, localTime } from "./duration.ts";
import { escapeControls } from "./escape.ts";
import { describeMissed } from "./missed.ts";

/** Text from a record, kept on its one line: newlines and tabs escaped too. */
function oneLine(text: string): string {
  return escapeControls(text);
}

/** "; newest 2026-12-01 07:00 CET (folded)": the newest slot a schedule_missed event lists. */
function newestMissed(e: LogEvent): string {
  const slots = Array.isArray(e.slots) ? e.slots : [];
  const last: unknown = slots.at(-1);
  if (typeof last !== "object" || last === null) return "";
  const { slot, reason } = last as { slot?: unknown; reason?: unknown };
  if (typeof slot !== "string") return "";
  return `; newest ${localTime(slot)}${typeof reason === "string" ? ` (${reason})` : ""}`;
}

/** One event as a line for a person: its local time, then `eventText`. Pure. */
export function renderEvent(e: LogEvent, c: Colors): string {
  return `${localTime(e.ts)}  ${eventText(e, c)}`;
}

/**
 * What an event says, without its time: a mark, the task and the words ("✓ daily succeeded in
 * 42.0s · $0.01 (run ...)"). `run: false` leaves out the run id and `error: false` the error
 * text, for a face that shows them apart (the web dashboard's log). Pure.
 */
export function eventText(
  e: LogEvent,
  c: Colors,
  options: { run?: boolean; error?: boolean } = {},
): string {
  const task = e.task ?? "-";
  const run = e.run_id && options.run !== false ? c.dim(` (run ${e.run_id})`) : "";
  const took = typeof e.duration_ms === "number" ? ` in ${formatDuration(e.duration_ms)}` : "";
  const cost = e.cost_usd === undefined ? "" : ` · ${formatCost(e.cost_usd)}`;
  const error = e.error && options.error !== false
    ? `: ${oneLine(e.error.replace(/\s+/g, " ").slice(0, 300))}`
    : "";
  switch (e.event) {
    case "task_queued":
      return `· ${task} queued${e.position ? ` at position ${e.position}` : ""}${run}`;
    case "task_started":
      return `▶ ${task} started${e.pid ? `, claude pid ${e.pid}` : ""}${run}`;
    case "task_completed":
      return `${c.green("✓")} ${task} ${c.green("succeeded")}${took}${cost}${run}`;
    case "task_failed":
      return `${c.red("✗")} ${task} ${c.red("failed")}${took}${cost}${error}${run}`;
    case "task_timed_out":
      return `${c.red("✗")} ${task} ${c.yellow("timed out")}${took}${error}${run}`;
    case "task_cancelled":
      return `${c.red("✗")} ${task} ${c.yellow("cancelled")}${took}${error}${run}`;
    case "task_lost":
      return `${c.red("✗")} ${task} ${c.red("lost")}${error}${run}`;
    case "task_skipped":
      return `${c.yellow("⊘")} ${task} ${c.yellow("skipped")}${error}${run}`;
    case "action_log":
      return `  ${task} log: ${oneLine(String(e.message ?? ""))}${run}`;
    case "action_failed":
      return `  ${task} ${c.yellow("action failed")}${error}${run}`;
    case "task_over_budget":
      return `${c.red("✗")} ${task} ${c.red("over budget")}${took}${cost}${error}${run}`;
    case "budget_exceeded":
      return `${c.yellow("$")} ${task} ${c.yellow("not started")}: ${
        oneLine(String(e.reason ?? "the budget is spent"))
      }${e.notify ? " (notified once for the period)" : ""}${run}`;
    case "task_deferred":
      return `${c.yellow("⏸")} ${task} ${c.yellow("deferred by a usage limit")}${error}${run}`;
    case "task_auth_failed":
      return `${c.red("✗")} ${task} ${c.red("could not log in")}${error}${run}`;
    case "task_retry_scheduled":
      return `↻ ${task} retry ${Number(e.attempt) - 1}/${Number(e.max_attempts) - 1} queued for ${
        typeof e.at === "string" ? localTime(e.at) : "?"
      } as ${e.retry_run_id}${run}`;
    case "queue_held":
      return `${c.yellow("⏸")} queue held (${e.kind})${
        typeof e.until === "string" ? ` until ${localTime(e.until)}` : " until it is fixed"
      }${run}`;
    case "queue_released":
      return `▶ queue hold released (${e.kind}, ${e.by})`;
    case "task_removed":
      return `${c.yellow("⊘")} ${task} removed from the queue by ${e.by}${
        typeof e.slot === "string" ? ` (its ${localTime(e.slot)} run)` : ""
      }${run}`;
    case "schedule_missed":
      return `${c.yellow("⊘")} ${task} ${
        c.yellow(
          describeMissed({
            missed: Number(e.missed ?? 0),
            caught_up: Number(e.caught_up ?? 0),
            more: e.more === true,
            reasons: typeof e.reasons === "object" && e.reasons !== null
              ? e.reasons as Record<string, number>
              : undefined,
          }),
        )
      }${typeof e.catch_up === "string" ? ` (catch_up: ${e.catch_up})` : ""}${newestMissed(e)}`;
    case "schedule_folded":
      return `${c.yellow("⊘")} ${task} ${
        typeof e.slot === "string" ? `its ${localTime(e.slot)} run ` : ""
      }${c.yellow("folded")} into the run already queued${run}`;
    case "task_overdue":
      return `${c.red("!")} ${task} ${c.red("overdue")}: ${
        oneLine(String(e.message ?? (typeof e.slot === "string" ? localTime(e.slot) : "")))
      }`;
    case "overdue_notify_failed":
      return `  ${task} ${c.yellow("overdue notification failed")}${error}`;
    case "watch_skipped":
      return `${c.yellow("⊘")} ${task} ${c.yellow("cannot hand over")} ${String(e.path ?? "?")}: ${
        String(e.reason ?? "")
      }`;
    case "cleanup": {
      const pids = Array.isArray(e.pids) ? e.pids.join(", ") : "";
      const left = Array.isArray(e.survivors) && e.survivors.length > 0
        ? c.red(`; still running: ${e.survivors.join(", ")}`)
        : "";
      return `  ${task} cleanup: killed ${pids || "nothing"}${left}${run}`;
    }
    case "runner_started":
      return `· runner started by the ${String(e.by ?? "tick")} (pid ${
        String(e.pid ?? "?")
      }): it runs the queue`;
    case "notify_sent":
      return `  ${task} notified (${e.channel})${run}`;
    case "notify_failed": {
      const tries = e.attempts === 1 ? "1 try" : `${e.attempts} tries`;
      return `  ${task} ${c.yellow("notification failed")} (${e.channel}, ${tries})${error}${run}`;
    }
    default: {
      const { ts: _ts, event, task: _t, run_id: _r, ...rest } = e;
      return `${event} ${task}${
        Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ""
      }${run}`;
    }
  }
}
