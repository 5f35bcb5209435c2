/**
 * @module
 * Retries of transient failures: when the next attempt runs (exponential backoff with jitter,
 * capped) and what it carries. A retry is a new queue item with a not-before time, so the runner
 * never sleeps on it: other tasks run meanwhile, and it survives a runner restart. Pure.
 */

import type { Trigger } from "../run/record.ts";

/** A task's retry settings (the earlier format's names). */
export interface RetrySettings {
  max_retries: number;
  /** Seconds before the first retry; doubled for each one after. */
  retry_backoff_seconds: number;
  /** Seconds: no retry waits longer. */
  max_retry_delay: number;
}

/**
 * The retry settings of a task: its own, as `on_failure` actions adjust them. `- retry: false`
 * turns retries off; `- retry: true` asks for them, so a task that sets no `max_retries` gets one.
 */
export function retrySettingsOf(
  config: { task: RetrySettings; on_failure: readonly object[] },
): RetrySettings {
  const asked = config.on_failure.flatMap((a) =>
    "retry" in a && typeof a.retry === "boolean" ? [a.retry] : []
  );
  if (asked.includes(false)) return { ...config.task, max_retries: 0 };
  if (asked.includes(true) && config.task.max_retries === 0) {
    return { ...config.task, max_retries: 1 };
  }
  return config.task;
}

/** A retry to queue. */
export interface PlannedRetry {
  /** The attempt it is (2 for the first retry). */
  attempt: number;
  /** Attempts in all: max_retries + 1. */
  max_attempts: number;
  /** The first run of the chain. */
  retry_of: string;
  /** When it may start (ISO). */
  at: string;
  /** Its trigger: type "retry", with attempt, max_attempts, retry_of and the first trigger. */
  trigger: Trigger;
}

/** Which attempt a run was, from its trigger (1 unless it was a retry). */
export function attemptOf(trigger: Trigger): number {
  return trigger.type === "retry" && typeof trigger.attempt === "number" ? trigger.attempt : 1;
}

/**
 * The delay before retry number `retry` (1 for the first): backoff × 2^(retry-1), capped at
 * max_retry_delay, then spread by ±25 % (`random` in [0, 1)) so that tasks that failed together
 * do not all come back at once, and capped again.
 */
export function retryDelayMs(
  retry: number,
  settings: RetrySettings,
  random: number,
): number {
  const capMs = settings.max_retry_delay * 1000;
  const base = Math.min(capMs, settings.retry_backoff_seconds * 1000 * 2 ** (retry - 1));
  return Math.round(Math.min(capMs, base * (0.75 + random * 0.5)));
}

/** The retry to queue after run `id` failed transiently; undefined when none is left. */
export function planRetry(
  run: { id: string; trigger: Trigger },
  settings: RetrySettings,
  options: { nowMs: number; random: number },
): PlannedRetry | undefined {
  const attempt = attemptOf(run.trigger) + 1;
  const maxAttempts = settings.max_retries + 1;
  if (attempt > maxAttempts) return undefined;
  const retryOf = run.trigger.type === "retry" && typeof run.trigger.retry_of === "string"
    ? run.trigger.retry_of
    : run.id;
  const first = run.trigger.type === "retry" && typeof run.trigger.first === "string"
    ? run.trigger.first
    : run.trigger.type;
  const at = new Date(
    options.nowMs + retryDelayMs(attempt - 1, settings, options.random),
  ).toISOString();
  return {
    attempt,
    max_attempts: maxAttempts,
    retry_of: retryOf,
    at,
    trigger: { type: "retry", attempt, max_attempts: maxAttempts, retry_of: retryOf, first },
  };
}

/** "retry 2/3" for a retry (its second of three), or undefined when `trigger` is not one. */
export function describeRetry(trigger: Trigger): string | undefined {
  if (
    trigger.type !== "retry" || typeof trigger.attempt !== "number" ||
    typeof trigger.max_attempts !== "number"
  ) {
    return undefined;
  }
  return `retry ${trigger.attempt - 1}/${trigger.max_attempts - 1}`;
}
