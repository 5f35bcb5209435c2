/**
 * @module
 * `clodputer run` end to end: the real CLI as a subprocess, the stand-in claude on PATH, real
 * signals, a temp home.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cliArgs,
  cliEnv,
  killRecorded,
  pidAlive,
  pidsIn,
  REPO_ROOT,
  runCli,
  spawn,
  tempHome,
  waitFor,
} from "./cli.ts";
import { ALIAS_BOMB, ALIAS_BOMB_AT, copyLegacy } from "./hostile.ts";

const HELLO = `name: hello
description: say hello
task:
  prompt: "Say hello to {{ name }}"
  allowed_tools: [Read]
  timeout: 60
`;

function assertAllDead(pids: Map<string, number>): void {
  const alive = [...pids].filter(([, pid]) => pidAlive(pid));
  assert.deepEqual(alive, [], `left alive: ${JSON.stringify(alive)}`);
}

async function onlyRunDir(clodputerHome: string): Promise<string> {
  const runs = await Array.fromAsync(Deno.readDir(join(clodputerHome, "runs")));
  assert.equal(runs.length, 1, "exactly one run directory");
  return join(clodputerHome, "runs", (runs[0] as Deno.DirEntry).name);
}

Deno.test("clodputer --help and --version", async () => {
  await using home = await tempHome();
  const help = await runCli(home, ["--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: clodputer/);
  assert.match(help.stdout, /run \[options\] <task>/);
  const version = await runCli(home, ["--version"]);
  assert.equal(version.code, 0);
  assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
});

Deno.test("clodputer run prints the result, duration, cost and session id, and keeps result.json", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const log = join(home.root, "argv");
  const r = await runCli(home, ["run", "hello", "--now"], { env: { FAKE_CLAUDE_LOG: log } });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^hello from fake\n/);
  assert.match(
    r.stdout,
    /✓ hello succeeded · in \d+(\.\d)?(ms|s) · \$0\.0002 · session eb747026-a985-4f80-a5e9-440d29297dab/,
  );
  const record = JSON.parse(
    await Deno.readTextFile(join(await onlyRunDir(home.clodputerHome), "result.json")),
  );
  assert.equal(record.status, "succeeded");
  assert.equal(record.task, "hello");
  assert.equal(record.claude.session_id, "eb747026-a985-4f80-a5e9-440d29297dab");
  assert.equal(record.claude.total_cost_usd, 0.000188);
  assert.deepEqual(record.trigger, { type: "manual" });

  // claude got the task as data: flags in argv, the rendered prompt on stdin.
  const argv = (await Deno.readTextFile(log)).split("\0").slice(0, -1);
  assert.deepEqual(argv, [
    "-p",
    "--output-format",
    "stream-json",
    "--verbose",
    "--allowedTools",
    "Read",
  ]);
  assert.deepEqual(record.argv, argv);
  assert.equal(await Deno.readTextFile(`${log}.stdin`), "Say hello to hello");
  assert.equal(await Deno.readTextFile(record.prompt_file), "Say hello to hello");
  const env = await Deno.readTextFile(`${log}.env`);
  assert.match(env, /^SHELL=\/bin\/sh$/m);
  assert.match(env, new RegExp(`^CLODPUTER_RUN_ID=${record.id}$`, "m"));
});

Deno.test("clodputer run --json prints the same record it saved", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const r = await runCli(home, ["run", "hello", "--now", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  const printed = JSON.parse(r.stdout);
  const saved = JSON.parse(
    await Deno.readTextFile(join(await onlyRunDir(home.clodputerHome), "result.json")),
  );
  assert.deepEqual(printed, saved);
  assert.equal(r.stderr, "");
});

Deno.test("clodputer run exits 1 on an error result and says what Claude reported", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const r = await runCli(home, ["run", "hello", "--now"], {
    env: { FAKE_CLAUDE_SCENARIO: "error-401" },
  });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /✗ hello failed: Claude reported an error \(API 401\)/);
});

Deno.test("clodputer run says where claude was looked for when it is missing", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const r = await runCli(home, ["run", "hello", "--now"], { env: { PATH: "/usr/bin:/bin" } });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /could not start: Cannot find "claude" on PATH \(\/usr\/bin:\/bin\)/);
  assert.match(r.stdout, /hint: install Claude Code, or set CLODPUTER_CLAUDE/);
});

Deno.test("clodputer run uses CLODPUTER_CLAUDE", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const fake = join(REPO_ROOT, "tests", "fixtures", "bin", "claude");
  const r = await runCli(home, ["run", "hello", "--now", "--json"], {
    env: { PATH: "/usr/bin:/bin", CLODPUTER_CLAUDE: fake },
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(JSON.parse(r.stdout).command, fake);
});

Deno.test("clodputer run of an unknown task exits 2 with a did-you-mean", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const r = await runCli(home, ["run", "helo"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /hello/);
  assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/, "no stack trace");
});

Deno.test("clodputer run times out, kills claude and reports it", async () => {
  // The whole tree (escapees, SIGTERM-ignorers) under a timeout is covered in
  // tests/run/executor_test.ts, where the test decides when the timeout fires; here the CLI's
  // part: the outcome, and the cleanup report naming claude, whatever the machine's speed.
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "grace_period: 1\n");
  await home.writeTask(
    "slow",
    HELLO.replace("name: hello", "name: slow").replace("timeout: 60", "timeout: 2"),
  );
  const r = await runCli(home, ["run", "slow", "--now"], { env: { FAKE_CLAUDE_HANG: "chatty" } });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /✗ slow timed out after 2\.0s \(task\.timeout\)/);
  const record = JSON.parse((await runCli(home, ["show", "slow", "--json"])).stdout);
  assert.equal(record.status, "timed_out");
  assert.ok(record.pid > 0);
  assert.ok(!pidAlive(record.pid), "claude is dead");
  assert.match(r.stdout, new RegExp(`killed \\d+ process(es)?: .*\\b${record.pid}\\b`));
});

Deno.test("clodputer run finishes when claude exits, although leftovers hold its output pipes", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const pidsFile = home.pidsFile;
  try {
    const r = await runCli(home, ["run", "hello", "--now"], {
      env: { FAKE_CLAUDE_SPAWN: "child,grandchild,escapee", FAKE_CLAUDE_PIDS: pidsFile },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /✓ hello succeeded/);
    assert.match(r.stdout, /killed \d+ processes/);
    assertAllDead(await pidsIn(pidsFile));
  } finally {
    await killRecorded(pidsFile);
  }
});

Deno.test("clodputer run shows plain progress lines when stderr is not a terminal", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const r = await runCli(home, ["run", "hello", "--now"], {
    env: { FAKE_CLAUDE_SCENARIO: "bash-tool" },
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^queued hello as \d{8}-\d{6}-[0-9a-z]{6} \(position 1\)$/m);
  assert.match(r.stderr, /^started: claude pid \d+$/m);
  assert.match(r.stderr, /^claude started \(model claude-opus-5-5\)$/m);
  assert.match(r.stderr, /^tool Bash: echo bash-ran/m);
  // deno-lint-ignore no-control-regex
  assert.doesNotMatch(r.stderr, /\x1b\[/, "no escape codes off a terminal");
});

Deno.test("clodputer run shows a spinner with elapsed time on a terminal", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const env = await cliEnv(home, { FAKE_CLAUDE_GATE: home.gate, TERM: "xterm" });
  const command = [Deno.execPath(), ...await cliArgs(), "run", "hello", "--now"]
    .map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(" ");
  // `script` gives the CLI a pseudo-terminal, as a person's shell would.
  await using script = spawn("script", {
    args: ["-qfec", command, "/dev/null"],
    cwd: REPO_ROOT,
    env,
    clearEnv: true,
  });
  // claude stays running (gated) until the spinner has been drawn with its elapsed time.
  // deno-lint-ignore no-control-regex
  const spinner = /\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] hello \ds/;
  await waitFor("the spinner with elapsed time", () => spinner.test(script.stdout) || undefined);
  await home.openGate();
  const out = await script.output();
  assert.equal(out.code, 0, out.stdout);
  assert.match(out.stdout, /hello from fake/);
});

Deno.test("run of an alias bomb is a config error at file:line:column: exit 2, claude never starts", async () => {
  await using home = await tempHome();
  await home.writeTask("bomb", ALIAS_BOMB);
  const log = join(home.root, "argv");
  const r = await runCli(home, ["run", "bomb", "--now"], { env: { FAKE_CLAUDE_LOG: log } });
  assert.equal(r.code, 2, r.stderr);
  assert.match(r.stderr, /^error: Cannot load task "bomb": 1 problem in \S+bomb\.yaml$/m);
  assert.match(
    r.stderr,
    new RegExp(
      `^ {2}\\S+${ALIAS_BOMB_AT.replaceAll(".", "\\.")}: Too many YAML aliases: the file expands ` +
        "beyond 100000 values$",
      "m",
    ),
  );
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.equal(await Deno.readTextFile(log).catch(() => "none"), "none");
});

Deno.test("run of an earlier-format task goes by its file name; its name: says which file", async () => {
  await using home = await tempHome();
  await copyLegacy(home, "manual-task");
  const log = join(home.root, "argv");
  const ok = await runCli(home, ["run", "manual-task", "--now"], {
    env: { FAKE_CLAUDE_LOG: log },
  });
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /^hello from fake\n/);
  const result = JSON.parse(
    await Deno.readTextFile(join(await onlyRunDir(home.clodputerHome), "result.json")),
  );
  assert.equal(result.task, "manual-task");
  const byLabel = await runCli(home, ["run", "manual-review", "--now"]);
  assert.equal(byLabel.code, 2);
  assert.match(
    byLabel.stderr,
    /^error: Cannot find task "manual-review": the task named "manual-review" is the file manual-task\.yaml, known as "manual-task"$/m,
  );
  assert.match(
    byLabel.stderr,
    /^hint: run it as: clodputer run manual-task \(or rename manual-task\.yaml to manual-review\.yaml\)$/m,
  );
});
