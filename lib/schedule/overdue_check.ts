/**
 * @module
 * The dead-man's switch against the store: every tick and every `status` look for scheduled
 * tasks that did not run a slot they owed, and raise each such slot once. Reads no task file:
 * the schedules and timeouts come from what the tick kept; croner is loaded only when an owed
 * slot has to be worked out again (a new slot passed its grace, or a schedule changed).
 */

import type { Store } from "../state/store.ts";
import type { OwedMemo } from "../state/store/overdue.ts";
import { lazy } from "../lazy.ts";
import {
  memoHolds,
  type OverdueAlarm,
  overdueAlarm,
  type OwedInput,
  owedSlot,
  ranSince,
  UNKNOWN_TIMEOUT_MS,
} from "./overdue_rules.ts";

/** Called once for each alarm when it is first raised (the notifications module plugs in here). */
export type OverdueHook = (alarm: OverdueAlarm) => Promise<void>;

/** What a check found. */
export interface OverdueCheck {
  /** Every task overdue now, by task name. */
  overdue: OverdueAlarm[];
  /** Those raised by this check (never raised before): log and notify these. */
  raised: OverdueAlarm[];
}

/**
 * Finds the overdue tasks at `nowMs`. With `raise`, records the alarms not raised before and
 * returns them in `raised` (each slot is raised once, by whichever tick or status sees it first).
 * `lastTick` is the last tick before this check, for the alarm's words (read from the store's
 * heartbeat when not given).
 */
export async function checkOverdue(
  store: Store,
  options: { nowMs: number; lastTick?: string | null | undefined; raise: boolean },
): Promise<OverdueCheck> {
  const { nowMs } = options;
  const none: OverdueCheck = { overdue: [], raised: [] };
  const [since, cache, memos, beat] = await Promise.all([
    store.schedulerSince(),
    store.scheduleCache(),
    store.owedMemos(),
    options.lastTick === undefined ? store.tickBeat() : undefined,
  ]);
  const lastTick = options.lastTick === undefined ? beat?.at ?? null : options.lastTick;
  // Never installed (or uninstalled): nothing is owed.
  if (since === undefined) return none;
  const sinceMs = Date.parse(since);

  const owed: { task: string; slot: string; timezone: string | null; memo: OwedMemo }[] = [];
  let cron: Awaited<ReturnType<typeof loadCron>> | undefined;
  for (const [task, entry] of cache) {
    const s = entry.schedule;
    if (s === null || !s.enabled || entry.error !== null) continue;
    const input: OwedInput = {
      expression: s.expression,
      timezone: s.timezone,
      timeoutMs: s.timeout_ms ?? UNKNOWN_TIMEOUT_MS,
      // Nothing is owed from before the task (as it is now) was known: as the tick's rule.
      owedFromMs: Math.max(sinceMs, entry.mtime),
    };
    const kept = memos.get(task);
    let memo: OwedMemo;
    if (kept !== undefined && memoHolds(kept, input, nowMs)) {
      memo = kept;
    } else {
      cron ??= await loadCron();
      const fresh = owedSlot(input, nowMs, cron);
      // The same slot again (the memo only ran out): what was found of it still holds.
      memo = kept && kept.key === fresh.key && kept.slot === fresh.slot
        ? { ...fresh, ran: kept.ran }
        : fresh;
      await store.setOwedMemo(task, memo);
    }
    if (memo.slot !== null && !memo.ran) {
      owed.push({ task, slot: memo.slot, timezone: s.timezone, memo });
    }
  }
  for (const task of memos.keys()) {
    if (!cache.has(task)) await store.forgetOverdue(task);
  }
  if (owed.length === 0) return none;

  // Only now are runs read: from the oldest slot still open.
  const oldest = owed.reduce((a, o) => (o.slot < a ? o.slot : a), owed[0]?.slot ?? "");
  const [queued, running, runs, raisedBefore, dismissed] = await Promise.all([
    store.queued(),
    store.running(),
    store.recentRuns({ since: oldest }),
    store.raisedAlarms(),
    store.dismissedSlots(),
  ]);
  const busy = new Set(queued.map((q) => q.task));
  if (running) busy.add(running.task);
  const evidence = { runs, busy, dismissed };
  const result: OverdueCheck = { overdue: [], raised: [] };
  for (const o of owed) {
    if (ranSince(o.task, o.slot, evidence)) {
      // A run started (or one is queued): settled for good once it started.
      if (!busy.has(o.task)) await store.setOwedMemo(o.task, { ...o.memo, ran: true });
      continue;
    }
    const before = raisedBefore.get(o.task);
    if (before?.slot === o.slot) {
      // Raised already: worded as it was then (its last tick is the one before the alarm).
      result.overdue.push({
        task: o.task,
        slot: o.slot,
        timezone: o.timezone,
        last_tick: before.last_tick,
        message: before.message,
      });
      continue;
    }
    const alarm = overdueAlarm(o, { lastTick, nowMs });
    result.overdue.push(alarm);
    const raised = {
      slot: o.slot,
      at: new Date(nowMs).toISOString(),
      last_tick: alarm.last_tick,
      message: alarm.message,
    };
    if (options.raise && await store.raiseOverdue(o.task, raised)) result.raised.push(alarm);
  }
  return result;
}

function loadCron() {
  return lazy<typeof import("../config/cron_expr.ts")>("lib/config/cron_expr.ts");
}

/** The execution-log event of a raised alarm. */
export function overdueEvent(alarm: OverdueAlarm): { event: string; [key: string]: unknown } {
  return {
    event: "task_overdue",
    task: alarm.task,
    slot: alarm.slot,
    last_tick: alarm.last_tick,
    message: alarm.message,
  };
}

/**
 * Hands each raised alarm to `hook`, if any. A failing hook does not stop the others; returns
 * an event for each failure, for the logs.
 */
export async function notifyOverdue(
  raised: OverdueAlarm[],
  hook: OverdueHook | undefined,
): Promise<{ event: string; [key: string]: unknown }[]> {
  const failures: { event: string; [key: string]: unknown }[] = [];
  if (hook === undefined) return failures;
  for (const alarm of raised) {
    try {
      await hook(alarm);
    } catch (error) {
      failures.push({
        event: "overdue_notify_failed",
        task: alarm.task,
        slot: alarm.slot,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return failures;
}

/** An execution-log event of raising the alarms (`task_overdue`, `overdue_notify_failed`). */
export type OverdueLogEvent = { event: string; [key: string]: unknown };

/**
 * The dead-man's switch's one step that acts: finds the overdue tasks at `nowMs`, records the
 * slots not raised before (each once, by whichever tick or status comes first) and hands each
 * to `notify`. Returns the check and the events to log: a `task_overdue` for each raised alarm,
 * an `overdue_notify_failed` for each failed hand-over.
 */
export async function raiseOverdue(
  store: Store,
  options: {
    nowMs: number;
    lastTick?: string | null | undefined;
    notify: OverdueHook | undefined;
  },
): Promise<{ check: OverdueCheck; events: OverdueLogEvent[] }> {
  const check = await checkOverdue(store, {
    nowMs: options.nowMs,
    lastTick: options.lastTick,
    raise: true,
  });
  const events = [
    ...check.raised.map(overdueEvent),
    ...await notifyOverdue(check.raised, options.notify),
  ];
  return { check, events };
}
