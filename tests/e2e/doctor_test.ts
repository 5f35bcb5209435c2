/**
 * @module
 * `clodputer doctor` end to end: a healthy home passes; each problem is named with its fix.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { pidsIn, runCli, spawnCli, type TempHome, tempHome, waitFor } from "./cli.ts";
import { ALIAS_BOMB, ALIAS_BOMB_AT, copyLegacy } from "./hostile.ts";

const AUTH_ENV = '  env:\n    ANTHROPIC_API_KEY: "{{ secrets.ANTHROPIC_API_KEY }}"\n';

async function healthy(home: TempHome): Promise<void> {
  assert.equal((await runCli(home, ["init"])).code, 0);
  await Deno.mkdir(join(home.home, "work"));
  await home.writeTask(
    "hello",
    `name: hello\ntask:\n  prompt: hi\n  working_directory: ~/work\n${AUTH_ENV}`,
  );
}

async function doctor(home: TempHome, env: Record<string, string> = {}) {
  const r = await runCli(home, ["doctor"], { env });
  return { ...r, json: JSON.parse((await runCli(home, ["doctor", "--json"], { env })).stdout) };
}

Deno.test("doctor passes on a healthy home and exits 0", async () => {
  await using home = await tempHome();
  await healthy(home);
  const r = await doctor(home);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^✓ State folder \S+ \(mode 0700, writable\)$/m);
  assert.match(r.stdout, /^✓ claude 2\.1\.330 \(Claude Code\) at \S+ \(found via config\)$/m);
  assert.match(r.stdout, /^✓ Every task passes its credentials in its env$/m);
  assert.match(r.stdout, /^✓ State store opens: 0 queued, nothing running$/m);
  assert.match(r.stdout, /^✓ 1 of 1 task configs are valid$/m);
  // From source, the one warning is that cron needs the installed binary.
  assert.match(
    r.stdout,
    /^! Clodputer is running from source \(\S+deno\); the cron entry calls deno and this checkout's main\.ts by their paths, so moving either stops scheduled runs$/m,
  );
  assert.match(r.stdout, /^0 failed, 1 warning$/m);
  assert.equal(r.json.ok, true);
  const notOk = r.json.checks.filter((c: { status: string }) => c.status !== "ok");
  assert.deepEqual(notOk.map((c: { id: string }) => c.id), ["clodputer"]);
});

Deno.test("doctor names each problem with a concrete fix, and exits 1", async () => {
  await using home = await tempHome();
  await healthy(home);
  await Deno.writeTextFile(join(home.root, "bad-mcp.json"), "{ not json");
  await home.writeTask(
    "mcp",
    `name: mcp\ntask:\n  prompt: hi\n  mcp_config: ${join(home.root, "bad-mcp.json")}\n${AUTH_ENV}`,
  );
  await home.writeTask("broken", "name: broken\ntask:\n  promt: hi\n");
  await home.writeTask(
    "watch",
    `name: watch\ntrigger:\n  type: file_watch\n  path: ~/Inbox\ntask:\n  prompt: hi\n${AUTH_ENV}`,
  );
  await home.writeTask(
    "cron",
    `name: cron\nschedule:\n  type: cron\n  expression: "0 8 * * *"\ntask:\n  prompt: hi\n${AUTH_ENV}`,
  );
  await Deno.chmod(home.clodputerHome, 0o755);
  const r = await doctor(home);
  assert.equal(r.code, 1);
  const expect: [RegExp, RegExp | undefined][] = [
    [/^! The state folder \S+ is readable by others \(mode 0755\)$/m, /^ {2}fix: chmod 700 \S+$/m],
    [
      /^✗ Task "broken" is invalid: \S+broken\.yaml:2:1: Missing "prompt" under "task" \(and 1 more\)$/m,
      undefined,
    ],
    [
      /^✗ Task "mcp": mcp_config \S+bad-mcp\.json is not valid JSON/m,
      /^ {2}fix: fix \S+bad-mcp\.json, or remove mcp_config from the task$/m,
    ],
    [
      /^! Task "watch": the watched folder \S+\/Inbox does not exist yet$/m,
      /^ {2}fix: create it: mkdir -p \S+\/Inbox$/m,
    ],
    [
      /^! 1 task\(s\) have a schedule \(cron\), but the scheduler is not installed: they run only by hand$/m,
      /^ {2}fix: run: clodputer install \(or --(systemd|launchd)\)$/m,
    ],
    [/^! 1 task\(s\) watch folders \(watch\), but the watcher daemon is not running$/m, undefined],
    [/^\d+ failed, \d+ warnings$/m, undefined],
  ];
  for (const [line, fix] of expect) {
    assert.match(r.stdout, line);
    if (fix) assert.match(r.stdout, fix);
  }
  assert.equal(r.json.ok, false);
  const broken = r.json.checks.find((c: { id: string }) => c.id === "task:broken");
  assert.equal(broken.status, "fail");
});

Deno.test("doctor reports a missing claude and a missing home", async () => {
  await using home = await tempHome();
  await Deno.remove(home.clodputerHome, { recursive: true });
  const r = await doctor(home, { PATH: "/usr/bin:/bin" });
  assert.equal(r.code, 1);
  assert.match(r.stdout, /^✗ The state folder \S+ does not exist$/m);
  assert.match(r.stdout, /^ {2}fix: run: clodputer init$/m);
  assert.match(
    r.stdout,
    /^✗ Cannot find "claude" on PATH \(\/usr\/bin:\/bin\) or in the usual places$/m,
  );
});

Deno.test("doctor warns when claude is found only on the shell's PATH and creds only in the shell", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", "name: hello\ntask:\n  prompt: hi\n");
  const r = await doctor(home, { ANTHROPIC_API_KEY: "sk-ant-from-my-shell" });
  assert.match(
    r.stdout,
    /^! Clodputer finds claude via PATH, which cron does not have \(cron's PATH is \/usr\/bin:\/bin\)$/m,
  );
  assert.match(
    r.stdout,
    /^ {2}fix: record it: add "claude: \S+" to \S+config\.yaml \(clodputer init does this\)$/m,
  );
  assert.match(
    r.stdout,
    /^! ANTHROPIC_API_KEY is set in this shell only: cron and launchd do not read your shell profile$/m,
  );
  assert.doesNotMatch(r.stdout + r.stderr, /sk-ant-from-my-shell/);
});

Deno.test("doctor accepts a credentials-file login", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", "name: hello\ntask:\n  prompt: hi\n");
  await Deno.mkdir(join(home.home, ".claude"));
  await Deno.writeTextFile(join(home.home, ".claude", ".credentials.json"), "{}");
  const r = await doctor(home);
  assert.match(
    r.stdout,
    /^✓ claude is logged in with a credentials file \(\S+\.credentials\.json\), readable from cron$/m,
  );
});

Deno.test("doctor finds a stale runner lease and a damaged store kept aside", async () => {
  await using home = await tempHome();
  await healthy(home);
  await using runner = await spawnCli(home, ["run", "hello"], {
    env: { FAKE_CLAUDE_HANG: "silent", ANTHROPIC_API_KEY: "sk-test-key" },
  });
  await waitFor(
    "claude to start",
    async () => (await pidsIn(home.pidsFile)).has("claude") || undefined,
  );
  runner.kill("SIGKILL");
  await runner.output();
  // claude is left running (silent, it gets no SIGPIPE): the home's dispose kills it.
  const r = await doctor(home);
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    new RegExp(
      `^✗ Stale runner lease: the runner \\(pid ${runner.pid}\\) is gone, and hello \\(\\S+\\) is still marked running$`,
      "m",
    ),
  );
  assert.match(
    r.stdout,
    /^ {2}fix: the next clodputer run takes it over, records that run as lost and kills its leftovers/m,
  );
  await Deno.writeTextFile(join(home.clodputerHome, "state.kv"), "garbage");
  await Deno.remove(join(home.clodputerHome, "state.kv-wal")).catch(() => {});
  await Deno.remove(join(home.clodputerHome, "state.kv-shm")).catch(() => {});
  const after = await runCli(home, ["doctor"]);
  assert.match(
    after.stdout,
    /^! A damaged state store was moved aside: \S+state\.kv\.corrupt-\S+$/m,
  );
});

Deno.test("doctor warns about an oversized log and old archives", async () => {
  await using home = await tempHome();
  await healthy(home);
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    "log:\n  max_bytes: 100\n  keep_months: 1\n",
  );
  await Deno.writeTextFile(join(home.clodputerHome, "execution.log"), "x".repeat(500));
  await Deno.mkdir(join(home.clodputerHome, "archive"), { recursive: true });
  await Deno.writeTextFile(join(home.clodputerHome, "archive", "2020-01.log"), "old\n");
  const r = await runCli(home, ["doctor"]);
  assert.match(
    r.stdout,
    /^! execution\.log is 500 bytes, over twice log\.max_bytes \(100\): rotation is not happening$/m,
  );
  assert.match(
    r.stdout,
    /^! 1 archive file\(s\) are older than log\.keep_months \(1\): 2020-01\.log$/m,
  );
});

Deno.test("doctor warns about a name: that differs from the file name, and fails an alias bomb", async () => {
  await using home = await tempHome();
  await healthy(home);
  await copyLegacy(home, "manual-task");
  const first = await doctor(home);
  assert.match(
    first.stdout,
    /^! Task "manual-task": "name" is "manual-review" but the file is manual-task\.yaml: the task is known as "manual-task"$/m,
  );
  assert.match(
    first.stdout,
    /^ {2}fix: rename the file to manual-review\.yaml, or write name: manual-task$/m,
  );
  assert.match(first.stdout, /^✓ 2 of 2 task configs are valid$/m);
  const warning = first.json.checks.find((c: { id: string }) =>
    c.id === "task:manual-task:warning:1"
  );
  assert.equal(warning.status, "warn");
  await home.writeTask("bomb", ALIAS_BOMB);
  const r = await doctor(home);
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    new RegExp(
      `^✗ Task "bomb" is invalid: \\S+${ALIAS_BOMB_AT.replaceAll(".", "\\.")}: Too many YAML ` +
        "aliases: the file expands beyond 100000 values$",
      "m",
    ),
  );
  assert.doesNotMatch(r.stdout + r.stderr, /internal error|check itself failed/);
});

Deno.test("doctor checks the notify: channels: a command not on PATH fails with its fix", async () => {
  await using home = await tempHome();
  await healthy(home);
  const config = join(home.clodputerHome, "config.yaml");
  await Deno.writeTextFile(
    config,
    (await Deno.readTextFile(config)) + 'notify:\n  macos: true\n  command: ["no-such-notifier"]\n',
  );
  const r = await doctor(home);
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^✓ Desktop notifications through \S+\/notify-send$/m);
  assert.match(
    r.stdout,
    /^✗ The notification command "no-such-notifier" is not found or not executable\n {2}fix: install it, or write its absolute path/m,
  );
});
