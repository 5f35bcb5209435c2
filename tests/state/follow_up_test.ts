/**
 * @module
 * Retries (backoff, the chain of attempts, not-before items) and queue holds (usage limit,
 * lost login), driven by an injected clock.
 */

import assert from "node:assert/strict";
import {
  applyFollowUp,
  decideFollowUp,
  DEFAULT_LIMIT_HOLD_MS,
  releaseAfterSuccess,
} from "../../lib/state/follow_up.ts";
import { describeRetry, planRetry, retryDelayMs } from "../../lib/state/retry.ts";
import { Store } from "../../lib/state/store.ts";
import type { Lease } from "../../lib/state/types.ts";
import type { Outcome } from "../../lib/run/outcome.ts";
import type { RunRecord, Trigger } from "../../lib/run/record.ts";
import { FakeClock } from "../fakes/clock.ts";

const SETTINGS = { max_retries: 3, retry_backoff_seconds: 60, max_retry_delay: 200 };

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

function record(id: string, outcome: Outcome, trigger: Trigger = { type: "schedule" }): RunRecord {
  return {
    id,
    task: "daily-email",
    status: outcome.kind === "success" ? "succeeded" : "failed",
    outcome,
    trigger,
    started_at: "2026-11-25T12:00:00.000Z",
    ended_at: "2026-11-25T12:00:00.000Z",
    duration_ms: 0,
    pid: null,
    exit: null,
    command: "claude",
    argv: [],
    cwd: null,
    claude: null,
    cleanup: null,
    output: {
      stdout: { bytes: 0, kept: 0, truncated: false },
      stderr: { bytes: 0, kept: 0, truncated: false },
    } as unknown as RunRecord["output"],
    warnings: [],
  };
}

const E500: Outcome = {
  kind: "claude_error",
  message: "API Error: 500 fake internal error",
  subtype: "success",
  api_error_status: 500,
  terminal_reason: "api_error",
};
const LIMIT: Outcome = {
  kind: "claude_error",
  message: "You've hit your limit · resets 1pm (Europe/Paris)",
  subtype: "success",
  api_error_status: null,
  terminal_reason: "api_error",
};
const AUTH: Outcome = {
  kind: "claude_error",
  message: "OAuth token has expired. Please obtain a new token or refresh your existing token.",
  subtype: "success",
  api_error_status: 401,
  terminal_reason: "api_error",
};

Deno.test("retryDelayMs() doubles from the backoff, jitters by ±25 %, caps at max_retry_delay", () => {
  const cases: [number, number, number][] = [
    [1, 0.5, 60_000],
    [2, 0.5, 120_000],
    [3, 0.5, 200_000], // 240 s capped at 200 s
    [1, 0, 45_000],
    [1, 0.999999, 75_000],
    [3, 0.999999, 200_000], // jitter never goes past the cap
    [9, 0, 150_000],
  ];
  for (const [retry, random, want] of cases) {
    assert.equal(retryDelayMs(retry, SETTINGS, random), want, `retry ${retry} random ${random}`);
  }
});

Deno.test("planRetry() links each attempt to the first run and stops after max_retries", () => {
  const now = Date.UTC(2026, 10, 25, 12, 0);
  let trigger: Trigger = { type: "schedule" };
  let id = "first";
  const seen: string[] = [];
  for (;;) {
    const plan = planRetry({ id, trigger }, SETTINGS, { nowMs: now, random: 0.5 });
    if (!plan) break;
    assert.equal(plan.retry_of, "first");
    assert.equal(plan.trigger.first, "schedule");
    seen.push(`${plan.attempt}/${plan.max_attempts} ${describeRetry(plan.trigger)}`);
    trigger = plan.trigger;
    id = `attempt-${plan.attempt}`;
  }
  assert.deepEqual(seen, ["2/4 retry 1/3", "3/4 retry 2/3", "4/4 retry 3/3"]);
  assert.equal(
    planRetry({ id: "x", trigger: { type: "manual" } }, { ...SETTINGS, max_retries: 0 }, {
      nowMs: now,
      random: 0.5,
    }),
    undefined,
  );
});

