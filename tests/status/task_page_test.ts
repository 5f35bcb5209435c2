/**
 * @module
 * readTaskPage(): what a task's page shows, read from a seeded home (tests/web/fixture_home.ts):
 * the task in words, its runs paged, the calendar's 182 days counted by outcome, the success
 * rate, Run now; an invalid task file's problem; an unknown task.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { nextRuns } from "../../lib/config/cron_expr.ts";
import { NotFoundError, UsageError } from "../../lib/errors.ts";
import { CALENDAR_DAYS, lastDays, readTaskPage } from "../../lib/status/task_page.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { FakeClock } from "../fakes/clock.ts";
import { type Seeded, seedHome, TASKS } from "../web/fixture_home.ts";

async function seeded(options: { extra?: number } = {}) {
  const root = await Deno.makeTempDir({ prefix: "clodputer-task-page-" });
  const clock = new FakeClock();
  const home = join(root, ".clodputer");
  const seed: Seeded = await seedHome(home, { nowMs: clock.now(), log: false, ...options });
  const paths = pathsUnder(home);
  return {
    seed,
    paths,
    deps: { paths, env: envFrom({ HOME: root }), clock },
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("readTaskPage() gives the task in words, its calendar by outcome and its success rate", async () => {
  await using h = await seeded();
  const page = await readTaskPage(h.deps, TASKS.daily);
  assert.equal(page.name, TASKS.daily);
  assert.ok(page.task.valid);
  assert.equal(page.task.description, "Review yesterday's notes and flag what needs an answer");
  assert.match(page.task.trigger, /^cron "0 9 \* \* \*" \(/);
  assert.equal(page.task.enabled, true);
  assert.deepEqual(
    page.task.next_runs,
    nextRuns("0 9 * * *", { from: new Date(h.deps.clock.now()), count: 5 })
      .map((d) => d.toISOString()),
  );
  assert.equal(page.run_now, "offered");

  const days = lastDays(h.deps.clock.now(), CALENDAR_DAYS);
  assert.equal(page.calendar.length, 182);
  assert.deepEqual(page.calendar.map((d) => d.day), days);
  const mine = h.seed.runs.filter((r) => r.task === TASKS.daily);
  for (const d of page.calendar) {
    const of = mine.filter((r) => r.day === d.day);
    assert.deepEqual(
      [d.succeeded, d.failed, d.skipped],
      [
        of.filter((r) => r.status === "succeeded").length,
        of.filter((r) => r.status === "failed").length,
        of.filter((r) => r.status === "skipped").length,
      ],
      d.day,
    );
  }
  const succeeded = mine.filter((r) => r.status === "succeeded").length;
  const failed = mine.filter((r) => r.status === "failed").length;
  assert.ok(failed > 0 && mine.some((r) => r.status === "skipped"), "the fixture has each outcome");
  assert.deepEqual(page.success, { succeeded, failed, rate: succeeded / (succeeded + failed) });
});

Deno.test("readTaskPage() pages the runs newest first with next_before, and no run twice", async () => {
  await using h = await seeded();
  const mine = h.seed.runs.filter((r) => r.task === TASKS.watch);
  const seen: string[] = [];
  let before: string | undefined;
  for (let pages = 0; pages < 100; pages++) {
    const page = await readTaskPage(h.deps, TASKS.watch, { limit: 30, before });
    assert.ok(page.runs.length <= 30);
    seen.push(...page.runs.map((r) => r.id));
    if (page.next_before === null) break;
    assert.equal(page.next_before, page.runs.at(-1)?.id);
    before = page.next_before;
  }
  // Fixture ids sort as their start times do.
  assert.deepEqual(seen, mine.map((r) => r.id).sort().reverse());
  const watch = await readTaskPage(h.deps, TASKS.watch);
  assert.equal(watch.runs.length, 25, "25 by default");
  assert.equal(watch.run_now, "needs_file");
  assert.ok(watch.task.valid);
  assert.match(watch.task.trigger, /^watch .*inbox for \*\.txt/);
  assert.deepEqual(watch.task.next_runs, []);
  await assert.rejects(
    () => readTaskPage(h.deps, TASKS.watch, { before: "not-a-run" }),
    (e) => e instanceof UsageError && /"before" must be a run id/.test(e.message),
  );
});

Deno.test("readTaskPage() shows an invalid task file's problem with file:line, not an error", async () => {
  await using h = await seeded();
  await Deno.writeTextFile(
    join(h.paths.tasks, "broken.yaml"),
    "name: broken\ntask:\n  prompt: hi\n  timeout: ten\n",
  );
  const page = await readTaskPage(h.deps, "broken");
  assert.equal(page.task.valid, false);
  assert.ok(!page.task.valid);
  const [problem] = page.task.problems;
  assert.match(problem?.where ?? "", /broken\.yaml:4:/);
  assert.match(problem?.message ?? "", /timeout/);
  assert.deepEqual(page.runs, []);
  assert.equal(page.calendar.length, 182);
  assert.equal(page.success.rate, null);
});

Deno.test("readTaskPage() of an unknown task is a NotFoundError naming the closest task", async () => {
  await using h = await seeded();
  await assert.rejects(
    () => readTaskPage(h.deps, "daily-reveiw"),
    (e) => e instanceof NotFoundError && /daily-review/.test(`${e.message} ${e.hint}`),
  );
});

Deno.test("lastDays() gives consecutive local days ending today", () => {
  const now = new FakeClock().now();
  const days = lastDays(now, 400);
  assert.equal(days.length, 400);
  assert.equal(new Set(days).size, 400);
  assert.equal(days.at(-1), new Date(now).toLocaleDateString("sv"));
  for (let i = 1; i < days.length; i++) {
    assert.equal(
      Date.parse(`${days[i]}T00:00:00Z`) - Date.parse(`${days[i - 1]}T00:00:00Z`),
      86_400_000,
      days[i],
    );
  }
});
