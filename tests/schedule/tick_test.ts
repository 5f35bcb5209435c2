/**
 * @module
 * The tick against real task files and a real store, with a fake clock: due slots queued once,
 * nothing retroactive, catch-up, edits, disabled tasks, overlapping ticks, clock steps, invalid
 * files, and no parsing or writing when nothing changed.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../lib/state/store.ts";
import { tick } from "../../lib/schedule/tick.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { type Paths, pathsUnder } from "../../lib/sys/paths.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { FakeClock } from "../fakes/clock.ts";

const T = (iso: string) => Date.parse(iso);

interface Scene extends AsyncDisposable {
  paths: Paths;
  clock: FakeClock;
  store: Store;
  /** Writes tasks/<name>.yaml with the given mtime. */
  task(name: string, schedule: string, mtime: string, extra?: string): Promise<void>;
  tick(): ReturnType<typeof tick>;
  queued(): Promise<string[]>;
}

async function scene(start: string): Promise<Scene> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-tick-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.tasks, { recursive: true });
  const clock = new FakeClock(T(start));
  const store = await Store.open(":memory:", systemClock); // retries wait in real time
  const env = envFrom({ HOME: root, PATH: "/usr/bin:/bin" });
  return {
    paths,
    clock,
    store,
    async task(name, schedule, mtime, extra = "") {
      const file = join(paths.tasks, `${name}.yaml`);
      await Deno.writeTextFile(
        file,
        `name: ${name}\n${extra}schedule:\n${
          schedule.split("\n").map((l) => `  ${l}`).join("\n")
        }\ntask:\n  prompt: "run ${name} at {{ context.slot }}"\n`,
      );
      await Deno.utime(file, new Date(mtime), new Date(mtime));
    },
    tick: () => tick({ clock, env, paths, selfPid: Deno.pid }, store),
    async queued() {
      return (await store.queued()).map((q) => `${q.task}@${q.trigger.slot}`);
    },
    async [Symbol.asyncDispose]() {
      store.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

const DAILY = 'type: cron\nexpression: "0 8 * * *"\ntimezone: UTC';

Deno.test("tick() queues a due slot once, with trigger schedule and the slot in its context", async () => {
  await using s = await scene("2026-11-26T07:58:10Z");
  await s.task("daily", DAILY, "2026-11-20T00:00:00Z");
  assert.deepEqual((await s.tick()).queued, [], "first tick: nothing due yet");
  await s.clock.advance(60_000);
  assert.deepEqual((await s.tick()).queued, []);
  await s.clock.advance(60_000); // 08:00:10
  const report = await s.tick();
  assert.equal(report.queued.length, 1);
  const item = report.queued[0];
  assert.deepEqual(item?.trigger, { type: "schedule", slot: "2026-11-26T08:00:00.000Z" });
  assert.deepEqual(item?.context, { slot: "2026-11-26T08:00:00.000Z" });
  assert.deepEqual(report.events.map((e) => e.event), ["task_queued"]);
  await s.clock.advance(60_000);
  assert.deepEqual((await s.tick()).queued, [], "the same slot never fires twice");
  assert.deepEqual(await s.queued(), ["daily@2026-11-26T08:00:00.000Z"]);
});

Deno.test("tick() fires nothing retroactively: first tick, a new task, a task enabled again", async () => {
  await using s = await scene("2026-11-26T20:00:00Z");
  await s.task("daily", DAILY, "2026-11-01T00:00:00Z");
  assert.deepEqual((await s.tick()).queued, [], "first tick after install: the 08:00 slot is past");
  // Disabled in the morning; enabled again in the evening: this morning's run is not owed.
  await s.task("daily", DAILY, "2026-11-27T06:00:00Z", "enabled: false\n");
  await s.clock.advance(T("2026-11-27T06:00:30Z") - s.clock.now());
  assert.deepEqual((await s.tick()).queued, []);
  await s.clock.advance(T("2026-11-27T20:00:00Z") - s.clock.now());
  assert.deepEqual((await s.tick()).queued, [], "disabled at 08:00");
  await s.task("daily", DAILY, "2026-11-27T20:00:30Z");
  await s.clock.advance(60_000);
  const report = await s.tick();
  assert.deepEqual(report.queued, [], "enabled again at 20:00: the 08:00 slot is not owed");
  assert.deepEqual(report.late, [], "nor is it counted as missed");
  await s.clock.advance(T("2026-11-28T08:00:05Z") - s.clock.now());
  assert.equal((await s.tick()).queued.length, 1, "the next morning runs");
});

Deno.test("tick() catches up after sleep by each task's policy, and records what was missed", async () => {
  await using s = await scene("2026-11-23T07:00:00Z");
  await s.task("skipper", DAILY, "2026-11-01T00:00:00Z");
  await s.task("once", `${DAILY}\ncatch_up: run_once`, "2026-11-01T00:00:00Z");
  await s.task("all", `${DAILY}\ncatch_up: run_all`, "2026-11-01T00:00:00Z");
  await s.task(
    "recent",
    `${DAILY}\ncatch_up: run_all\ncatch_up_max_age: 36h`,
    "2026-11-01T00:00:00Z",
  );
  await s.tick();
  // Asleep until Thursday 09:30: the slots of Mon, Tue, Wed and Thu 08:00 were missed.
  await s.clock.advance(T("2026-11-26T09:30:00Z") - s.clock.now());
  const report = await s.tick();
  const count = (task: string) => report.queued.filter((q) => q.task === task).length;
  assert.deepEqual(
    ["skipper", "once", "all", "recent"].map(count),
    [0, 1, 4, 2],
  );
  assert.deepEqual(
    report.late.map((l) => [l.task, l.late, l.caught_up]).sort(),
    [["all", 4, 4], ["once", 4, 1], ["recent", 4, 2], ["skipper", 4, 0]],
  );
  const missed = report.events.filter((e) => e.event === "schedule_missed");
  assert.equal(missed.length, 4);
  // Every slot that did not run is counted, by reason.
  const byTask = Object.fromEntries(missed.map((e) => [e.task, [e.missed, e.reasons]]));
  assert.deepEqual(byTask, {
    skipper: [4, { catch_up_skip: 4 }],
    once: [3, { folded: 3 }],
    all: [0, {}],
    recent: [2, { max_age: 2 }],
  });
  assert.deepEqual(missed.find((e) => e.task === "once")?.slots, [
    { slot: "2026-11-23T08:00:00.000Z", reason: "folded" },
    { slot: "2026-11-24T08:00:00.000Z", reason: "folded" },
    { slot: "2026-11-25T08:00:00.000Z", reason: "folded" },
  ]);
  const states = await s.store.scheduleStates();
  assert.deepEqual(states.get("once")?.value?.last_catch_up, {
    at: "2026-11-26T09:30:00.000Z",
    since: "2026-11-26T09:30:00.000Z",
    missed: 3,
    caught_up: 1,
    reasons: { folded: 3 },
    more: false,
  });
});

Deno.test("tick() takes a schedule edit at the next tick, without install", async () => {
  await using s = await scene("2026-11-26T07:00:00Z");
  await s.task("daily", DAILY, "2026-11-01T00:00:00Z");
  await s.tick();
  await s.task(
    "daily",
    'type: cron\nexpression: "15 7 * * *"\ntimezone: UTC',
    "2026-11-26T07:05:00Z",
  );
  await s.clock.advance(T("2026-11-26T07:15:20Z") - s.clock.now());
  const report = await s.tick();
  assert.deepEqual(report.queued.map((q) => q.trigger.slot), ["2026-11-26T07:15:00.000Z"]);
});

Deno.test("tick() queues the slot in the task's own time zone", async () => {
  await using s = await scene("2026-11-25T22:58:00Z");
  await s.task(
    "tokyo",
    'type: cron\nexpression: "0 8 * * *"\ntimezone: Asia/Tokyo',
    "2026-11-01T00:00:00Z",
  );
  await s.task(
    "paris",
    'type: cron\nexpression: "0 8 * * *"\ntimezone: Europe/Paris',
    "2026-11-01T00:00:00Z",
  );
  await s.tick();
  await s.clock.advance(T("2026-11-25T23:00:30Z") - s.clock.now());
  assert.deepEqual(await s.tick().then((r) => r.queued.map((q) => q.task)), ["tokyo"]);
  await s.clock.advance(T("2026-11-26T07:00:30Z") - s.clock.now());
  assert.deepEqual(await s.tick().then((r) => r.queued.map((q) => q.task)), ["paris"]);
});

Deno.test("tick() overlapping ticks and a clock stepped back fire a slot once", async () => {
  await using s = await scene("2026-11-26T07:59:00Z");
  await s.task("daily", DAILY, "2026-11-01T00:00:00Z");
  await s.tick();
  await s.clock.advance(60_500);
  const [a, b, c] = await Promise.all([s.tick(), s.tick(), s.tick()]);
  assert.equal(a.queued.length + b.queued.length + c.queued.length, 1);
  // The clock steps back ten minutes, then runs forward again through 08:00.
  const back = new FakeClock(T("2026-11-26T07:50:00Z"));
  const env = envFrom({ HOME: s.paths.home, PATH: "/usr/bin:/bin" });
  for (let i = 0; i < 12; i++) {
    const r = await tick({ clock: back, env, paths: s.paths, selfPid: 1 }, s.store);
    assert.deepEqual(r.queued, [], `stepped-back tick ${i}`);
    await back.advance(60_000);
  }
  assert.deepEqual(await s.queued(), ["daily@2026-11-26T08:00:00.000Z"]);
});

Deno.test("tick() folds a due slot into the run still queued for the task", async () => {
  await using s = await scene("2026-11-26T07:59:00Z");
  await s.task(
    "hourly",
    'type: cron\nexpression: "0 * * * *"\ntimezone: UTC',
    "2026-11-01T00:00:00Z",
  );
  await s.tick();
  await s.clock.advance(90_000);
  assert.equal((await s.tick()).queued.length, 1);
  await s.clock.advance(3600_000); // nobody ran the queue meanwhile
  const report = await s.tick();
  assert.deepEqual(report.queued, []);
  assert.equal(report.folded.length, 1);
  assert.deepEqual(report.events.map((e) => e.event), ["schedule_folded"]);
  assert.equal((await s.store.queued()).length, 1);
});

Deno.test("tick() reports an invalid task file once per change and schedules the rest", async () => {
  await using s = await scene("2026-11-26T07:59:00Z");
  await s.task("good", DAILY, "2026-11-01T00:00:00Z");
  await Deno.writeTextFile(join(s.paths.tasks, "bad.yaml"), "name: bad\ntask:\n  promt: x\n");
  const first = await s.tick();
  assert.equal(first.errors.length, 1);
  assert.match(
    first.errors[0]?.message ?? "",
    /bad\.yaml:2:1: Missing "prompt" under "task" \(and 1 more\)$/,
  );
  assert.deepEqual(first.events.map((e) => e.event), ["config_error"]);
  await s.clock.advance(61_000);
  const second = await s.tick();
  assert.deepEqual(second.errors, [], "not again while the file is unchanged");
  assert.deepEqual(second.queued.map((q) => q.task), ["good"]);
  await Deno.writeTextFile(join(s.paths.tasks, "bad.yaml"), "name: bad\ntask:\n  promt: xy\n");
  await s.clock.advance(60_000);
  assert.equal((await s.tick()).errors.length, 1, "again once the file changed");
});

Deno.test("tick() when nothing is due parses no file and writes no schedule", async () => {
  await using s = await scene("2026-11-26T10:00:00Z");
  await s.task("daily", DAILY, "2026-11-01T00:00:00Z");
  await s.tick();
  const cacheBefore = await s.store.scheduleCache();
  const stateBefore = await s.store.scheduleState("daily");
  // Make the file unreadable as YAML without changing its size or mtime: a parse would fail.
  const file = join(s.paths.tasks, "daily.yaml");
  const text = await Deno.readTextFile(file);
  const info = await Deno.stat(file);
  await Deno.writeTextFile(file, "\t".repeat(text.length));
  await Deno.utime(file, info.atime ?? new Date(), info.mtime ?? new Date());
  await s.clock.advance(60_000);
  const report = await s.tick();
  assert.deepEqual(report.errors, [], "the file was not parsed again");
  assert.deepEqual(await s.store.scheduleCache(), cacheBefore);
  assert.equal((await s.store.scheduleState("daily")).versionstamp, stateBefore.versionstamp);
  // A deleted file is forgotten, with its schedule.
  await Deno.remove(file);
  await s.tick();
  assert.equal((await s.store.scheduleCache()).size, 0);
  assert.equal((await s.store.scheduleState("daily")).value, undefined);
});