Deno.test("decideFollowUp(): retry a transient failure, defer a usage limit, hold on auth", () => {
  const nowMs = Date.UTC(2026, 11, 1, 10, 0);
  const opts = { nowMs, settings: SETTINGS, random: 0.5, newId: (ms: number) => `id-${ms}` };

  const retried = decideFollowUp(record("r1", E500), opts);
  assert.equal(retried.followUp.kind, "retry");
  assert.equal(retried.record.status, "failed");
  assert.deepEqual(retried.record.next_retry, {
    run_id: `id-${nowMs + 60_000}`,
    at: iso(nowMs + 60_000),
    attempt: 2,
    max_attempts: 4,
    reason: "API Error: 500 fake internal error",
  });

  const noRetries = decideFollowUp(record("r1", E500), { ...opts, settings: undefined });
  assert.equal(noRetries.followUp.kind, "none");
  assert.equal(noRetries.record.next_retry, undefined);

  const deferred = decideFollowUp(record("r2", LIMIT), opts);
  assert.equal(deferred.record.status, "deferred");
  assert.equal(deferred.record.deferred?.until, "2026-12-01T12:00:00.000Z");
  assert.ok(deferred.followUp.kind === "hold");
  assert.equal(deferred.followUp.hold.until, "2026-12-01T12:00:00.000Z");

  const noTime = decideFollowUp(
    record("r3", { ...LIMIT, message: "Claude usage limit reached" }),
    opts,
  );
  assert.equal(noTime.record.deferred?.until, iso(nowMs + DEFAULT_LIMIT_HOLD_MS));

  const auth = decideFollowUp(record("r4", AUTH), opts);
  assert.equal(auth.record.status, "auth_failed");
  assert.ok(auth.followUp.kind === "hold");
  assert.equal(auth.followUp.hold.until, null);

  const turns = decideFollowUp(
    record("r5", {
      kind: "claude_error",
      message: "Reached maximum number of turns (2)",
      subtype: "error_max_turns",
      api_error_status: null,
      terminal_reason: "max_turns",
    }),
    opts,
  );
  assert.equal(turns.followUp.kind, "none");
  assert.equal(turns.record.status, "failed");
});

function lease(): Lease {
  const t = "2026-11-25T12:00:00.000Z";
  return { pid: 10, started: "x", acquired_at: t, heartbeat_at: t };
}

Deno.test("a retry waits for its time while other tasks run, then runs", async () => {
  const clock = new FakeClock();
  using store = await Store.open(":memory:", clock);
  const me = lease();
  await store.acquireLease(me, null);
  const now = () => iso(clock.now());
  await store.enqueue(
    { id: "r1", task: "daily-email", priority: "normal", trigger: manual() },
    now(),
  );
  const first = await store.takeNext(me, now());
  assert.equal(first?.id, "r1");
  const failed = record("r1", E500);
  const decided = decideFollowUp(failed, {
    nowMs: clock.now(),
    settings: SETTINGS,
    random: 0.5,
    newId: () => "r2",
  });
  assert.ok(
    await store.finish({
      id: "r1",
      task: "daily-email",
      status: "failed",
      outcome: E500,
      trigger: failed.trigger,
      enqueued_at: now(),
      started_at: now(),
      ended_at: now(),
      duration_ms: 0,
      cost_usd: null,
      session_id: null,
    }, me),
  );
  const { events } = await applyFollowUp(store, decided.followUp, {
    record: decided.record,
    item: { priority: "normal" },
    clock,
  });
  assert.equal(events[0]?.event, "task_retry_scheduled");
  assert.equal(events[0]?.retry_run_id, "r2");
  assert.equal(events[0]?.at, iso(clock.now() + 60_000));
  await store.enqueue({ id: "o1", task: "other", priority: "normal", trigger: manual() }, now());

  // The retry is first in the queue but not due: the other task runs.
  assert.deepEqual((await store.queued()).map((q) => q.id), ["r2", "o1"]);
  assert.equal((await store.takeNext(me, now()))?.id, "o1");
  await store.finish({ ...summaryOf("o1", "other"), started_at: now(), ended_at: now() }, me);
  assert.equal(await store.takeNext(me, now()), undefined, "the retry is not due yet");
  await clock.advance(59_999);
  assert.equal(await store.takeNext(me, now()), undefined, "one ms early");
  await clock.advance(1);
  const retry = await store.takeNext(me, now());
  assert.equal(retry?.id, "r2");
  assert.deepEqual(retry?.trigger, {
    type: "retry",
    attempt: 2,
    max_attempts: 4,
    retry_of: "r1",
    first: "schedule",
  });
});

