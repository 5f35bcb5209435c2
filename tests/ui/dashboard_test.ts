/**
 * @module
 * The dashboard's renderer at fixed sizes: snapshots of the screens, and the size contract
 * (exactly `rows` lines, none wider than `columns`) over many sizes and hostile texts.
 */

import { local } from "../fakes/clock.ts";
import assert from "node:assert/strict";
import type { StatusView } from "../../lib/status/read.ts";
import type { QueueItem, RunSummary } from "../../lib/state/types.ts";
import type { LiveRun } from "../../lib/run/live.ts";
import { type DashboardState, fit, renderDashboard, width } from "../../lib/ui/dashboard.ts";
import { IDLE_STATUS } from "../fakes/status.ts";

const NOW = Date.parse(local("2026-11-25 12:00:00"));

const idle: StatusView = IDLE_STATUS;

function run(id: string, task: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    task,
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "schedule" },
    enqueued_at: null,
    started_at: local("2026-11-25 11:00:00"),
    ended_at: local("2026-11-25 11:01:05"),
    duration_ms: 65_000,
    cost_usd: 0.0123,
    session_id: null,
    ...over,
  } as RunSummary;
}

function item(id: string, task: string, priority: "normal" | "high" = "normal"): QueueItem {
  return {
    id,
    task,
    priority,
    trigger: { type: "manual" },
    enqueued_at: local("2026-11-25 11:59:00"),
    seq: 1,
  } as QueueItem;
}

const busy: DashboardState = {
  now: NOW,
  status: {
    ...idle,
    runner: {
      state: "running",
      pid: 10,
      task: "daily-email",
      run_id: "20261125-115800-abcdef",
      elapsed_ms: 125_000,
      claude_pid: 11,
    },
    queue: { queued: 2, high: 1, paused: { since: local("2026-11-25 11:30:00"), until: null } },
    attention: {
      failed: 1,
      since: local("2026-11-25 10:00:00"),
      last: {
        id: "20261125-100000-zzzzzz",
        task: "inbox",
        status: "failed",
        ended_at: local("2026-11-25 10:00:10"),
      },
    },
    overdue: [{
      task: "weekly",
      slot: local("2026-11-25 08:00:00"),
      timezone: null,
      last_tick: local("2026-11-25 07:12:00"),
      message: "weekly did not run at 08:00; last tick 07:12",
    }],
    recent: [
      run("20261125-110000-aaaaaa", "daily-email"),
      run("20261125-100000-zzzzzz", "inbox", {
        status: "failed",
        outcome: { kind: "exit_error", code: 1, message: "boom\nwith a newline \x1b[31mred" },
        cost_usd: null,
      } as Partial<RunSummary>),
    ],
    today: { date: "2026-11-25", succeeded: 1, failed: 1, skipped: 0, cost_usd: 0.0123 },
    watcher: { state: "running", pid: 77, info: null },
    scheduler: {
      ...idle.scheduler,
      backend: "crontab",
      last_tick: { at: local("2026-11-25 11:59:20"), ok: true, message: "", pid: 5, queued: 0 },
      tick_age_ms: 40_000,
      scheduled: 1,
      next: [{ task: "daily-email", at: local("2026-11-26 08:00:00"), timezone: null }],
    },
  },
  queue: [
    item("20261125-115900-bbbbbb", "report", "high"),
    item("20261125-115901-cccccc", "inbox"),
  ],
  live: {
    run_id: "20261125-115800-abcdef",
    turns: 3,
    activity: "Bash: git log --oneline | head",
    tokens_in: 12_345,
    tokens_out: 678,
    cost_usd: null,
  },
  view: { kind: "main" },
  message: null,
};

Deno.test("renderDashboard() shows an idle home at 80x24", async (t) => {
  const lines = renderDashboard(
    { now: NOW, status: idle, queue: [], live: null, view: { kind: "main" }, message: null },
    { columns: 80, rows: 24 },
  );
  await t.assertSnapshot(lines);
});

Deno.test("renderDashboard() names the machine's zone beside the header's clock", () => {
  const lines = renderDashboard(
    {
      now: NOW,
      zone: "UTC+5:30",
      status: idle,
      queue: [],
      live: null,
      view: { kind: "main" },
      message: null,
    },
    { columns: 80, rows: 24 },
  );
  assert.match(lines[0] ?? "", / 2026-11-25 12:00:00 UTC\+5:30$/);
});

Deno.test("renderDashboard() shows the running task's progress, the queue and recent runs", async (t) => {
  await t.assertSnapshot(renderDashboard(busy, { columns: 100, rows: 30 }));
});

Deno.test("renderDashboard() cuts every line at a small size and keeps the keys line", async (t) => {
  const lines = renderDashboard(busy, { columns: 40, rows: 10 });
  await t.assertSnapshot(lines);
  assert.match(lines.at(-1) ?? "", /^q quit/);
});

