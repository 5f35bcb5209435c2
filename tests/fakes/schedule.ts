/**
 * @module
 * What the tick keeps of a scheduled task (a schedule cache entry), for tests: a daily task at
 * 08:00 UTC with a one-minute timeout, its file last changed on 2026-11-20.
 */

import type { ScheduleCacheEntry } from "../../lib/state/types.ts";

/** A kept daily-at-08:00-UTC schedule; `enabled` false for a disabled task. */
export function dailyEntry(options: { enabled?: boolean } = {}): ScheduleCacheEntry {
  return {
    mtime: Date.parse("2026-11-20T00:00:00Z"),
    size: 1,
    error: null,
    schedule: {
      enabled: options.enabled ?? true,
      expression: "0 8 * * *",
      timezone: "UTC",
      catch_up: "skip",
      catch_up_max_age_ms: null,
      priority: "normal",
      timeout_ms: 60_000,
    },
  };
}
