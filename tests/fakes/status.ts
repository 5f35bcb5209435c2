/**
 * @module
 * A status view to build test views from: an idle runner, an empty queue, no runs, nothing
 * installed (status, the menu bar and the dashboard render the same view).
 */

import type { StatusView } from "../../lib/status/read.ts";

/** Nothing running, queued, run or installed, on 2026-11-25. */
export const IDLE_STATUS: StatusView = {
  runner: { state: "idle" },
  queue: { queued: 0, high: 0, paused: null },
  attention: null,
  overdue: [],
  recent: [],
  today: { date: "2026-11-25", succeeded: 0, failed: 0, skipped: 0, cost_usd: 0 },
  budget: null,
  watcher: { state: "not running" },
  canary: null,
  web: null,
  scheduler: {
    backend: null,
    stale: [],
    unavailable: null,
    others: 0,
    inactive: null,
    last_tick: null,
    tick_age_ms: null,
    scheduled: 0,
    next: [],
    late: [],
  },
};
