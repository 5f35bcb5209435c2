/**
 * @module
 * The one reading of `--since` and `--until`, for every command that takes them: a duration ago,
 * `today`, `yesterday`, a date, a date and time, or an ISO time. Dates and times without a zone
 * are wall-clock times in the local zone (the machine's, or `zone` when given). Pure.
 */

import { UsageError } from "../errors.ts";
import { wallClock, zoneOffsetMs } from "../sys/zoned.ts";

const UNITS: Record<string, number> = {
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** The forms `parseWhen` accepts, as an error or a help text lists them. */
export const WHEN_FORMS =
  "a duration ago (90s, 15m, 2h, 3d, 1w), today, yesterday, a date (2026-12-01), " +
  "a date and time (2026-12-01 08:00) or an ISO time (2026-12-01T08:00:00Z)";

/** How far `zone`'s clock is ahead of UTC at `ms`, in ms. */
function offsetAt(ms: number, zone: string | undefined): number {
  return zoneOffsetMs(ms, zone);
}

/**
 * The instant a wall clock in `zone` shows the given date and time; undefined when no such date
 * exists (2026-02-30). In a gap (a clock set forward) it is the instant just after.
 */
export function zonedInstant(
  parts: {
    year: number;
    month: number;
    day: number;
    hour?: number;
    minute?: number;
    second?: number;
  },
  zone?: string,
): number | undefined {
  const { year, month, day, hour = 0, minute = 0, second = 0 } = parts;
  const guess = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(guess);
  if (
    check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59
  ) return undefined;
  const first = guess - offsetAt(guess, zone);
  return guess - offsetAt(first, zone);
}

/** Midnight, in `zone`, of the day `ms` falls on there, `back` days before. */
function startOfDay(ms: number, back: number, zone: string | undefined): number | undefined {
  const w = wallClock(ms, zone);
  const d = new Date(Date.UTC(Number(w.year), Number(w.month) - 1, Number(w.day) - back));
  return zonedInstant(
    { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() },
    zone,
  );
}

/**
 * A point in time from `--since`/`--until`: a duration before `nowMs` (`90s`, `15m`, `2h`,
 * `3d`, `1w`), `today` or `yesterday` (local midnight), a date (`2026-12-01`: local midnight),
 * a date and time (`2026-12-01 08:00`, `2026-12-01T08:00:30`: local), or an ISO time with its
 * zone (`2026-12-01T08:00:00Z`, `...+01:00`). `zone` names the local zone (default: the
 * machine's).
 * @throws {UsageError} for anything else, listing the forms.
 * @example
 * ```ts
 * import { parseWhen } from "./when.ts";
 * const now = Date.UTC(2026, 10, 25, 12);
 * console.assert(parseWhen("2h", now) === Date.UTC(2026, 10, 25, 10));
 * console.assert(parseWhen("today", now, { zone: "UTC" }) === Date.UTC(2026, 10, 25));
 * ```
 */
export function parseWhen(
  text: string,
  nowMs: number,
  options: { flag?: string; zone?: string | undefined } = {},
): number {
  const flag = options.flag ?? "--since";
  const t = text.trim().toLowerCase();
  const fail = () =>
    new UsageError(`Cannot read the ${flag} value "${text}": expected ${WHEN_FORMS}`, {
      hint: `for example: ${flag} 2h, ${flag} today or ${flag} "2026-12-01 08:00"`,
    });
  const d = /^(\d+)\s*([smhdw])$/.exec(t);
  if (d) return nowMs - Number(d[1]) * (UNITS[d[2] as string] as number);
  if (t === "today" || t === "yesterday") {
    const ms = startOfDay(nowMs, t === "today" ? 0 : 1, options.zone);
    if (ms === undefined) throw fail();
    return ms;
  }
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(t);
  if (local) {
    const [, y, mo, day, h, mi, s] = local;
    const ms = zonedInstant({
      year: Number(y),
      month: Number(mo),
      day: Number(day),
      hour: Number(h ?? 0),
      minute: Number(mi ?? 0),
      second: Number(s ?? 0),
    }, options.zone);
    if (ms === undefined) throw fail();
    return ms;
  }
  if (/^\d{4}-\d{2}-\d{2}t\d{2}:\d{2}(:\d{2}(\.\d+)?)?(z|[+-]\d{2}:?\d{2})$/.test(t)) {
    const ms = Date.parse(t.toUpperCase());
    if (!Number.isNaN(ms)) return ms;
  }
  throw fail();
}
