/**
 * @module
 * Task files whose names are not task names (`UPPER.yaml`, `my task.yaml`, `a.b.yaml`, a
 * Cyrillic letter) are reported, with the rule and the rename, by list, validate, doctor and the
 * tick, and never keep the other tasks from running.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { logEvents, runCli, runTick, type TempHome, tempHome } from "./cli.ts";

/** The misnamed files and the rename each should be told to make. */
const MISNAMED: [file: string, rename: string][] = [
  ["UPPER.yaml", "upper.yaml"],
  ["my task.yaml", "my-task.yaml"],
  ["a.b.yaml", "a-b.yaml"],
  ["t\u0430sk.yaml", "t-sk.yaml"], // the "а" is Cyrillic
];

const RULE = "a task name is [a-z0-9][a-z0-9_-]*";

async function misnamedHome(home: TempHome, good: string): Promise<void> {
  for (const [file] of MISNAMED) {
    await Deno.writeTextFile(
      join(home.clodputerHome, "tasks", file),
      "task:\n  prompt: hi\n  timeout: 60\n",
    );
  }
  const file = await home.writeTask("good", good);
  // Before the fake "now" of the tick test (one clock per test).
  const longAgo = new Date("2026-11-19T00:00:00Z");
  await Deno.utime(file, longAgo, longAgo);
}

const MANUAL = "name: good\ntask:\n  prompt: hi\n  timeout: 60\n";

Deno.test("list shows each misnamed task file as an invalid row with its rename", async () => {
  await using home = await tempHome();
  await misnamedHome(home, MANUAL);
  for (const pass of ["first", "cached"]) {
    const r = await runCli(home, ["list"]);
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stdout, /No tasks yet/);
    assert.match(r.stdout, /^✓ good +manual/m, pass);
    for (const [file, rename] of MISNAMED) {
      const row = r.stdout.split("\n").find((l) => l.startsWith(`✗ ${file} `));
      assert.ok(row, `${pass}: a row for ${file} in\n${r.stdout}`);
      assert.match(row, /invalid: The file name ".*" is not a valid task name/);
      assert.ok(row.includes(`rename "${file}" to "${rename}"`), row);
      assert.ok(row.includes(RULE), row);
    }
  }
  const json = JSON.parse((await runCli(home, ["list", "--json"])).stdout) as {
    name: string;
    valid: boolean;
    file: string;
  }[];
  assert.deepEqual(
    json.filter((r) => !r.valid).map((r) => r.name).sort(),
    MISNAMED.map(([f]) => f).sort(),
  );
  assert.ok(json.find((r) => r.name === "good")?.valid);
});

Deno.test("validate reports each misnamed task file and exits 2", async () => {
  await using home = await tempHome();
  await misnamedHome(home, MANUAL);
  const r = await runCli(home, ["validate"]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stdout, /^✓ good$/m);
  for (const [file, rename] of MISNAMED) {
    assert.ok(r.stdout.includes(`✗ ${file}: 1 problem`), r.stdout);
    assert.ok(r.stdout.includes(`hint: rename "${file}" to "${rename}": ${RULE}`), r.stdout);
  }
  assert.match(r.stdout, /^4 of 5 tasks invalid$/m);
  const json = JSON.parse((await runCli(home, ["validate", "--json"])).stdout) as {
    name: string;
    valid: boolean;
    problems: { hint: string | null }[];
  }[];
  const upper = json.find((v) => v.name === "UPPER.yaml");
  assert.equal(upper?.valid, false);
  assert.match(upper?.problems[0]?.hint ?? "", /rename "UPPER\.yaml" to "upper\.yaml"/);
});

Deno.test("doctor fails a task-file finding for each misnamed task file", async () => {
  await using home = await tempHome();
  await misnamedHome(home, MANUAL);
  const r = await runCli(home, ["doctor"]);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  for (const [file, rename] of MISNAMED) {
    assert.ok(r.stdout.includes(`✗ The file name "${file}" is not a valid task name`), r.stdout);
    assert.ok(r.stdout.includes(`fix: rename "${file}" to "${rename}": ${RULE}`), r.stdout);
  }
  const json = JSON.parse((await runCli(home, ["doctor", "--json"])).stdout);
  assert.equal(json.ok, false);
  const results = json.checks as { id: string; status: string }[];
  for (const [file] of MISNAMED) {
    assert.equal(results.find((f) => f.id === `task-file:${file}`)?.status, "fail", file);
  }
});

Deno.test("the tick logs each misnamed task file once and runs the other tasks", async () => {
  await using home = await tempHome();
  await misnamedHome(
    home,
    'name: good\nschedule:\n  type: cron\n  expression: "30 7 * * *"\n  timezone: UTC\n' +
      "task:\n  prompt: hi\n  timeout: 60\n",
  );
  const at = (time: string) => ({ CLODPUTER_FAKE_TIME: `2026-11-26T${time}Z` });
  const first = await runCli(home, ["tick", "--no-run"], { env: at("07:00:00") });
  assert.equal(first.code, 0, first.stderr);
  const ran = await runTick(home, ["tick"], { env: at("07:30:10") });
  assert.equal(ran.code, 0, ran.stderr);
  const events = await logEvents(home);
  assert.equal(events.filter((e) => e.event === "task_completed" && e.task === "good").length, 1);
  const errors = events.filter((e) => e.event === "config_error");
  assert.equal(errors.length, MISNAMED.length, JSON.stringify(errors));
  for (const [file, rename] of MISNAMED) {
    const e = errors.find((x) => String(x.error).includes(`"${file}" is not a valid task name`));
    assert.ok(e, `a config_error for ${file}`);
    assert.ok(
      String(e.error).includes(`rename "${file}" to "${rename}": ${RULE}`),
      String(e.error),
    );
  }
  const cron = await Deno.readTextFile(join(home.clodputerHome, "cron.log"));
  assert.ok(cron.includes('\\"UPPER.yaml\\" is not a valid task name'), cron);
});
