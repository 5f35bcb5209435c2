/**
 * @module
 * Durations, money and local times for people. Pure.
 */

import { zonedDateTime } from "../sys/zoned.ts";

/** Durations are worded below the faces (lib/run/describe.ts); re-exported for the faces. */
export { formatDuration } from "../run/describe.ts";

/**
 * `$0.0012`, `$1.23`; "no cost reported" for null. `places` fixes the decimals (see
 * `costPlaces`); without it, 4 below a cent and 2 from a cent up.
 */
export function formatCost(usd: number | null | undefined, places?: 2 | 4): string {
  if (usd === null || usd === undefined) return "no cost reported";
  if (usd === 0) return "$0";
  return `$${usd.toFixed(places ?? costPlaces([usd]))}`;
}

/**
 * The decimals that show every cost of a view alike: 4 when one is under a cent (so a total and
 * the runs under it round the same way and add up), else 2. Pure.
 */
export function costPlaces(values: readonly (number | null | undefined)[]): 2 | 4 {
  return values.some((v) => typeof v === "number" && v !== 0 && Math.abs(v) < 0.01) ? 4 : 2;
}

/** The local calendar date of an instant, as YYYY-MM-DD. */
export function localDate(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Date and time to the second, for tables: in `zone` when one is named, else the machine's. */
export function localTime(iso: string, zone?: string): string {
  if (zone) return zonedDateTime(Date.parse(iso), { zone, seconds: true });
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${localDate(d.getTime())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${
    pad(d.getSeconds())
  }`;
}

/**
 * The machine's zone at an instant as its offset from UTC: "UTC", "UTC+1", "UTC+5:30",
 * "UTC-3:30" (from the Date itself: no Intl formatter, which costs ~20 ms to start).
 */
export function zoneLabel(ms: number): string {
  const east = -new Date(ms).getTimezoneOffset();
  if (Number.isNaN(east)) return "local time";
  if (east === 0) return "UTC";
  const abs = Math.abs(east);
  const minutes = abs % 60;
  return `UTC${east < 0 ? "-" : "+"}${Math.floor(abs / 60)}${
    minutes ? `:${String(minutes).padStart(2, "0")}` : ""
  }`;
}

/**
 * A time for people outside a table that states its zone: the machine's local date and time to
 * the second, then its zone ("2026-12-07 07:30:12 UTC+1"). `--json` keeps ISO UTC.
 */
export function localTimeWithZone(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${localTime(iso)} ${zoneLabel(ms)}`;
}

/** A token count for a glance: 950, 12.3k, 1.2M. */
export function formatTokens(n: number): string {
  return n < 1000
    ? String(n)
    : n < 1_000_000
    ? `${(n / 1000).toFixed(1)}k`
    : `${(n / 1e6).toFixed(1)}M`;
}
