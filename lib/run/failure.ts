/**
 * @module
 * What kind of failure a run's outcome is, and so what the queue does about it: retry it later
 * (transient), hold every task until the usage limit resets (usage_limit), hold every task until
 * the login is fixed (auth), or leave it (permanent). Pure: the time a limit resets is worked out
 * from `nowMs`, in the zone claude names.
 */

import type { Outcome } from "./outcome.ts";
import type { ClaudeResult } from "./stream.ts";

/** What kind of failure a run was. */
export type FailureClass =
  | { kind: "transient"; reason: string }
  | { kind: "usage_limit"; reason: string; resetAt?: string }
  | { kind: "auth"; reason: string }
  | { kind: "permanent"; reason: string };

/** The parts of a run record the classification reads. */
export interface Classifiable {
  outcome: Outcome;
  claude?: ClaudeResult | null;
}

const USAGE_LIMIT =
  /usage limit|(?:hour|weekly|daily|session|opus|sonnet)\s+limit reached|limit reached|hit your limit|rate[ _]limit/i;
const AUTH =
  /OAuth token (?:has )?expired|OAuth token .*revoked|Not logged in|Please run \/login|Invalid API key|authentication_error|invalid x-api-key|Invalid bearer token|Failed to refresh|token refresh failed/i;
const CONNECTION =
  /connection|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENOTFOUND|EAI_AGAIN|socket hang up|fetch failed|network|timed? ?out/i;

/**
 * Classifies how a run ended; undefined when it succeeded. `nowMs` is when it ended: a usage
 * limit's "resets 1pm" is the next 1 pm after it.
 */
export function classifyFailure(
  record: Classifiable,
  nowMs: number,
): FailureClass | undefined {
  const o = record.outcome;
  switch (o.kind) {
    case "success":
      return undefined;
    case "cancelled":
      return { kind: "permanent", reason: `cancelled by ${o.by}` };
    case "timed_out":
      return o.clock === "idle"
        ? { kind: "transient", reason: `claude was silent for ${o.limit_seconds} s` }
        : { kind: "permanent", reason: `the run took longer than ${o.limit_seconds} s` };
    case "lost":
      return { kind: "transient", reason: `the run was lost (${o.reason})` };
    case "failed_to_spawn":
      return { kind: "permanent", reason: o.message };
    case "signal":
      return { kind: "permanent", reason: `claude was killed by ${o.signal}` };
    case "claude_error": {
      const text = [o.message, ...(record.claude?.errors ?? [])].join("\n");
      return classifyText(text, o.api_error_status, nowMs);
    }
    case "exit_error":
      return classifyText(o.message, null, nowMs);
  }
}

function classifyText(text: string, status: number | null, nowMs: number): FailureClass {
  const reason = firstLine(text);
  if (status === 429 || USAGE_LIMIT.test(text)) {
    const resetAt = parseReset(text, nowMs);
    return { kind: "usage_limit", reason, ...(resetAt === undefined ? {} : { resetAt }) };
  }
  if (status === 401 || AUTH.test(text)) return { kind: "auth", reason };
  if (status !== null && status >= 500) return { kind: "transient", reason };
  if (status === null && CONNECTION.test(text) && /API Error|connect|network|fetch/i.test(text)) {
    return { kind: "transient", reason };
  }
  return { kind: "permanent", reason };
}

function firstLine(text: string): string {
  return text.split("\n").map((l) => l.trim()).find((l) => l !== "") ?? "";
}

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/**
 * When a usage limit resets, as ISO, from claude's wording: "resets 1pm (Europe/Paris)",
 * "resets 13:30 (UTC)", "resets at 9am", a weekly limit's "resets Dec 3, 5pm (Europe/Paris)", or
 * the older "usage limit reached|1735689600" (epoch seconds). Undefined when the text names no
 * time (the caller holds for a default time).
 */
export function parseReset(text: string, nowMs: number): string | undefined {
  const epoch = /limit reached\|(\d{9,11})\b/i.exec(text);
  if (epoch) return new Date(Number(epoch[1]) * 1000).toISOString();
  const m =
    /resets?\s+(?:on\s+)?(?:([a-z]{3})[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+)?(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)?\s*(?:\(([^)]+)\))?/i
      .exec(text);
  if (!m) return undefined;
  let hour = Number(m[3]);
  const minute = m[4] === undefined ? 0 : Number(m[4]);
  const half = m[5]?.toLowerCase();
  if (half === "pm" && hour < 12) hour += 12;
  if (half === "am" && hour === 12) hour = 0;
  if (hour > 23 || minute > 59) return undefined;
  const zone = m[6]?.trim() ?? "UTC";
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    return undefined;
  }
  if (m[1] === undefined) {
    return new Date(nextWallTime(nowMs, { hour, minute, zone })).toISOString();
  }
  const month = MONTHS.indexOf(m[1].toLowerCase());
  const day = Number(m[2]);
  if (month < 0 || day < 1 || day > 31) return undefined;
  // The date's next occurrence: this year's, or next year's once this year's is over a day past.
  const year = wallDate(nowMs, zone).year;
  for (const y of [year, year + 1]) {
    const ms = wallTimeMs({ year: y, month, day, hour, minute }, zone);
    if (ms > nowMs - 86_400_000) return new Date(ms).toISOString();
  }
  return undefined;
}

/** The instant when the clock in `zone` reads the given date and time (month from 0). */
function wallTimeMs(
  at: { year: number; month: number; day: number; hour: number; minute: number },
  zone: string,
): number {
  const guess = Date.UTC(at.year, at.month, at.day, at.hour, at.minute);
  // The wall time read as UTC, corrected by the zone's offset at that instant (twice: DST).
  const ms = guess - zoneOffset(guess, zone);
  return guess - zoneOffset(ms, zone);
}

/** The first instant after `nowMs` when the clock in `zone` reads hour:minute. */
function nextWallTime(nowMs: number, at: { hour: number; minute: number; zone: string }): number {
  const today = wallDate(nowMs, at.zone);
  for (let day = 0; day < 3; day++) {
    const ms = wallTimeMs(
      { year: today.year, month: today.month - 1, day: today.day + day, ...at },
      at.zone,
    );
    if (ms > nowMs) return ms;
  }
  return nowMs;
}

function wallDate(ms: number, zone: string): { year: number; month: number; day: number } {
  const p = wallParts(ms, zone);
  return { year: p.year ?? 1970, month: p.month ?? 1, day: p.day ?? 1 };
}

function wallParts(ms: number, zone: string): Record<string, number> {
  const out: Record<string, number> = {};
  const format = new Intl.DateTimeFormat("en-US", {
    timeZone: zone,
    hourCycle: "h23",
    year: "numeric",
    month: "numeric",
    day: "numeric",
    hour: "numeric",
    minute: "numeric",
    second: "numeric",
  });
  for (const p of format.formatToParts(new Date(ms))) {
    if (p.type !== "literal") out[p.type] = Number(p.value);
  }
  return out;
}

/** The zone's offset from UTC at `ms`, in ms (Paris in winter: +3,600,000). */
function zoneOffset(ms: number, zone: string): number {
  const p = wallParts(ms, zone);
  const asUtc = Date.UTC(
    p.year ?? 1970,
    (p.month ?? 1) - 1,
    p.day ?? 1,
    p.hour ?? 0,
    p.minute ?? 0,
    p.second ?? 0,
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}
