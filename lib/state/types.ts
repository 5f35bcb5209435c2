/**
 * @module
 * What the state store holds: queue items, the running item, the runner lease, run summaries.
 */

import type { FinalStatus } from "../run/outcome.ts";
import type { Trigger } from "../run/record.ts";

export type { OwedMemo, RaisedAlarm } from "./store/overdue.ts";
export type {
  MissedRecord,
  MissReason,
  ScheduleCacheEntry,
  ScheduleState,
  TickBeat,
} from "./store/scheduler.ts";

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
