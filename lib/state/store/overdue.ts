/**
 * @module
 * The dead-man's switch's keys (lib/schedule/overdue_check.ts): `["owed", task]` (a task's owed
 * slot as last worked out), `["overdue_raised", task]` (the last alarm raised) and
 * `["dismissed", task]` (the latest scheduled slot whose queued run a person removed; written as
 * the item is removed, in `steps.ts`).
 */

import type { KvCore } from "./core.ts";

/**
 * A task's owed slot as last worked out, kept in the store so that the next check (every tick,
 * every status) does not load croner while it still holds.
 */
export interface OwedMemo {
  /** The inputs it was worked out from (see owedKey): any change works it out again. */
  key: string;
  /** The most recent owed slot (ISO); null when none is owed yet. */
  slot: string | null;
  /** When it was worked out (ISO). */
  at: string;
  /** The memo holds until this time (ISO; null: for ever, the expression fires no more). */
  until: string | null;
  /** A run of the task started at or after the slot: it is settled. */
  ran: boolean;
}

/** An overdue slot's alarm as it was raised (kept so every view words it the same way). */
export interface RaisedAlarm {
  slot: string;
  /** When it was raised (ISO). */
  at: string;
  /** The last tick before it was raised (ISO), if any. */
  last_tick: string | null;
  message: string;
}

/** The key of the latest scheduled slot of `task` whose queued run a person removed. */
export function dismissedKey(task: string): Deno.KvKey {
  return ["dismissed", task];
}

/** Each scheduled task's owed slot as last worked out, by task name. */
export function owedMemos(core: KvCore): Promise<Map<string, OwedMemo>> {
  return core.byName<OwedMemo>("read the owed slots", ["owed"]);
}

/** Keeps (or, with undefined, forgets) a task's owed slot. */
export function setOwedMemo(
  core: KvCore,
  task: string,
  memo: OwedMemo | undefined,
): Promise<void> {
  return core.put("record an owed slot", ["owed", task], memo);
}

/**
 * Records that the alarm for a task's overdue `slot` was raised, unless it already was: true
 * for the one caller (a tick, a status) that raised it. One key per task holds the last slot
 * raised, so raising a newer slot replaces it.
 */
export function raiseOverdue(core: KvCore, task: string, raised: RaisedAlarm): Promise<boolean> {
  return core.transact(`record the alarm of "${task}"`, async () => {
    const entry = await core.kv.get<RaisedAlarm>(["overdue_raised", task]);
    if (entry.value !== null && entry.value.slot === raised.slot) return false;
    const res = await core.kv.atomic().check(entry).set(["overdue_raised", task], raised)
      .commit();
    return res.ok ? true : undefined;
  });
}

/** The last alarm raised for each task, by task name. */
export function raisedAlarms(core: KvCore): Promise<Map<string, RaisedAlarm>> {
  return core.byName<RaisedAlarm>("read the alarms", ["overdue_raised"]);
}

/** The latest scheduled slot (ISO) whose queued run a person removed, by task name. */
export function dismissedSlots(core: KvCore): Promise<Map<string, string>> {
  return core.byName<string>("read the removed slots", ["dismissed"]);
}

/** Forgets the alarms of a task (its file is gone). */
export async function forgetOverdue(core: KvCore, task: string): Promise<void> {
  await core.retry("forget an alarm", async () => {
    await core.kv.atomic().delete(["owed", task]).delete(["overdue_raised", task])
      .delete(dismissedKey(task)).commit();
  });
}