Deno.test("renderDashboard() shows the picker, the cancel question, the log and a message", async (t) => {
  const size = { columns: 60, rows: 8 };
  await t.step("picker", async (t) => {
    await t.assertSnapshot(
      renderDashboard({
        ...busy,
        view: { kind: "picker", names: ["a", "b", "c", "d", "e", "f"], index: 4 },
      }, size),
    );
  });
  await t.step("picker with no tasks", async (t) => {
    await t.assertSnapshot(
      renderDashboard({ ...busy, view: { kind: "picker", names: [], index: 0 } }, size),
    );
  });
  await t.step("picker leaving out folder watches (a run of one needs a file)", () => {
    const wide = { columns: 120, rows: 8 };
    const shown = renderDashboard({
      ...busy,
      view: { kind: "picker", names: ["a", "b", "c"], needFile: ["inbox", "review"], index: 2 },
    }, wide);
    const note =
      "Not here: inbox, review (folder watches run on a file: clodputer run <task> --file <path>)";
    assert.deepEqual(shown.slice(2, 6), ["Run which task?", "    b", "  > c", note]);
    const only = renderDashboard({
      ...busy,
      view: { kind: "picker", names: [], needFile: ["inbox"], index: 0 },
    }, wide);
    assert.equal(
      only[2],
      "Not here: inbox (folder watches run on a file: clodputer run <task> --file <path>)",
    );
    assert.ok(!only.some((l) => l.startsWith("No tasks yet")));
  });
  await t.step("cancel question", async (t) => {
    await t.assertSnapshot(
      renderDashboard({
        ...busy,
        view: { kind: "confirm_cancel", task: "daily-email", run_id: "20261125-115800-abcdef" },
      }, size),
    );
  });
  await t.step("log", async (t) => {
    const lines = Array.from({ length: 20 }, (_, i) => `event ${i}`);
    const shown = renderDashboard({ ...busy, view: { kind: "log", lines } }, size);
    await t.assertSnapshot(shown);
    assert.ok(shown.includes("event 19"), "the log view shows the newest event");
  });
  await t.step("message", async (t) => {
    await t.assertSnapshot(
      renderDashboard({ ...busy, message: "started clodputer run report" }, size),
    );
  });
});

Deno.test("renderDashboard() shows a queue hold and the runs waiting for their time, as status does", () => {
  const at = new Date(2026, 10, 25, 13, 5).toISOString(); // 13:05 local, on today's date
  const state: DashboardState = {
    ...busy,
    status: {
      ...idle,
      queue: {
        ...idle.queue,
        hold: {
          kind: "usage_limit",
          since: at,
          until: at,
          reason: "limit reached",
          run_id: "r1",
          task: "daily-email",
        },
        waiting: [
          { id: "r2", task: "inbox", run_at: at, retry: "retry 1/3" },
          { id: "r3", task: "daily-email", run_at: at, retry: null },
        ],
      },
    },
  };
  const lines = renderDashboard(state, { columns: 100, rows: 30 });
  assert.ok(
    lines.includes(fit("held      deferred by usage limit until 13:05", 100)),
    lines.join("\n"),
  );
  assert.ok(lines.includes(fit("retry     inbox: retry 1/3 at 13:05 (run r2)", 100)));
  assert.ok(lines.includes(fit("waiting   daily-email at 13:05 (run r3)", 100)));
});

Deno.test("renderDashboard() returns exactly rows lines, none wider than columns", () => {
  const hostile: DashboardState = {
    ...busy,
    message: "错误: 出了问题 🚀 e\u0301\u0301 \t tab \r\n newline \x1b[2J escape",
    live: { ...(busy.live as LiveRun), activity: "Read: /tmp/日本語のファイル名.txt 😀😀😀" },
  };
  for (const state of [busy, hostile, { ...busy, status: null }]) {
    for (const columns of [0, 1, 2, 5, 17, 40, 79, 80, 133]) {
      for (const rows of [0, 1, 2, 3, 7, 24, 60]) {
        const lines = renderDashboard(state, { columns, rows });
        assert.equal(lines.length, rows, `${columns}x${rows}`);
        for (const line of lines) {
          assert.ok(width(line) <= columns, `${columns}x${rows}: "${line}" is ${width(line)} wide`);
          // deno-lint-ignore no-control-regex -- no control character reaches the terminal
          assert.doesNotMatch(line, /[\u0000-\u001f\u007f]/);
        }
      }
    }
  }
});

Deno.test("fit() counts wide characters as two cells and cuts with an ellipsis", () => {
  assert.equal(width("日本"), 4);
  assert.equal(width("e\u0301"), 1);
  assert.equal(fit("日本語", 5), "日本…");
  assert.equal(fit("abcdef", 4), "abc…");
  assert.equal(fit("abc", 3), "abc");
  assert.equal(fit("a\nb", 3), "a b");
  assert.equal(fit("abc", 0), "");
});

Deno.test("renderDashboard() shows today's skipped count as status does, costs rounded alike", () => {
  const state: DashboardState = {
    ...busy,
    status: {
      ...idle,
      today: { date: "2026-11-25", succeeded: 2, failed: 0, skipped: 3, cost_usd: 0.0123 },
      recent: [run("20261125-110000-aaaaaa", "daily-email", { cost_usd: 0.0041 })],
    },
  };
  const lines = renderDashboard(state, { columns: 100, rows: 30 });
  assert.ok(
    lines.includes(fit("today     2 succeeded, 0 failed, 3 skipped · $0.0123", 100)),
    lines.join("\n"),
  );
  assert.ok(lines.some((l) => /daily-email .* \$0\.0041 /.test(l)), lines.join("\n"));
});
