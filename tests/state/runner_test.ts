/**
 * @module
 * The runner's decisions as units, with no claude: a FakeClock, a FakeProc, Store ":memory:" and
 * queued tasks that have no file (each such run fails before any process starts). What drain
 * takes and in which order, a pause and the run a person follows, a lost lease, the lease given
 * back; runQueue's "busy", and its look once more after releasing the lease.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { GLOBAL_DEFAULTS } from "../../lib/config/fields.ts";
import { pauseQueue } from "../../lib/state/pause.ts";
import { drain, startable } from "../../lib/state/runner.ts";
import { runQueue } from "../../lib/state/run_or_follow.ts";
import { Store } from "../../lib/state/store.ts";
import type { Lease, Priority } from "../../lib/state/types.ts";
import type { RunDeps } from "../../lib/run/run_task.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeProc, proc } from "../fakes/proc.ts";

const SELF = 5000;
const STARTED = "Wed Nov 25 11:00:00 2026";
const manual = { type: "manual" as const };

interface Scene extends AsyncDisposable {
  clock: FakeClock;
  store: Store;
  deps: RunDeps;
  mine: Lease;
  enqueue(id: string, priority?: Priority): Promise<void>;
}

async function scene(table = [proc(SELF, 1, { started: STARTED })]): Promise<Scene> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-runner-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.tasks, { recursive: true });
  const clock = new FakeClock();
  const store = await Store.open(":memory:", clock);
  const now = () => new Date(clock.now()).toISOString();
  return {
    clock,
    store,
    deps: {
      proc: new FakeProc(table),
      clock,
      env: envFrom({ HOME: root, CLODPUTER_HOME: paths.home, PATH: "/usr/bin:/bin" }),
      paths,
      os: "linux",
      selfPid: SELF,
    },
    mine: { pid: SELF, started: STARTED, acquired_at: now(), heartbeat_at: now() },
    async enqueue(id, priority = "normal") {
      // The task is named after the item: no file, so its run fails without starting claude.
      await store.enqueue({ id, task: `task-${id}`, priority, trigger: manual }, now());
    },
    async [Symbol.asyncDispose]() {
      store.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

const options = () => ({ global: GLOBAL_DEFAULTS, stop: new AbortController().signal });

Deno.test("drain() runs high priority first, then in order, and gives the lease back", async () => {
  await using s = await scene();
  await s.enqueue("a");
  await s.enqueue("b");
  await s.enqueue("c", "high");
  assert.ok(await s.store.acquireLease(s.mine, null));
  const records = await drain(s.deps, s.store, s.mine, options());
  assert.deepEqual(records.map((r) => [r.id, r.status]), [
    ["c", "failed"],
    ["a", "failed"],
    ["b", "failed"],
  ]);
  assert.deepEqual(await s.store.queued(), []);
  assert.equal(await s.store.running(), undefined);
  assert.equal(await s.store.lease(), undefined, "the lease is given back");
  assert.deepEqual((await s.store.runs()).map((r) => r.id).sort(), ["a", "b", "c"]);
});

Deno.test("drain() takes nothing from a paused queue but the run a person follows", async () => {
  await using s = await scene();
  await s.enqueue("a");
  await s.enqueue("b");
  await pauseQueue(s.deps.paths, { since: new Date(s.clock.now()).toISOString(), until: null });
  await s.store.acquireLease(s.mine, null);
  assert.deepEqual(await drain(s.deps, s.store, s.mine, options()), []);
  assert.equal((await s.store.queued()).length, 2);
  assert.equal(await s.store.lease(), undefined);

  await s.store.acquireLease(s.mine, null);
  const followed = await drain(s.deps, s.store, s.mine, { ...options(), exempt: "b" });
  assert.deepEqual(followed.map((r) => r.id), ["b"], "b only: the queue stays paused");
  assert.deepEqual((await s.store.queued()).map((q) => q.id), ["a"]);
});

Deno.test("drain() starts nothing once another runner holds the lease, and leaves its lease", async () => {
  await using s = await scene();
  await s.enqueue("a");
  const other: Lease = { ...s.mine, pid: 6000 };
  await s.store.acquireLease(other, null);
  assert.deepEqual(await drain(s.deps, s.store, s.mine, options()), []);
  assert.equal((await s.store.queued()).length, 1);
  assert.equal((await s.store.lease())?.lease.pid, 6000, "not ours to release");
});

Deno.test("drain() stops before the next item when stop is aborted", async () => {
  await using s = await scene();
  await s.enqueue("a");
  const stop = new AbortController();
  stop.abort("quit");
  await s.store.acquireLease(s.mine, null);
  assert.deepEqual(await drain(s.deps, s.store, s.mine, { ...options(), stop: stop.signal }), []);
  assert.equal((await s.store.queued()).length, 1);
  assert.equal(await s.store.lease(), undefined);
});

Deno.test("runQueue() is busy while a live runner holds the lease, and takes nothing", async () => {
  await using s = await scene([
    proc(SELF, 1, { started: STARTED }),
    proc(6000, 1, { started: STARTED }),
  ]);
  await s.enqueue("a");
  const now = new Date(s.clock.now()).toISOString();
  await s.store.acquireLease(
    { pid: 6000, started: STARTED, acquired_at: now, heartbeat_at: now },
    null,
  );
  assert.equal(await runQueue(s.deps, s.store, options()), "busy");
  assert.equal((await s.store.queued()).length, 1);
});

Deno.test("runQueue() looks once more after releasing the lease: an item queued then still runs", async () => {
  await using s = await scene();
  await s.enqueue("a");
  let releases = 0;
  // Another process queues "late" just as this runner gives the lease back.
  const store = new Proxy(s.store, {
    get(target, key) {
      if (key === "releaseLease") {
        return async (mine: Lease) => {
          await target.releaseLease(mine);
          if (releases++ === 0) await s.enqueue("late");
        };
      }
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  const records = await runQueue(s.deps, store, options());
  assert.ok(Array.isArray(records));
  assert.deepEqual(records.map((r) => r.id), ["a", "late"]);
  assert.equal(releases, 2, "the runner became the runner a second time");
  assert.deepEqual(await s.store.queued(), []);
  assert.equal(await startable(s.deps, s.store), false);
});

Deno.test("startable() counts only due items, and none while paused but the followed one", async () => {
  await using s = await scene();
  assert.equal(await startable(s.deps, s.store), false, "empty");
  const later = new Date(s.clock.now() + 60_000).toISOString();
  await s.store.enqueue(
    { id: "r", task: "retry", priority: "normal", trigger: manual, run_at: later },
    new Date(s.clock.now()).toISOString(),
  );
  assert.equal(await startable(s.deps, s.store), false, "not due yet");
  assert.equal(await startable(s.deps, s.store, "r"), true, "unless it is the one followed");
  await s.clock.advance(60_000);
  assert.equal(await startable(s.deps, s.store), true, "due");
  await pauseQueue(s.deps.paths, { since: new Date(s.clock.now()).toISOString(), until: null });
  assert.equal(await startable(s.deps, s.store), false, "paused");
  assert.equal(await startable(s.deps, s.store, "r"), true, "the followed run is exempt");
});
