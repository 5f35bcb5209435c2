/**
 * @module
 * The status renderer, with colour off.
 */

import { local } from "../fakes/clock.ts";
import assert from "node:assert/strict";
import { renderScheduler, renderStatus } from "../../lib/ui/status.ts";
import type { StatusView } from "../../lib/status/read.ts";
import type { TickBeat } from "../../lib/state/types.ts";
import type { SchedulerView } from "../../lib/schedule/overview.ts";
import { colors } from "../../lib/ui/color.ts";
import { IDLE_STATUS } from "../fakes/status.ts";

const base: StatusView = IDLE_STATUS;

const installed: SchedulerView = {
  ...base.scheduler,
  backend: "crontab",
  last_tick: { at: local("2026-11-25 12:00:00"), ok: true, message: "0 queued", pid: 5, queued: 0 },
  tick_age_ms: 40_000,
  scheduled: 2,
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
    queue: { queued: 3, high: 1, paused: null },
    today: { date: "2026-11-25", succeeded: 4, failed: 2, skipped: 0, cost_usd: 0.4213 },
    watcher: { state: "running", pid: 77, info: null },
    scheduler: installed,
  }, colors(false));
  assert.deepEqual(lines.slice(0, 5), [
    "runner:   running daily for 3m12s (run r1, claude pid 11, runner pid 10)",
    "queue:    3 queued (1 high)",
    "today:    4 succeeded, 2 failed · $0.42 (2026-11-25)",
    "watcher:  running (pid 77)",
    "schedule: crontab, current · last tick 40 s ago",
  ]);
});

Deno.test("renderStatus() names a dead runner and an unreadable crontab", () => {
  const lines = renderStatus({
    ...base,
    runner: { state: "dead", pid: 10, reason: "the runner (pid 10) is gone" },
    scheduler: { ...base.scheduler, unavailable: 'Cannot run crontab: "crontab" was not found' },
  }, colors(false));
  assert.equal(
    lines[0],
    "runner:   dead (pid 10): the runner (pid 10) is gone; the next clodputer run recovers",
  );
  assert.equal(
    lines[4],
    'schedule: not installed (the crontab cannot be read: Cannot run crontab: "crontab" was not found)',
  );
});

Deno.test("renderScheduler() says installed or not, stale, the last tick, next runs and missed slots", () => {
  const c = colors(false);
  const cases: [string, SchedulerView, string[]][] = [
    ["nothing scheduled", base.scheduler, [
      "schedule: not installed (clodputer install schedules tasks that have a schedule:)",
    ]],
    ["scheduled but not installed", { ...base.scheduler, scheduled: 2 }, [
      "schedule: not installed: 2 scheduled task(s) wait (run: clodputer install)",
    ]],
    ["current, with next runs and a catch-up", {
      ...installed,
      next: [{ task: "daily-email", at: "2026-11-26T06:00:00.000Z", timezone: "Europe/Paris" }],
      late: [
        {
          task: "daily-email",
          at: local("2026-11-25 09:12:00"),
          missed: 2,
          caught_up: 1,
          reasons: { folded: 2 },
        },
        {
          task: "minutely",
          since: local("2026-11-25 08:03:30"),
          at: local("2026-11-25 08:11:30"),
          missed: 9,
          caught_up: 0,
          reasons: { catch_up_skip: 3, folded: 6 },
        },
        {
          task: "old-record",
          at: local("2026-11-25 09:12:00"),
          missed: 1,
          caught_up: 0,
        },
        {
          task: "long-off",
          at: local("2026-11-25 09:12:00"),
          missed: 176,
          caught_up: 24,
          reasons: { run_all_limit: 176 },
          more: true,
        },
      ],
    }, [
      "schedule: crontab, current · last tick 40 s ago",
      "          next: daily-email at 2026-11-26 07:00:00 (Europe/Paris)",
      "          daily-email: missed 2 slots (2 folded into the newest run), caught up 1 (2026-11-25 09:12:00)",
      "          minutely: missed 9 slots (3 skipped late (catch_up: skip), 6 folded into the newest run), caught up 0 (2026-11-25 08:03:30 to 2026-11-25 08:11:30)",
      "          old-record: missed 1 slot, caught up 0 (2026-11-25 09:12:00)",
      "          long-off: missed 176+ slots (176 beyond the newest run_all queues, older ones not counted), caught up 24 (2026-11-25 09:12:00)",
    ]],
    ["no tick for 3 hours", { ...installed, tick_age_ms: 3 * 3600_000 }, [
      "schedule: crontab, current · no tick for 3h00m: is cron running? is the entry there?",
    ]],
    ["a failed tick", {
      ...installed,
      last_tick: { ...installed.last_tick as TickBeat, ok: false, message: "boom" },
    }, ["schedule: crontab, current · last tick 40 s ago (failed: boom)"]],
    ["stale", {
      ...installed,
      stale: ["it calls /gone/clodputer, which is not an executable file any more"],
    }, [
      "schedule: crontab, stale: it calls /gone/clodputer, which is not an executable file any more (run: clodputer install) · last tick 40 s ago",
    ]],
    ["launchd, never ticked", {
      ...installed,
      backend: "launchd",
      last_tick: null,
      tick_age_ms: null,
    }, [
      "schedule: launchd, current · no tick yet",
    ]],
    ["systemd, current", { ...installed, backend: "systemd" }, [
      "schedule: systemd, current · last tick 40 s ago",
    ]],
    ["systemd, stale", {
      ...installed,
      backend: "systemd",
      stale: ["clodputer-tick.service differs from what clodputer install writes"],
    }, [
      "schedule: systemd, stale: clodputer-tick.service differs from what clodputer install writes (run: clodputer install --systemd) · last tick 40 s ago",
    ]],
    ["systemd, timer not enabled and silent", {
      ...installed,
      backend: "systemd",
      inactive: "the timer is not enabled (systemctl --user enable --now clodputer-tick.timer)",
      tick_age_ms: 600_000,
    }, [
      "schedule: systemd, the timer is not enabled (systemctl --user enable --now clodputer-tick.timer) · no tick for 10m00s: is the timer active (systemctl --user status clodputer-tick.timer)? is the entry there?",
    ]],
    ["other entries", { ...installed, others: 1 }, [
      "schedule: crontab, current · last tick 40 s ago",
      "          1 other crontab line(s) call clodputer (an older install?): check crontab -l",
    ]],
  ];
  for (const [name, view, expected] of cases) {
    assert.deepEqual(renderScheduler(view, c), expected, name);
  }
});

