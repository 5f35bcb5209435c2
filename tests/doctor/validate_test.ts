/**
 * @module
 * The dry run of `validate`: the warnings about risky but legal choices, and each task's
 * validation (trigger, next runs from the clock, claude's command line, secrets redacted,
 * problems with where and hint, a misnamed file reported).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { riskWarnings, triggerText, validateTasks } from "../../lib/doctor/validate.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { doctorScene } from "./context.ts";

Deno.test("riskWarnings() names every minute, no tools, a long timeout and missing folders", async () => {
  await using scene = await doctorScene();
  const config = (yaml: string) => {
    const entry = scene.task("t", yaml);
    if (!("task" in entry)) throw entry.error;
    return entry.task.config;
  };
  const at = (...iso: string[]) => iso.map((s) => new Date(s));
  assert.deepEqual(
    await riskWarnings(
      config("task:\n  prompt: hi\n  allowed_tools: [Read]\n"),
      [],
    ),
    [],
    "a quiet task",
  );
  const gone = join(scene.root, "gone");
  const warnings = await riskWarnings(
    config(
      `schedule:\n  type: cron\n  expression: "* * * * *"\ntrigger:\n  type: file_watch\n  path: ${gone}\n` +
        `task:\n  prompt: hi\n  timeout: 20000\n  working_directory: ${gone}\n`,
    ),
    at("2026-11-25T12:01:00Z", "2026-11-25T12:02:00Z"),
  );
  assert.deepEqual(warnings, [
    'The schedule "* * * * *" runs every minute: each run costs tokens; is that meant?',
    "No tools are allowed: Claude can only answer in text (add allowed_tools, e.g. [Read])",
    "The timeout is 20000 s (over 4 hours): a stuck run holds the queue that long",
    `The watched folder ${gone} does not exist yet`,
    `The working_directory ${gone} is not a folder: the run fails to start until it exists (mkdir -p ${gone})`,
  ]);
  assert.equal(
    triggerText(
      config('schedule:\n  type: cron\n  expression: "0 8 * * *"\ntask:\n  prompt: hi\n'),
    ),
    'cron "0 8 * * *" (At 08:00)',
  );
  assert.equal(triggerText(config("task:\n  prompt: hi\n")), "manual (clodputer run)");
});

Deno.test("validateTasks() gives next runs from the clock, redacts secrets, and reports problems", async () => {
  await using scene = await doctorScene();
  const ctx = scene.ctx();
  const secret = "s3cr3t-value-long-enough";
  const env = envFrom({ ...ctx.env.toObject(), API_TOKEN: secret });
  const deps = { paths: ctx.paths, env, clock: scene.clock };
  await Deno.writeTextFile(
    join(ctx.paths.tasks, "daily.yaml"),
    `schedule:\n  type: cron\n  expression: "0 8 * * *"\n  timezone: UTC\ntask:\n  prompt: "use ${secret}"\n  allowed_tools: [Read]\n`,
  );
  await Deno.writeTextFile(
    join(ctx.paths.tasks, "bad.yaml"),
    "task:\n  prompt: hi\n  timeout: ten\n",
  );
  await Deno.writeTextFile(join(ctx.paths.tasks, "Bad Name.yaml"), "task:\n  prompt: hi\n");

  const results = await validateTasks(deps, [], 2);
  assert.deepEqual(results.map((v) => [v.name, v.valid]), [
    ["Bad Name.yaml", false],
    ["bad", false],
    ["daily", true],
  ]);
  const [misnamed, bad, daily] = results;
  assert.equal(misnamed?.problems.length, 1);
  assert.deepEqual(bad?.problems, [{
    message: '"timeout" must be a positive number of seconds, got "ten"',
    where: `${join(ctx.paths.tasks, "bad.yaml")}:3:12`,
    hint: "write timeout: 600",
  }]);
  assert.equal(daily?.trigger, 'cron "0 8 * * *" (At 08:00), UTC');
  assert.deepEqual(daily?.next_runs, ["2026-11-26 08:00 UTC", "2026-11-27 08:00 UTC"]);
  assert.equal(daily?.argv[0], "claude", "claude not found: its name");
  assert.ok(!JSON.stringify(daily).includes(secret), "the secret is redacted");
  assert.deepEqual(daily?.warnings, []);

  const none = await validateTasks(deps, ["daily"], 0);
  assert.deepEqual(none.map((v) => [v.name, v.next_runs]), [["daily", []]]);
});
