/**
 * @module
 * A task's runs for its page: the per-task index (`taskRuns`, paged by start time and id) and the
 * outcomes per day (`taskDays`), kept by Store.finish, built once for older stores, and what
 * pruning does to them. On a real KV file in a temp dir.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { outcomeOf, outcomesOf } from "../../lib/state/ledger.ts";
import { Store } from "../../lib/state/store.ts";
import type { RunSummary } from "../../lib/state/types.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { local } from "../fakes/clock.ts";

function run(
  id: string,
  task: string,
  started: string,
  status: RunSummary["status"] = "succeeded",
): RunSummary {
  return {
    id,
    task,
    status,
    outcome: status === "succeeded"
      ? { kind: "success" }
      : status === "skipped"
      ? { kind: "skipped", reason: "budget" }
      : { kind: "exit_error", code: 1, message: "no" },
    trigger: { type: "manual" },
    enqueued_at: started,
    started_at: started,
    ended_at: started,
    duration_ms: 1,
    cost_usd: 0.01,
    session_id: null,
  };
}

async function withFile(work: (file: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-task-runs-" });
  try {
    await work(join(dir, "state.kv"));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("taskRuns() pages a task's runs newest first, before exclusive on start time then id", async () => {
  await withFile(async (file) => {
    using store = await Store.open(file, systemClock);
    const at = (h: number) => local(`2026-11-25 ${String(h).padStart(2, "0")}:00`);
    for (let h = 1; h <= 7; h++) await store.finish(run(`a${h}`, "a", at(h)));
    // Two runs started at the same instant: ordered by id.
    await store.finish(run("a7b", "a", at(7)));
    // Other tasks, one whose name starts with the first's, are never listed.
    await store.finish(run("b1", "ab", at(8)));
    await store.finish(run("c1", "b", at(3)));
    const first = await store.taskRuns("a", { limit: 3 });
    assert.deepEqual(first.map((r) => r.id), ["a7b", "a7", "a6"]);
    const last = first.at(-1) as RunSummary;
    const second = await store.taskRuns("a", {
      limit: 3,
      before: { started_at: last.started_at, id: last.id },
    });
    assert.deepEqual(second.map((r) => r.id), ["a5", "a4", "a3"]);
    assert.deepEqual(
      (await store.taskRuns("a", { limit: 3, before: { started_at: at(7), id: "a7b" } }))
        .map((r) => r.id),
      ["a7", "a6", "a5"],
      "the run with the same start time and a smaller id comes next",
    );
    assert.deepEqual(
      (await store.taskRuns("a", { limit: 10, before: { started_at: at(2), id: "a2" } }))
        .map((r) => r.id),
      ["a1"],
    );
    assert.deepEqual((await store.taskRuns("ab", { limit: 10 })).map((r) => r.id), ["b1"]);
    assert.deepEqual(await store.taskRuns("nothing", { limit: 10 }), []);
  });
});

Deno.test("taskRuns(null) pages every task's runs through the start-time index", async () => {
  await withFile(async (file) => {
    using store = await Store.open(file, systemClock);
    const at = (h: number) => local(`2026-11-25 ${String(h).padStart(2, "0")}:00`);
    await store.finish(run("a1", "a", at(1)));
    await store.finish(run("b2", "b", at(2)));
    await store.finish(run("a3", "a", at(3)));
    await store.finish(run("c3", "c", at(3)));
    await store.finish(run("b4", "b", at(4)));
    const first = await store.taskRuns(null, { limit: 2 });
    assert.deepEqual(first.map((r) => r.id), ["b4", "c3"]);
    const second = await store.taskRuns(null, {
      limit: 2,
      before: { started_at: at(3), id: "c3" },
    });
    assert.deepEqual(second.map((r) => r.id), ["a3", "b2"], "same start: the smaller id next");
    assert.deepEqual(
      (await store.taskRuns(null, { limit: 9, before: { started_at: at(3), id: "" } }))
        .map((r) => r.id),
      ["b2", "a1"],
      "an empty id: strictly before the time",
    );
  });
});

Deno.test("taskDays() counts a task's runs per local day by outcome, from a day on", async () => {
  await withFile(async (file) => {
    using store = await Store.open(file, systemClock);
    await store.finish(run("1", "a", local("2026-11-24 23:30"), "succeeded"));
    await store.finish(run("2", "a", local("2026-11-25 00:30"), "succeeded"));
    await store.finish(run("3", "a", local("2026-11-25 08:00"), "failed"));
    await store.finish(run("4", "a", local("2026-11-25 09:00"), "timed_out"));
    await store.finish(run("5", "a", local("2026-11-25 10:00"), "skipped"));
    await store.finish(run("6", "a", local("2026-11-25 11:00"), "deferred"));
    await store.finish(run("6", "a", local("2026-11-25 11:00"), "failed")); // kept before: not again
    await store.finish(run("3", "a", local("2026-11-25 08:00"), "failed")); // the same run again
    await store.finish(run("7", "ab", local("2026-11-25 12:00"), "failed"));
    await store.finish(run("8", "a", local("2026-11-27 12:00"), "cancelled"));
    assert.deepEqual(await store.taskDays("a", { from: "2026-11-01" }), [
      { day: "2026-11-24", succeeded: 1, failed: 0, skipped: 0 },
      { day: "2026-11-25", succeeded: 1, failed: 2, skipped: 1 },
      { day: "2026-11-27", succeeded: 0, failed: 1, skipped: 0 },
    ]);
    assert.deepEqual(
      (await store.taskDays("a", { from: "2026-11-25" })).map((d) => d.day),
      ["2026-11-25", "2026-11-27"],
    );
    assert.deepEqual(await store.taskDays("ab", { from: "2026-11-01" }), [
      { day: "2026-11-25", succeeded: 0, failed: 1, skipped: 0 },
    ]);
  });
});

Deno.test("a store from before the task index gets it and the days on first use, each run once", async () => {
  await withFile(async (file) => {
    {
      // Summaries as an earlier version kept them: the start-time index only.
      const kv = await Deno.openKv(file);
      const old = [
        run("o1", "a", local("2026-10-05 10:00"), "succeeded"),
        run("o2", "a", local("2026-10-05 11:00"), "failed"),
        run("o3", "b", local("2026-10-06 11:00"), "skipped"),
      ];
      for (const r of old) {
        await kv.set(["run", r.id], r);
        await kv.set(["run_start", r.started_at, r.id], r.id);
      }
      await kv.set(["meta", "run_index"], 1);
      kv.close();
    }
    using store = await Store.open(file, systemClock);
    // A run finished after the upgrade: the days are built, then it counts itself once.
    await store.finish(run("n1", "a", local("2026-10-06 09:00"), "succeeded"));
    assert.deepEqual((await store.taskRuns("a", { limit: 10 })).map((r) => r.id), [
      "n1",
      "o2",
      "o1",
    ]);
    assert.deepEqual(await store.taskDays("a", { from: "2026-10-01" }), [
      { day: "2026-10-05", succeeded: 1, failed: 1, skipped: 0 },
      { day: "2026-10-06", succeeded: 1, failed: 0, skipped: 0 },
    ]);
    assert.deepEqual(await store.taskDays("b", { from: "2026-10-01" }), [
      { day: "2026-10-06", succeeded: 0, failed: 0, skipped: 1 },
    ]);
    assert.equal((await store.recentRuns({})).length, 4, "the start-time index is unchanged");
  });
});

Deno.test("prune() takes a run's task index key with it; its day's outcome stays", async () => {
  await withFile(async (file) => {
    using store = await Store.open(file, systemClock);
    await store.finish(run("1", "a", local("2026-10-05 10:00"), "failed"));
    await store.finish(run("2", "a", local("2026-12-01 10:00")));
    await store.finish(run("3", "b", local("2026-12-02 10:00")));
    assert.deepEqual(await store.prune({ keep: 10, before: local("2026-11-01 00:00") }), ["1"]);
    assert.deepEqual((await store.taskRuns("a", { limit: 10 })).map((r) => r.id), ["2"]);
    const kv = await Deno.openKv(file);
    try {
      const keys = await Array.fromAsync(kv.list({ prefix: ["run_task"] }));
      assert.deepEqual(keys.map((e) => e.value), ["2", "3"]);
    } finally {
      kv.close();
    }
    assert.deepEqual(
      (await store.taskDays("a", { from: "2026-10-01" })).map((d) => [d.day, d.failed]),
      [["2026-10-05", 1], ["2026-12-01", 0]],
      "the calendar keeps what the pruned run did",
    );
  });
});

Deno.test("outcomeOf() counts every final status as succeeded, failed or skipped but deferred", () => {
  const table: [RunSummary["status"], string | undefined][] = [
    ["succeeded", "succeeded"],
    ["skipped", "skipped"],
    ["deferred", undefined],
    ["failed", "failed"],
    ["timed_out", "failed"],
    ["cancelled", "failed"],
    ["lost", "failed"],
    ["over_budget", "failed"],
    ["auth_failed", "failed"],
  ];
  for (const [status, want] of table) assert.equal(outcomeOf(status), want, status);
  assert.deepEqual(outcomesOf(run("1", "a", local("2026-10-05 10:00"), "lost")), {
    succeeded: 0,
    failed: 1,
    skipped: 0,
  });
  assert.equal(outcomesOf(run("1", "a", local("2026-10-05 10:00"), "deferred")), undefined);
});
