/**
 * @module
 * `clodputer secret`, end to end: a value piped to `secret set` is read by a run started in a
 * bare, cron-like environment (nothing but HOME, CLODPUTER_HOME and PATH), is redacted in the
 * run's files and the log, never printed by `secret list`, and gone after `secret rm`. With no
 * keyring (the stand-in secret-tool fails as with no session bus) it goes to the 0600 file; with
 * one, to the Secret Service.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  cliArgs,
  clockEnv,
  denoDir,
  FIXTURE_BIN,
  outputWithin,
  REPO_ROOT,
  runCli,
  type TempHome,
  tempHome,
} from "./cli.ts";

const VALUE = "piped-value-7f3a9c-e2e";
const TASK = `task:
  prompt: "Say {{ secrets.MY_VALUE }} back."
  env:
    HELPER: "{{ secrets.MY_VALUE }}"
`;

/** A bare environment, as cron gives: HOME, CLODPUTER_HOME, PATH (plus what the harness needs). */
async function bareEnv(home: TempHome, extra: Record<string, string> = {}) {
  return {
    HOME: home.home,
    CLODPUTER_HOME: home.clodputerHome,
    PATH: `${FIXTURE_BIN}:/usr/bin:/bin`,
    ...clockEnv(),
    DENO_DIR: await denoDir(),
    FAKE_CLAUDE_PIDS: home.pidsFile,
    ...extra,
  };
}

/** Runs the CLI in `env` only, with `input` on its stdin. */
async function runBare(
  env: Record<string, string>,
  args: string[],
  input?: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...await cliArgs(), ...args],
    cwd: REPO_ROOT,
    env,
    clearEnv: true,
    stdin: input === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (input !== undefined && child.stdin) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(input));
    await writer.close();
  }
  const { out, timedOut } = await outputWithin(child, 120_000);
  assert.ok(!timedOut, `clodputer ${args.join(" ")} timed out`);
  const decoder = new TextDecoder();
  return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
}

/** Every file under `dir` but the secrets file, with its bytes as text. */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) out.push(...await filesUnder(path));
    else if (e.isFile && e.name !== "secrets.json") {
      out.push([path, new TextDecoder().decode(await Deno.readFile(path))]);
    }
  }
  return out;
}

Deno.test("secret set from a pipe, no keyring: the 0600 file, read by a cron-like run, redacted", async () => {
  await using home = await tempHome();
  await home.writeTask("echoer", TASK);
  const claudeLog = join(home.root, "claude.log");
  const env = await bareEnv(home, {
    FAKE_CLAUDE_LOG: claudeLog,
    FAKE_CLAUDE_STDERR: `claude says ${VALUE}`,
  });

  const set = await runBare(env, ["secret", "set", "MY_VALUE"], `${VALUE}\n`);
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /Skipped secret-service: secret-tool: Cannot autolaunch D-Bus/);
  assert.match(set.stdout, /Stored MY_VALUE in the file .*secrets\.json/);
  assert.ok(!set.stdout.includes(VALUE) && !set.stderr.includes(VALUE));
  const file = join(home.clodputerHome, "secrets.json");
  assert.equal(((await Deno.stat(file)).mode ?? 0) & 0o777, 0o600);
  // The pipe's trailing newline is not part of the value.
  assert.deepEqual(JSON.parse(await Deno.readTextFile(file)), { MY_VALUE: VALUE });

  const run = await runBare(env, ["run", "echoer", "--wait"]);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  assert.match(await Deno.readTextFile(`${claudeLog}.env`), new RegExp(`^HELPER=${VALUE}$`, "m"));
  assert.ok((await Deno.readTextFile(`${claudeLog}.stdin`)).includes(VALUE), "claude got it");

  const files = await filesUnder(home.clodputerHome);
  assert.ok(files.some(([path]) => path.endsWith("execution.log")));
  for (const [path, text] of files) {
    assert.ok(!text.includes(VALUE), `${path} holds the secret value`);
  }
  const stderrFile = files.find(([path]) => /runs\/[^/]+\/stderr$/.test(path));
  assert.match(stderrFile?.[1] ?? "", /claude says \[redacted\]/);
  assert.ok(!run.stdout.includes(VALUE) && !run.stderr.includes(VALUE));

  const list = await runBare(env, ["secret", "list"]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /file: .*secrets\.json.*: MY_VALUE$/m);
  const listJson = await runBare(env, ["secret", "list", "--json"]);
  for (const text of [list.stdout, listJson.stdout]) assert.ok(!text.includes(VALUE), text);
  const stores = JSON.parse(listJson.stdout).stores as { kind: string; names?: string[] }[];
  assert.deepEqual(stores.find((s) => s.kind === "file")?.names, ["MY_VALUE"]);

  const rm = await runBare(env, ["secret", "rm", "MY_VALUE"]);
  assert.equal(rm.code, 0, rm.stderr);
  assert.match(rm.stdout, /Removed MY_VALUE from file\./);
  assert.deepEqual(JSON.parse(await Deno.readTextFile(file)), {});
  const again = await runBare(env, ["run", "echoer", "--wait"]);
  assert.notEqual(again.code, 0);
  assert.match(
    again.stdout + again.stderr,
    /clodputer secret set MY_VALUE/,
    "the failed run says how to store it",
  );
});

Deno.test("secret set with a keyring: the Secret Service, read by a run; list and rm", async () => {
  await using home = await tempHome();
  await home.writeTask("echoer", TASK);
  const env = await bareEnv(home, { FAKE_SECRET_TOOL_DIR: join(home.root, "keyring") });
  const set = await runBare(env, ["secret", "set", "MY_VALUE"], VALUE);
  assert.equal(set.code, 0, set.stderr);
  assert.match(set.stdout, /Stored MY_VALUE in the Secret Service/);
  assert.equal(
    await Deno.readTextFile(join(home.root, "keyring", "items", "MY_VALUE")),
    VALUE,
  );
  const run = await runBare(env, ["run", "echoer", "--wait"]);
  assert.equal(run.code, 0, `${run.stdout}\n${run.stderr}`);
  const list = await runBare(env, ["secret", "list"]);
  assert.match(list.stdout, /secret-service: .*: MY_VALUE$/m);
  assert.ok(!list.stdout.includes(VALUE));
  const rm = await runBare(env, ["secret", "rm", "MY_VALUE"]);
  assert.match(rm.stdout, /Removed MY_VALUE from secret-service\./);
  const rmAgain = await runBare(env, ["secret", "rm", "MY_VALUE"]);
  assert.equal(rmAgain.code, 1);
  assert.match(rmAgain.stdout, /No store held MY_VALUE/);
});

Deno.test("secret: a bad name or an empty value is a usage error (exit 2); a readable file is refused", async () => {
  await using home = await tempHome();
  const bad = await runCli(home, ["secret", "set", "not a name"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Cannot use "not a name" as a secret name/);
  const badRm = await runCli(home, ["secret", "rm", "1X"]);
  assert.equal(badRm.code, 2);
  const empty = await runBare(await bareEnv(home), ["secret", "set", "X"], "\n");
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /the value is empty/);
  const file = join(home.clodputerHome, "secrets.json");
  await Deno.writeTextFile(file, '{"X":"v"}', { mode: 0o644 });
  await Deno.chmod(file, 0o644);
  const list = await runCli(home, ["secret", "list"]);
  assert.equal(list.code, 1);
  assert.match(list.stderr, /other users may read it \(mode 0644, expected 0600\)/);
  assert.match(list.stderr, /chmod 600 /);
});
