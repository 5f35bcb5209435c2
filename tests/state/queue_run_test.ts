/**
 * @module
 * `queueRun()`: a new manual item is queued and logged once; a task already queued comes back as
 * a duplicate, unlogged. `withdrawRun()`: a queued run is taken out; any other is asked to cancel.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../lib/state/open.ts";
import { QueuedForAnotherFileError, queueRun, withdrawRun } from "../../lib/state/queue_run.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { SteppingClock } from "../fakes/clock.ts";

async function tempStore() {
  const root = await Deno.makeTempDir({ prefix: "clodputer-queue-run-" });
  const clock = new SteppingClock();
  const { store } = await openStore(pathsUnder(join(root, ".clodputer")), clock);
  const events: Record<string, unknown>[] = [];
  const log = { append: (e: Record<string, unknown>) => Promise.resolve(void events.push(e)) };
  return {
    store,
    clock,
    log,
    events,
    async [Symbol.asyncDispose]() {
      store.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("queueRun() queues a manual run and logs task_queued with its position", async () => {
  await using t = await tempStore();
  const a = await queueRun(t.store, t.log, { task: "a", priority: "normal", nowMs: t.clock.now() });
  const b = await queueRun(t.store, t.log, { task: "b", priority: "high", nowMs: t.clock.now() });
  assert.equal(a.kind, "queued");
  assert.equal(a.item.trigger.type, "manual");
  assert.deepEqual((await t.store.queued()).map((q) => q.task), ["b", "a"]);
  assert.deepEqual(t.events, [
    {
      event: "task_queued",
      run_id: a.item.id,
      task: "a",
      trigger: "manual",
      priority: "normal",
      position: 1,
    },
    {
      event: "task_queued",
      run_id: b.item.id,
      task: "b",
      trigger: "manual",
      priority: "high",
      position: 1,
    },
  ]);
});

Deno.test("queueRun() of a task already queued returns that item, adds nothing and logs nothing", async () => {
  await using t = await tempStore();
  const first = await queueRun(t.store, t.log, { task: "a", priority: "normal", nowMs: 1 });
  const again = await queueRun(t.store, t.log, { task: "a", priority: "high", nowMs: 2 });
  assert.equal(again.kind, "duplicate");
  assert.equal(again.item.id, first.item.id);
  assert.equal(again.position, 1);
  assert.equal((await t.store.queued()).length, 1);
  assert.equal(t.events.length, 1);
});

Deno.test("queueRun() of a task queued for another file (or none) refuses, naming both", async () => {
  await using t = await tempStore();
  const onA = { file_path: "/in/a.txt" };
  const first = await queueRun(t.store, t.log, {
    task: "w",
    priority: "normal",
    nowMs: 1,
    context: onA,
  });
  const same = await queueRun(t.store, t.log, {
    task: "w",
    priority: "normal",
    nowMs: 2,
    context: onA,
  });
  assert.equal(same.kind, "duplicate", "the same file: the item already queued");
  await assert.rejects(
    () =>
      queueRun(t.store, t.log, {
        task: "w",
        priority: "normal",
        nowMs: 3,
        context: { file_path: "/in/b.txt" },
      }),
    (e: unknown) =>
      e instanceof QueuedForAnotherFileError &&
      e.message ===
        `Cannot queue w for /in/b.txt: it is already queued as ${first.item.id} for /in/a.txt`,
  );
  await assert.rejects(
    () => queueRun(t.store, t.log, { task: "w", priority: "normal", nowMs: 4 }),
    /Cannot queue w: it is already queued as \S+ for \/in\/a\.txt/,
  );
  assert.equal((await t.store.queued()).length, 1, "nothing more queued");
});

Deno.test("queueRun() still queues when the log cannot be written", async () => {
  await using t = await tempStore();
  const broken = { append: () => Promise.reject(new Error("disk full")) };
  const r = await queueRun(t.store, broken, { task: "a", priority: "normal", nowMs: 1 });
  assert.equal(r.kind, "queued");
  assert.equal((await t.store.queued())[0]?.id, r.item.id);
});

Deno.test("withdrawRun() takes a queued run out, and asks the runner to cancel one not queued", async () => {
  await using t = await tempStore();
  const { item } = await queueRun(t.store, t.log, { task: "a", priority: "normal", nowMs: 1 });
  assert.equal(await withdrawRun(t.store, item.id, "SIGTERM"), "removed");
  assert.deepEqual(await t.store.queued(), []);
  assert.equal(await t.store.cancelRequest(item.id), undefined);
  assert.equal(await withdrawRun(t.store, "20261125-120000-000009", "SIGINT"), "cancel_requested");
  assert.equal(await t.store.cancelRequest("20261125-120000-000009"), "SIGINT");
});
