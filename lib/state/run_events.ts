/**
 * @module
 * What a finished run writes to the execution log: the end event by status, the one-line error,
 * the action and cleanup events, and `emit`, which appends them without ever failing the run.
 * Pure but for `emit`; shared by the runner, the follower (a lost run's notice) and cancel.
 */

import type { RunRecord } from "../run/record.ts";

/** Where the runner writes its events (the execution log). */
export interface EventSink {
  append(event: { event: string; [key: string]: unknown }): Promise<void>;
}

/** The execution-log event for how a run ended. */
export function endEvent(record: RunRecord): string {
  switch (record.status) {
    case "succeeded":
      return "task_completed";
    case "failed":
      return "task_failed";
    case "timed_out":
      return "task_timed_out";
    case "cancelled":
      return "task_cancelled";
    case "lost":
      return "task_lost";
    case "skipped":
      return "task_skipped";
    case "over_budget":
      return "task_over_budget";
    case "deferred":
      return "task_deferred";
    case "auth_failed":
      return "task_auth_failed";
  }
}

/** Why a run did not succeed, in one line (undefined when it did). */
export function runError(record: RunRecord): string | undefined {
  const outcome = record.outcome;
  return outcome.kind === "success"
    ? undefined
    : "message" in outcome
    ? outcome.message
    : outcome.kind === "lost" || outcome.kind === "skipped"
    ? outcome.reason
    : outcome.kind === "signal"
    ? `killed by ${outcome.signal}`
    : outcome.kind === "timed_out"
    ? `timed out (${outcome.clock} clock, ${outcome.limit_seconds} s)`
    : outcome.kind === "disk_full"
    ? `disk full: could not write "${outcome.path}"`
    : `cancelled by ${outcome.by}`;
}

/** The execution-log events for a finished run: its end, and its cleanup if it killed anything. */
export function runEvents(record: RunRecord): { event: string; [key: string]: unknown }[] {
  const error = runError(record);
  const events: { event: string; [key: string]: unknown }[] = [{
    event: endEvent(record),
    run_id: record.id,
    task: record.task,
    trigger: record.trigger.type,
    duration_ms: record.duration_ms,
    exit_code: record.exit?.code ?? null,
    cost_usd: record.claude?.total_cost_usd ?? null,
    session_id: record.claude?.session_id ?? null,
    ...(error === undefined ? {} : { error }),
  }];
  for (const message of record.actions?.logs ?? []) {
    events.push({ event: "action_log", run_id: record.id, task: record.task, message });
  }
  for (const failure of record.actions?.errors ?? []) {
    events.push({ event: "action_failed", run_id: record.id, task: record.task, error: failure });
  }
  const cleanup = record.cleanup;
  if (cleanup && (cleanup.signalled.length > 0 || cleanup.survivors.length > 0)) {
    events.push({
      event: "cleanup",
      run_id: record.id,
      task: record.task,
      pids: [...new Set(cleanup.signalled.map((x) => x.pid))],
      survivors: cleanup.survivors.map((x) => x.pid),
    });
  }
  return events;
}

/** Appends events, never failing the run because the log could not be written. */
export async function emit(
  sink: EventSink | undefined,
  events: { event: string; [key: string]: unknown }[],
): Promise<void> {
  for (const e of events) {
    try {
      await sink?.append(e);
    } catch {
      // The run's record is in runs/<id>/result.json and the store either way.
    }
  }
}
