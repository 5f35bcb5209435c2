/**
 * @module
 * The dead-man's switch, as pure decisions: which slot of a scheduled task is owed by now (its
 * most recent slot older than the task's timeout plus a grace), whether something ran for it,
 * and the words of the alarm. No croner here: the slot functions are passed in, so `status`
 * loads croner only when a slot has to be worked out (see overdue_check.ts).
 */

import type { OwedMemo } from "../state/store/overdue.ts";
import { wallClock } from "../sys/zoned.ts";
import type { nextRuns, slotsBetween } from "../config/cron_expr.ts";

export type { OwedMemo };

/** A slot is owed this long after its run's timeout has passed (the run could still be going). */
export const OVERDUE_GRACE_MS = 10 * 60_000;

/** The timeout assumed for a task whose file the tick read before timeouts were kept. */
export const UNKNOWN_TIMEOUT_MS = 3600_000;

/** The slot functions of cron_expr.ts (passed in, so this module loads no croner). */
export interface SlotFunctions {
  slotsBetween: typeof slotsBetween;
  nextRuns: typeof nextRuns;
}

/** What decides a task's owed slot. */
export interface OwedInput {
  expression: string;
  timezone: string | null;
  /** The task's timeout (ms): a run of the slot may take this long. */
  timeoutMs: number;
  /** Nothing is owed from before this (ms): scheduling started, or the file last changed. */
  owedFromMs: number;
}

/** The grace after a slot: the task's timeout plus OVERDUE_GRACE_MS. */
export function graceMs(timeoutMs: number): number {
  return timeoutMs + OVERDUE_GRACE_MS;
}

/** The identity of the inputs of an owed slot. */
export function owedKey(input: OwedInput): string {
  return [input.expression, input.timezone ?? "local", input.timeoutMs, input.owedFromMs].join(
    "|",
  );
}

/** True when `memo` was worked out from `input` and still holds at `nowMs`. */
export function memoHolds(
  memo: OwedMemo | undefined,
  input: OwedInput,
  nowMs: number,
): boolean {
  if (memo === undefined || memo.key !== owedKey(input)) return false;
  if (Date.parse(memo.at) > nowMs) return false; // the clock went back
  return memo.until === null || nowMs < Date.parse(memo.until);
}

/**
 * Works out the owed slot at `nowMs`: the most recent slot S after `owedFromMs` with
 * S + grace <= now, and until when that answer holds (the next slot plus the grace).
 * @example
 * ```ts
 * import { owedSlot } from "./overdue_rules.ts";
 * import { nextRuns, slotsBetween } from "../config/cron_expr.ts";
 * const memo = owedSlot(
 *   { expression: "0 8 * * *", timezone: "UTC", timeoutMs: 60_000, owedFromMs: Date.parse("2026-11-26T07:00:00Z") },
 *   Date.parse("2026-11-26T09:00:00Z"),
 *   { slotsBetween, nextRuns },
 * );
 * console.assert(memo.slot === "2026-11-26T08:00:00.000Z");
 * ```
 */
export function owedSlot(input: OwedInput, nowMs: number, cron: SlotFunctions): OwedMemo {
  const grace = graceMs(input.timeoutMs);
  const latest = nowMs - grace;
  const timezone = input.timezone ?? undefined;
  let slot: Date | undefined;
  if (latest > input.owedFromMs) {
    slot = cron.slotsBetween(input.expression, {
      timezone,
      after: new Date(input.owedFromMs),
      until: new Date(latest),
      max: 1,
    }).slots.at(-1);
  }
  const next = cron.nextRuns(input.expression, {
    timezone,
    from: new Date(Math.max(input.owedFromMs, latest)),
    count: 1,
  })[0];
  return {
    key: owedKey(input),
    slot: slot?.toISOString() ?? null,
    at: new Date(nowMs).toISOString(),
    until: next ? new Date(next.getTime() + grace).toISOString() : null,
    ran: false,
  };
}

/** A task that did not run a slot it owed. */
export interface OverdueAlarm {
  task: string;
  /** The slot (ISO). */
  slot: string;
  timezone: string | null;
  /** The last tick before the alarm (ISO), if any. */
  last_tick: string | null;
  /** For people: `daily-email did not run at 08:00; last tick 07:12`. */
  message: string;
}

/**
 * What ran: run starts by task, the tasks with an item queued or running, and the latest slot
 * whose queued run a person removed, by task.
 */
export interface RunEvidence {
  runs: { task: string; started_at: string }[];
  busy: ReadonlySet<string>;
  dismissed?: ReadonlyMap<string, string>;
}

/**
 * True when the slot is settled: a run of the task started at or after it (its scheduled run,
 * a catch-up, a run by hand), the task has an item queued or running (it will run), or a person
 * removed the queued run of this slot or a later one.
 */
export function ranSince(task: string, slot: string, evidence: RunEvidence): boolean {
  if (evidence.busy.has(task)) return true;
  const at = Date.parse(slot);
  const dismissed = evidence.dismissed?.get(task);
  if (dismissed !== undefined && Date.parse(dismissed) >= at) return true;
  return evidence.runs.some((r) => r.task === task && Date.parse(r.started_at) >= at);
}

/** The alarm for a task's slot. */
export function overdueAlarm(
  owed: { task: string; slot: string; timezone: string | null },
  options: { lastTick: string | null; nowMs: number },
): OverdueAlarm {
  const zone = owed.timezone ?? undefined;
  const when = clockTime(owed.slot, { zone, nowMs: options.nowMs });
  const tick = options.lastTick === null
    ? "no tick yet"
    : `last tick ${clockTime(options.lastTick, { zone, nowMs: options.nowMs })}`;
  return {
    task: owed.task,
    slot: owed.slot,
    timezone: owed.timezone,
    last_tick: options.lastTick,
    message: `${owed.task} did not run at ${when}${
      owed.timezone ? ` ${owed.timezone}` : ""
    }; ${tick}`,
  };
}

/** `08:00`, or `2026-11-25 08:00` when it is not the day of `nowMs` (in the same zone). */
function clockTime(iso: string, options: { zone: string | undefined; nowMs: number }): string {
  const p = wallClock(Date.parse(iso), options.zone);
  const today = wallClock(options.nowMs, options.zone);
  const day = `${p.year}-${p.month}-${p.day}`;
  const time = `${p.hour}:${p.minute}`;
  return day === `${today.year}-${today.month}-${today.day}` ? time : `${day} ${time}`;
}
