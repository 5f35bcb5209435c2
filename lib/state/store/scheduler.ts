/**
 * @module
 * The scheduler's keys and what they keep: `["schedule", task]` (where a scheduled task stands),
 * `["scheduler","since"]` (when scheduling started), `["scheduler","tick"]` (the last tick) and
 * `["schedule_cache", task]` (what the tick knows of a task file). Claiming due slots, which
 * also queues, is in `steps.ts`.
 */

import type { TaskConfig } from "../../config/types.ts";
import type { KvCore, Versioned } from "./core.ts";

/** A queue item's priority (the task file's `priority:`). */
type Priority = TaskConfig["priority"];

/**
 * Why a slot a tick found does not run: `catch_up_skip`, late with `catch_up: skip`;
 * `folded`, one run (the newest) stands for it; `max_age`, older than `catch_up_max_age`;
 * `run_all_limit`, beyond the MAX_RUN_ALL newest that `run_all` queues (lib/schedule/slots.ts
 * decides; the store counts them).
 */
export type MissReason = "catch_up_skip" | "folded" | "max_age" | "run_all_limit";

/** A task's missed slots as the store keeps them (ScheduleState's `last_catch_up`). */
export interface MissedRecord {
  /** When slots were last found late or missed. */
  at: string;
  /** When this record started adding up (absent: `at`). */
  since?: string;
  /** Slots that did not run. */
  missed: number;
  /** Late slots that ran (a catch-up). */
  caught_up: number;
  /** Slots that did not run, by reason (absent in records written before reasons were kept). */
  reasons?: Partial<Record<MissReason, number>>;
  /** Some slots were older than the MAX_SLOTS looked at: `missed` is a lower bound. */
  more?: boolean;
}

/**
 * Where a scheduled task stands: every slot up to `through` is handled (fired, folded into a
 * run already queued, or recorded as missed), so no slot ever fires twice.
 */
export interface ScheduleState {
  /** The schedule this state belongs to ("<expression> <zone>"): an edit starts afresh. */
  fingerprint: string;
  enabled: boolean;
  /** ISO time: slots at or before it are handled. */
  through: string;
  /** The last slot that was queued. */
  last_fired: string | null;
  /**
   * The first slot after `through` (null: the expression never fires), so an idle tick knows
   * nothing is due without computing a slot. Absent in states written before it was kept.
   */
  next?: string | null;
  /**
   * The slots found late or not run (the machine slept, cron did not run, slots folded into
   * the newest run), added up for a day from the first.
   */
  last_catch_up: MissedRecord | null;
}

/** The scheduler's heartbeat: the last tick and how it went. */
export interface TickBeat {
  at: string;
  ok: boolean;
  /** What went wrong, or a short summary ("2 queued"). */
  message: string;
  pid: number;
  queued: number;
}

/** What the tick keeps of a task file between ticks, keyed by the file's mtime and size. */
export interface ScheduleCacheEntry {
  mtime: number;
  size: number;
  /** The parts of the task the tick needs; null when the file has no schedule. */
  schedule: {
    enabled: boolean;
    expression: string;
    timezone: string | null;
    catch_up: "skip" | "run_once" | "run_all";
    catch_up_max_age_ms: number | null;
    priority: Priority;
    /** The task's timeout (ms), for the dead-man's switch; absent in entries kept before. */
    timeout_ms?: number;
  } | null;
  /** The config error, when the file does not load. */
  error: string | null;
  /** The task is enabled and watches a folder (the tick keeps the watcher running for it). */
  watch?: boolean;
  /** The task is enabled with an interval trigger of this many seconds. */
  interval_seconds?: number | null;
  priority?: Priority;
}

/** The key of `task`'s schedule state. */
export function scheduleKey(task: string): Deno.KvKey {
  return ["schedule", task];
}

const SINCE_KEY: Deno.KvKey = ["scheduler", "since"];
const TICK_KEY: Deno.KvKey = ["scheduler", "tick"];

/** A task's schedule state, with its version. */
export async function scheduleState(
  core: KvCore,
  task: string,
): Promise<Versioned<ScheduleState>> {
  const entry = await core.retry(
    "read a schedule",
    () => core.kv.get<ScheduleState>(scheduleKey(task)),
  );
  return { value: entry.value ?? undefined, versionstamp: entry.versionstamp };
}

/** Every task's schedule state, with its version. */
export async function scheduleStates(
  core: KvCore,
): Promise<Map<string, Versioned<ScheduleState>>> {
  const entries = await core.retry(
    "read the schedules",
    () => Array.fromAsync(core.kv.list<ScheduleState>({ prefix: ["schedule"] })),
  );
  return new Map(
    entries.map((e) => [String(e.key[1]), { value: e.value, versionstamp: e.versionstamp }]),
  );
}

/** Forgets a task's schedule state (its file is gone). */
export async function deleteScheduleState(core: KvCore, task: string): Promise<void> {
  await core.retry("forget a schedule", () => core.kv.delete(scheduleKey(task)));
}

/** When scheduling started (set by install): no slot before it is ever run or counted. */
export function schedulerSince(core: KvCore): Promise<string | undefined> {
  return core.value<string>("read the scheduler's start", SINCE_KEY);
}

/** Sets (or, with null, clears) when scheduling started. */
export function setSchedulerSince(core: KvCore, at: string | null): Promise<void> {
  return core.put("record the scheduler's start", SINCE_KEY, at);
}

/** The last tick's heartbeat. */
export function tickBeat(core: KvCore): Promise<TickBeat | undefined> {
  return core.value<TickBeat>("read the last tick", TICK_KEY);
}

/** Records a tick's heartbeat. */
export async function setTickBeat(core: KvCore, beat: TickBeat): Promise<void> {
  await core.retry("record the tick", () => core.kv.set(TICK_KEY, beat));
}

/** What the tick knows of each task file, by task name. */
export function scheduleCache(core: KvCore): Promise<Map<string, ScheduleCacheEntry>> {
  return core.byName<ScheduleCacheEntry>("read the schedule cache", ["schedule_cache"]);
}

/** Updates (or, with undefined, removes) one task file's cache entry. */
export function setScheduleCache(
  core: KvCore,
  task: string,
  entry: ScheduleCacheEntry | undefined,
): Promise<void> {
  return core.put("update the schedule cache", ["schedule_cache", task], entry);
}
