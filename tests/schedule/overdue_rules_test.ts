/**
 * @module
 * The dead-man's switch: the owed slot (grace, time zones, what is owed from when), its memo,
 * what counts as ran, the alarm's words; and the check against an in-memory store (raised once,
 * ran, disabled, uninstalled).
 */

import { dailyEntry } from "../fakes/schedule.ts";
import assert from "node:assert/strict";
import { nextRuns, slotsBetween } from "../../lib/config/cron_expr.ts";
import {
  memoHolds,
  overdueAlarm,
  type OwedInput,
  owedSlot,
  ranSince,
} from "../../lib/schedule/overdue_rules.ts";
import { checkOverdue, raiseOverdue } from "../../lib/schedule/overdue_check.ts";
import { overdueResult } from "../../lib/doctor/checks/schedule.ts";
import { Store } from "../../lib/state/store.ts";
import type { RunSummary } from "../../lib/state/types.ts";
import type { SchedulerView } from "../../lib/schedule/overview.ts";
import { FakeClock } from "../fakes/clock.ts";

const cron = { slotsBetween, nextRuns };
const at = (iso: string) => Date.parse(iso);

const daily: OwedInput = {
  expression: "0 8 * * *",
  timezone: "UTC",
  timeoutMs: 60_000,
  owedFromMs: at("2026-11-26T07:00:00Z"),
};

Deno.test("owedSlot() owes a slot once its timeout and 10 minutes have passed", () => {
  const cases: [string, OwedInput, string, string | null][] = [
    ["before the slot", daily, "2026-11-26T07:59:00Z", null],
    ["within the grace", daily, "2026-11-26T08:10:59Z", null],
    ["at the end of the grace", daily, "2026-11-26T08:11:00Z", "2026-11-26T08:00:00.000Z"],
    ["hours later", daily, "2026-11-26T23:00:00Z", "2026-11-26T08:00:00.000Z"],
    ["days later: the most recent", daily, "2026-11-29T09:00:00Z", "2026-11-29T08:00:00.000Z"],
    [
      "a long timeout is a long grace",
      { ...daily, timeoutMs: 3600_000 },
      "2026-11-26T09:09:00Z",
      null,
    ],
    [
      "nothing from before it was known",
      { ...daily, owedFromMs: at("2026-11-26T08:30:00Z") },
      "2026-11-26T10:00:00Z",
      null,
    ],
    [
      "its own time zone",
      { ...daily, timezone: "Europe/Paris", owedFromMs: at("2026-11-26T06:00:00Z") },
      "2026-11-26T07:11:00Z",
      "2026-11-26T07:00:00.000Z",
    ],
    [
      "every minute",
      { ...daily, expression: "* * * * *" },
      "2026-11-26T08:00:30Z",
      "2026-11-26T07:49:00.000Z",
    ],
  ];
  for (const [what, input, now, slot] of cases) {
    assert.equal(owedSlot(input, at(now), cron).slot, slot, what);
  }
});

Deno.test("owedSlot() holds until the next slot passes its grace, or its inputs change", () => {
  const memo = owedSlot(daily, at("2026-11-26T09:00:00Z"), cron);
  assert.equal(memo.until, "2026-11-27T08:11:00.000Z");
  assert.ok(memoHolds(memo, daily, at("2026-11-27T08:10:59Z")));
  assert.ok(!memoHolds(memo, daily, at("2026-11-27T08:11:00Z")), "the next slot is owed");
  assert.ok(!memoHolds(memo, daily, at("2026-11-26T08:59:00Z")), "the clock went back");
  assert.ok(!memoHolds(memo, { ...daily, expression: "0 9 * * *" }, at("2026-11-26T09:00:00Z")));
  assert.ok(!memoHolds(memo, { ...daily, timeoutMs: 1 }, at("2026-11-26T09:00:00Z")));
  assert.ok(!memoHolds(undefined, daily, at("2026-11-26T09:00:00Z")));
  const none = owedSlot(daily, at("2026-11-26T07:30:00Z"), cron);
  assert.equal(none.slot, null);
  assert.equal(none.until, "2026-11-26T08:11:00.000Z");
  const never = owedSlot({ ...daily, expression: "0 8 30 2 *" }, at("2026-11-26T09:00:00Z"), cron);
  assert.deepEqual([never.slot, never.until], [null, null]);
});

