/**
 * @module
 * `clodputer enable` / `disable` end to end: the task file's enabled: line switched (its other
 * lines as written), `list` and `validate` agreeing, a second switch changing nothing, an unknown
 * task exit 2.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, tempHome } from "./cli.ts";

Deno.test("clodputer disable and enable switch a task by its enabled: line", async () => {
  await using home = await tempHome();
  const text = `# Morning review
name: review
schedule:
  type: cron
  expression: "0 8 * * 1-5"
task:
  prompt: "Review"
  allowed_tools: [Read]
`;
  await home.writeTask("review", text);
  const file = join(home.clodputerHome, "tasks", "review.yaml");

  const off = await runCli(home, ["disable", "review"]);
  assert.equal(off.code, 0, off.stderr);
  assert.match(off.stdout, /^review is disabled /);
  assert.equal(
    await Deno.readTextFile(file),
    text.replace("name: review\n", "name: review\nenabled: false\n"),
  );
  const validated = JSON.parse((await runCli(home, ["validate", "review", "--json"])).stdout);
  assert.equal(validated[0].enabled, false);
  assert.deepEqual(validated[0].next_runs, [], "a disabled task has no next run");

  const again = await runCli(home, ["disable", "review", "--json"]);
  assert.equal(JSON.parse(again.stdout).changed, false);

  const on = await runCli(home, ["enable", "review", "--json"]);
  assert.equal(on.code, 0, on.stderr);
  assert.deepEqual(JSON.parse(on.stdout), { task: "review", file, enabled: true, changed: true });
  assert.equal(
    await Deno.readTextFile(file),
    text.replace("name: review\n", "name: review\nenabled: true\n"),
  );

  const missing = await runCli(home, ["enable", "nope"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /Cannot find task "nope"/);
});
