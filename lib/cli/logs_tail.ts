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
import { renderEvent } from "../ui/log_line.ts";
import type { Output } from "../ui/output.ts";
import type { Deps } from "./deps.ts";

/** The words of each event live in lib/ui/log_line.ts (the web dashboard says them too). */
export { renderEvent };

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
