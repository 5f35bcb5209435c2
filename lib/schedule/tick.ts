/**
 * @module
 * One tick of the scheduler (cron or launchd calls `clodputer tick` every minute): find each
 * enabled task's slots due since the last tick, in its own time zone, apply its catch-up
 * policy, and claim the slots and queue their runs in one atomic step each. Cheap when nothing
 * is due: unchanged task files are not parsed and unchanged schedules are not written.
 */

import type { ScheduleCacheEntry, ScheduleState } from "../state/store/scheduler.ts";
import type { QueueItem } from "../state/types.ts";
import type { Store } from "../state/store.ts";
import { newRunId } from "../run/run_id.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import { indexTasks } from "./task_index.ts";
import { lazy } from "../lazy.ts";
import { type IntervalSpec, queueDueIntervals } from "../watch/interval.ts";

/** Interval tasks this long or longer are run by the tick (shorter ones need the watcher). */
export const MIN_TICK_INTERVAL_S = 60;

/** What a tick needs. */
export interface TickDeps {
  clock: Clock;
  env: Env;
  paths: Paths;
  selfPid: number;
}

/**
 * A task with slots found late (the machine slept, or cron did not run) or that do not run
 * (folded into the newest run, skipped by its catch-up policy).
 */
export interface LateSlots {
  task: string;
  late: number;
  /** Slots that do not run. */
  missed: number;
  /** True when there were more late slots than were counted. */
  more: boolean;
  caught_up: number;
}

/** What one tick did. */
export interface TickReport {
  queued: QueueItem[];
  /** Due slots folded into a run of the task that was still queued. */
  folded: { task: string; slot: string; into: string }[];
  late: LateSlots[];
  /** Task files with a config error, found changed in this tick (reported once per change). */
  errors: { task: string; message: string }[];
  /** Events for the execution log, in order. */
  events: { event: string; [key: string]: unknown }[];
  /** Some enabled task watches a folder: the watcher should be running. */
  needsWatcher: boolean;
}

/** The identity of a schedule: an edit of the expression or zone starts it afresh. */
export function fingerprint(s: NonNullable<ScheduleCacheEntry["schedule"]>): string {
  return `${s.expression} ${s.timezone ?? "local"}`;
}

const CLAIM_ATTEMPTS = 100;

/** A `schedule_missed` event lists this many of the newest missed slots (all are counted). */
export const MISSED_LISTED = 24;

