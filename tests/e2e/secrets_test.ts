/**
 * @module
 * No secret in clear anywhere Clodputer writes or shows: environment values whose names look
 * secret, a task's `{{ env.* }}` values and credential-shaped text that claude prints (its result,
 * its error, a tool's output, stderr) are redacted in result.json, the kept stdout, stderr and
 * prompt, the KV store, the log, notifications, and so in `run --wait`, `show`, `status --json` and
 * `logs`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, type TempHome, tempHome } from "./cli.ts";

// Built from parts: no file of ours holds a whole credential-shaped value.
const GITHUB = `gh${"p"}_${"Zq8".repeat(12)}`;
const ENV: Record<string, string> = {
  AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI-K7MDENG-bPxRfiCYEXAMPLEKEY",
  SLACK_WEBHOOK_URL: `https://hooks.example.test/in/${"T0-B0-".repeat(4)}xyz`,
  NPM_AUTH: "npm-auth-value-1234",
  DB_PASS: "db-pass-value-5678",
  FROM_TEMPLATE: "templated-value-9012",
};
const URL_PASSWORD = "urlpass-3456";
const SECRETS = [...Object.values(ENV), GITHUB, URL_PASSWORD];

/** A stream-json run whose tool output, result and stderr print every secret. */
async function leakyScenario(home: TempHome, failed: boolean): Promise<string> {
  const leak = `${Object.entries(ENV).map(([k, v]) => `${k}=${v}`).join(" ")} token ${GITHUB} ` +
    `db postgres://app:${URL_PASSWORD}@db.example:5432/x`;
  const session = "5e55e55e-0000-4000-8000-000000000001";
  const lines = [
    { type: "system", subtype: "init", session_id: session, tools: ["Bash"], model: "m" },
    {
      type: "user",
      message: {
        role: "user",
        content: [{ type: "tool_result", tool_use_id: "t1", content: `env printed: ${leak}` }],
      },
      session_id: session,
    },
    {
      type: "result",
      subtype: "success",
      is_error: failed,
      result: `${failed ? "Failed" : "Done"}: ${leak}`,
      session_id: session,
      total_cost_usd: 0.01,
      num_turns: 1,
      duration_ms: 5,
      usage: { input_tokens: 1, output_tokens: 1 },
    },
  ];
  const file = join(home.root, `leaky-${failed}.jsonl`);
  await Deno.writeTextFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  return file;
}

/** Every file under `dir`, with its bytes as text. */
async function filesUnder(dir: string): Promise<[string, string][]> {
  const out: [string, string][] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory) out.push(...await filesUnder(path));
    else if (e.isFile) out.push([path, new TextDecoder().decode(await Deno.readFile(path))]);
  }
  return out;
}

function assertClean(where: string, text: string): void {
  for (const secret of SECRETS) {
    assert.ok(!text.includes(secret), `${where} holds the secret "${secret.slice(0, 12)}..."`);
  }
}

