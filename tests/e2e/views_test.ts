/**
 * @module
 * `status` and `show` end to end, in both forms.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { localTimeWithZone } from "../../lib/ui/duration.ts";
import { pidsIn, runCli, spawnCli, type TempHome, tempHome, waitFor, waitForStart } from "./cli.ts";

function taskYaml(name: string, extra = ""): string {
  return `name: ${name}\ntask:\n  prompt: "run ${name}"\n  timeout: 60\n${extra}`;
}

async function twoRuns(home: TempHome): Promise<{ ok: string; bad: string }> {
  await home.writeTask("good", taskYaml("good"));
  await home.writeTask("bad", taskYaml("bad", "  env:\n    FAKE_CLAUDE_SCENARIO: error-500\n"));
  const ok = JSON.parse((await runCli(home, ["run", "good", "--wait", "--json"])).stdout).id;
  const bad = JSON.parse((await runCli(home, ["run", "bad", "--wait", "--json"])).stdout).id;
  return { ok, bad };
}

Deno.test("status on a fresh home: idle, empty, no runs yet", async () => {
  await using home = await tempHome();
  // A fake "now" at local noon: today is the day of that clock, wherever the test runs, and the
  // fake clock (which moves on from there) is hours from either midnight however slow the run.
  const noon = new Date(2026, 10, 26, 12, 0, 0);
  const r = await runCli(home, ["status"], {
    env: { CLODPUTER_FAKE_TIME: noon.toISOString() },
  });
  assert.equal(r.code, 0, r.stderr);
  const today = noon.toLocaleDateString("sv");
  assert.equal(
    r.stdout,
    [
      "runner:   idle",
      "queue:    empty",
      `today:    0 succeeded, 0 failed · $0 (${today})`,
      "watcher:  not running",
      "schedule: not installed (clodputer install schedules tasks that have a schedule:)",
      "",
      "last runs: none yet (run a task with: clodputer run <task>)",
      "",
    ].join("\n"),
  );
});

Deno.test("status shows the last runs, today's counts and cost", async () => {
  await using home = await tempHome();
  const { ok, bad } = await twoRuns(home);
  const r = await runCli(home, ["status"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^today: {4}1 succeeded, 1 failed · \$0\.0002 \(\d{4}-\d\d-\d\d\)$/m);
  assert.match(r.stdout, /^ {2}\s+TASK\s+STARTED\s+DURATION\s+COST\s+STATUS\s+RUN$/m);
  assert.match(
    r.stdout,
    new RegExp(
      `^  ✗\\s+bad\\s+\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\s+\\S+\\s+\\$0\\s+failed\\s+${bad}$`,
      "m",
    ),
  );
  assert.match(
    r.stdout,
    new RegExp(`^  ✓\\s+good\\s+\\S+ \\S+\\s+\\S+\\s+\\$0\\.0002\\s+succeeded\\s+${ok}$`, "m"),
  );
  assert.ok(r.stdout.indexOf(bad) < r.stdout.indexOf(ok), "newest first");
  const json = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.deepEqual(json.runner, { state: "idle" });
  assert.deepEqual(json.queue, { queued: 0, high: 0, paused: null, hold: null, waiting: [] });
  assert.equal(json.attention.failed, 1, "the failed run waits to be acknowledged");
  assert.equal(json.attention.last.id, bad);
  assert.equal(json.today.succeeded, 1);
  assert.equal(json.today.failed, 1);
  assert.equal(json.today.cost_usd, 0.000188);
  assert.deepEqual(json.recent.map((x: { id: string }) => x.id), [bad, ok]);
});

Deno.test("status shows the running task, then a dead runner", async () => {
  await using home = await tempHome();
  await home.writeTask("slow", taskYaml("slow"));
  await using runner = await spawnCli(home, ["run", "slow"], {
    env: { FAKE_CLAUDE_HANG: "silent" },
  });
  // task_started is logged once claude's pid is in the queue state, which status reads.
  await waitForStart(home, "slow");
  // The runner logs task_started as soon as claude is spawned; the stand-in notes its own pid
  // a moment later.
  const claudePid = await waitFor(
    "the stand-in to note its pid",
    async () => (await pidsIn(home.pidsFile)).get("claude"),
  );
  const busy = await runCli(home, ["status"]);
  assert.match(
    busy.stdout,
    new RegExp(
      `^runner:   running slow for \\S+ \\(run \\S+, claude pid ${claudePid}, runner pid ${runner.pid}\\)$`,
      "m",
    ),
  );
  runner.kill("SIGKILL");
  await runner.output();
  const dead = await runCli(home, ["status"]);
  assert.match(
    dead.stdout,
    new RegExp(
      `^runner:   dead \\(pid ${runner.pid}\\): the runner \\(pid ${runner.pid}\\) is gone; the next clodputer run recovers$`,
      "m",
    ),
  );
});

Deno.test("status reads the watcher pid file, and crontab lines of an older install", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.clodputerHome, "watcher.pid"), "999999\n");
  await Deno.writeTextFile(
    join(home.home, ".fake-crontab"),
    "0 8 * * * /usr/local/bin/clodputer run daily\n",
  );
  const r = await runCli(home, ["status"]);
  assert.match(r.stdout, /^watcher: {2}not running \(stale watcher\.pid names 999999\)$/m);
  assert.match(r.stdout, /^schedule: not installed/m);
  assert.match(
    r.stdout,
    /^ {10}1 other crontab line\(s\) call clodputer \(an older install\?\): check crontab -l$/m,
  );
});

Deno.test("show prints a run's full record; by task it shows the last run", async () => {
  await using home = await tempHome();
  const { ok, bad } = await twoRuns(home);
  const r = await runCli(home, ["show", ok]);
  assert.equal(r.code, 0, r.stderr);
  const dir = join(home.clodputerHome, "runs", ok);
  assert.match(r.stdout, /^✓ good succeeded$/m);
  assert.match(r.stdout, new RegExp(`^run:       ${ok}$`, "m"));
  assert.match(r.stdout, /^trigger: {3}manual$/m);
  // Local time with its zone, not ISO UTC (--json keeps ISO UTC).
  const record = JSON.parse((await runCli(home, ["show", ok, "--json"])).stdout);
  assert.match(
    r.stdout,
    new RegExp(`^started: {3}${localTimeWithZone(record.started_at).replaceAll("+", "\\+")}$`, "m"),
  );
  assert.match(r.stdout, /^ended: {5}\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\S* \(/m);
  assert.match(r.stdout, /^exit: {6}code 0$/m);
  const command = r.stdout.match(/^command: {3}(.*)$/m)?.[1] ?? "";
  assert.equal(
    command.replace(/^\S+\/claude /, "claude "),
    `claude -p --output-format stream-json --verbose < ${dir}/prompt`,
  );
  // The line can be pasted: a shell runs it, and claude reads the same prompt on stdin.
  const log = join(home.root, "pasted");
  const pasted = await new Deno.Command("/bin/sh", {
    args: ["-c", command],
    env: { PATH: "/usr/bin:/bin", FAKE_CLAUDE_LOG: log },
    clearEnv: true,
    stdout: "null",
    stderr: "null",
  }).output();
  assert.equal(pasted.code, 0);
  assert.equal(await Deno.readTextFile(`${log}.stdin`), "run good");
  assert.match(r.stdout, new RegExp(`^  ${dir}/prompt \\(8 bytes\\)$`, "m"));
  assert.match(r.stdout, /^session: {3}eb747026-a985-4f80-a5e9-440d29297dab$/m);
  assert.match(r.stdout, /^cost: {6}\$0\.0002 · 1 turn$/m);
  assert.match(r.stdout, /^result:\n {2}hello from fake$/m);
  assert.match(r.stdout, /^cleanup: {3}nothing was left running$/m);
  assert.match(r.stdout, new RegExp(`^  ${dir}/stdout \\(\\d+ bytes\\)$`, "m"));
  assert.match(r.stdout, new RegExp(`^  ${dir}/stderr \\(0 bytes\\)$`, "m"));
  const byTask = await runCli(home, ["show", "bad"]);
  assert.match(byTask.stdout, new RegExp(`^run:       ${bad}$`, "m"));
  assert.match(byTask.stdout, /^✗ bad failed: Claude reported an error \(API 500\)/m);
  const json = JSON.parse((await runCli(home, ["show", ok, "--json"])).stdout);
  assert.equal(json.id, ok);
  assert.equal(json.claude.result, "hello from fake");
});

Deno.test("show lists every process a cleanup signalled", async () => {
  await using home = await tempHome();
  await home.writeTask("messy", taskYaml("messy"));
  const pids = home.pidsFile;
  const r = await runCli(home, ["run", "messy", "--wait", "--json"], {
    env: { FAKE_CLAUDE_SPAWN: "child,escapee", FAKE_CLAUDE_PIDS: pids },
  });
  const id = JSON.parse(r.stdout).id;
  const show = await runCli(home, ["show", id]);
  const escapee = (await Deno.readTextFile(pids)).match(/escapee (\d+)/)?.[1];
  assert.match(show.stdout, /^cleanup: {3}\d+ signals in \S+$/m);
  assert.match(show.stdout, new RegExp(`^  ${escapee}\\s+SIGTERM\\s+mark\\s+sleep 300$`, "m"));
});

Deno.test("show of an unknown run or task exits 2 with a hint", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["show", "20261125-120000-abcdef"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /Cannot show run "20261125-120000-abcdef": it has no record/);
  const t = await runCli(home, ["show", "nope"]);
  assert.equal(t.code, 2);
  assert.match(t.stderr, /Cannot show "nope": it is neither a run id nor a task that has run/);
});
