/**
 * @module
 * `cancelRun()` and removing queued items: a queued run is taken out and logged, a finished one
 * is said to have ended, an unknown name is not found; `queue remove` and `queue clear` log each.
 * `cancelRunning()` asks the running run, and only it, to stop.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { NotFoundError } from "../../lib/errors.ts";
import { cancelRun, cancelRunning } from "../../lib/state/cancel.ts";
import { openStore } from "../../lib/state/open.ts";
import { clearQueue, removeQueued } from "../../lib/state/remove.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { SteppingClock } from "../fakes/clock.ts";
import { FakeProc } from "../fakes/proc.ts";

async function home() {
  const root = await Deno.makeTempDir({ prefix: "clodputer-cancel-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  const clock = new SteppingClock();
  const deps = {
    proc: new FakeProc([]),
    clock,
    env: envFrom({}),
    paths,
    os: "linux",
    selfPid: 7,
  };
  const at = new Date(clock.now()).toISOString();
  const { store } = await openStore(paths, clock);
  try {
    const items: [string, string][] = [["20261125-120000-000001", "a"], [
      "20261125-120000-000002",
      "b",
    ]];
    for (const [id, task] of items) {
      await store.enqueue({ id, task, priority: "normal", trigger: { type: "manual" } }, at);
    }
  } finally {
    store.close();
  }
  return {
    deps,
    async logged(): Promise<Record<string, unknown>[]> {
      const text = await Deno.readTextFile(paths.log).catch(() => "");
      return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    },
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("cancelRun(): a queued run, by task name, is taken out and logged", async () => {
  await using h = await home();
  const done = await cancelRun(h.deps, "b");
  assert.equal(done.kind, "removed");
  assert.equal(done.kind === "removed" && done.item.id, "20261125-120000-000002");
  assert.deepEqual(
    (await h.logged()).map((e) => [e.event, e.run_id, e.by]),
    [["task_removed", "20261125-120000-000002", "cancel"]],
  );
});

Deno.test("cancelRun(): nothing by that name is not found", async () => {
  await using h = await home();
  await assert.rejects(cancelRun(h.deps, "nope"), NotFoundError);
  await assert.rejects(cancelRun(h.deps, "20261125-120000-000009"), NotFoundError);
});

Deno.test("removeQueued() and clearQueue(): out of the queue, a task_removed each", async () => {
  await using h = await home();
  assert.equal(await removeQueued(h.deps, "20261125-120000-000009", "queue remove"), undefined);
  assert.equal(
    (await removeQueued(h.deps, "20261125-120000-000001", "queue remove"))?.task,
    "a",
  );
  assert.deepEqual((await clearQueue(h.deps, "queue clear")).map((q) => q.task), ["b"]);
  assert.deepEqual((await h.logged()).map((e) => [e.event, e.task, e.by]), [
    ["task_removed", "a", "queue remove"],
    ["task_removed", "b", "queue clear"],
  ]);
});

Deno.test("cancelRunning(): the running run is asked to stop; any other id is not running", async () => {
  await using h = await home();
  const { paths, clock } = h.deps;
  const at = new Date(clock.now()).toISOString();
  const { store } = await openStore(paths, clock);
  try {
    const me = { pid: 10, started: "x", acquired_at: at, heartbeat_at: at };
    await store.acquireLease(me, null);
    assert.equal((await store.takeNext(me, at))?.id, "20261125-120000-000001");

    assert.deepEqual(
      await cancelRunning(h.deps, "20261125-120000-000002", { by: "clodputer dashboard" }),
      { kind: "not_running", run_id: "20261125-120000-000002" },
    );
    assert.equal(await store.cancelRequest("20261125-120000-000002"), undefined);

    const done = await cancelRunning(h.deps, "20261125-120000-000001", {
      by: "clodputer dashboard",
    });
    assert.equal(done.kind, "cancelling");
    assert.equal(done.kind === "cancelling" && done.running.task, "a");
    assert.equal(await store.cancelRequest("20261125-120000-000001"), "clodputer dashboard");
  } finally {
    store.close();
  }
});

Deno.test("cancelRunning(): nothing running is not running", async () => {
  await using h = await home();
  assert.deepEqual(await cancelRunning(h.deps, "20261125-120000-000001", { by: "web" }), {
    kind: "not_running",
    run_id: "20261125-120000-000001",
  });
});