/** Runs one tick against the store; queues due runs but runs nothing itself. */
export async function tick(deps: TickDeps, store: Store): Promise<TickReport> {
  const nowMs = deps.clock.now();
  const now = new Date(nowMs).toISOString();
  const report: TickReport = {
    queued: [],
    folded: [],
    late: [],
    errors: [],
    events: [],
    needsWatcher: false,
  };
  const intervals: IntervalSpec[] = [];

  let since = await store.schedulerSince();
  if (since === undefined) {
    // Ticking without `install` (by hand, or an old entry): nothing before now is owed.
    since = now;
    await store.setSchedulerSince(since);
  }
  const sinceMs = Date.parse(since);
  // One read of every schedule; a task whose next slot is still ahead costs nothing more.
  const states = await store.scheduleStates();

  for (const t of await indexTasks(deps, store)) {
    if (t.entry.watch) report.needsWatcher = true;
    const every = t.entry.interval_seconds;
    if (typeof every === "number" && every >= MIN_TICK_INTERVAL_S) {
      intervals.push({ task: t.name, seconds: every, priority: t.entry.priority ?? "normal" });
    }
    if (t.entry.error !== null) {
      if (t.changed) {
        report.errors.push({ task: t.name, message: t.entry.error });
        report.events.push({ event: "config_error", task: t.name, error: t.entry.error });
      }
      continue;
    }
    const s = t.entry.schedule;
    if (s === null) continue;
    const print = fingerprint(s);

    for (let attempt = 0;; attempt++) {
      if (attempt >= CLAIM_ATTEMPTS) {
        throw new Error(`the schedule of "${t.name}" kept changing under this tick`);
      }
      const seen = attempt === 0
        ? states.get(t.name) ?? { value: undefined, versionstamp: null }
        : await store.scheduleState(t.name);
      const old = seen.value;
      const fresh = !old || !old.enabled || old.fingerprint !== print;
      if (!fresh && s.enabled && old.next !== undefined) {
        if (old.next === null || Date.parse(old.next) > nowMs) break; // nothing due yet
      }
      if (!s.enabled) {
        if (old && !old.enabled && old.fingerprint === print) break;
        const state: ScheduleState = {
          fingerprint: print,
          enabled: false,
          through: now,
          last_fired: old?.last_fired ?? null,
          last_catch_up: old?.last_catch_up ?? null,
        };
        if (await store.claimSlots(t.name, seen.versionstamp, state, [], now)) break;
        continue;
      }
      // A task new to the scheduler (added, enabled again, or its schedule edited) owes nothing
      // from before it was written; a known one, everything since the slots it handled.
      const afterMs = fresh
        ? Math.min(nowMs, Math.max(sinceMs, t.entry.mtime))
        : Math.max(sinceMs, Date.parse(old.through));
      // croner is loaded only now: an idle tick computes no slot.
      const [{ addMissed, countReasons, ON_TIME_MS, planSlots }, { nextRuns }] = await Promise.all([
        lazy<typeof import("./slots.ts")>("lib/schedule/slots.ts"),
        lazy<typeof import("../config/cron_expr.ts")>("lib/config/cron_expr.ts"),
      ]);
      const plan = planSlots({
        expression: s.expression,
        timezone: s.timezone,
        catchUp: s.catch_up,
        maxAgeMs: s.catch_up_max_age_ms,
      }, { after: new Date(afterMs), now: new Date(nowMs) });
      const lost = plan.late > 0 || plan.missed.length > 0 || plan.lateMore;
      // Nothing due: no write (unless the state predates `next`, which it then gets).
      if (!fresh && plan.fire.length === 0 && !lost && old.next !== undefined) break;

      const items = plan.fire.map((slot) => {
        const at = slot.toISOString();
        const late = nowMs - slot.getTime() > ON_TIME_MS;
        return {
          id: newRunId(nowMs),
          task: t.name,
          priority: s.priority,
          trigger: { type: "schedule" as const, slot: at, ...(late ? { catch_up: true } : {}) },
          context: { slot: at },
        };
      });
      const state: ScheduleState = {
        fingerprint: print,
        enabled: true,
        through: plan.through.toISOString(),
        next: nextRuns(s.expression, {
          timezone: s.timezone ?? undefined,
          from: plan.through,
          count: 1,
        })[0]?.toISOString() ?? null,
        last_fired: plan.fire.at(-1)?.toISOString() ?? old?.last_fired ?? null,
        last_catch_up: lost
          ? addMissed(old?.last_catch_up, plan, new Date(nowMs))
          : old?.last_catch_up ?? null,
      };
      const claimed = await store.claimSlots(t.name, seen.versionstamp, state, items, now);
      if (!claimed) continue; // another tick moved first: look again

      for (const item of claimed.queued) {
        report.queued.push(item);
        report.events.push({
          event: "task_queued",
          run_id: item.id,
          task: item.task,
          trigger: "schedule",
          slot: item.trigger.slot,
          priority: item.priority,
        });
      }
      if (claimed.folded) {
        const slot = items.at(-1)?.trigger.slot ?? now;
        report.folded.push({ task: t.name, slot, into: claimed.folded.id });
        report.events.push({
          event: "schedule_folded",
          task: t.name,
          slot,
          run_id: claimed.folded.id,
        });
      }
      if (lost) {
        report.late.push({
          task: t.name,
          late: plan.late,
          missed: plan.missed.length,
          more: plan.lateMore,
          caught_up: plan.caughtUp,
        });
        // Every slot that does not run is counted, by reason; the newest are listed each.
        report.events.push({
          event: "schedule_missed",
          task: t.name,
          missed: plan.missed.length,
          more: plan.lateMore,
          late: plan.late,
          caught_up: plan.caughtUp,
          catch_up: s.catch_up,
          reasons: countReasons(plan.missed),
          slots: plan.missed.slice(-MISSED_LISTED).map((m) => ({
            slot: m.slot.toISOString(),
            reason: m.reason,
          })),
        });
      }
      break;
    }
  }
  // Interval tasks of a minute or more run from the tick too, so they need no watcher.
  for (const item of await queueDueIntervals(store, intervals, nowMs)) {
    report.queued.push(item);
    report.events.push({
      event: "task_queued",
      run_id: item.id,
      task: item.task,
      trigger: "interval",
      priority: item.priority,
    });
  }
  return report;
}
