/**
 * @module
 * The state store over an in-memory KV.
 */

import assert from "node:assert/strict";
import { LockError } from "../../lib/errors.ts";
import { isLockedError, Store, withLockRetry } from "../../lib/state/store.ts";
import type { Lease, RunSummary } from "../../lib/state/types.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { FakeClock } from "../fakes/clock.ts";

const T = "2026-11-25T12:00:00.000Z";
const manual = { type: "manual" as const };

async function memStore(): Promise<Store> {
  return await Store.open(":memory:", systemClock);
}

function lease(pid: number, started = "Wed Nov 25 12:00:00 2026"): Lease {
  return { pid, started, acquired_at: T, heartbeat_at: T };
}

function summary(id: string, task: string, ended = T): RunSummary {
  return {
    id,
    task,
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: manual,
    enqueued_at: T,
    started_at: T,
    ended_at: ended,
    duration_ms: 1,
    cost_usd: 0.01,
    session_id: "s",
  };
}

Deno.test("enqueue() keeps FIFO within a priority and puts high first", async () => {
  using store = await memStore();
  const positions: number[] = [];
  for (
    const [id, task, priority] of [["1", "a", "normal"], ["2", "b", "normal"], ["3", "c", "high"], [
      "4",
      "d",
      "high",
    ]] as const
  ) {
    const r = await store.enqueue({ id, task, priority, trigger: manual }, T);
    assert.equal(r.kind, "queued");
    positions.push(r.position);
  }
  assert.deepEqual(positions, [1, 2, 1, 2]);
  assert.deepEqual((await store.queued()).map((q) => q.id), ["3", "4", "1", "2"]);
});

Deno.test("enqueue() does not queue a queued task twice, but queues a running one once more", async () => {
  using store = await memStore();
  const me = lease(10);
  assert.ok(await store.acquireLease(me, null));
  await store.enqueue({ id: "1", task: "a", priority: "normal", trigger: manual }, T);
  const dup = await store.enqueue({ id: "2", task: "a", priority: "high", trigger: manual }, T);
  assert.equal(dup.kind, "duplicate");
  assert.equal(dup.kind === "duplicate" && dup.existing.id, "1");
  // Now "a" runs: it may be queued once more behind itself, and only once.
  assert.equal((await store.takeNext(me, T))?.id, "1");
  assert.equal(
    (await store.enqueue({ id: "3", task: "a", priority: "normal", trigger: manual }, T)).kind,
    "queued",
  );
  assert.equal(
    (await store.enqueue({ id: "4", task: "a", priority: "normal", trigger: manual }, T)).kind,
    "duplicate",
  );
});

Deno.test("remove() and clear() take items out and free the task for queueing", async () => {
  using store = await memStore();
  await store.enqueue({ id: "1", task: "a", priority: "normal", trigger: manual }, T);
  await store.enqueue({ id: "2", task: "b", priority: "normal", trigger: manual }, T);
  assert.equal((await store.remove("1"))?.task, "a");
  assert.equal(await store.remove("1"), undefined);
  assert.equal(
    (await store.enqueue({ id: "3", task: "a", priority: "normal", trigger: manual }, T)).kind,
    "queued",
  );
  assert.deepEqual((await store.clear()).map((q) => q.id), ["2", "3"]);
  assert.deepEqual(await store.queued(), []);
});

Deno.test("remove() of a scheduled run keeps its slot as dismissed (the latest), forgetOverdue() drops it", async () => {
  using store = await memStore();
  const slot = (iso: string) => ({ type: "schedule" as const, slot: iso });
  await store.enqueue({ id: "1", task: "a", priority: "normal", trigger: slot(T) }, T);
  await store.enqueue({ id: "2", task: "b", priority: "normal", trigger: manual }, T);
  await store.remove("2");
  assert.deepEqual([...await store.dismissedSlots()], [], "a manual run settles no slot");
  await store.remove("1");
  assert.deepEqual([...await store.dismissedSlots()], [["a", T]]);
  const earlier = "2026-11-24T12:00:00.000Z";
  await store.enqueue({ id: "3", task: "a", priority: "normal", trigger: slot(earlier) }, T);
  await store.clear();
  assert.deepEqual([...await store.dismissedSlots()], [["a", T]], "an older slot keeps the later");
  await store.forgetOverdue("a");
  assert.deepEqual([...await store.dismissedSlots()], []);
});

