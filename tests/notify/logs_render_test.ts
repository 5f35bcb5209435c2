import { local } from "../fakes/clock.ts";
import assert from "node:assert/strict";
import { renderEvent } from "../../lib/cli/logs_tail.ts";
import { colors } from "../../lib/ui/color.ts";

const base = { ts: local("2026-11-25 08:00:12"), task: "daily-email", run_id: "r1" };

Deno.test("renderEvent() shows notify_sent and notify_failed for a person", () => {
  const c = colors(false);
  const sent = renderEvent({ ...base, event: "notify_sent", channel: "webhook", attempts: 1 }, c);
  assert.match(sent, /^2026-11-25 08:00:12 +daily-email notified \(webhook\) \(run r1\)$/);
  const failed = renderEvent({
    ...base,
    event: "notify_failed",
    channel: "desktop",
    attempts: 3,
    error: "notify-send was not found on PATH",
  }, c);
  assert.match(
    failed,
    /^2026-11-25 08:00:12 +daily-email notification failed \(desktop, 3 tries\): notify-send was not found on PATH \(run r1\)$/,
  );
});

Deno.test("renderEvent() says a runner was started by the tick, with its pid", () => {
  const line = renderEvent({
    ts: local("2026-11-25 08:00:12"),
    event: "runner_started",
    pid: 4242,
    by: "tick",
  }, colors(false));
  assert.equal(
    line,
    "2026-11-25 08:00:12  · runner started by the tick (pid 4242): it runs the queue",
  );
});

Deno.test("renderEvent() says schedule_missed, schedule_folded and task_overdue in words", () => {
  const c = colors(false);
  const missed = renderEvent({
    ts: local("2026-11-25 08:00:12"),
    event: "schedule_missed",
    task: "digest",
    missed: 3,
    more: false,
    late: 3,
    caught_up: 1,
    catch_up: "run_once",
    reasons: { folded: 2, catch_up_skip: 1 },
    slots: [
      { slot: local("2026-11-25 06:00"), reason: "catch_up_skip" },
      { slot: local("2026-11-25 07:00"), reason: "folded" },
    ],
  }, c);
  assert.doesNotMatch(missed, /[{"]/, "no raw JSON");
  assert.match(
    missed,
    /^2026-11-25 08:00:12 {2}⊘ digest missed 3 slots \(1 skipped late \(catch_up: skip\), 2 folded into the newest run\), caught up 1 \(catch_up: run_once\); newest 2026-11-25 07:00\S* (\S+ )?\(folded\)$/,
  );
  const folded = renderEvent({
    ts: local("2026-11-25 08:00:12"),
    event: "schedule_folded",
    task: "digest",
    slot: local("2026-11-25 08:00"),
    run_id: "r1",
  }, c);
  assert.match(
    folded,
    /^2026-11-25 08:00:12 {2}⊘ digest its 2026-11-25 08:00\S* (\S+ )?run folded into the run already queued \(run r1\)$/,
  );
  const overdue = renderEvent({
    ts: local("2026-11-25 08:00:12"),
    event: "task_overdue",
    task: "digest",
    slot: local("2026-11-25 07:00"),
    message: "its 07:00 run did not start",
  }, c);
  assert.equal(overdue, "2026-11-25 08:00:12  ! digest overdue: its 07:00 run did not start");
});
