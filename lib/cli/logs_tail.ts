/**
 * @module
 * The last events of the execution log, printed: all of `logs` but `--follow` and `--run`.
 * Light on imports (no config, no KV), as the fast path runs it without commander.
 */

import { UsageError } from "../errors.ts";
import {
  type EventFilter,
  parseWhen,
  readEvents,
  STATUS_EVENTS,
  type StatusName,
} from "../log/reader.ts";
import type { LogEvent } from "../log/writer.ts";
import type { Colors } from "../ui/color.ts";
import { escapeControls } from "../ui/escape.ts";
import { formatCost, formatDuration, localTime } from "../ui/duration.ts";
import type { Output } from "../ui/output.ts";
import { describeMissed } from "../ui/missed.ts";
import type { Deps } from "./deps.ts";

/** The options of `logs` that choose and print events. */
export interface TailOptions {
  tail?: string | undefined;
  task?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  status?: string | undefined;
  json: boolean;
}

/** Which events to read: the filter, and how many of the last ones (undefined: all). */
export interface TailPlan {
  filter: EventFilter;
  tail: number | undefined;
}

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

/** One event as a line for a person. Pure. */
export function renderEvent(e: LogEvent, c: Colors): string {
  const when = localTime(e.ts);
  const task = e.task ?? "-";
  const run = e.run_id ? c.dim(` (run ${e.run_id})`) : "";
  const took = typeof e.duration_ms === "number" ? ` in ${formatDuration(e.duration_ms)}` : "";
  const cost = e.cost_usd === undefined ? "" : ` · ${formatCost(e.cost_usd)}`;
  const error = e.error ? `: ${oneLine(e.error.replace(/\s+/g, " ").slice(0, 300))}` : "";
  switch (e.event) {
    case "task_queued":
      return `${when}  · ${task} queued${e.position ? ` at position ${e.position}` : ""}${run}`;
    case "task_started":
      return `${when}  ▶ ${task} started${e.pid ? `, claude pid ${e.pid}` : ""}${run}`;
    case "task_completed":
      return `${when}  ${c.green("✓")} ${task} ${c.green("succeeded")}${took}${cost}${run}`;
    case "task_failed":
      return `${when}  ${c.red("✗")} ${task} ${c.red("failed")}${took}${cost}${error}${run}`;
    case "task_timed_out":
      return `${when}  ${c.red("✗")} ${task} ${c.yellow("timed out")}${took}${error}${run}`;
    case "task_cancelled":
      return `${when}  ${c.red("✗")} ${task} ${c.yellow("cancelled")}${took}${error}${run}`;
    case "task_lost":
      return `${when}  ${c.red("✗")} ${task} ${c.red("lost")}${error}${run}`;
    case "task_skipped":
      return `${when}  ${c.yellow("⊘")} ${task} ${c.yellow("skipped")}${error}${run}`;
    case "action_log":
      return `${when}    ${task} log: ${oneLine(String(e.message ?? ""))}${run}`;
    case "action_failed":
      return `${when}    ${task} ${c.yellow("action failed")}${error}${run}`;
    case "task_over_budget":
      return `${when}  ${c.red("✗")} ${task} ${c.red("over budget")}${took}${cost}${error}${run}`;
    case "budget_exceeded":
      return `${when}  ${c.yellow("$")} ${task} ${c.yellow("not started")}: ${
        oneLine(String(e.reason ?? "the budget is spent"))
      }${e.notify ? " (notified once for the period)" : ""}${run}`;
    case "task_deferred":
      return `${when}  ${c.yellow("⏸")} ${task} ${
        c.yellow("deferred by a usage limit")
      }${error}${run}`;
    case "task_auth_failed":
      return `${when}  ${c.red("✗")} ${task} ${c.red("could not log in")}${error}${run}`;
    case "task_retry_scheduled":
      return `${when}  ↻ ${task} retry ${Number(e.attempt) - 1}/${
        Number(e.max_attempts) - 1
      } queued for ${typeof e.at === "string" ? localTime(e.at) : "?"} as ${e.retry_run_id}${run}`;
    case "queue_held":
      return `${when}  ${c.yellow("⏸")} queue held (${e.kind})${
        typeof e.until === "string" ? ` until ${localTime(e.until)}` : " until it is fixed"
      }${run}`;
    case "queue_released":
      return `${when}  ▶ queue hold released (${e.kind}, ${e.by})`;
    case "task_removed":
      return `${when}  ${c.yellow("⊘")} ${task} removed from the queue by ${e.by}${
        typeof e.slot === "string" ? ` (its ${localTime(e.slot)} run)` : ""
      }${run}`;
    case "schedule_missed":
      return `${when}  ${c.yellow("⊘")} ${task} ${
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
      return `${when}  ${c.yellow("⊘")} ${task} ${
        typeof e.slot === "string" ? `its ${localTime(e.slot)} run ` : ""
      }${c.yellow("folded")} into the run already queued${run}`;
    case "task_overdue":
      return `${when}  ${c.red("!")} ${task} ${c.red("overdue")}: ${
        oneLine(String(e.message ?? (typeof e.slot === "string" ? localTime(e.slot) : "")))
      }`;
    case "overdue_notify_failed":
      return `${when}    ${task} ${c.yellow("overdue notification failed")}${error}`;
    case "watch_skipped":
      return `${when}  ${c.yellow("⊘")} ${task} ${c.yellow("cannot hand over")} ${
        String(e.path ?? "?")
      }: ${String(e.reason ?? "")}`;
    case "cleanup": {
      const pids = Array.isArray(e.pids) ? e.pids.join(", ") : "";
      const left = Array.isArray(e.survivors) && e.survivors.length > 0
        ? c.red(`; still running: ${e.survivors.join(", ")}`)
        : "";
      return `${when}    ${task} cleanup: killed ${pids || "nothing"}${left}${run}`;
    }
    case "runner_started":
      return `${when}  · runner started by the ${String(e.by ?? "tick")} (pid ${
        String(e.pid ?? "?")
      }): it runs the queue`;
    case "notify_sent":
      return `${when}    ${task} notified (${e.channel})${run}`;
    case "notify_failed": {
      const tries = e.attempts === 1 ? "1 try" : `${e.attempts} tries`;
      return `${when}    ${task} ${
        c.yellow("notification failed")
      } (${e.channel}, ${tries})${error}${run}`;
    }
    default: {
      const { ts: _ts, event, task: _t, run_id: _r, ...rest } = e;
      return `${when}  ${event} ${task}${
        Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : ""
      }${run}`;
    }
  }
}

/** Reads the filter flags. @throws {UsageError} */
export function filterFrom(options: TailOptions, nowMs: number): EventFilter {
  let status: StatusName | undefined;
  if (options.status !== undefined) {
    if (!(options.status in STATUS_EVENTS)) {
      throw new UsageError(`Cannot filter by status "${options.status}"`, {
        hint: `use one of: ${Object.keys(STATUS_EVENTS).join(", ")}`,
      });
    }
    status = options.status as StatusName;
  }
  return {
    task: options.task,
    status,
    since: options.since === undefined
      ? undefined
      : parseWhen(options.since, nowMs, { flag: "--since" }),
    until: options.until === undefined
      ? undefined
      : parseWhen(options.until, nowMs, { flag: "--until" }),
  };
}

/**
 * Reads the flags: the last 20 events unless `--tail`, `--since` or `--until` says otherwise.
 * @throws {UsageError} for a bad value.
 */
export function tailPlan(options: TailOptions, nowMs: number): TailPlan {
  const filter = filterFrom(options, nowMs);
  let tail: number | undefined;
  if (options.tail !== undefined) {
    tail = Number(options.tail);
    if (!Number.isInteger(tail) || tail < 0) {
      throw new UsageError(`Cannot show "${options.tail}" lines: --tail takes a whole number`, {
        hint: "for example: --tail 50",
      });
    }
  } else if (filter.since === undefined && filter.until === undefined) {
    tail = 20;
  }
  return { filter, tail };
}

/** Prints one event: as a line for a person, or as its JSON line. */
export function printEvent(out: Output, e: LogEvent, options: { json: boolean }): void {
  if (options.json) out.jsonLine(e);
  else out.line(renderEvent(e, out.color));
}

/** Reads the events `plan` chooses and prints them; returns them. */
export async function printTail(
  deps: Deps,
  plan: TailPlan,
  options: { json: boolean },
): Promise<LogEvent[]> {
  const events = plan.tail === 0
    ? []
    : await readEvents(deps.paths, plan.filter, { tail: plan.tail });
  for (const e of events) printEvent(deps.out, e, options);
  return events;
}

/** `logs` without `--follow` and `--run`. @throws {UsageError} for a bad flag value. */
export async function logsTailCommand(deps: Deps, options: TailOptions): Promise<number> {
  const events = await printTail(deps, tailPlan(options, deps.clock.now()), options);
  if (events.length === 0 && !options.json) deps.out.error("no matching events");
  return 0;
}
