/**
 * @module
 * The queue as `queue` shows it: the runner (alive or why not), the running item with its time,
 * the queued items in order.
 */

import assert from "node:assert/strict";
import { Store } from "../../lib/state/store.ts";
import { readQueue } from "../../lib/state/view.ts";
import { SteppingClock } from "../fakes/clock.ts";
import { FakeProc } from "../fakes/proc.ts";

Deno.test("readQueue(): the dead runner with its reason, the running item's elapsed time, the queue", async () => {
  const clock = new SteppingClock();
  using store = await Store.open(":memory:", clock);
  const at = new Date(clock.now()).toISOString();
  const lease = { pid: 42, started: "then", acquired_at: at, heartbeat_at: at };
  assert.ok(await store.acquireLease(lease, null));
  for (const id of ["r1", "r2", "r3"]) {
    await store.enqueue({ id, task: id, priority: "normal", trigger: { type: "manual" } }, at);
  }
  await store.takeNext(lease, at);
  await clock.sleep(1500);
  const view = await readQueue({ proc: new FakeProc([]), clock }, store);
  assert.deepEqual(view.runner, {
    pid: 42,
    alive: false,
    heartbeat_at: at,
    reason: "the runner (pid 42) is gone",
  });
  assert.equal(view.running?.id, "r1");
  assert.equal(view.running?.elapsed_ms, 1500);
  assert.deepEqual(view.queued.map((q) => q.id), ["r2", "r3"]);
});

Deno.test("readQueue(): nothing held, running or queued", async () => {
  const clock = new SteppingClock();
  using store = await Store.open(":memory:", clock);
  assert.deepEqual(await readQueue({ proc: new FakeProc([]), clock }, store), {
    runner: null,
    running: null,
    queued: [],
  });
});
