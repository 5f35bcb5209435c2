/**
 * @module
 * Which cron slots a tick fires, folds or records as missed. Pure: the tick gives the window
 * (every slot after `after`, up to `now`) and the task's catch-up policy; this decides.
 */

import type { CatchUp } from "../config/types.ts";
import type { MissedRecord, MissReason } from "../state/store/scheduler.ts";
import { slotsBetween } from "../config/cron_expr.ts";

/** A slot this late or less is on time: cron or launchd may start a tick a little late. */
export const ON_TIME_MS = 5 * 60_000;

/** `run_all` queues at most this many missed slots (the most recent); older ones are missed. */
export const MAX_RUN_ALL = 24;

/**
 * At most this many slots are looked at in one window (an every-minute task after a night
 * asleep has hundreds): the most recent ones; older ones count as missed, "200+".
 */
export const MAX_SLOTS = 200;

/** Every reason, in the order they are shown. */
export const MISS_REASONS: readonly MissReason[] = [
  "catch_up_skip",
  "folded",
  "max_age",
  "run_all_limit",
];

/** A slot that does not run, and why. */
export interface MissedSlot {
  slot: Date;
  reason: MissReason;
}

/** What one tick does with a task's slots. */
export interface SlotPlan {
  /** Slots to queue, oldest first. */
  fire: Date[];
  /** Late slots (older than ON_TIME_MS when the tick ran): the machine slept or cron did not run. */
  late: number;
  /**
   * True when the window held more than MAX_SLOTS slots: the older ones were not looked at, do
   * not run, and are not in `missed` (so `late` and `missed.length` are lower bounds).
   */
  lateMore: boolean;
  /** How many of the fired slots are late ones (a catch-up). */
  caughtUp: number;
  /** Every slot looked at that does not run, with its reason, oldest first. */
  missed: MissedSlot[];
  /** Every slot at or before this is now handled. */
  through: Date;
}

/** The task settings that shape a plan. */
export interface SlotPolicy {
  expression: string;
  timezone?: string | null | undefined;
  catchUp: CatchUp;
  /** Late slots older than this are never caught up. */
  maxAgeMs?: number | null | undefined;
}

/**
 * Plans the slots after `after` and up to `now`. A clock that stepped back (`now` before
 * `after`) plans nothing and keeps `after`, so a slot is never fired a second time. Every slot
 * of the window is either fired or in `missed` with its reason.
 */
export function planSlots(policy: SlotPolicy, window: { after: Date; now: Date }): SlotPlan {
  const { after, now } = window;
  if (now.getTime() <= after.getTime()) {
    return { fire: [], late: 0, lateMore: false, caughtUp: 0, missed: [], through: after };
  }
  const { slots, more } = slotsBetween(policy.expression, {
    timezone: policy.timezone ?? undefined,
    after,
    until: now,
    max: MAX_SLOTS,
  });
  const age = (d: Date) => now.getTime() - d.getTime();
  const isLate = (d: Date) => age(d) > ON_TIME_MS;
  const tooOld = (d: Date) =>
    isLate(d) && policy.maxAgeMs !== null && policy.maxAgeMs !== undefined &&
    age(d) > policy.maxAgeMs;
  const onTime = slots.filter((d) => !isLate(d));
  const late = slots.filter(isLate);
  const eligible = late.filter((d) => !tooOld(d));

  let fire: Date[];
  switch (policy.catchUp) {
    case "skip":
      fire = onTime.slice(-1);
      break;
    case "run_once":
      // One run covers any number of missed slots (and the one due now).
      fire = onTime.length > 0 ? onTime.slice(-1) : eligible.slice(-1);
      break;
    case "run_all":
      fire = [...eligible, ...onTime].slice(-MAX_RUN_ALL);
      break;
  }
  const fired = new Set(fire.map((d) => d.getTime()));
  const why = (d: Date): MissReason => {
    if (policy.catchUp === "skip") return isLate(d) ? "catch_up_skip" : "folded";
    if (tooOld(d)) return "max_age";
    return policy.catchUp === "run_once" ? "folded" : "run_all_limit";
  };
  const caughtUp = policy.catchUp === "run_once" && onTime.length > 0 && late.length > 0
    ? 1 // the run due now also stands for the missed ones
    : fire.filter(isLate).length;
  return {
    fire,
    late: late.length,
    lateMore: more,
    caughtUp: Math.min(caughtUp, late.length),
    missed: slots.filter((d) => !fired.has(d.getTime())).map((slot) => ({
      slot,
      reason: why(slot),
    })),
    through: now,
  };
}

/** How long `status` keeps adding up a task's missed slots, from the first of them. */
export const MISSED_KEPT_MS = 24 * 3600_000;

/** How many missed slots `plan` has for each reason. */
export function countReasons(missed: readonly MissedSlot[]): Partial<Record<MissReason, number>> {
  const counts: Partial<Record<MissReason, number>> = {};
  for (const m of missed) counts[m.reason] = (counts[m.reason] ?? 0) + 1;
  return counts;
}

/**
 * The record after a tick whose plan missed or caught up slots: added to the previous one when
 * it started less than MISSED_KEPT_MS ago, else afresh. Pure.
 */
export function addMissed(
  old: MissedRecord | null | undefined,
  plan: SlotPlan,
  now: Date,
): MissedRecord {
  const at = now.toISOString();
  const fresh: MissedRecord = {
    at,
    since: at,
    missed: plan.missed.length,
    caught_up: plan.caughtUp,
    reasons: countReasons(plan.missed),
    more: plan.lateMore,
  };
  const since = old ? old.since ?? old.at : undefined;
  if (!old || since === undefined || now.getTime() - Date.parse(since) >= MISSED_KEPT_MS) {
    return fresh;
  }
  const reasons = { ...(old.reasons ?? {}) };
  for (const r of MISS_REASONS) {
    const n = fresh.reasons?.[r];
    if (n) reasons[r] = (reasons[r] ?? 0) + n;
  }
  return {
    at,
    since,
    missed: old.missed + fresh.missed,
    caught_up: old.caught_up + fresh.caught_up,
    reasons,
    more: (old.more ?? false) || plan.lateMore,
  };
}