Deno.test("renderStatus() names a pause and the failures not yet acknowledged", () => {
  const lines = renderStatus({
    ...base,
    queue: {
      queued: 2,
      high: 0,
      paused: { since: local("2026-11-25 10:00:00"), until: local("2026-11-25 14:00:00") },
    },
    attention: {
      failed: 2,
      since: local("2026-11-25 09:00:00"),
      last: { id: "r9", task: "daily", status: "failed", ended_at: local("2026-11-25 09:30:00") },
    },
  }, colors(false));
  assert.deepEqual(lines.slice(1, 3), [
    "queue:    2 queued · paused until 2026-11-25 14:00:00",
    "failed:   2 runs since 2026-11-25 09:00:00, the last daily (run r9); clodputer ack when seen",
  ]);
  const forever = renderStatus({
    ...base,
    queue: { queued: 0, high: 0, paused: { since: local("2026-11-25 10:00:00"), until: null } },
  }, colors(false));
  assert.equal(
    forever[1],
    "queue:    empty · paused since 2026-11-25 10:00:00 until clodputer resume",
  );
});

Deno.test("renderStatus() rounds today's cost like the runs under it", () => {
  const run = {
    id: "20261125-110000-aaaaaa",
    task: "daily",
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "schedule" },
    enqueued_at: null,
    started_at: local("2026-11-25 11:00:00"),
    ended_at: local("2026-11-25 11:01:05"),
    duration_ms: 65_000,
    cost_usd: 0.0041,
    session_id: null,
  } as StatusView["recent"][number];
  const lines = renderStatus({
    ...base,
    today: { date: "2026-11-25", succeeded: 3, failed: 0, skipped: 0, cost_usd: 0.0123 },
    recent: [run],
  }, colors(false));
  assert.ok(
    lines.includes("today:    3 succeeded, 0 failed · $0.0123 (2026-11-25)"),
    lines.join("\n"),
  );
  assert.ok(lines.some((l) => /daily .* \$0\.0041 /.test(l)), lines.join("\n"));
});

Deno.test("renderStatus() names the running web dashboard's address (no token), and nothing without one", () => {
  const lines = renderStatus(
    { ...base, web: { url: "http://127.0.0.1:7433/", pid: 4242 } },
    colors(false),
  );
  assert.ok(
    lines.includes(
      "web:      http://127.0.0.1:7433/ (pid 4242; clodputer web --open opens it)",
    ),
    lines.join("\n"),
  );
  assert.ok(!renderStatus(base, colors(false)).some((l) => l.startsWith("web:")));
});
