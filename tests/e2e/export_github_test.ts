/**
 * @module
 * `clodputer export github-actions` end to end, through the CLI in a temp home holding the
 * example tasks: the workflows written (and valid), the tasks that cannot be exported skipped
 * with why, a second export unchanged, a hand-written file refused without --force, --dry-run
 * writing nothing, --repo read from the workflows written before, and a folder watch named
 * refused (exit 2).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { validateWorkflow } from "@action-validator/core";
import { EXAMPLES } from "../../lib/config/examples.ts";
import { runScript } from "../../lib/export/github_actions.ts";
import { cliArgs, cliEnv, FIXTURE_BIN, REPO_ROOT, runCli, tempHome } from "./cli.ts";

Deno.test("export github-actions: writes, is unchanged the second time, refuses a file not its own, dry run writes nothing", async () => {
  await using home = await tempHome();
  for (const e of EXAMPLES) await home.writeTask(e.name, e.yaml);
  const out = join(home.root, "repo");
  const folder = join(out, ".github", "workflows");
  const env = { TZ: "Europe/Paris" };

  const first = await runCli(home, [
    "export",
    "github-actions",
    "--out",
    out,
    "--repo",
    "o/clodputer",
  ], { env });
  assert.equal(first.code, 0, first.stderr);
  const daily = join(folder, "clodputer-daily-email.yml");
  const todo = join(folder, "clodputer-todo-triage.yml");
  assert.match(first.stdout, new RegExp(`^created ${daily}$`, "m"));
  assert.match(first.stdout, new RegExp(`^created ${todo}$`, "m"));
  assert.match(first.stdout, /^skipped inbox-processor: .*watches a folder/m);
  assert.match(first.stdout, /^skipped summarise-repo: .*no schedule/m);
  assert.match(first.stdout, /set the repository's secrets .*CLAUDE_CODE_OAUTH_TOKEN/);
  for (const file of [daily, todo]) {
    const text = await Deno.readTextFile(file);
    assert.deepEqual((validateWorkflow(text) as { errors: unknown[] }).errors, [], file);
  }
  assert.match(
    await Deno.readTextFile(daily),
    /cron: "0 7 \* \* 1-5"[^\n]*\n\s+- cron: "0 6 \* \* 1-5"/,
  );

  // Again, without --repo: read from the workflows; nothing changed.
  const again = await runCli(home, ["export", "github-actions", "--out", out, "--json"], { env });
  assert.equal(again.code, 0, again.stderr);
  const json = JSON.parse(again.stdout) as {
    files: { path: string; action: string }[];
    skipped: { name: string; reason: string }[];
  };
  assert.deepEqual(json.files.map((f) => f.action), ["unchanged", "unchanged"]);
  assert.deepEqual(json.skipped.map((s) => s.name), [
    "code-review",
    "inbox-processor",
    "summarise-repo",
  ]);

  // A file a person wrote is not replaced, and nothing is written, unless --force.
  await Deno.writeTextFile(todo, "name: mine\n");
  const before = await Deno.readTextFile(daily);
  const refused = await runCli(home, [
    "export",
    "github-actions",
    "--out",
    out,
    "--release",
    "9.9.9",
  ], { env });
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /Not overwriting .*clodputer-todo-triage\.yml/);
  assert.match(refused.stderr, /--force/);
  assert.equal(await Deno.readTextFile(todo), "name: mine\n");
  assert.equal(await Deno.readTextFile(daily), before, "nothing written");

  // A dry run prints what it would write, and writes nothing.
  const dry = await runCli(
    home,
    ["export", "github-actions", "--out", out, "--release", "9.9.9", "--dry-run", "--force"],
    { env },
  );
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.stdout, new RegExp(`^would update ${daily}$`, "m"));
  assert.match(dry.stdout, /CLODPUTER_VERSION: "9\.9\.9"/);
  assert.equal(await Deno.readTextFile(todo), "name: mine\n");
  assert.equal(await Deno.readTextFile(daily), before);

  const forced = await runCli(home, ["export", "github-actions", "--out", out, "--force"], { env });
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, new RegExp(`^updated ${todo}$`, "m"));
  assert.match(forced.stdout, new RegExp(`^unchanged ${daily}$`, "m"));
});

Deno.test("export github-actions: refusals exit 2 with what and how (no --repo the first time, a folder watch named)", async () => {
  await using home = await tempHome();
  for (const e of EXAMPLES) await home.writeTask(e.name, e.yaml);
  const out = join(home.root, "repo");
  const noRepo = await runCli(home, ["export", "github-actions", "--out", out]);
  assert.equal(noRepo.code, 2);
  assert.match(noRepo.stderr, /needs --repo/);
  assert.match(noRepo.stderr, /--repo acme\/clodputer/);
  const watch = await runCli(home, [
    "export",
    "github-actions",
    "inbox-processor",
    "--out",
    out,
    "--repo",
    "o/c",
  ]);
  assert.equal(watch.code, 2);
  assert.match(watch.stderr, /Cannot export inbox-processor: it watches a folder/);
  assert.equal(await Deno.stat(out).then(() => true, () => false), false, "nothing written");
});

Deno.test("the workflow's run script with the real clodputer: each transient failure's queued retry runs after its backoff", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "flaky",
    'schedule:\n  type: cron\n  expression: "@daily"\ntask:\n  prompt: hi\n  max_retries: 2\n' +
      "  retry_backoff_seconds: 1\n  max_retry_delay: 1\n",
  );
  const bin = join(home.root, "bin");
  await Deno.mkdir(bin);
  // `clodputer` as the workflow calls it: this checkout, as runCli runs it.
  const argv = [Deno.execPath(), ...await cliArgs()].map((a) => `'${a}'`).join(" ");
  await Deno.writeTextFile(
    join(bin, "clodputer"),
    `#!/bin/sh\ncd '${REPO_ROOT}' && exec ${argv} "$@"\n`,
    { mode: 0o755 },
  );
  const env = await cliEnv(home, {
    PATH: `${bin}:${FIXTURE_BIN}:/usr/local/bin:/usr/bin:/bin`,
    TASK: "flaky",
    RUNNER_TEMP: home.root,
    ANTHROPIC_API_KEY: "test-key",
    FAKE_CLAUDE_SEQUENCE: "error-500,error-500,hi",
    FAKE_CLAUDE_SEQUENCE_FILE: join(home.root, "sequence"),
  });
  const out = await new Deno.Command("bash", {
    args: ["-c", runScript()],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout);
  assert.equal(out.code, 0, stdout + new TextDecoder().decode(out.stderr));
  assert.match(stdout, /a transient failure \(API Error: 500[^\n]*: retry 1 of 2 at /);
  assert.match(stdout, /a transient failure \(API Error: 500[^\n]*: retry 2 of 2 at /);
  const runs = await Array.fromAsync(Deno.readDir(join(home.clodputerHome, "runs")));
  assert.equal(runs.length, 3, "three runs: the first and its two retries");
  const last = JSON.parse(await Deno.readTextFile(join(home.root, "clodputer-record.json")));
  assert.equal(last.status, "succeeded");
  assert.deepEqual(
    { type: last.trigger.type, attempt: last.trigger.attempt },
    { type: "retry", attempt: 3 },
    "the last run was Clodputer's own queued retry",
  );
});
