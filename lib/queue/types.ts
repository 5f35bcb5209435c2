/**
 * @module
 * What the state store holds: queue items, the running item, the runner lease, run summaries.
 */

import type { FinalStatus } from "../run/outcome.ts";
import type { Trigger } from "../run/record.ts";
import type { MissedRecord } from "../schedule/slots.ts";

/** A finished run's summary and its tokens are the run's (lib/run/record.ts); the store keeps them. */
export type { RunSummary, Tokens } from "../run/record.ts";

/** Queue priority: high items run before every normal one. */
export type Priority = "normal" | "high";

/** A task waiting its turn. Its `id` becomes the run's id. */
export interface QueueItem {
  id: string;
  task: string;
  priority: Priority;
  trigger: Trigger;
  /** Trigger data for `{{ context.* }}`. */
  context?: Record<string, unknown> | undefined;
  enqueued_at: string;
  /** Position within its priority: FIFO. */
  seq: number;
  /** Not before this time (ISO): a retry waits for its backoff, a deferred run for its limit. */
  run_at?: string | undefined;
}

/**
 * A hold on the whole queue: no item starts while it lasts (claude's usage limit: every task
 * would hit it; lost credentials: every task would fail). `until` null: until it is released.
 */
export interface Hold {
  kind: "usage_limit" | "auth";
  since: string;
  until: string | null;
  /** claude's words. */
  reason: string;
  /** The run that found it. */
  run_id: string;
  task: string;
  /** When a run last tried under it (an auth hold lets the tick try one every 10 minutes). */
  last_try?: string | undefined;
}

/** The item the runner is running now. */
export interface RunningItem extends QueueItem {
  started_at: string;
  runner_pid: number;
  /** claude's pid once started. */
  claude_pid: number | null;
  /** How claude was started (set with the pid), so a lost run's record still says it. */
  started?: StartedCommand | undefined;
  /** Set when a process has claimed the recovery of this run (its runner died): who and when. */
  recovering?: { pid: number; at: string } | undefined;
}

/** Exactly how claude was started for a run: kept on the running item. */
export interface StartedCommand {
  command: string;
  /** Secrets redacted. */
  argv: string[];
  cwd: string | null;
  prompt_file: string | null;
}

/** Who is the runner. A lease whose process is gone, or whose heartbeat is stale, is dead. */
export interface Lease {
  pid: number;
  /** The runner's start time as `ps` shows it: with `pid`, guards against pid reuse. */
  started: string;
  acquired_at: string;
  heartbeat_at: string;
}

/** Failed runs a person has not acknowledged yet (`clodputer ack`; the menu bar stays red). */
export interface Attention {
  /** How many runs failed since the last acknowledgement. */
  failed: number;
  /** When the first of them ended. */
  since: string;
  /** The last of them. */
  last: { id: string; task: string; status: FinalStatus; ended_at: string };
}

/** The last `doctor --canary` outcome, shown by `status`. */
export interface CanaryResult {
  at: string;
  ok: boolean;
  message: string;
  run_id: string;
  cost_usd: number | null;
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
