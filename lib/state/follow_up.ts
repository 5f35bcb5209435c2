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
import { holdInForce, type Store } from "./store.ts";
import type { Hold, Priority, QueueItem } from "./types.ts";

/** How long the queue is held for a usage limit whose answer names no reset time. */
export const DEFAULT_LIMIT_HOLD_MS = 60 * 60 * 1000;

/** What a person does about lost credentials (the notification, `status`, `show`). */
export const AUTH_FIX = "run `claude setup-token`, keep the token as the secret " +
  "CLAUDE_CODE_OAUTH_TOKEN (Keychain service clodputer, or the environment), and " +
  'add CLAUDE_CODE_OAUTH_TOKEN: "{{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}" to the task\'s env; ' +
  "the queue resumes by itself once a run succeeds (tried every 10 minutes), or on " +
  "clodputer resume";

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
    const requeue = options.newId(options.nowMs);
    const hold: Hold = {
      kind: "auth",
      since,
      until: null,
      reason: failure.reason,
      run_id: record.id,
      task: record.task,
    };
    return {
      followUp: { kind: "hold", failure, hold, requeue },
      record: {
        ...record,
        status: "auth_failed",
        auth_hold: { run_id: requeue, reason: failure.reason, fix: AUTH_FIX },
      },
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
 * Carries out a follow-up in the store: queues the retry, or holds the queue and queues the run
 * again (for when a usage limit resets; at once for lost credentials, the next try under the
 * hold). Returns the events to log, and whether the hold is new (a lost login already held is
 * not notified again).
 */
export async function applyFollowUp(
  store: Store,
  followUp: FollowUp,
  run: {
    record: RunRecord;
    item: { priority: Priority; context?: QueueItem["context"] };
    clock: Clock;
  },
): Promise<{ events: LogEvent[]; newHold: boolean }> {
  const { record, item } = run;
  const now = new Date(run.clock.now()).toISOString();
  const base = {
    task: record.task,
    priority: item.priority,
    ...(item.context === undefined ? {} : { context: item.context }),
  };
  switch (followUp.kind) {
    case "none":
      return { events: [], newHold: false };
    case "retry": {
      const { retry } = followUp;
      const queued = await store.enqueue({
        ...base,
        id: followUp.run_id,
        trigger: retry.trigger,
        run_at: retry.at,
      }, now);
      const events = [{
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
      return { events, newHold: false };
    }
    case "hold": {
      const { hold } = followUp;
      const before = holdInForce(await store.hold(), run.clock.now());
      const newHold = before?.kind !== hold.kind;
      await store.setHold({
        ...(newHold ? hold : { ...before, until: hold.until }),
        last_try: now,
      });
      const events: LogEvent[] = [{
        event: "queue_held",
        kind: hold.kind,
        until: hold.until,
        reason: hold.reason,
        run_id: record.id,
        task: record.task,
        ...(followUp.requeue === undefined ? {} : { deferred_run_id: followUp.requeue }),
      }];
      if (followUp.requeue !== undefined) {
        await store.enqueue({
          ...base,
          id: followUp.requeue,
          trigger: { ...record.trigger, deferred_from: record.id },
          ...(hold.until === null ? {} : { run_at: hold.until }),
        }, now);
      }
      return { events, newHold };
    }
  }
}

/** The default id maker for follow-up runs. */
export function followUpId(ms: number): string {
  return newRunId(ms);
}

/**
 * After a run that succeeded: claude can log in again, so an auth hold is over. Returns the
 * events to log.
 */
export async function releaseAfterSuccess(store: Store, record: RunRecord): Promise<LogEvent[]> {
  if (record.status !== "succeeded") return [];
  const hold = await store.hold();
  if (hold?.kind !== "auth") return [];
  const was = await store.releaseHold();
  if (!was) return [];
  return [{
    event: "queue_released",
    kind: was.kind,
    by: record.trigger.type === "canary" ? "canary" : "a run that succeeded",
    run_id: record.id,
    task: record.task,
  }];
}