Deno.test("acquireLease() succeeds only on the versionstamp the caller saw", async () => {
  using store = await memStore();
  assert.ok(await store.acquireLease(lease(1), null));
  assert.ok(
    !(await store.acquireLease(lease(2), null)),
    "a second runner cannot take a held lease",
  );
  const seen = await store.lease();
  assert.equal(seen?.lease.pid, 1);
  assert.ok(await store.acquireLease(lease(3), seen?.versionstamp ?? null));
  assert.ok(
    !(await store.acquireLease(lease(4), seen?.versionstamp ?? null)),
    "stale versionstamp",
  );
});

Deno.test("heartbeat(), takeNext() and finish() fail once the lease is someone else's", async () => {
  using store = await memStore();
  const old = lease(1);
  assert.ok(await store.acquireLease(old, null));
  await store.enqueue({ id: "1", task: "a", priority: "normal", trigger: manual }, T);
  await store.enqueue({ id: "2", task: "b", priority: "normal", trigger: manual }, T);
  assert.equal((await store.takeNext(old, T))?.id, "1");
  assert.ok(await store.heartbeat(old, "2026-11-25T12:00:10.000Z"));
  // Another process takes over.
  const seen = await store.lease();
  assert.ok(await store.acquireLease(lease(2), seen?.versionstamp ?? null));
  assert.equal(await store.heartbeat(old, T), false);
  assert.equal(await store.finish(summary("1", "a"), old), false);
  assert.equal(await store.takeNext(old, T), undefined);
  await store.releaseLease(old);
  assert.equal(
    (await store.lease())?.lease.pid,
    2,
    "releasing a lease that is not ours does nothing",
  );
});

Deno.test("takeNext() moves the head to running, one at a time", async () => {
  using store = await memStore();
  const me = lease(1);
  await store.acquireLease(me, null);
  await store.enqueue({
    id: "1",
    task: "a",
    priority: "normal",
    trigger: manual,
    context: { x: 1 },
  }, T);
  await store.enqueue({ id: "2", task: "b", priority: "normal", trigger: manual }, T);
  const first = await store.takeNext(me, "2026-11-25T12:00:05.000Z");
  assert.deepEqual(first, {
    id: "1",
    task: "a",
    priority: "normal",
    trigger: manual,
    context: { x: 1 },
    enqueued_at: T,
    seq: 1,
    started_at: "2026-11-25T12:00:05.000Z",
    runner_pid: 1,
    claude_pid: null,
  });
  assert.equal(await store.takeNext(me, T), undefined, "nothing more while one runs");
  await store.setClaudePid("1", 4242);
  assert.equal((await store.running())?.claude_pid, 4242);
  assert.ok(await store.finish(summary("1", "a"), me));
  assert.equal(await store.running(), undefined);
  assert.equal((await store.takeNext(me, T))?.id, "2");
  assert.equal(await store.lastRun("a"), "1");
});

Deno.test("runs() lists newest first, by task; prune() drops by count and age", async () => {
  using store = await memStore();
  await store.finish(summary("20261101-000000-aaaaaa", "a", "2026-11-01T00:00:00.000Z"));
  await store.finish(summary("20261120-000000-aaaaaa", "b", "2026-11-20T00:00:00.000Z"));
  await store.finish(summary("20261124-000000-aaaaaa", "a", "2026-11-24T00:00:00.000Z"));
  assert.deepEqual((await store.runs()).map((r) => r.id.slice(0, 8)), [
    "20261124",
    "20261120",
    "20261101",
  ]);
  assert.deepEqual((await store.runs({ task: "a", limit: 1 })).map((r) => r.id.slice(0, 8)), [
    "20261124",
  ]);
  const pruned = await store.prune({ keep: 2, before: "2026-11-10T00:00:00.000Z" });
  assert.deepEqual(pruned, ["20261101-000000-aaaaaa"]);
  assert.deepEqual(await store.prune({ keep: 1, before: "2026-01-01T00:00:00.000Z" }), [
    "20261120-000000-aaaaaa",
  ]);
});

