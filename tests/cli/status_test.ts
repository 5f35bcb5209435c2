/**
 * @module
 * The status renderer, with colour off.
 */

import assert from "node:assert/strict";
import { renderStatus, type StatusView } from "../../lib/cli/status.ts";
import { colors } from "../../lib/ui/color.ts";

const base: StatusView = {
  runner: { state: "idle" },
  queue: { queued: 0, high: 0 },
  recent: [],
  today: { date: "2026-11-25", succeeded: 0, failed: 0, cost_usd: 0 },
  watcher: { state: "not running" },
  canary: null,
  crontab: { state: "no entries" },
};

Deno.test("renderStatus() says what the runner, queue, watcher and crontab are doing", () => {
  const lines = renderStatus({
    ...base,
    runner: {
      state: "running",
      pid: 10,
      task: "daily",
      run_id: "r1",
      elapsed_ms: 192_000,
      claude_pid: 11,
    },
    queue: { queued: 3, high: 1 },
    today: { date: "2026-11-25", succeeded: 4, failed: 2, cost_usd: 0.4213 },
    watcher: { state: "running", pid: 77 },
    crontab: { state: "has entries", entries: 3 },
  }, colors(false));
  assert.deepEqual(lines.slice(0, 5), [
    "runner:   running daily for 3m12s (run r1, claude pid 11, runner pid 10)",
    "queue:    3 queued (1 high)",
    "today:    4 succeeded, 2 failed · $0.42 (2026-11-25)",
    "watcher:  running (pid 77)",
    "crontab:  3 clodputer entries",
  ]);
});

Deno.test("renderStatus() names a dead runner and an unreadable crontab", () => {
  const lines = renderStatus({
    ...base,
    runner: { state: "dead", pid: 10, reason: "the runner (pid 10) is gone" },
    crontab: { state: "unavailable", detail: '"crontab" was not found' },
  }, colors(false));
  assert.equal(
    lines[0],
    "runner:   dead (pid 10): the runner (pid 10) is gone; the next clodputer run recovers",
  );
  assert.equal(lines[4], 'crontab:  cannot be read ("crontab" was not found)');
});