Deno.test("ranSince() counts a run started at or after the slot, and a queued or running item", () => {
  const slot = "2026-11-26T08:00:00.000Z";
  const runs = [
    { task: "a", started_at: "2026-11-26T08:00:00.000Z" },
    { task: "b", started_at: "2026-11-26T07:59:59.000Z" },
  ];
  assert.ok(ranSince("a", slot, { runs, busy: new Set() }));
  assert.ok(!ranSince("b", slot, { runs, busy: new Set() }), "a run before the slot");
  assert.ok(ranSince("b", slot, { runs, busy: new Set(["b"]) }));
  assert.ok(!ranSince("c", slot, { runs, busy: new Set(["b"]) }));
});

Deno.test("ranSince() counts a removed queued run of the slot or a later one, not an earlier", () => {
  const slot = "2026-11-26T08:00:00.000Z";
  const evidence = (dismissed: string) => ({
    runs: [],
    busy: new Set<string>(),
    dismissed: new Map([["a", dismissed]]),
  });
  assert.ok(ranSince("a", slot, evidence(slot)));
  assert.ok(ranSince("a", slot, evidence("2026-11-27T08:00:00.000Z")));
  assert.ok(!ranSince("a", slot, evidence("2026-11-25T08:00:00.000Z")));
  assert.ok(!ranSince("b", slot, evidence(slot)), "another task's removal");
});

Deno.test("overdueAlarm() names the task, the slot in its zone and the last tick", () => {
  const now = at("2026-11-26T09:00:00Z");
  const slot = "2026-11-26T08:00:00.000Z";
  assert.equal(
    overdueAlarm({ task: "daily-email", slot, timezone: "UTC" }, {
      lastTick: "2026-11-26T07:12:30.000Z",
      nowMs: now,
    }).message,
    "daily-email did not run at 08:00 UTC; last tick 07:12",
  );
  assert.equal(
    overdueAlarm({ task: "d", slot, timezone: "Asia/Tokyo" }, {
      lastTick: "2026-11-25T07:12:00.000Z",
      nowMs: now,
    }).message,
    "d did not run at 17:00 Asia/Tokyo; last tick 2026-11-25 16:12",
  );
  assert.equal(
    overdueAlarm({ task: "d", slot, timezone: "UTC" }, { lastTick: null, nowMs: now }).message,
    "d did not run at 08:00 UTC; no tick yet",
  );
});

Deno.test("overdueResult() gives the fix of the likely cause", () => {
  const alarm = overdueAlarm({ task: "d", slot: "2026-11-26T08:00:00.000Z", timezone: "UTC" }, {
    lastTick: "2026-11-26T07:00:00.000Z",
    nowMs: at("2026-11-26T09:00:00Z"),
  });
  const ok = { at: "2026-11-26T08:59:30.000Z", ok: true, message: "0 queued", pid: 1, queued: 0 };
  const base: SchedulerView = {
    backend: "crontab",
    stale: [],
    unavailable: null,
    others: 0,
    inactive: null,
    last_tick: ok,
    tick_age_ms: 30_000,
    scheduled: 1,
    next: [],
    late: [],
  };
  const fix = (s: Partial<SchedulerView>) =>
    overdueResult(alarm, { scheduler: { ...base, ...s }, cronLog: "/h/cron.log" }).fix ?? "";
  assert.match(fix({ backend: null }), /not installed .*run clodputer install/);
  assert.match(fix({ tick_age_ms: 2 * 3600_000 }), /not ticking: is cron running\?/);
  assert.match(
    fix({ last_tick: { ...ok, ok: false, message: "boom" } }),
    /the last tick failed: boom/,
  );
  assert.match(
    fix({ late: [{ task: "d", at: ok.at, missed: 1, caught_up: 0 }] }),
    /slept .*catch_up: run_once/,
  );
  assert.match(fix({}), /clodputer run d$/);
  const result = overdueResult(alarm, { scheduler: base, cronLog: "/h/cron.log" });
  assert.equal(result.status, "fail");
  assert.equal(result.id, "overdue:d");
});

