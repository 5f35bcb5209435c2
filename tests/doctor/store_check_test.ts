/**
 * @module
 * Doctor's store check: no home (nothing opened, nothing created), a store that opens, a live
 * runner, a stale lease (with and without a run marked running), a run marked running with no
 * lease, and a damaged store moved aside.
 */

import assert from "node:assert/strict";
import { checkStore } from "../../lib/doctor/checks/store.ts";
import { Store } from "../../lib/state/store.ts";
import type { Lease } from "../../lib/state/types.ts";
import { exists } from "../../lib/sys/fs.ts";
import { proc } from "../fakes/proc.ts";
import { type DoctorScene, doctorScene, ScriptedProc } from "./context.ts";

const STARTED = "Wed Nov 25 11:00:00 2026";
const manual = { type: "manual" as const };

function lease(s: DoctorScene, pid = 77): Lease {
  const now = new Date(s.clock.now()).toISOString();
  return { pid, started: STARTED, acquired_at: now, heartbeat_at: now };
}

/** Opens the scene's store, lets `setup` write to it, closes it. */
async function withStore(s: DoctorScene, setup: (store: Store) => Promise<void>): Promise<void> {
  using store = await Store.open(s.ctx().paths.state, s.clock);
  await setup(store);
}

/** Queues `task` and takes it under `mine`: it is then running. */
async function startRun(store: Store, s: DoctorScene, mine: Lease, task: string): Promise<string> {
  const now = new Date(s.clock.now()).toISOString();
  await store.enqueue({ id: `run-${task}`, task, priority: "normal", trigger: manual }, now);
  const item = await store.takeNext(mine, now);
  assert.ok(item, "taken");
  return item.id;
}

Deno.test("checkStore() returns nothing and creates no store when there is no home", async () => {
  await using s = await doctorScene({ home: false });
  const ctx = s.ctx();
  assert.deepEqual(await checkStore(ctx), []);
  assert.equal(await exists(ctx.paths.home), false);
});

Deno.test("checkStore() is ok for a store that opens, counting the queue", async () => {
  await using s = await doctorScene();
  assert.deepEqual(await checkStore(s.ctx()), [{
    id: "store",
    status: "ok",
    message: "State store opens: 0 queued, nothing running",
  }]);
  await withStore(s, async (store) => {
    const now = new Date(s.clock.now()).toISOString();
    await store.enqueue({ id: "r1", task: "a", priority: "normal", trigger: manual }, now);
    await store.enqueue({ id: "r2", task: "b", priority: "normal", trigger: manual }, now);
  });
  assert.equal(
    (await checkStore(s.ctx()))[0]?.message,
    "State store opens: 2 queued, nothing running",
  );
});

Deno.test("checkStore() is ok while a live runner holds the lease and runs a task", async () => {
  await using s = await doctorScene();
  const mine = lease(s);
  await withStore(s, async (store) => {
    assert.ok(await store.acquireLease(mine, null));
    await startRun(store, s, mine, "daily");
  });
  const live = new ScriptedProc([proc(77, 1, { started: STARTED })]);
  assert.deepEqual(await checkStore(s.ctx({ proc: live })), [{
    id: "store",
    status: "ok",
    message: "State store opens: 0 queued, running daily",
  }]);
});

Deno.test("checkStore() fails on a stale lease, naming the run still marked running", async () => {
  await using s = await doctorScene();
  const mine = lease(s);
  await withStore(s, (store) => store.acquireLease(mine, null).then(() => {}));
  const fix = "the next clodputer run takes it over, records that run as lost and kills its " +
    "leftovers; to do it now: clodputer run <any task>";
  assert.deepEqual(await checkStore(s.ctx()), [{
    id: "store:lease",
    status: "fail",
    message: "Stale runner lease: the runner (pid 77) is gone",
    fix,
  }]);
  let id = "";
  await withStore(s, async (store) => {
    id = await startRun(store, s, mine, "daily");
  });
  // Alive, but silent for longer than a heartbeat may be.
  await s.clock.advance(6 * 60_000);
  const silent = new ScriptedProc([proc(77, 1, { started: STARTED })]);
  assert.deepEqual(await checkStore(s.ctx({ proc: silent })), [{
    id: "store:lease",
    status: "fail",
    message: "Stale runner lease: the runner (pid 77) has not sent a heartbeat for 360 s, and " +
      `daily (${id}) is still marked running`,
    fix,
  }]);
});

Deno.test("checkStore() fails on a run marked running that no runner holds", async () => {
  await using s = await doctorScene();
  const mine = lease(s);
  let id = "";
  await withStore(s, async (store) => {
    await store.acquireLease(mine, null);
    id = await startRun(store, s, mine, "daily");
    await store.releaseLease(mine);
  });
  assert.deepEqual(await checkStore(s.ctx()), [{
    id: "store:running",
    status: "fail",
    message: `daily (${id}) is marked running but no runner holds the lease`,
    fix: "the next clodputer run records it as lost; to do it now: clodputer run <any task>",
  }]);
});

Deno.test("checkStore() warns that a damaged store was moved aside, and keeps saying where it is", async () => {
  await using s = await doctorScene();
  const { paths } = s.ctx();
  await Deno.writeTextFile(paths.state, "this is not a database, not even close ".repeat(200));
  const first = await checkStore(s.ctx());
  assert.deepEqual(first.map((r) => [r.id, r.status]), [
    ["store", "warn"],
    ["store", "ok"],
    ["store:aside", "warn"],
  ]);
  const aside = first[2]?.message.replace("A damaged state store was moved aside: ", "") ?? "";
  assert.ok(aside.startsWith(`${paths.state}.corrupt-`), aside);
  assert.deepEqual(first[0], {
    id: "store",
    status: "warn",
    message: `state.kv could not be read; it was moved to ${aside} and a fresh store started`,
    fix: "the queue and run history start over; the old file is kept for inspection",
  });
  const again = await checkStore(s.ctx());
  assert.deepEqual(again, [{
    id: "store",
    status: "ok",
    message: "State store opens: 0 queued, nothing running",
  }, {
    id: "store:aside",
    status: "warn",
    message: `A damaged state store was moved aside: ${aside}`,
    fix: `inspect it, then delete it when you no longer need it: rm ${aside}*`,
  }]);
});
