/**
 * @module
 * What the queue does after a run that did not succeed, by the kind of failure
 * (lib/run/failure.ts): a transient one is retried later (a new queue item with a not-before
 * time), a usage limit holds the queue until it resets and defers the run, lost credentials hold
 * the queue until a person fixes them. Every decision is written into the run's record and an
 * execution-log event.
 */

import { classifyFailure, type FailureClass } from "../run/failure.ts";
import type { RunRecord } from "../run/record.ts";
import { newRunId } from "../run/run_id.ts";
import type { Clock } from "../sys/clock.ts";
import { type PlannedRetry, planRetry, type RetrySettings } from "./retry.ts";
import type { Store } from "./store.ts";
import type { Hold, Priority, QueueItem } from "./types.ts";

/** How long the queue is held for a usage limit whose answer names no reset time. */
export const DEFAULT_LIMIT_HOLD_MS = 60 * 60 * 1000;

/** What follows a run. */
export type FollowUp =
  | { kind: "none"; failure: FailureClass | undefined }
  | { kind: "retry"; failure: FailureClass; retry: PlannedRetry; run_id: string }
  | { kind: "hold"; failure: FailureClass; hold: Hold; requeue: string | undefined };

/** An execution-log event. */
export type LogEvent = { event: string; [key: string]: unknown };

/**
 * Decides what follows run `record` (ended at `nowMs`), and the record as it is to be kept
 * (its status and the decision written in). Pure but for `random` (the jitter).
 */
export function decideFollowUp(
  record: RunRecord,
  options: {
    nowMs: number;
    settings: RetrySettings | undefined;
    random: number;
    newId: (ms: number) => string;
  },
): { followUp: FollowUp; record: RunRecord } {
  const failure = classifyFailure(record, options.nowMs);
  if (!failure || failure.kind === "permanent") {
    return { followUp: { kind: "none", failure }, record };
  }
  const since = new Date(options.nowMs).toISOString();
  if (failure.kind === "usage_limit") {
    const until = failure.resetAt ??
      new Date(options.nowMs + DEFAULT_LIMIT_HOLD_MS).toISOString();
    const requeue = options.newId(Date.parse(until));
    const hold: Hold = {
      kind: "usage_limit",
      since,
      until,
      reason: failure.reason,
      run_id: record.id,
      task: record.task,
    };
    return {
      followUp: { kind: "hold", failure, hold, requeue },
      record: {
        ...record,
        status: "deferred",
        deferred: { until, run_id: requeue, reason: failure.reason },
      },
    };
  }
  if (failure.kind === "auth") {
    const hold: Hold = {
      kind: "auth",
      since,
      until: null,
      reason: failure.reason,
      run_id: record.id,
      task: record.task,
    };
    return {
      followUp: { kind: "hold", failure, hold, requeue: undefined },
      record: { ...record, status: "auth_failed" },
    };
  }
  const retry = options.settings === undefined
    ? undefined
    : planRetry(record, options.settings, { nowMs: options.nowMs, random: options.random });
  if (!retry) return { followUp: { kind: "none", failure }, record };
  const runId = options.newId(Date.parse(retry.at));
  return {
    followUp: { kind: "retry", failure, retry, run_id: runId },
    record: {
      ...record,
      next_retry: {
        run_id: runId,
        at: retry.at,
        attempt: retry.attempt,
        max_attempts: retry.max_attempts,
        reason: failure.reason,
      },
    },
  };
}

/**
 * Carries out a follow-up in the store: queues the retry, or holds the queue (and, for a usage
 * limit, queues the run again for when the limit resets). Returns the events to log.
 */
export async function applyFollowUp(
  store: Store,
  followUp: FollowUp,
  run: {
    record: RunRecord;
    item: { priority: Priority; context?: QueueItem["context"] };
    clock: Clock;
  },
): Promise<LogEvent[]> {
  const { record, item } = run;
  const now = new Date(run.clock.now()).toISOString();
  const base = {
    task: record.task,
    priority: item.priority,
    ...(item.context === undefined ? {} : { context: item.context }),
  };
  switch (followUp.kind) {
    case "none":
      return [];
    case "retry": {
      const { retry } = followUp;
      const queued = await store.enqueue({
        ...base,
        id: followUp.run_id,
        trigger: retry.trigger,
        run_at: retry.at,
      }, now);
      return [{
        event: "task_retry_scheduled",
        run_id: record.id,
        task: record.task,
        retry_run_id: queued.kind === "queued" ? queued.item.id : queued.existing.id,
        attempt: retry.attempt,
        max_attempts: retry.max_attempts,
        retry_of: retry.retry_of,
        at: retry.at,
        reason: followUp.failure.reason,
        ...(queued.kind === "duplicate" ? { folded: true } : {}),
      }];
    }
    case "hold": {
      const { hold } = followUp;
      await store.setHold(hold);
      const events: LogEvent[] = [{
        event: "queue_held",
        kind: hold.kind,
        until: hold.until,
        reason: hold.reason,
        run_id: record.id,
        task: record.task,
        ...(followUp.requeue === undefined ? {} : { deferred_run_id: followUp.requeue }),
      }];
      if (followUp.requeue !== undefined && hold.until !== null) {
        await store.enqueue({
          ...base,
          id: followUp.requeue,
          trigger: { ...record.trigger, deferred_from: record.id },
          run_at: hold.until,
        }, now);
      }
      return events;
    }
  }
}

/** The default id maker for follow-up runs. */
export function followUpId(ms: number): string {
  return newRunId(ms);
}
