/**
 * @module
 * The wall-clock reading of an instant in a time zone (the machine's when none is named), with one
 * `Intl.DateTimeFormat` per zone: building one costs far more than formatting with it.
 */

/** The calendar date and the time of day of an instant in one zone, zero-padded. */
export interface WallClock {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** What a clock on the wall in `zone` (default: the machine's zone) shows at `ms`. */
export function wallClock(ms: number, zone?: string): WallClock {
  const key = zone ?? "";
  let format = formatters.get(key);
  if (format === undefined) {
    format = new Intl.DateTimeFormat("en-CA", {
      ...(zone ? { timeZone: zone } : {}),
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(key, format);
  }
  const parts: Record<string, string> = {};
  for (const p of format.formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: parts.year ?? "",
    month: parts.month ?? "",
    day: parts.day ?? "",
    hour: parts.hour ?? "",
    minute: parts.minute ?? "",
    second: parts.second ?? "",
  };
}

/** `2026-11-26 08:00:00` (with `seconds`) or `2026-11-26 08:00`, in `zone` or the machine's. */
export function zonedDateTime(
  ms: number,
  options: { zone?: string; seconds?: boolean } = {},
): string {
  const w = wallClock(ms, options.zone);
  return `${w.year}-${w.month}-${w.day} ${w.hour}:${w.minute}${
    options.seconds ? `:${w.second}` : ""
  }`;
}

/** How far `zone`'s clock (default: the machine's) is ahead of UTC at `ms`, in ms. */
export function zoneOffsetMs(ms: number, zone?: string): number {
  const w = wallClock(ms, zone);
  const asUtc = Date.UTC(
    Number(w.year),
    Number(w.month) - 1,
    Number(w.day),
    Number(w.hour),
    Number(w.minute),
    Number(w.second),
  );
  return asUtc - Math.floor(ms / 1000) * 1000;
}
