/**
 * @module
 * The task list model: rows for scheduled, watched, manual, disabled and invalid tasks, the next
 * run worked out from the given clock (and kept in the task index until it comes), and the pause.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../lib/state/open.ts";
import { pauseQueue } from "../../lib/state/pause.ts";
import { listTasks, type TaskListDeps } from "../../lib/status/task_list.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { FakeClock } from "../fakes/clock.ts";

async function scene(): Promise<AsyncDisposable & { deps: TaskListDeps; clock: FakeClock }> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-task-list-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.tasks, { recursive: true });
  const clock = new FakeClock(Date.parse("2026-11-25T12:00:00Z"));
  return {
    clock,
    deps: { paths, env: envFrom({ HOME: root }), clock },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

async function writeTask(deps: TaskListDeps, name: string, yaml: string): Promise<void> {
  await Deno.writeTextFile(join(deps.paths.tasks, `${name}.yaml`), yaml);
}

Deno.test("listTasks() gives every task a row, the next run from the clock, and no pause", async () => {
  await using s = await scene();
  await writeTask(
    s.deps,
    "hourly",
    'description: Each hour\nschedule:\n  type: cron\n  expression: "0 * * * *"\n  timezone: UTC\ntask:\n  prompt: hi\n',
  );
  await writeTask(s.deps, "adhoc", "task:\n  prompt: hi\n");
  await writeTask(s.deps, "off", "enabled: false\ntask:\n  prompt: hi\n");
  await writeTask(s.deps, "broken", "task:\n  promt: hi\n");

  const { rows, paused } = await listTasks(s.deps);
  assert.equal(paused, null);
  assert.deepEqual(rows.map((r) => [r.name, r.valid, r.enabled]), [
    ["adhoc", true, true],
    ["broken", false, false],
    ["hourly", true, true],
    ["off", true, false],
  ]);
  const [adhoc, broken, hourly] = rows;
  assert.deepEqual(adhoc?.trigger, { type: "manual" });
  assert.equal(adhoc?.overdue, null, "no state store: nothing overdue");
  assert.match(broken?.error?.where ?? "", /broken\.yaml:1:1$/);
  assert.equal(hourly?.description, "Each hour");
  assert.deepEqual(hourly?.schedule, {
    expression: "0 * * * *",
    description: "Every hour",
    timezone: "UTC",
    next_run: "2026-11-25 13:00 UTC",
    next_run_at: "2026-11-25T13:00:00.000Z",
  });
  assert.equal(hourly?.trigger, null);
});

Deno.test("listTasks() keeps a next run until it comes, then works out the one after", async () => {
  await using s = await scene();
  await writeTask(
    s.deps,
    "hourly",
    'schedule:\n  type: cron\n  expression: "0 * * * *"\n  timezone: UTC\ntask:\n  prompt: hi\n',
  );
  const next = async () => (await listTasks(s.deps)).rows[0]?.schedule?.next_run_at;
  assert.equal(await next(), "2026-11-25T13:00:00.000Z");
  await s.clock.advance(30 * 60_000);
  assert.equal(await next(), "2026-11-25T13:00:00.000Z", "still to come");
  await s.clock.advance(60 * 60_000);
  assert.equal(await next(), "2026-11-25T14:00:00.000Z", "worked out again once it came");
});

Deno.test("listTasks() reports the pause in force", async () => {
  await using s = await scene();
  const pause = { since: "2026-11-25T11:00:00.000Z", until: "2026-11-25T15:00:00.000Z" };
  await pauseQueue(s.deps.paths, pause);
  assert.deepEqual(await listTasks(s.deps), { rows: [], paused: pause });
  await s.clock.advance(4 * 3600_000);
  assert.equal((await listTasks(s.deps)).paused, null, "over once its until has passed");
});

Deno.test("listTasks() gives each row its session mode, and a session: continue task its kept session", async () => {
  await using s = await scene();
  await writeTask(s.deps, "review", "task:\n  prompt: hi\n  session: continue\n");
  await writeTask(s.deps, "fresh", "task:\n  prompt: hi\n  session: continue\n");
  await writeTask(s.deps, "plain", "task:\n  prompt: hi\n");
  await writeTask(s.deps, "broken", "task:\n  promt: hi\n");
  const session = {
    id: "sess-1",
    cwd: "/w",
    config_dir: "/h/.claude",
    started_at: "2026-11-24T12:00:00.000Z",
    last_at: "2026-11-25T11:00:00.000Z",
    last_run_id: "20261125-110000-ab12cd",
    runs: 2,
  };
  const { store } = await openStore(s.deps.paths, s.clock);
  try {
    await store.setSession("review", { session, reset_at: null });
    // A session kept for a task that has since gone back to session: new is not shown.
    await store.setSession("plain", { session, reset_at: null });
  } finally {
    store.close();
  }
  const { rows } = await listTasks(s.deps);
  assert.deepEqual(Object.fromEntries(rows.map((r) => [r.name, r.session])), {
    broken: null,
    fresh: { mode: "continue", id: null, runs: null, started_at: null },
    plain: { mode: "new", id: null, runs: null, started_at: null },
    review: { mode: "continue", id: "sess-1", runs: 2, started_at: "2026-11-24T12:00:00.000Z" },
  });
});