Deno.test("secrets printed by claude never reach a file Clodputer writes or a view", async () => {
  await using home = await tempHome();
  const notified = join(home.root, "notified.jsonl");
  const program = join(home.root, "notify.sh");
  await Deno.writeTextFile(program, `#!/bin/sh\ncat >> "${notified}"\necho >> "${notified}"\n`, {
    mode: 0o755,
  });
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    `notify:\n  command: ["${program}"]\n`,
  );
  const task = (name: string) =>
    home.writeTask(
      name,
      `name: ${name}\nnotify: always\ntask:\n  prompt: "use {{ env.FROM_TEMPLATE }} now"\n` +
        `  env:\n    TASK_SESSION_COOKIE: "cookie-value-7890"\n  timeout: 60\n`,
    );
  await task("good");
  await task("bad");
  SECRETS.push("cookie-value-7890");
  const env = (failed: boolean) => async () => ({
    ...ENV,
    FAKE_CLAUDE_SCENARIO_FILE: await leakyScenario(home, failed),
    FAKE_CLAUDE_STDERR: `stderr: ${GITHUB} ${ENV.NPM_AUTH}`,
    ...(failed ? { FAKE_CLAUDE_EXIT: "1" } : {}),
  });
  const shown: [string, string][] = [];
  const good = await runCli(home, ["run", "good", "--wait"], { env: await env(false)() });
  assert.equal(good.code, 0, good.stderr);
  shown.push(["run --wait", good.stdout + good.stderr]);
  assert.match(good.stdout, /Done: AWS_SECRET_ACCESS_KEY=\[redacted\]/, good.stdout);
  const bad = await runCli(home, ["run", "bad", "--wait", "--json"], { env: await env(true)() });
  assert.equal(bad.code, 1, bad.stderr);
  shown.push(["run --wait --json", bad.stdout + bad.stderr]);
  const record = JSON.parse(bad.stdout);
  assert.equal(record.status, "failed");
  assert.match(JSON.stringify(record), /token \[redacted\] db postgres:\/\/app:\[redacted\]@db/);

  for (
    const args of [
      ["show", "good"],
      ["show", "bad", "--json"],
      ["status", "--json"],
      ["status"],
      ["logs"],
      ["logs", "--json"],
    ]
  ) {
    const r = await runCli(home, args, { env: ENV });
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    shown.push([args.join(" "), r.stdout + r.stderr]);
  }
  const sent = await Deno.readTextFile(notified);
  assert.equal(sent.split("\n").filter((l) => l.trim()).length, 2, "both runs notified");
  shown.push(["the notifications", sent]);

  const files = await filesUnder(home.clodputerHome);
  const names = files.map(([p]) => p.slice(home.clodputerHome.length + 1));
  for (const want of ["stdout", "stderr", "prompt", "result.json"]) {
    assert.ok(names.some((n) => n.endsWith(`/${want}`)), `a run kept its ${want}`);
  }
  assert.ok(names.includes("execution.log") && names.includes("state.kv"));
  // Every file but the user's own task files.
  const ours = files.filter(([p]) => !p.startsWith(join(home.clodputerHome, "tasks")));
  for (const [path, text] of [...ours, ...shown]) assertClean(path, text);
  // What is redacted is still shown around: the kept stdout says where a secret was.
  const stdout = files.find(([p]) => p.endsWith("/stdout"))?.[1] ?? "";
  assert.match(stdout, /NPM_AUTH=\[redacted\] DB_PASS=\[redacted\]/);
});

Deno.test("validate and list print no secret: labels are not templated, command lines are redacted", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "deploy",
    'name: deploy\ndescription: "deploys with {{ env.DEPLOY_TOKEN }}"\ntask:\n' +
      '  prompt: "deploy with {{ env.DEPLOY_TOKEN }}"\n  append_system_prompt: "{{ env.NOTE }}"\n',
  );
  const env = { DEPLOY_TOKEN: ENV.NPM_AUTH as string, NOTE: `note ${GITHUB}` };
  for (const args of [["validate"], ["validate", "--json"], ["list"], ["list", "--json"]]) {
    const r = await runCli(home, args, { env });
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
    assertClean(args.join(" "), r.stdout + r.stderr);
    if (args[0] === "validate") assert.match(r.stdout, /note \[redacted\]/, r.stdout);
    else assert.match(r.stdout, /deploys with \{\{ env\.DEPLOY_TOKEN \}\}/);
  }
});

Deno.test("a secret templated into claude's command line is a config error naming the field", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "leaky",
    'name: leaky\ntask:\n  prompt: hi\n  append_system_prompt: "use {{ secrets.API_KEY }}"\n',
  );
  const r = await runCli(home, ["validate"], {});
  assert.equal(r.code, 2, r.stdout);
  assert.match(
    r.stdout + r.stderr,
    /leaky\.yaml:4:\d+: "\{\{ secrets\.API_KEY \}\}" in "task\.append_system_prompt" would show a secret to every user of this machine/,
  );
});
