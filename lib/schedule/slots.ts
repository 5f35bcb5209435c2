/**
 * @module
 * Which cron slots a tick fires, folds or records as missed. Pure: the tick gives the window
 * (every slot after `after`, up to `now`) and the task's catch-up policy; this decides.
 */

import type { CatchUp } from "../config/types.ts";
import { slotsBetween } from "./cron_expr.ts";

/** A slot this late or less is on time: cron or launchd may start a tick a little late. */
export const ON_TIME_MS = 5 * 60_000;

/** `run_all` queues at most this many missed slots (the most recent); older ones are missed. */
export const MAX_RUN_ALL = 24;

/**
 * At most this many slots are looked at in one window (an every-minute task after a night
 * asleep has hundreds): the most recent ones; older ones count as missed, "200+".
 */
export const MAX_SLOTS = 200;

/** What one tick does with a task's slots. */
export interface SlotPlan {
  /** Slots to queue, oldest first. */
  fire: Date[];
  /** Late slots (older than ON_TIME_MS when the tick ran): the machine slept or cron did not run. */
  late: number;
  /** True when there were more late slots than MAX_SLOTS (then `late` is a lower bound). */
  lateMore: boolean;
  /** How many of the fired slots are late ones (a catch-up). */
  caughtUp: number;
  /** Late slots that are not run, oldest first (at most a sample for huge windows). */
  missed: Date[];
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
 * `after`) plans nothing and keeps `after`, so a slot is never fired a second time.
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
  const onTime = slots.filter((d) => age(d) <= ON_TIME_MS);
  const late = slots.filter((d) => age(d) > ON_TIME_MS);
  const eligible = late.filter((d) =>
    policy.maxAgeMs === null || policy.maxAgeMs === undefined || age(d) <= policy.maxAgeMs
  );

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
  const caughtUp = policy.catchUp === "run_once" && onTime.length > 0 && late.length > 0
    ? 1 // the run due now also stands for the missed ones
    : fire.filter((d) => age(d) > ON_TIME_MS).length;
  return {
    fire,
    late: late.length,
    lateMore: more,
    caughtUp: Math.min(caughtUp, late.length),
    missed: late.filter((d) => !fired.has(d.getTime())),
    through: now,
  };
}
