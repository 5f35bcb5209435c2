/**
 * @module
 * `doctor --canary`: one real run of claude in cron's bare environment, kept for status.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { FIXTURE_BIN, runCli, type TempHome, tempHome } from "./cli.ts";

/** A claude that records the environment it got, then behaves as the stand-in. */
async function recordingClaude(
  home: TempHome,
  extra = "",
): Promise<{ exe: string; envFile: string }> {
  const exe = join(home.root, "claude-wrapper");
  const envFile = join(home.root, "canary.env");
  await Deno.writeTextFile(
    exe,
    `#!/bin/sh\nenv > ${envFile}\n${extra}exec ${join(FIXTURE_BIN, "claude")} "$@"\n`,
  );
  await Deno.chmod(exe, 0o755);
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), `claude: ${exe}\n`);
  return { exe, envFile };
}

Deno.test("doctor --canary runs claude as cron would, and status shows the outcome", async () => {
  await using home = await tempHome();
  const { exe, envFile } = await recordingClaude(home);
  const r = await runCli(home, ["doctor", "--canary"], { env: { SOMETHING_FROM_MY_SHELL: "1" } });
  assert.match(
    r.stdout,
    new RegExp(
      `^✓ Canary environment as cron: PATH=/usr/bin:/bin SHELL=/bin/sh HOME=${home.home}$`,
      "m",
    ),
  );
  assert.match(r.stdout, new RegExp(`^✓ As cron, claude is ${exe}$`, "m"));
  assert.match(r.stdout, /^✓ Canary run \S+ succeeded in \d+ ms, reply "hello from fake"$/m);
  assert.doesNotMatch(r.stdout, /No credentials for claude/, "the canary proved credentials");
  assert.match(r.stdout, /^✓ claude authenticated in the canary run, as cron runs it/m);
  const env = await Deno.readTextFile(envFile);
  assert.match(env, /^PATH=\/usr\/bin:\/bin$/m);
  assert.match(env, /^SHELL=\/bin\/sh$/m);
  assert.match(env, /^CLODPUTER_RUN_ID=\S+$/m);
  assert.doesNotMatch(
    env,
    /SOMETHING_FROM_MY_SHELL|CLODPUTER_HOME/,
    "nothing from the shell reaches it",
  );
  const status = await runCli(home, ["status"]);
  assert.match(
    status.stdout,
    /^canary: {3}ok at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: Canary run \S+ succeeded/m,
  );
});

Deno.test("doctor --canary fails, with the credentials fix, when claude cannot authenticate", async () => {
  await using home = await tempHome();
  await recordingClaude(home, "FAKE_CLAUDE_SCENARIO=error-401; export FAKE_CLAUDE_SCENARIO\n");
  const r = await runCli(home, ["doctor", "--canary"]);
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    /^✗ Canary run \S+ failed: Claude reported an error \(API 401\): Invalid API key/m,
  );
  assert.match(
    r.stdout,
    /^ {2}fix: claude has no credentials under cron: see the auth check above \(claude setup-token\)$/m,
  );
  const status = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.equal(status.canary.ok, false);
});

Deno.test("doctor --canary says when cron would not find claude at all", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["doctor", "--canary"]);
  assert.equal(r.code, 1);
  assert.match(
    r.stdout,
    /^✗ As cron: Cannot find "claude" on PATH \(\/usr\/bin:\/bin\) or in the usual places$/m,
  );
});