Deno.test("finish() shortens a very long outcome message to fit the store", async () => {
  using store = await memStore();
  const long: RunSummary = {
    ...summary("1", "a"),
    status: "failed",
    outcome: { kind: "exit_error", code: 1, message: "x".repeat(100_000) },
  };
  await store.finish(long);
  const saved = await store.run("1");
  assert.ok(saved?.outcome.kind === "exit_error" && saved.outcome.message.length === 2000);
});

Deno.test("requestCancel() is seen by cancelRequest() and cleared by finish()", async () => {
  using store = await memStore();
  await store.requestCancel("1", "clodputer cancel");
  assert.equal(await store.cancelRequest("1"), "clodputer cancel");
  await store.finish(summary("1", "a"));
  assert.equal(await store.cancelRequest("1"), undefined);
});

Deno.test("withLockRetry() retries 'database is locked' and then gives a LockError", async () => {
  const clock = new FakeClock();
  let calls = 0;
  const flaky = withLockRetry(clock, "write", () => {
    calls++;
    if (calls < 4) return Promise.reject(new Error("database is locked"));
    return Promise.resolve("done");
  });
  while (calls < 4) await clock.advance(1000);
  assert.equal(await flaky, "done");

  let stuck = 0;
  const never = withLockRetry(clock, "write the queue", () => {
    stuck++;
    return Promise.reject(new Error("database is locked"));
  });
  let settled = false;
  never.catch(() => {}).finally(() => (settled = true));
  while (!settled) await clock.advance(1000);
  await assert.rejects(
    never,
    (e) =>
      e instanceof LockError &&
      /Cannot write the queue: the state store stayed locked/.test(e.message),
  );
  assert.equal(stuck, 61);
  await assert.rejects(
    withLockRetry(clock, "x", () => Promise.reject(new Error("other"))),
    /other/,
  );
  assert.ok(isLockedError(new Error("SQLITE_BUSY: database is locked")));
});

Deno.test("runs() orders runs of the same second by their start time", async () => {
  using store = await memStore();
  await store.finish({
    ...summary("20261125-120000-zzzzzz", "a"),
    started_at: "2026-11-25T12:00:00.100Z",
  });
  await store.finish({
    ...summary("20261125-120000-aaaaaa", "a"),
    started_at: "2026-11-25T12:00:00.900Z",
  });
  assert.deepEqual((await store.runs()).map((r) => r.id), [
    "20261125-120000-aaaaaa",
    "20261125-120000-zzzzzz",
  ]);
});

Deno.test("recentRuns() reads the newest runs and today's through the start-time index", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-store-" });
  try {
    const file = `${dir}/state.kv`;
    // A run recorded by a version without the index: indexed on first use.
    const kv = await Deno.openKv(file);
    const old = { ...summary("old", "a"), started_at: "2026-11-20T08:00:00.000Z" };
    await kv.set(["run", "old"], old);
    kv.close();
    using store = await Store.open(file, systemClock);
    for (let i = 0; i < 15; i++) {
      const at = `2026-11-25T1${String(i).padStart(2, "0").slice(-1)}:0${i % 10}:00.000Z`;
      await store.finish({ ...summary(`r${i}`, "a"), started_at: at, ended_at: at });
    }
    const recent = await store.recentRuns({ limit: 10 });
    assert.equal(recent.length, 10);
    const all = await store.runs();
    assert.deepEqual(recent.map((r) => r.id), all.slice(0, 10).map((r) => r.id), "same order");
    assert.ok(all.some((r) => r.id === "old"));
    assert.deepEqual(
      (await store.recentRuns({ since: "2026-11-21T00:00:00.000Z" })).length,
      15,
      "the run of the 20th is not today's",
    );
    assert.equal((await store.recentRuns({})).length, 16, "the old run is indexed");
    const pruned = await store.prune({ keep: 5, before: "2000-01-01" });
    assert.equal(pruned.length, 11);
    assert.equal((await store.recentRuns({})).length, 5, "pruned runs leave the index too");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
