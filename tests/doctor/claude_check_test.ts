/**
 * @module
 * Doctor's claude check: how it judges the clodputer executable cron would call; claude not
 * found (CLODPUTER_CLAUDE or config naming no executable), found but not running in cron's bare environment, found and running; and the warning when it is
 * found only the way cron cannot find it (PATH, a shell alias).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { checkClaude, clodputerCheck, CRON_PATH } from "../../lib/doctor/checks/claude.ts";
import { monthsOld } from "../../lib/doctor/checks/log.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { macProtectedFolders } from "../../lib/sys/paths.ts";
import { doctorScene, ScriptedProc } from "./context.ts";

const VERSION = { code: 0, stdout: "2.1.0 (Claude Code)\n", stderr: "" };
const SELF = clodputerCheck("/opt/homebrew/bin/clodputer");

async function fakeClaude(dir: string): Promise<string> {
  await Deno.mkdir(dir, { recursive: true });
  const file = join(dir, "claude");
  await Deno.writeTextFile(file, "#!/bin/sh\nexit 99\n");
  await Deno.chmod(file, 0o755);
  return file;
}

Deno.test("checkClaude() fails when CLODPUTER_CLAUDE or the config names no executable", async () => {
  await using s = await doctorScene();
  const missing = join(s.root, "nowhere", "claude");
  const env = envFrom({ HOME: s.root, CLODPUTER_CLAUDE: missing });
  assert.deepEqual(await checkClaude(s.ctx({ env })), [SELF, {
    id: "claude",
    status: "fail",
    message: `CLODPUTER_CLAUDE names "${missing}", which is not an executable file`,
    fix: "fix the path, or unset CLODPUTER_CLAUDE to search PATH",
  }]);
  const global = s.global(`claude: ${missing}\n`);
  const config = s.ctx().paths.config;
  assert.deepEqual(await checkClaude(s.ctx({ global })), [SELF, {
    id: "claude",
    status: "fail",
    message: `"claude" in ${config} names "${missing}", which is not an executable file`,
    fix: `fix "claude:" in ${config}, or remove it to search PATH`,
  }]);
});

Deno.test("checkClaude() fails when claude --version fails in cron's bare environment", async () => {
  await using s = await doctorScene();
  const claude = await fakeClaude(join(s.root, "bin"));
  const env = envFrom({ HOME: s.root, CLODPUTER_CLAUDE: claude, PATH: "/somewhere" });
  const expected = [SELF, {
    id: "claude",
    status: "fail",
    message: `${claude} does not run in a bare environment (env -i HOME=... ` +
      `PATH=${CRON_PATH}): "claude --version" failed`,
    fix: `run "${claude} --version" yourself to see why; reinstall Claude Code if it fails`,
  }];
  const exits = new ScriptedProc([], { [claude]: { code: 1, stdout: "", stderr: "boom" } });
  assert.deepEqual(await checkClaude(s.ctx({ env, proc: exits })), expected);
  assert.deepEqual(exits.outputs, [{
    command: claude,
    options: { args: ["--version"], env: { HOME: s.root, PATH: CRON_PATH, SHELL: "/bin/sh" } },
  }]);
  const cannotStart = new ScriptedProc([], { [claude]: new Error("exec format error") });
  assert.deepEqual(await checkClaude(s.ctx({ env, proc: cannotStart })), expected);
});

Deno.test("checkClaude() is ok, without a cron warning, for claude from CLODPUTER_CLAUDE or config", async () => {
  await using s = await doctorScene();
  const claude = await fakeClaude(join(s.root, "bin"));
  const proc = new ScriptedProc([], { [claude]: VERSION });
  const env = envFrom({ HOME: s.root, CLODPUTER_CLAUDE: claude });
  assert.deepEqual(await checkClaude(s.ctx({ env, proc })), [SELF, {
    id: "claude",
    status: "ok",
    message: `claude 2.1.0 (Claude Code) at ${claude} (found via CLODPUTER_CLAUDE)`,
  }]);
  const global = s.global(`claude: ${claude}\n`);
  assert.deepEqual(await checkClaude(s.ctx({ global, proc })), [SELF, {
    id: "claude",
    status: "ok",
    message: `claude 2.1.0 (Claude Code) at ${claude} (found via config)`,
  }]);
});

Deno.test("checkClaude() warns when claude is found on PATH or by an alias, which cron lacks", async () => {
  await using s = await doctorScene();
  const bin = join(s.root, "bin");
  const claude = await fakeClaude(bin);
  const proc = new ScriptedProc([], { [claude]: VERSION });
  const config = s.ctx().paths.config;
  const cronWarning = (source: string) => ({
    id: "claude:cron",
    status: "warn",
    message: `Clodputer finds claude via ${source}, which cron does not have (cron's PATH is ` +
      `${CRON_PATH})`,
    fix: `record it: add "claude: ${claude}" to ${config} (clodputer init does this)`,
  });
  const onPath = envFrom({ HOME: s.root, PATH: bin });
  assert.deepEqual(await checkClaude(s.ctx({ env: onPath, proc })), [SELF, {
    id: "claude",
    status: "ok",
    message: `claude 2.1.0 (Claude Code) at ${claude} (found via PATH)`,
  }, cronWarning("PATH")]);
  await Deno.writeTextFile(join(s.root, ".zshrc"), "alias claude='~/bin/claude'\n");
  const aliased = envFrom({ HOME: s.root, PATH: join(s.root, "empty") });
  const results = await checkClaude(s.ctx({ env: aliased, proc }));
  assert.equal(results[1]?.message, `claude 2.1.0 (Claude Code) at ${claude} (found via alias)`);
  assert.deepEqual(results[2], cronWarning("alias"));
});

Deno.test("checkClaude() puts the clodputer finding first, from the executable and shim", async () => {
  await using s = await doctorScene();
  const env = envFrom({ HOME: s.root, CLODPUTER_CLAUDE: join(s.root, "missing") });
  const results = await checkClaude(s.ctx({ env, executable: "/usr/local/bin/deno" }));
  assert.deepEqual(results.map((r) => [r.id, r.status]), [
    ["clodputer", "warn"],
    ["claude", "fail"],
  ]);
});

Deno.test("clodputerCheck() accepts the installed binary and warns when running from source", () => {
  assert.equal(clodputerCheck("/opt/homebrew/bin/clodputer").status, "ok");
  assert.equal(clodputerCheck("/work/dist/clodputer-x86_64-unknown-linux-gnu").status, "ok");
  const source = clodputerCheck("/usr/local/bin/deno");
  assert.equal(source.status, "warn");
  assert.match(source.message, /running from source \(\/usr\/local\/bin\/deno\)/);
});

Deno.test("clodputerCheck() reports a source install's shim as installed, or what is wrong with it", () => {
  const shim = "/Users/me/.deno/bin/clodputer";
  const ok = clodputerCheck("/usr/local/bin/deno", { path: shim, problems: [] });
  assert.equal(ok.status, "ok");
  assert.match(
    ok.message,
    /^clodputer is a source install: \/Users\/me\/\.deno\/bin\/clodputer runs/,
  );
  const stale = clodputerCheck("/usr/local/bin/deno", {
    path: shim,
    problems: ["it runs deno without the clodputer task's -P"],
  });
  assert.equal(stale.status, "warn");
  assert.match(
    stale.message,
    /cannot be used by cron: it runs deno without the clodputer task's -P/,
  );
  assert.match(stale.fix ?? "", /deno task install/);
  assert.match(clodputerCheck("/usr/local/bin/deno").fix ?? "", /deno task install/);
});

Deno.test("monthsOld() and macProtectedFolders()", () => {
  assert.equal(monthsOld("2026-05.log", Date.UTC(2026, 10, 25)), 6);
  assert.equal(monthsOld("notes.log", Date.UTC(2026, 10, 25)), undefined);
  assert.ok(macProtectedFolders("/Users/me").includes("/Users/me/Documents"));
});
