/**
 * @module
 * `clodputer list` end to end, in both forms.
 */

import assert from "node:assert/strict";
import { runCli, tempHome } from "./cli.ts";
import { ALIAS_BOMB, ALIAS_BOMB_AT, copyLegacy } from "./hostile.ts";

Deno.test("list shows schedules with next runs in their zone, watches, manual, disabled and invalid tasks", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "morning",
    'name: morning\ndescription: Weekday digest\nschedule:\n  type: cron\n  expression: "0 8 * * 1-5"\n  timezone: Europe/London\ntask:\n  prompt: hi\n',
  );
  await home.writeTask(
    "inbox",
    'name: inbox\ntrigger:\n  type: file_watch\n  path: ~/Inbox\n  pattern: "*.pdf"\ntask:\n  prompt: hi\n',
  );
  await home.writeTask("adhoc", "name: adhoc\ntask:\n  prompt: hi\n");
  await home.writeTask(
    "paused",
    'name: paused\nenabled: false\nschedule:\n  type: cron\n  expression: "@daily"\ntask:\n  prompt: hi\n',
  );
  await home.writeTask("broken", "name: broken\ntask:\n  promt: hi\n");
  const r = await runCli(home, ["list"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines[0], "✓ adhoc    manual (clodputer run)");
  assert.match(
    lines[1] as string,
    /^✗ broken {3}invalid: \S+broken\.yaml:2:1: Missing "prompt" under "task"$/,
  );
  assert.equal(lines[2], `✓ inbox    watches ${home.home}/Inbox for *.pdf (created)`);
  assert.match(
    lines[3] as string,
    /^✓ morning {2}At 08:00, Monday through Friday \(0 8 \* \* 1-5, Europe\/London\) · next \d{4}-\d\d-\d\d 08:00 Europe\/London$/,
  );
  assert.equal(lines[4], "           Weekday digest");
  // A disabled task never runs: no next run, "disabled" instead.
  assert.equal(lines[5], "- paused   disabled · At 00:00 (@daily)");

  const json = JSON.parse((await runCli(home, ["list", "--json"])).stdout);
  const morning = json.find((t: { name: string }) => t.name === "morning");
  assert.equal(morning.schedule.timezone, "Europe/London");
  assert.ok(Date.parse(morning.schedule.next_run_at) > Date.now());
  assert.equal(new Date(morning.schedule.next_run_at).getUTCMinutes(), 0);
  const paused = json.find((t: { name: string }) => t.name === "paused");
  assert.equal(paused.enabled, false);
  assert.equal(paused.schedule.next_run, null);
  assert.equal(paused.schedule.next_run_at, null);
  const broken = json.find((t: { name: string }) => t.name === "broken");
  assert.equal(broken.valid, false);
  assert.match(broken.error.where, /broken\.yaml:2:1$/);
  assert.deepEqual(json.find((t: { name: string }) => t.name === "adhoc").trigger, {
    type: "manual",
  });
});

Deno.test("list with no tasks says how to make one", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["list"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^No tasks yet in \S+\/tasks$/m);
  assert.match(r.stdout, /clodputer new <name>/);
});

Deno.test("list shows an alias bomb as invalid at file:line:column, and the other tasks", async () => {
  await using home = await tempHome();
  await home.writeTask("bomb", ALIAS_BOMB);
  await home.writeTask("adhoc", "name: adhoc\ntask:\n  prompt: hi\n");
  const r = await runCli(home, ["list"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(lines[0], "✓ adhoc  manual (clodputer run)");
  assert.equal(
    lines[1],
    `✗ bomb   invalid: ${home.clodputerHome}/tasks/${ALIAS_BOMB_AT}: Too many YAML aliases: ` +
      "the file expands beyond 100000 values",
  );
  const json = JSON.parse((await runCli(home, ["list", "--json"])).stdout);
  assert.equal(json[1].valid, false);
  assert.equal(json[1].error.where, `${home.clodputerHome}/tasks/${ALIAS_BOMB_AT}`);
});

Deno.test("list shows earlier-format tasks under their file name, with their name: beside it", async () => {
  await using home = await tempHome();
  await copyLegacy(home, "file-watcher");
  await copyLegacy(home, "manual-task");
  const r = await runCli(home, ["list"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trimEnd().split("\n");
  assert.equal(
    lines[0],
    `✓ file-watcher (name: project-watcher)  watches ${home.home}/Projects for *.md (created)`,
  );
  assert.equal(
    lines[1],
    "                                        Watch the project folder and summarise new notes.",
  );
  assert.equal(lines[2], "✓ manual-task (name: manual-review)     manual (clodputer run)");
  const json = JSON.parse((await runCli(home, ["list", "--json"])).stdout);
  assert.deepEqual(json.map((t: { name: string; label: string }) => [t.name, t.label]), [
    ["file-watcher", "project-watcher"],
    ["manual-task", "manual-review"],
  ]);
});
