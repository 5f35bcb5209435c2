/**
 * @module
 * Cron expressions as crontab understands them (five fields, or @hourly and friends): checking,
 * next fire times and slots in a time zone. The only importer of croner (descriptions for people
 * are in cron_describe.ts, so the tick and status never load cronstrue).
 */

import { Cron } from "croner";
import { zonedDateTime } from "../sys/zoned.ts";

const ALIASES: Record<string, string> = {
  "@yearly": "0 0 1 1 *",
  "@annually": "0 0 1 1 *",
  "@monthly": "0 0 1 * *",
  "@weekly": "0 0 * * 0",
  "@daily": "0 0 * * *",
  "@midnight": "0 0 * * *",
  "@hourly": "0 * * * *",
};

/** The five-field form of an expression (aliases expanded). */
export function normalizeCron(expression: string): string {
  const t = expression.trim();
  return ALIASES[t.toLowerCase()] ?? t.replace(/\s+/g, " ");
}

/** True when `timezone` is an IANA zone this runtime knows. */
export function isTimeZone(timezone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return true;
  } catch {
    return false;
  }
}

/** Checks an expression (and a zone) as a crontab entry would need them. */
export function validateCron(
  expression: string,
  timezone?: string,
): { ok: true } | { ok: false; message: string; hint: string } {
  const normalized = normalizeCron(expression);
  if (normalized.startsWith("@")) {
    return {
      ok: false,
      message: `Unknown cron shortcut "${expression}"`,
      hint: `use one of ${Object.keys(ALIASES).join(", ")}, or five fields like "0 8 * * 1-5"`,
    };
  }
  const fields = normalized.split(" ").length;
  if (fields !== 5) {
    return {
      ok: false,
      message: `Cron expression "${expression}" has ${fields} field${
        fields === 1 ? "" : "s"
      }, expected 5`,
      hint:
        'write minute hour day-of-month month day-of-week, e.g. "0 8 * * 1-5" for 08:00 on weekdays',
    };
  }
  try {
    new Cron(normalized, { paused: true });
  } catch (error) {
    const detail = error instanceof Error
      ? error.message.replace(/^CronPattern: /, "")
      : String(error);
    return {
      ok: false,
      message: `Cron expression "${expression}" is invalid: ${detail}`,
      hint:
        'fields are minute (0-59) hour (0-23) day (1-31) month (1-12) weekday (0-7), e.g. "30 7 * * *"',
    };
  }
  if (timezone !== undefined && !isTimeZone(timezone)) {
    return {
      ok: false,
      message: `Unknown time zone "${timezone}"`,
      hint: 'use an IANA name such as "Europe/London" or "America/New_York"',
    };
  }
  return { ok: true };
}

/**
 * The next `count` fire times after `from`, in `timezone` (default: the machine's zone). An
 * expression that never fires (Feb 30) gives none.
 * @example
 * ```ts
 * import { nextRuns } from "./cron_expr.ts";
 * const [next] = nextRuns("0 8 * * *", { timezone: "Europe/London", from: new Date("2026-11-25T12:00:00Z"), count: 1 });
 * console.assert(next?.toISOString() === "2026-11-26T08:00:00.000Z");
 * ```
 */
export function nextRuns(
  expression: string,
  options: { timezone?: string | undefined; from: Date; count: number },
): Date[] {
  const cron = new Cron(normalizeCron(expression), {
    paused: true,
    ...(options.timezone ? { timezone: options.timezone } : {}),
  });
  return cron.nextRuns(options.count, options.from);
}

/**
 * The fire times after `after` and at or before `until`, oldest first. When there are more than
 * `max`, the most recent `max` are given and `more` is true (a long sleep of an every-minute
 * task): the window is walked forwards while it is short, the usual case for a tick, and the
 * most recent slots are found backwards otherwise.
 */
export function slotsBetween(
  expression: string,
  options: { timezone?: string | undefined; after: Date; until: Date; max: number },
): { slots: Date[]; more: boolean } {
  const cron = new Cron(normalizeCron(expression), {
    paused: true,
    ...(options.timezone ? { timezone: options.timezone } : {}),
  });
  const slots: Date[] = [];
  let cursor: Date | null = options.after;
  while (slots.length <= options.max) {
    cursor = cron.nextRun(cursor);
    if (cursor === null || cursor.getTime() > options.until.getTime()) {
      return { slots, more: false };
    }
    slots.push(cursor);
  }
  // previousRuns() excludes its reference time; `until` itself is a slot to keep.
  const recent = cron.previousRuns(options.max, new Date(options.until.getTime() + 1))
    .filter((d) => d.getTime() > options.after.getTime())
    .reverse();
  return { slots: recent, more: true };
}

/** A time as `2026-11-26 08:00 Europe/London` in the given zone (default: the machine's). */
export function formatInZone(date: Date, timezone?: string): string {
  const zone = timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  return `${zonedDateTime(date.getTime(), { zone })} ${zone}`;
}