function summary(task: string, startedAt: string): RunSummary {
  return {
    id: `run-${task}-${startedAt}`,
    task,
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "schedule", slot: "2026-11-26T08:00:00.000Z" },
    enqueued_at: startedAt,
    started_at: startedAt,
    ended_at: startedAt,
    duration_ms: 1,
    cost_usd: null,
    session_id: null,
  } as RunSummary;
}

Deno.test("checkOverdue() raises each overdue slot once; a run or a disabled task is not overdue", async (t) => {
  using store = await Store.open(":memory:", new FakeClock(0));
  const nine = at("2026-11-26T09:00:00Z");
  await store.setSchedulerSince("2026-11-26T07:00:00.000Z");
  await store.setTickBeat({
    at: "2026-11-26T07:00:00.000Z",
    ok: true,
    message: "",
    pid: 1,
    queued: 0,
  });
  await store.setScheduleCache("missed", dailyEntry());
  await store.setScheduleCache("ran", dailyEntry());
  await store.setScheduleCache("off", dailyEntry({ enabled: false }));
  await store.finish(summary("ran", "2026-11-26T08:00:02.000Z"));

  await t.step("raised by the first check only", async () => {
    const first = await checkOverdue(store, { nowMs: nine, raise: true });
    assert.deepEqual(first.overdue.map((o) => [o.task, o.slot, o.message]), [
      ["missed", "2026-11-26T08:00:00.000Z", "missed did not run at 08:00 UTC; last tick 07:00"],
    ]);
    assert.equal(first.raised.length, 1);
    const again = await checkOverdue(store, { nowMs: nine + 60_000, raise: true });
    assert.equal(again.overdue.length, 1, "still overdue");
    assert.equal(again.raised.length, 0, "not raised again");
  });

  await t.step("the next day's slots are raised again", async () => {
    const next = await checkOverdue(store, { nowMs: nine + 86_400_000, raise: true });
    assert.deepEqual(next.raised.map((o) => [o.task, o.slot]), [
      ["missed", "2026-11-27T08:00:00.000Z"],
      ["ran", "2026-11-27T08:00:00.000Z"],
    ]);
  });

  await t.step("a run by hand after the slot, or a queued item, settles it", async () => {
    await store.finish(summary("missed", "2026-11-27T10:00:00.000Z"));
    await store.enqueue({
      id: "q1",
      task: "ran",
      priority: "normal",
      trigger: { type: "manual" },
    }, "2026-11-27T10:00:00.000Z");
    const after = await checkOverdue(store, { nowMs: nine + 86_400_000 + 3600_000, raise: true });
    assert.deepEqual(after.overdue, []);
  });

  await t.step("nothing is owed once scheduling stopped (uninstall)", async () => {
    await store.setSchedulerSince(null);
    const none = await checkOverdue(store, { nowMs: nine + 3 * 86_400_000, raise: true });
    assert.deepEqual(none, { overdue: [], raised: [] });
  });
});

Deno.test("raiseOverdue() raises after a check that only looked, notifies once, and logs a failed hook", async () => {
  using store = await Store.open(":memory:", new FakeClock(0));
  const nine = at("2026-11-26T09:00:00Z");
  await store.setSchedulerSince("2026-11-26T07:00:00.000Z");
  await store.setScheduleCache("missed", dailyEntry());

  // Reading the status looks without raising: the slot is still raised by the step that acts.
  const looked = await checkOverdue(store, { nowMs: nine, lastTick: null, raise: false });
  assert.deepEqual([looked.overdue.length, looked.raised.length], [1, 0]);

  const told: string[] = [];
  const first = await raiseOverdue(store, {
    nowMs: nine,
    lastTick: null,
    notify: (alarm) => {
      told.push(alarm.task);
      return Promise.reject(new Error("no channel"));
    },
  });
  assert.deepEqual(told, ["missed"]);
  assert.deepEqual(first.check.raised.map((o) => o.task), ["missed"]);
  assert.deepEqual(first.events.map((e) => [e.event, e.task]), [
    ["task_overdue", "missed"],
    ["overdue_notify_failed", "missed"],
  ]);
  assert.equal(first.events[1]?.error, "no channel");

  const again = await raiseOverdue(store, { nowMs: nine + 60_000, notify: undefined });
  assert.deepEqual([again.check.overdue.length, again.events], [1, []], "raised once");
});
