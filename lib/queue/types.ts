/**
 * @module
 * What the state store holds: queue items, the running item, the runner lease, run summaries.
 */

import type { FinalStatus, Outcome } from "../run/outcome.ts";
import type { Trigger } from "../run/record.ts";

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
}

/** The item the runner is running now. */
export interface RunningItem extends QueueItem {
  started_at: string;
  runner_pid: number;
  /** claude's pid once started. */
  claude_pid: number | null;
  /** How claude was started (set with the pid), so a lost run's record still says it. */
  started?: StartedCommand | undefined;
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

/** What the store keeps of a finished run (the whole record is in runs/<id>/result.json). */
export interface RunSummary {
  id: string;
  task: string;
  status: FinalStatus;
  outcome: Outcome;
  trigger: Trigger;
  enqueued_at: string | null;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  cost_usd: number | null;
  session_id: string | null;
}

/** The last `doctor --canary` outcome, shown by `status`. */
export interface CanaryResult {
  at: string;
  ok: boolean;
  message: string;
  run_id: string;
  cost_usd: number | null;
}
