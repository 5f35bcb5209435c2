/**
 * @module
 * One run of one task, in a temp home, with the stand-in claude: templates, secrets, records.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { GLOBAL_DEFAULTS } from "../../lib/config/fields.ts";
import { runTask } from "../../lib/run/run_task.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";
import { FakeProc } from "../fakes/proc.ts";

async function setup(yaml: string, extraEnv: Record<string, string> = {}) {
  const root = await Deno.makeTempDir({ prefix: "clodputer-runtask-" });
  const log = join(root, "argv");
  const env = envFrom({
    HOME: root,
    PATH: `${FIXTURE_BIN}:/usr/bin:/bin`,
    FAKE_CLAUDE_LOG: log,
    ...extraEnv,
  });
  const paths = pathsUnder(join(root, ".clodputer"));
  const loaded = parseTaskSource(yaml, {
    file: join(paths.tasks, "t.yaml"),
    env,
  });
  const deps = {
    proc: systemProc(),
    clock: systemClock,
    env,
    paths,
    os: "linux",
    selfPid: Deno.pid,
  };
  return {
    root,
    deps,
    loaded,
    argv: async () => (await Deno.readTextFile(log)).split("\0").slice(0, -1),
    /** The prompt the stand-in read on its stdin. */
    stdin: () => Deno.readTextFile(`${log}.stdin`),
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

const global = { ...GLOBAL_DEFAULTS, grace_period: 1 };

