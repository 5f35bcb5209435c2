/**
 * @module
 * Durations, money and local times for people. Pure.
 */

import { zonedDateTime } from "../sys/zoned.ts";

/**
 * `950ms`, `3.2s`, `3m12s`, `1h02m`.
 * @example
 * ```ts
 * import { formatDuration } from "./duration.ts";
 * console.assert(formatDuration(192_000) === "3m12s");
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  return `${minutes}m${String(seconds).padStart(2, "0")}s`;
}

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
