/**
 * @module
 * Doctor's auth check: credentials in every task's env, a credentials file (in ~/.claude or
 * CLAUDE_CONFIG_DIR), a variable set in the shell only, a Keychain-only login on macOS, nothing.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { checkAuth, settleAuthWithCanary } from "../../lib/doctor/checks/auth.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { doctorScene, ScriptedProc } from "./context.ts";

const SETUP_TOKEN_FIX = "run: claude setup-token; store the token with: " +
  "clodputer secret set CLAUDE_CODE_OAUTH_TOKEN (it asks for the token); " +
  'and give each task env: { CLAUDE_CODE_OAUTH_TOKEN: "{{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}" }';

const WITH_KEY = "task:\n  prompt: hi\n  env:\n    CLAUDE_CODE_OAUTH_TOKEN: tok-123\n";
const PLAIN = "task:\n  prompt: hi\n";

async function writeCredentials(dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const file = join(dir, ".credentials.json");
  await Deno.writeTextFile(file, "{}");
  return file;
}

Deno.test("checkAuth() is ok when every task passes its credentials in its env", async () => {
  await using s = await doctorScene();
  const results = await checkAuth(s.ctx({ tasks: [s.task("a", WITH_KEY), s.task("b", WITH_KEY)] }));
  assert.deepEqual(results, [{
    id: "auth",
    status: "ok",
    message: "Every task passes its credentials in its env",
  }]);
});

Deno.test("checkAuth() looks further when only some tasks pass credentials, or there are none", async () => {
  await using s = await doctorScene();
  for (const tasks of [[s.task("a", WITH_KEY), s.task("b", PLAIN)], []]) {
    const [result] = await checkAuth(s.ctx({ tasks }));
    assert.equal(result?.status, "fail", `${tasks.length} task(s)`);
  }
});

Deno.test("checkAuth() is ok with a credentials file in ~/.claude or CLAUDE_CONFIG_DIR", async () => {
  await using s = await doctorScene();
  const inHome = await writeCredentials(join(s.root, ".claude"));
  assert.deepEqual(await checkAuth(s.ctx()), [{
    id: "auth",
    status: "ok",
    message: `claude is logged in with a credentials file (${inHome}), readable from cron`,
  }]);
  const elsewhere = await writeCredentials(join(s.root, "claude-config"));
  await Deno.remove(inHome);
  const env = envFrom({ HOME: s.root, CLAUDE_CONFIG_DIR: join(s.root, "claude-config") });
  const [result] = await checkAuth(s.ctx({ env }));
  assert.equal(result?.status, "ok");
  assert.equal(
    result?.message,
    `claude is logged in with a credentials file (${elsewhere}), readable from cron`,
  );
  const noFile = envFrom({ HOME: s.root, CLAUDE_CONFIG_DIR: join(s.root, "empty") });
  assert.equal((await checkAuth(s.ctx({ env: noFile })))[0]?.status, "fail");
});

Deno.test("checkAuth() warns that a variable set in the shell only is not seen by cron", async () => {
  await using s = await doctorScene();
  const env = envFrom({ HOME: s.root, ANTHROPIC_API_KEY: "sk-1", ANTHROPIC_AUTH_TOKEN: "t" });
  assert.deepEqual(await checkAuth(s.ctx({ env })), [{
    id: "auth",
    status: "warn",
    message: "ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN is set in this shell only: cron and " +
      "launchd do not read your shell profile",
    fix: "store it where runs read it (clodputer secret set ANTHROPIC_API_KEY, which asks for " +
      "the value) and give each task env: " +
      '{ ANTHROPIC_API_KEY: "{{ secrets.ANTHROPIC_API_KEY }}" }',
  }]);
  const empty = envFrom({ HOME: s.root, ANTHROPIC_API_KEY: "" });
  assert.equal((await checkAuth(s.ctx({ env: empty })))[0]?.status, "fail", "empty is unset");
});

Deno.test("checkAuth() on macOS warns about a Keychain-only login, asking security with HOME", async () => {
  await using s = await doctorScene();
  const proc = new ScriptedProc([], { security: { code: 0, stdout: "", stderr: "" } });
  assert.deepEqual(await checkAuth(s.ctx({ os: "darwin", proc })), [{
    id: "auth",
    status: "warn",
    message: "claude is logged in through the macOS Keychain only: that login expires, and " +
      "cron and launchd often cannot read it",
    fix: SETUP_TOKEN_FIX,
  }]);
  assert.deepEqual(proc.outputs, [{
    command: "security",
    options: {
      args: ["find-generic-password", "-s", "Claude Code-credentials"],
      env: { PATH: "/usr/bin:/bin", HOME: s.root },
    },
  }]);
});

Deno.test("checkAuth() fails with the setup-token fix when nothing is found", async () => {
  await using s = await doctorScene();
  const expected = [{
    id: "auth",
    status: "fail",
    message: "No credentials for claude were found (no API key, no OAuth token, no login)",
    fix: SETUP_TOKEN_FIX,
  }];
  const notInKeychain = new ScriptedProc([], { security: { code: 44, stdout: "", stderr: "" } });
  assert.deepEqual(await checkAuth(s.ctx({ os: "darwin", proc: notInKeychain })), expected);
  const noSecurity = new ScriptedProc([]);
  assert.deepEqual(await checkAuth(s.ctx({ os: "darwin", proc: noSecurity })), expected);
  const linux = new ScriptedProc([], { security: { code: 0, stdout: "", stderr: "" } });
  assert.deepEqual(await checkAuth(s.ctx({ proc: linux })), [{
    ...expected[0],
    fix: SETUP_TOKEN_FIX,
  }], "the same fix on Linux: no security command");
  assert.deepEqual(linux.outputs, [], "the Keychain is asked on macOS only");
});

Deno.test("settleAuthWithCanary() turns a credentials failure into ok when the canary succeeded", () => {
  const fail = { id: "auth", status: "fail" as const, message: "No credentials", fix: "x" };
  const canary = (status: "ok" | "fail") => ({ id: "canary:run", status, message: "Canary run" });
  const settled = settleAuthWithCanary([fail, canary("ok")]);
  assert.equal(settled[0]?.status, "ok");
  assert.match(settled[0]?.message ?? "", /^claude authenticated in the canary run/);
  assert.equal(settled[0]?.fix, undefined);
  assert.deepEqual(settleAuthWithCanary([fail, canary("fail")]), [fail, canary("fail")]);
  assert.deepEqual(settleAuthWithCanary([fail]), [fail], "no canary, no proof");
  const warn = { id: "auth", status: "warn" as const, message: "Keychain only", fix: "y" };
  assert.deepEqual(settleAuthWithCanary([warn, canary("ok")]), [warn, canary("ok")]);
});