Deno.test("runTask() fills context, name, metadata and now, context first", async () => {
  await using s = await setup(`name: t
task:
  prompt: "Handle {{ context.file_path }} for {{ name }} at {{ context.now }}"
  context:
    file_path: "{{ metadata.path }}"
`);
  const record = await runTask(s.deps, s.loaded, {
    global,
    metadata: { path: "/inbox/a.txt" },
    trigger: { type: "file_watch" },
  });
  assert.equal(record.status, "succeeded");
  const prompt = await s.stdin();
  assert.match(prompt, /^Handle \/inbox\/a\.txt for t at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.deepEqual(record.trigger, { type: "file_watch" });
});

Deno.test("runTask() reads secrets from the environment and keeps them out of the record", async () => {
  await using s = await setup(
    `name: t
task:
  prompt: "Use token {{ secrets.API_TOKEN }} please"
`,
    { API_TOKEN: "tok-very-secret-123" },
  );
  const record = await runTask(s.deps, s.loaded, { global });
  assert.equal(record.status, "succeeded");
  assert.equal(await s.stdin(), "Use token tok-very-secret-123 please");
  assert.ok(!(await s.argv()).some((a) => a.includes("tok-very")), "no prompt in argv");
  assert.equal(record.prompt_file, join(s.deps.paths.runs, record.id, "prompt"));
  assert.equal(await Deno.readTextFile(record.prompt_file), "Use token [redacted] please");
  const saved = await Deno.readTextFile(join(s.deps.paths.runs, record.id, "result.json"));
  assert.ok(!saved.includes("tok-very-secret-123"));
});

Deno.test("runTask() keeps env-substituted values out of the record", async () => {
  await using s = await setup(
    `name: t
task:
  prompt: "Key {{ env.MY_KEY }}"
`,
    { MY_KEY: "env-secret-value-9" },
  );
  const record = await runTask(s.deps, s.loaded, { global });
  assert.equal(await s.stdin(), "Key env-secret-value-9");
  assert.equal(await Deno.readTextFile(record.prompt_file ?? ""), "Key [redacted]");
});

Deno.test("runTask() fails the run, naming the secret, when it is missing", async () => {
  await using s = await setup(`name: t
task:
  prompt: "{{ secrets.NOPE }}"
`);
  const record = await runTask(s.deps, s.loaded, { global });
  assert.equal(record.status, "failed");
  assert.equal(record.outcome.kind, "failed_to_spawn");
  assert.match(
    record.outcome.kind === "failed_to_spawn" ? record.outcome.message : "",
    /secret "NOPE" was not found/,
  );
});

Deno.test("runTask() on every platform: a missing secret's hint is clodputer secret set", async (t) => {
  await using s = await setup(`name: t
task:
  prompt: "{{ secrets.NOPE }}"
`);
  await t.step("macOS: the Keychain has none", async () => {
    // security answers "not found" (a FakeProc: no real Keychain is asked).
    const proc = new FakeProc([]);
    proc.output = () => Promise.resolve({ code: 44, stdout: "", stderr: "not found" });
    const record = await runTask({ ...s.deps, os: "darwin", proc }, s.loaded, { global });
    assert.equal(record.outcome.kind, "failed_to_spawn");
    assert.equal(
      record.outcome.kind === "failed_to_spawn" ? record.outcome.hint : "",
      "store it with: clodputer secret set NOPE (it asks for the value)",
    );
  });
  await t.step("Linux: the keyring does not answer, and the message says so", async () => {
    const proc = new FakeProc([]);
    proc.output = () =>
      Promise.resolve({ code: 1, stdout: "", stderr: "Cannot autolaunch D-Bus without X11" });
    const record = await runTask({ ...s.deps, os: "linux", proc }, s.loaded, { global });
    assert.equal(record.outcome.kind, "failed_to_spawn");
    const outcome = record.outcome.kind === "failed_to_spawn" ? record.outcome : undefined;
    assert.match(
      outcome?.message ?? "",
      /secret "NOPE" was not found \(secret-service did not answer: secret-tool: Cannot autolaunch D-Bus/,
    );
    assert.equal(outcome?.hint, "store it with: clodputer secret set NOPE (it asks for the value)");
  });
});

Deno.test("runTask() runs claude in the working directory, and fails clearly when it is missing", async () => {
  await using s = await setup(`name: t
task:
  prompt: hi
  working_directory: ~/work
`);
  const missing = await runTask(s.deps, s.loaded, { global });
  assert.equal(missing.outcome.kind, "failed_to_spawn");
  assert.match(
    missing.outcome.kind === "failed_to_spawn" ? missing.outcome.message : "",
    /working_directory ".*\/work" is not a folder/,
  );
  await Deno.mkdir(join(s.root, "work"));
  const ok = await runTask(s.deps, s.loaded, { global });
  assert.equal(ok.status, "succeeded");
  assert.equal(ok.cwd, join(s.root, "work"));
  assert.equal((await Deno.readTextFile(join(s.root, "argv.cwd"))).trim(), join(s.root, "work"));
});

Deno.test("runTask() passes the task's env and the run id's folder holds stdout and stderr", async () => {
  await using s = await setup(`name: t
task:
  prompt: hi
  env:
    GREETING: hello there
`);
  const record = await runTask(s.deps, s.loaded, { global, runId: "20261125-120000-aaaaaa" });
  assert.equal(record.id, "20261125-120000-aaaaaa");
  const env = await Deno.readTextFile(join(s.root, "argv.env"));
  assert.match(env, /^GREETING=hello there$/m);
  const dir = join(s.deps.paths.runs, record.id);
  for (const f of ["stdout", "stderr", "result.json"]) await Deno.stat(join(dir, f));
});

Deno.test("runTask() warns when Claude was denied tools in a run that exited 0", async () => {
  await using s = await setup(
    `name: t
task:
  prompt: hi
`,
    { FAKE_CLAUDE_SCENARIO: "write-denied" },
  );
  const record = await runTask(s.deps, s.loaded, { global });
  assert.equal(record.status, "succeeded");
  assert.deepEqual(record.warnings, [
    "Claude was denied 1 tool use (Write): add them to allowed_tools if the task needs them",
  ]);
});

Deno.test("runTask() fills secrets in the task's env, so a token can live in the Keychain", async () => {
  await using s = await setup(
    `name: t
task:
  prompt: hi
  env:
    CLAUDE_CODE_OAUTH_TOKEN: "{{ secrets.MY_OAUTH }}"
`,
    { MY_OAUTH: "oauth-token-value-123" },
  );
  const record = await runTask(s.deps, s.loaded, { global });
  assert.equal(record.status, "succeeded");
  const env = await Deno.readTextFile(join(s.root, "argv.env"));
  assert.match(env, /^CLAUDE_CODE_OAUTH_TOKEN=oauth-token-value-123$/m);
  const saved = await Deno.readTextFile(join(s.deps.paths.runs, record.id, "result.json"));
  assert.ok(!saved.includes("oauth-token-value-123"));
});
