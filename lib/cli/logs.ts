/**
 * @module
 * `clodputer logs`: the execution log as lines for people (coloured on a terminal) or as raw
 * JSON lines; `--tail`, `--follow`, `--task`, `--since`, `--until`, `--status`, `--run`.
 */

import { UsageError } from "../errors.ts";
import {
  type EventFilter,
  followEvents,
  matchesFilter,
  parseWhen,
  readEvents,
  STATUS_EVENTS,
  type StatusName,
} from "../log/reader.ts";
import type { LogEvent } from "../log/writer.ts";
import type { Colors } from "../ui/color.ts";
import { formatCost, formatDuration, localTime } from "../ui/duration.ts";
import type { Deps } from "./deps.ts";

/** Options of `logs`. */
export interface LogsOptions {
  tail?: string | undefined;
  follow: boolean;
  task?: string | undefined;
  since?: string | undefined;
  until?: string | undefined;
  status?: string | undefined;
  run?: string | undefined;
  json: boolean;
}

/** One event as a line for a person. Pure. */
export function renderEvent(e: LogEvent, c: Colors): string {
  const when = localTime(e.ts);
  const task = e.task ?? "-";
  const run = e.run_id ? c.dim(` (run ${e.run_id})`) : "";
  const took = typeof e.duration_ms === "number" ? ` in ${formatDuration(e.duration_ms)}` : "";
  const cost = e.cost_usd === undefined ? "" : ` · ${formatCost(e.cost_usd)}`;
  const error = e.error ? `: ${e.error.replace(/\s+/g, " ").slice(0, 300)}` : "";
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
    case "cleanup": {
      const pids = Array.isArray(e.pids) ? e.pids.join(", ") : "";
      const left = Array.isArray(e.survivors) && e.survivors.length > 0
        ? c.red(`; still running: ${e.survivors.join(", ")}`)
        : "";
      return `${when}    ${task} cleanup: killed ${pids || "nothing"}${left}${run}`;
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
export function filterFrom(options: LogsOptions, nowMs: number): EventFilter {
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
    since: options.since === undefined ? undefined : parseWhen(options.since, nowMs, "--since"),
    until: options.until === undefined ? undefined : parseWhen(options.until, nowMs, "--until"),
  };
}

/** `logs`. */
export async function logsCommand(deps: Deps, options: LogsOptions): Promise<number> {
  if (options.run !== undefined) {
    const { showCommand } = await import("./show.ts");
    return await showCommand(deps, options.run, { json: options.json });
  }
  const { out, clock, paths } = deps;
  const filter = filterFrom(options, clock.now());
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
  const print = (
    e: LogEvent,
  ) => (options.json ? out.line(JSON.stringify(e)) : out.line(renderEvent(e, out.color)));
  // Where following starts is taken before the tail is read, so nothing written in between is
  // missed; what the tail printed already is skipped.
  const followFrom = options.follow ? await Deno.stat(paths.log).then((s) => s.size, () => 0) : 0;
  const events = tail === 0 ? [] : await readEvents(paths, filter, { tail });
  const printed = new Set(events.map((e) => JSON.stringify(e)));
  for (const e of events) print(e);
  if (!options.follow) {
    if (events.length === 0 && !options.json) out.error("no matching events");
    return 0;
  }
  // Follow until SIGINT/SIGTERM/SIGHUP; the log may rotate meanwhile.
  const { loadGlobalConfig } = await import("../config/load.ts");
  await loadGlobalConfig(paths, deps.env); // fail early on a bad config, as every command does
  const stop = new AbortController();
  const remove = deps.onSignal(() => stop.abort());
  try {
    const follow = followEvents(paths, clock, {
      signal: stop.signal,
      fromEnd: true,
      fromOffset: followFrom,
    });
    for await (const e of follow) {
      if (filter.until !== undefined && Date.parse(e.ts) >= filter.until) break;
      if (matchesFilter(e, filter) && !printed.has(JSON.stringify(e))) print(e);
    }
  } finally {
    remove();
  }
  return 0;
}