Deno.test("a usage limit holds every item until it resets, and queues the run again for then", async () => {
  const clock = new FakeClock(Date.UTC(2026, 11, 1, 10, 0));
  using store = await Store.open(":memory:", clock);
  const me = lease();
  await store.acquireLease(me, null);
  const now = () => iso(clock.now());
  await store.enqueue(
    { id: "r1", task: "daily-email", priority: "normal", trigger: manual() },
    now(),
  );
  await store.takeNext(me, now());
  const decided = decideFollowUp(record("r1", LIMIT), {
    nowMs: clock.now(),
    settings: SETTINGS,
    random: 0.5,
    newId: () => "r1-again",
  });
  await store.finish({ ...summaryOf("r1", "daily-email"), status: "deferred" }, me);
  assert.equal(await store.attention(), undefined, "a deferred run is not a failure");
  const { events } = await applyFollowUp(store, decided.followUp, {
    record: decided.record,
    item: { priority: "normal" },
    clock,
  });
  assert.equal(events[0]?.event, "queue_held");
  assert.equal(events[0]?.until, "2026-12-01T12:00:00.000Z");
  await store.enqueue({ id: "o1", task: "other", priority: "high", trigger: manual() }, now());
  assert.equal(await store.takeNext(me, now()), undefined, "held: nothing starts");
  assert.equal((await store.takeNext(me, now(), "o1"))?.id, "o1", "a followed run may");
  await store.finish(summaryOf("o1", "other"), me);
  await clock.advance(2 * 3600_000 - 1);
  assert.equal(await store.takeNext(me, now()), undefined, "one ms before the reset");
  await clock.advance(1);
  const again = await store.takeNext(me, now());
  assert.equal(again?.id, "r1-again");
  assert.equal(again?.trigger.deferred_from, "r1");
});

Deno.test("a lost login holds the queue, is told once, and a success releases it", async () => {
  const clock = new FakeClock();
  using store = await Store.open(":memory:", clock);
  const me = lease();
  await store.acquireLease(me, null);
  const now = () => iso(clock.now());
  const fail = async (id: string, again: string) => {
    const decided = decideFollowUp(record(id, AUTH), {
      nowMs: clock.now(),
      settings: SETTINGS,
      random: 0.5,
      newId: () => again,
    });
    assert.equal(decided.record.status, "auth_failed");
    assert.match(decided.record.auth_hold?.fix ?? "", /claude setup-token/);
    return await applyFollowUp(store, decided.followUp, {
      record: decided.record,
      item: { priority: "normal" },
      clock,
    });
  };
  const first = await fail("r1", "r1-again");
  assert.equal(first.newHold, true, "the first auth failure is told");
  assert.equal(first.events[0]?.event, "queue_held");
  await store.enqueue({ id: "o1", task: "other", priority: "normal", trigger: manual() }, now());
  await clock.advance(7 * 86_400_000);
  assert.equal(await store.takeNext(me, now()), undefined, "held with no end");
  assert.deepEqual((await store.queued()).map((q) => q.id), ["r1-again", "o1"]);

  // The canary: one item may try under the hold; it fails again, which is not told again.
  assert.equal((await store.takeNext(me, now(), "r1-again"))?.id, "r1-again");
  await store.finish({ ...summaryOf("r1-again", "daily-email"), status: "auth_failed" }, me);
  const second = await fail("r1-again", "r1-third");
  assert.equal(second.newHold, false);
  assert.equal((await store.hold())?.since, iso(clock.now() - 7 * 86_400_000));
  assert.equal((await store.hold())?.last_try, now());

  // The next try succeeds: the hold is released, the rest runs.
  assert.equal((await store.takeNext(me, now(), "r1-third"))?.id, "r1-third");
  await store.finish(summaryOf("r1-third", "daily-email"), me);
  const released = await releaseAfterSuccess(store, record("r1-third", { kind: "success" }));
  assert.equal(released[0]?.event, "queue_released");
  assert.equal(await store.hold(), undefined);
  assert.equal((await store.takeNext(me, now()))?.id, "o1");
});

function manual(): Trigger {
  return { type: "manual" };
}

function summaryOf(id: string, task: string) {
  const t = "2026-11-25T12:00:00.000Z";
  return {
    id,
    task,
    status: "succeeded" as const,
    outcome: { kind: "success" } as const,
    trigger: manual(),
    enqueued_at: t,
    started_at: t,
    ended_at: t,
    duration_ms: 0,
    cost_usd: null,
    session_id: null,
  };
}
