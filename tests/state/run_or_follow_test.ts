/**
 * @module
 * The one runner loop, `runOrFollow()`, when another runner is alive: not following, it says
 * so and leaves; following a run, it reports where the run stands and returns its record.
 */

import assert from "node:assert/strict";
import { GLOBAL_DEFAULTS } from "../../lib/config/fields.ts";
import {
  type FollowState,
  runOrFollow,
  type RunOrFollowHooks,
  runQueue,
} from "../../lib/state/run_or_follow.ts";
import { Store } from "../../lib/state/store.ts";
import type { Lease, RunSummary } from "../../lib/state/types.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { SteppingClock } from "../fakes/clock.ts";
import { FakeProc, proc } from "../fakes/proc.ts";

const RUNNER = 42;

async function setup() {
  const clock = new SteppingClock();
  const store = await Store.open(":memory:", clock);
  const other = proc(RUNNER, 1);
  const now = new Date(clock.now()).toISOString();
  const lease: Lease = { pid: RUNNER, started: other.started, acquired_at: now, heartbeat_at: now };
  assert.ok(await store.acquireLease(lease, null));
  const deps = {
    proc: new FakeProc([other, proc(7, 1)]),
    clock,
    env: envFrom({}),
    paths: pathsUnder("/nonexistent/.clodputer"),
    os: "linux",
    selfPid: 7,
  };
  return {
    clock,
    store,
    lease,
    deps,
    iso: () => new Date(clock.now()).toISOString(),
    [Symbol.dispose]: () => store.close(),
  };
}

const global = { ...GLOBAL_DEFAULTS, grace_period: 1 };

Deno.test("runOrFollow() leaves the queue to a live runner, and says so", async () => {
  using s = await setup();
  await s.store.enqueue(
    { id: "r1", task: "a", priority: "normal", trigger: { type: "manual" } },
    s.iso(),
  );
  const busy: Lease[] = [];
  const result = await runOrFollow(s.deps, s.store, {
    global,
    stop: new AbortController().signal,
    hooks: { onBusy: (lease) => busy.push(lease) },
  });
  assert.deepEqual(result, { records: [], busy: true, followed: undefined });
  assert.deepEqual(busy, [s.lease]);
  assert.equal(
    await runQueue(s.deps, s.store, { global, stop: new AbortController().signal }),
    "busy",
  );
  assert.deepEqual((await s.store.queued()).map((q) => q.id), ["r1"], "still queued");
});

Deno.test("runOrFollow() follows a run another runner runs: waiting, running, its record", async () => {
  using s = await setup();
  await s.store.enqueue({
    id: "r0",
    task: "first",
    priority: "normal",
    trigger: { type: "manual" },
  }, s.iso());
  await s.store.enqueue(
    { id: "r1", task: "a", priority: "normal", trigger: { type: "manual" } },
    s.iso(),
  );
  const states: FollowState[] = [];
  let busy = 0;
  // The other runner, one step each time the follower looks.
  const steps = [
    async () => void await s.store.takeNext(s.lease, s.iso()),
    async () => {
      await s.store.finish(summary("r0", "first"), s.lease);
      await s.store.takeNext(s.lease, s.iso());
    },
    async () => await s.store.setClaudePid("r1", 99),
    async () => void await s.store.finish(summary("r1", "a"), s.lease),
  ];
  const hooks: RunOrFollowHooks = {
    onBusy: () => busy++,
    onFollowState: (state) => {
      states.push(state);
    },
  };
  const stepping = {
    ...s.deps,
    clock: {
      now: () => s.clock.now(),
      sleep: async (ms: number) => {
        await steps.shift()?.();
        await s.clock.sleep(ms);
      },
    },
  };
  const result = await runOrFollow(stepping, s.store, {
    global,
    stop: new AbortController().signal,
    hooks,
    follow: "r1",
  });
  assert.equal(busy, 1, "said once");
  assert.deepEqual(result.records, []);
  assert.equal(result.busy, false);
  assert.equal(result.followed?.id, "r1");
  assert.equal(result.followed?.status, "succeeded");
  assert.deepEqual(states, [
    { kind: "waiting", position: 2, running: undefined },
    { kind: "waiting", position: 1, running: "first" },
    { kind: "running", claudePid: undefined },
    { kind: "running", claudePid: 99 },
  ]);
});

Deno.test("runOrFollow() returns no record for a followed run removed from the queue", async () => {
  using s = await setup();
  await s.store.enqueue(
    { id: "r1", task: "a", priority: "normal", trigger: { type: "manual" } },
    s.iso(),
  );
  const states: FollowState[] = [];
  const stepping = {
    ...s.deps,
    clock: {
      now: () => s.clock.now(),
      sleep: async (ms: number) => {
        await s.store.remove("r1");
        await s.clock.sleep(ms);
      },
    },
  };
  const result = await runOrFollow(stepping, s.store, {
    global,
    stop: new AbortController().signal,
    hooks: { onFollowState: (state) => states.push(state) },
    follow: "r1",
  });
  assert.deepEqual(result, { records: [], busy: false, followed: undefined });
  assert.deepEqual(states, [{ kind: "waiting", position: 1, running: undefined }]);
});

function summary(id: string, task: string): RunSummary {
  return {
    id,
    task,
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "manual" },
    enqueued_at: null,
    started_at: "2026-11-25T12:00:00.000Z",
    ended_at: "2026-11-25T12:00:01.000Z",
    duration_ms: 1000,
    cost_usd: null,
    session_id: null,
  };
}
