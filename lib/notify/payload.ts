/**
 * @module
 * What a notification says: the event built from a run's record (secrets redacted), the webhook
 * bodies (JSON, Slack) and the desktop text. Pure.
 */

import { redact, redactDeep } from "../log/redact.ts";
import type { FinalStatus } from "../run/outcome.ts";
import type { RunRecord } from "../run/record.ts";

/** One notification: what every channel is given. */
export interface NotifyEvent {
  event: "run_finished";
  task: string;
  run_id: string;
  status: FinalStatus;
  /** Why it did not succeed; null when it did. */
  error: string | null;
  trigger: string;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  /** Claude's reported cost in US dollars, when it reported one. */
  cost_usd: number | null;
  /** The machine the run ran on. */
  host: string;
}

/** A scheduled task that did not run a slot it owed (the dead-man's switch). */
export interface OverdueEvent {
  event: "task_overdue";
  task: string;
  /** The slot it owed (ISO). */
  slot: string;
  timezone: string | null;
  /** The last tick before the alarm (ISO), if any. */
  last_tick: string | null;
  /** For people: `daily-email did not run at 08:00; last tick 07:12`. */
  message: string;
  host: string;
}

/** Anything a notification carries. */
export type AnyNotifyEvent = NotifyEvent | OverdueEvent;

/** The longest error text a notification carries (the record keeps all of it). */
export const MAX_ERROR_CHARS = 2000;

/**
 * Builds the event of a finished run. `error` is the run's error text (as the execution log has
 * it); every value in `secrets` is redacted from every string.
 */
export function buildEvent(
  record: RunRecord,
  options: { error: string | undefined; host: string; secrets: readonly string[] },
): NotifyEvent {
  const error = options.error === undefined
    ? null
    : options.error.length > MAX_ERROR_CHARS
    ? `${options.error.slice(0, MAX_ERROR_CHARS - 1)}…`
    : options.error;
  return redactDeep<NotifyEvent>({
    event: "run_finished",
    task: record.task,
    run_id: record.id,
    status: record.status,
    error,
    trigger: record.trigger.type,
    started_at: record.started_at,
    ended_at: record.ended_at,
    duration_ms: record.duration_ms,
    cost_usd: record.claude?.total_cost_usd ?? null,
    host: options.host,
  }, options.secrets);
}

const STATUS_WORDS: Record<FinalStatus, string> = {
  succeeded: "succeeded",
  failed: "failed",
  timed_out: "timed out",
  cancelled: "was cancelled",
  lost: "was lost",
  skipped: "was skipped",
  over_budget: "went over its max_cost_usd",
  deferred: "was deferred by a usage limit",
  auth_failed: "could not log in to Claude",
};

/** "12 s", "3 min 4 s", "1 h 2 min": short, for a notification. */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** The one-line summary every channel shows: `daily-email failed after 12 s ($0.04)`. */
export function headline(event: AnyNotifyEvent): string {
  if (event.event === "task_overdue") return event.message;
  const cost = event.cost_usd === null ? "" : ` ($${event.cost_usd.toFixed(2)})`;
  return `${event.task} ${STATUS_WORDS[event.status]} after ${
    shortDuration(event.duration_ms)
  }${cost}`;
}

/** The desktop notification: a title, a subtitle and the message (the error, or the headline). */
export function desktopText(
  event: AnyNotifyEvent,
): { title: string; subtitle: string; message: string } {
  if (event.event === "task_overdue") {
    return {
      title: `Clodputer: ${event.task} did not run`,
      subtitle: `on ${event.host}: is the scheduler running? (clodputer doctor)`,
      message: event.message,
    };
  }
  return {
    title: `Clodputer: ${event.task} ${STATUS_WORDS[event.status]}`,
    subtitle: `${shortDuration(event.duration_ms)} on ${event.host}, run ${event.run_id}`,
    message: event.error ?? headline(event),
  };
}

/** The webhook's body: the event itself, or for Slack (`format: slack`) one `text` field. */
export function webhookBody(event: AnyNotifyEvent, format: "json" | "slack"): string {
  if (format === "json") return JSON.stringify(event);
  if (event.event === "task_overdue") {
    return JSON.stringify({
      text: `*${event.message}* on ${event.host} (clodputer doctor says why)`,
    });
  }
  const fence = "`".repeat(3);
  const lines = [`*${headline(event)}* on ${event.host} (run ${event.run_id}, ${event.trigger})`];
  if (event.error !== null) lines.push(fence + event.error.replaceAll(fence, "'''") + fence);
  return JSON.stringify({ text: lines.join("\n") });
}

/** Redacts `text` by `secrets` (for error messages of the channels themselves). */
export function redactText(text: string, secrets: readonly string[]): string {
  return redact(text, secrets);
}
