/**
 * @module
 * A task's cron, read in its time zone, as crons in UTC: what schedulers that know only UTC (GitHub
 * Actions) need. A zone's offset changes with daylight saving time, so the conversion is made for
 * each offset the zone has over the coming year; the caller decides what to do when they differ
 * (GitHub: one cron per offset, and a guard that runs only the one for the offset in force).
 *
 * The fields are expanded to sets, each firing time of day moved by the offset, and the sets put
 * back together as cron lines, so the result is exact: a time that moves across midnight moves its
 * day of the week with it. What cannot be said in cron after the move is refused with the reason:
 * a day of the month or a month named in the cron when a time moves to another day. Pure.
 */

import { normalizeCron } from "../config/cron_expr.ts";
import { UsageError } from "../errors.ts";
import { zoneOffsetMs } from "../sys/zoned.ts";

/** The five fields as sets of numbers (day of week 0-6, Sunday 0), and which were `*`. */
export interface CronSets {
  minutes: number[];
  hours: number[];
  days: number[];
  months: number[];
  weekdays: number[];
  /** The day-of-month and day-of-week fields as written were `*` (cron's OR needs to know). */
  anyDay: boolean;
  anyWeekday: boolean;
  anyMonth: boolean;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
const WEEKDAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

function range(from: number, to: number, step = 1): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i += step) out.push(i);
  return out;
}

function value(text: string, names: readonly string[] | undefined, base: number): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return named + base;
  if (!/^\d+$/.test(text)) return NaN;
  return Number(text);
}

/**
 * One field as a sorted set within `min..max`. `names` (months, weekdays) are accepted too.
 * @throws {UsageError} for what is not a cron field.
 */
export function expandField(
  field: string,
  min: number,
  max: number,
  names?: readonly string[],
): number[] {
  const base = names === MONTHS ? 1 : 0;
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [span = "", stepText] = part.split("/");
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number;
    let to: number;
    if (span === "*") {
      from = min;
      to = max;
    } else if (span.includes("-")) {
      const [a = "", b = ""] = span.split("-");
      from = value(a, names, base);
      to = value(b, names, base);
    } else {
      from = value(span, names, base);
      to = stepText === undefined ? from : max;
    }
    // Sunday may be written 7.
    const top = names === WEEKDAYS ? 7 : max;
    if (
      !Number.isInteger(from) || !Number.isInteger(to) || !Number.isInteger(step) || step < 1 ||
      from < min || to > top || from > to
    ) {
      throw new UsageError(`"${field}" is not a cron field this export can read`, {
        hint: `use numbers from ${min} to ${max}, ranges (a-b), lists (a,b) and steps (*/n)`,
      });
    }
    for (const n of range(from, to, step)) out.add(names === WEEKDAYS ? n % 7 : n);
  }
  return [...out].sort((a, b) => a - b);
}

/** The five fields of `expression` (an alias such as `@daily` expanded) as sets. */
export function cronSets(expression: string): CronSets {
  const fields = normalizeCron(expression).split(" ");
  if (fields.length !== 5) {
    throw new UsageError(`"${expression}" is not a five-field cron expression`, {
      hint: "minute hour day-of-month month day-of-week, e.g. 0 9 * * 1-5",
    });
  }
  const [m = "", h = "", dom = "", mon = "", dow = ""] = fields;
  return {
    minutes: expandField(m, 0, 59),
    hours: expandField(h, 0, 23),
    days: expandField(dom, 1, 31),
    months: expandField(mon, 1, 12, MONTHS),
    weekdays: expandField(dow, 0, 6, WEEKDAYS),
    anyDay: dom === "*",
    anyWeekday: dow === "*",
    anyMonth: mon === "*",
  };
}

