/**
 * @module
 * The words for a queue hold and a waiting retry, shared by `status` and the menu bar. Pure.
 */

import type { Hold } from "../queue/types.ts";

/** "13:05" when `iso` is on `today` (YYYY-MM-DD, local), else "2026-12-02 13:05". */
export function shortTime(iso: string, today: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return date === today ? time : `${date} ${time}`;
}

/** "deferred by usage limit until 13:00", or that claude cannot log in and what to do. */
export function describeHold(hold: Hold, today: string): string {
  switch (hold.kind) {
    case "usage_limit":
      return hold.until === null
        ? "deferred by usage limit"
        : `deferred by usage limit until ${shortTime(hold.until, today)}`;
    case "auth":
      return `claude cannot log in (${hold.reason}): run claude setup-token, then clodputer resume`;
  }
}
