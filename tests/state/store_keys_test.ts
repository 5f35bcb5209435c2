/**
 * @module
 * The store's KV keys, as a state.kv file holds them: every key family written through `Store`
 * and read back with a bare KV handle, so a change to a key (which would strand the state.kv
 * files already on disk) fails here.
 */

import { local } from "../fakes/clock.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../lib/state/store.ts";
import type { Lease, RunSummary } from "../../lib/state/types.ts";
import { systemClock } from "../../lib/sys/clock.ts";

// Noon of 2026-11-25 on this machine's wall clock: the ledger keys a run by its local day.
const T = local("2026-11-25 12:00");

Deno.test("the store writes each key family under the keys state.kv files already hold", async () => {
  const dir = await Deno.makeTempDir();
  const path = join(dir, "state.kv");
  try {
    const mine: Lease = {
      pid: 10,
      started: "Wed Nov 25 12:00:00 2026",
      acquired_at: T,
      heartbeat_at: T,
    };
    {
      using store = await Store.open(path, systemClock);
      assert.ok(await store.acquireLease(mine, null));
      await store.enqueue(
        { id: "r1", task: "a", priority: "normal", trigger: { type: "manual" } },
        T,
      );
      const taken = await store.takeNext(mine, T);
      assert.equal(taken?.id, "r1");
      await store.enqueue(
        { id: "r2", task: "b", priority: "high", trigger: { type: "schedule", slot: T } },
        T,
      );
      await store.enqueue(
        { id: "r3", task: "c", priority: "normal", trigger: { type: "manual" } },
        T,
      );
      await store.requestCancel("r1", "me");
      const summary: RunSummary = {
        id: "r1",
        task: "a",
        status: "failed",
        outcome: { kind: "exit_error", code: 1, message: "no" },
        trigger: { type: "manual" },
        enqueued_at: T,
        started_at: T,
        ended_at: T,
        duration_ms: 1,
        cost_usd: 0.5,
        session_id: null,
      };
      await store.costs("day"); // builds the ledger
      assert.ok(await store.finish(summary, mine));
      await store.remove("r2");
      await store.setHold({
        kind: "auth",
        since: T,
        until: null,
        reason: "r",
        run_id: "r1",
        task: "a",
      });
      await store.setCanary({ at: T, ok: true, message: "m", run_id: "r1", cost_usd: null });
      await store.raiseBudget("daily", "2026-11-25");
      const state = {
        fingerprint: "f",
        enabled: true,
        through: T,
        last_fired: null,
        last_catch_up: null,
      };
      await store.claimSlots("s", null, state, [], T);
      await store.setSchedulerSince(T);
      await store.setTickBeat({ at: T, ok: true, message: "", pid: 1, queued: 0 });
      await store.setScheduleCache("s", { mtime: 1, size: 2, schedule: null, error: null });
      await store.setOwedMemo("s", { key: "k", slot: null, at: T, until: null, ran: false });
      await store.raiseOverdue("s", { slot: T, at: T, last_tick: null, message: "m" });
      await store.resetWatch("w", "base", new Map([["x.txt", { mtime: 1, size: 2 }]]));
      await store.claimFile("w", "y.txt", null, { mtime: 3, size: 4 }, undefined, T);
      assert.ok(await store.setWatcherLease(null, { pid: 2, started: "s" }));
      await store.setIntervalSince("i", T);
      await store.setSession("a", { session: null, reset_at: T });
      await store.recentRuns({ limit: 1 }); // marks the run index built
    }
    const kv = await Deno.openKv(path);
    try {
      const keys = (await Array.fromAsync(kv.list({ prefix: [] }))).map((e) =>
        JSON.stringify(e.key)
      );
      assert.deepEqual(
        keys.sort(),
        [
          `["attention"]`,
          `["budget_notified","daily"]`,
          `["canary"]`,
          `["cost_day","2026-11-25","a"]`,
          `["cost_month","2026-11","a"]`,
          `["dismissed","b"]`,
          `["hold"]`,
          `["last","a"]`,
          `["lease"]`,
          `["ledger","days_dirty"]`,
          `["ledger","days_ready"]`,
          `["ledger","ready"]`,
          `["meta","run_index"]`,
          `["meta","run_task_index"]`,
          `["meta","seq"]`,
          `["overdue_raised","s"]`,
          `["owed","s"]`,
          `["queue",1,3]`,
          `["queued","c"]`,
          `["run","r1"]`,
          `["run_day","a","2026-11-25"]`,
          `["run_start","${T}","r1"]`,
          `["run_task","a","${T}","r1"]`,
          `["schedule","s"]`,
          `["session","a"]`,
          `["schedule_cache","s"]`,
          `["scheduler","since"]`,
          `["scheduler","tick"]`,
          `["watch_base","w"]`,
          `["watch_file","w","x.txt"]`,
          `["watch_file","w","y.txt"]`,
          `["watcher"]`,
          `["interval_since","i"]`,
        ].sort(),
      );
      assert.equal((await kv.get(["queued", "c"])).value, "r3");
      assert.equal((await kv.get(["dismissed", "b"])).value, T);
      assert.deepEqual((await kv.get(["session", "a"])).value, { session: null, reset_at: T });
      assert.equal((await kv.get(["meta", "seq"])).value, 3);
      assert.equal((await kv.get(["run_task", "a", T, "r1"])).value, "r1");
      assert.deepEqual((await kv.get(["run_day", "a", "2026-11-25"])).value, {
        succeeded: 0,
        failed: 1,
        skipped: 0,
      });
    } finally {
      kv.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