/** A set as a cron field: `*` when it is the whole range, else runs as `a-b` and lists. */
export function fieldText(values: readonly number[], min: number, max: number): string {
  if (values.length === max - min + 1) return "*";
  const parts: string[] = [];
  let i = 0;
  while (i < values.length) {
    let j = i;
    while (j + 1 < values.length && (values[j + 1] as number) === (values[j] as number) + 1) j++;
    const a = values[i] as number;
    const b = values[j] as number;
    parts.push(j - i >= 2 ? `${a}-${b}` : j === i ? `${a}` : `${a},${b}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** The shortest time between two firings within a day, in minutes (across midnight too). */
export function shortestGapMinutes(sets: CronSets): number {
  const times = sets.hours.flatMap((h) => sets.minutes.map((m) => h * 60 + m)).sort((a, b) =>
    a - b
  );
  if (times.length <= 1) return 24 * 60;
  let gap = (times[0] as number) + 24 * 60 - (times.at(-1) as number);
  for (let i = 1; i < times.length; i++) {
    gap = Math.min(gap, (times[i] as number) - (times[i - 1] as number));
  }
  return gap;
}

/** A zone's offset from UTC at `ms`, in minutes (east positive: Paris in winter is 60). */
export function offsetAt(ms: number, zone: string): number {
  return Math.round(zoneOffsetMs(ms, zone) / 60_000);
}

/** The offsets `zone` has over the year from `fromMs`, in the order they come (one a day read). */
export function offsetsOver(zone: string, fromMs: number): number[] {
  const out: number[] = [];
  for (let day = 0; day <= 366; day++) {
    const o = offsetAt(fromMs + day * 86_400_000, zone);
    if (!out.includes(o)) out.push(o);
  }
  return out;
}

/** `+01:00`, `-03:30`, `+00:00`: an offset as `date +%:z` prints it. */
export function offsetText(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const a = Math.abs(minutes);
  return `${sign}${String(Math.floor(a / 60)).padStart(2, "0")}:${String(a % 60).padStart(2, "0")}`;
}

/**
 * The cron lines in UTC that fire when `sets` fires in a zone at `offset` minutes from UTC.
 * @throws {UsageError} when a time moves to another day and the cron names days of the month or
 *   months (cron cannot move those across a month's end), or days of both kinds.
 */
export function cronsInUtc(expression: string, sets: CronSets, offset: number): string[] {
  // The UTC minutes of each day shift: -1 (the day before), 0, +1 (the day after). A cron that
  // fires every day has no day to move.
  const everyDay = sets.anyDay && sets.anyMonth && sets.anyWeekday;
  const byShift = new Map<number, Map<number, number[]>>();
  for (const h of sets.hours) {
    for (const m of sets.minutes) {
      const t = h * 60 + m - offset;
      const shift = everyDay ? 0 : Math.floor(t / 1440);
      const utc = ((t % 1440) + 1440) % 1440;
      const hours = byShift.get(shift) ?? new Map<number, number[]>();
      const hour = Math.floor(utc / 60);
      hours.set(hour, [...(hours.get(hour) ?? []), utc % 60]);
      byShift.set(shift, hours);
    }
  }
  const lines: string[] = [];
  for (const [shift, hours] of [...byShift].sort((a, b) => a[0] - b[0])) {
    if (shift !== 0 && (!sets.anyDay || !sets.anyMonth)) {
      throw new UsageError(
        `"${expression}" cannot be said in UTC: at ${
          offsetText(offset)
        } some of its times fall on ` +
          "the day " + (shift < 0 ? "before" : "after") +
          ", and cron cannot move a day of the month or a month across a month's end",
        { hint: "use days of the week (or every day) in a task to export, or run it in UTC" },
      );
    }
    const weekdays = shift === 0 || sets.anyWeekday
      ? sets.weekdays
      : sets.weekdays.map((d) => (((d + shift) % 7) + 7) % 7).sort((a, b) => a - b);
    const dom = sets.anyDay ? "*" : fieldText(sets.days, 1, 31);
    const month = sets.anyMonth ? "*" : fieldText(sets.months, 1, 12);
    const dow = sets.anyWeekday ? "*" : fieldText(weekdays, 0, 6);
    // Hours with the same minutes share a line.
    const byMinutes = new Map<string, number[]>();
    for (const [hour, minutes] of [...hours].sort((a, b) => a[0] - b[0])) {
      const key = fieldText([...new Set(minutes)].sort((a, b) => a - b), 0, 59);
      byMinutes.set(key, [...(byMinutes.get(key) ?? []), hour]);
    }
    for (const [minutes, hs] of byMinutes) {
      lines.push(`${minutes} ${fieldText(hs, 0, 23)} ${dom} ${month} ${dow}`);
    }
  }
  return lines;
}

/** One offset a zone has, and the UTC crons for it. */
export interface UtcSchedule {
  /** Minutes east of UTC. */
  offset: number;
  crons: string[];
}

/**
 * The task's cron in UTC for each offset `zone` has over the year from `fromMs`, smallest offset
 * first: one entry when the zone keeps one offset (or the crons come out the same), else one per
 * offset.
 * @throws {UsageError} as cronsInUtc does.
 */
export function utcSchedules(expression: string, zone: string, fromMs: number): UtcSchedule[] {
  const sets = cronSets(expression);
  const out: UtcSchedule[] = [];
  // Smallest offset first, whatever the season of `fromMs`: an export made in June and one made in
  // December write the same file.
  for (const offset of offsetsOver(zone, fromMs).sort((a, b) => a - b)) {
    out.push({ offset, crons: cronsInUtc(expression, sets, offset) });
  }
  const first = out[0];
  if (first && out.every((s) => s.crons.join("\n") === first.crons.join("\n"))) return [first];
  return out;
}
