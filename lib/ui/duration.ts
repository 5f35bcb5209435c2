/**
 * @module
 * Durations, money and local times for people. Pure.
 */

import { zonedDateTime } from "../sys/zoned.ts";

/** Durations are worded below the faces (lib/run/describe.ts); re-exported for the faces. */
export { formatDuration } from "../run/describe.ts";

/** `$0.0012`, `$1.23`; "no cost reported" for null. */
export function formatCost(usd: number | null | undefined): string {
  if (usd === null || usd === undefined) return "no cost reported";
  if (usd === 0) return "$0";
  return usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
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
