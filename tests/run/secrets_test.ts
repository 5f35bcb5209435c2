/**
 * @module
 * The Keychain lookup: what `security` is given (argv, a fixed PATH and HOME, nothing else of
 * ours), the fall back to the environment, and the command the hints tell a person to run.
 */

import assert from "node:assert/strict";
import { readSecret, secretSetCommand } from "../../lib/run/secrets.ts";
import { envFrom } from "../../lib/sys/env.ts";
import type { Output, SpawnOptions } from "../../lib/sys/proc.ts";
import { FakeProc } from "../fakes/proc.ts";

/** A process table whose `output` records each call and answers as `security` would. */
class SecurityProc extends FakeProc {
  runs: { command: string; options: SpawnOptions }[] = [];
  constructor(private answer: Output | Error) {
    super([]);
  }
  override output(command: string, options: SpawnOptions): Promise<Output> {
    this.runs.push({ command, options });
    return this.answer instanceof Error
      ? Promise.reject(this.answer)
      : Promise.resolve(this.answer);
  }
}

/** A Clodputer home with no secrets file in it. */
const NO_HOME = { home: "/nonexistent/clodputer-secrets-test" };

const FOUND: Output = { code: 0, stdout: "s3cret value\n", stderr: "" };
const MISSING: Output = {
  code: 44,
  stdout: "",
  stderr: "security: SecKeychainSearchCopyNext: The specified item could not be found",
};

Deno.test("readSecret() on macOS asks security with HOME and a fixed PATH, nothing else", async () => {
  const proc = new SecurityProc(FOUND);
  const env = envFrom({
    HOME: "/Users/me",
    PATH: "/Users/me/evil/bin:/usr/bin",
    API_TOKEN: "from-env",
    DYLD_INSERT_LIBRARIES: "/tmp/x.dylib",
  });
  assert.equal(
    await readSecret({ proc, env, os: "darwin", paths: NO_HOME }, "API_TOKEN"),
    "s3cret value",
  );
  assert.deepEqual(proc.runs, [{
    command: "security",
    options: {
      args: ["find-generic-password", "-s", "clodputer", "-a", "API_TOKEN", "-w"],
      env: { PATH: "/usr/bin:/bin", HOME: "/Users/me" },
    },
  }]);
});

Deno.test("readSecret() without HOME passes no empty HOME", async () => {
  const proc = new SecurityProc(FOUND);
  await readSecret({ proc, env: envFrom({}), os: "darwin", paths: NO_HOME }, "X");
  assert.deepEqual(proc.runs[0]?.options.env, { PATH: "/usr/bin:/bin" });
});

Deno.test("readSecret() falls back to the environment: not in the Keychain, no security, not macOS", async (t) => {
  const env = envFrom({ HOME: "/Users/me", API_TOKEN: "from-env", EMPTY: "" });
  await t.step("not in the Keychain", async () => {
    const proc = new SecurityProc(MISSING);
    assert.equal(
      await readSecret({ proc, env, os: "darwin", paths: NO_HOME }, "API_TOKEN"),
      "from-env",
    );
    assert.equal(await readSecret({ proc, env, os: "darwin", paths: NO_HOME }, "EMPTY"), undefined);
  });
  await t.step("no security tool", async () => {
    const proc = new SecurityProc(new Deno.errors.NotFound("security"));
    assert.equal(
      await readSecret({ proc, env, os: "darwin", paths: NO_HOME }, "API_TOKEN"),
      "from-env",
    );
  });
  await t.step(
    "Linux asks no Keychain: the Secret Service, then the file, then the environment",
    async () => {
      const proc = new SecurityProc({ code: 1, stdout: "", stderr: "" }); // secret-tool: none
      assert.equal(
        await readSecret({ proc, env, os: "linux", paths: NO_HOME }, "API_TOKEN"),
        "from-env",
      );
      assert.deepEqual(proc.runs.map((r) => [r.command, ...r.options.args]), [
        ["secret-tool", "lookup", "service", "clodputer", "account", "API_TOKEN"],
      ]);
    },
  );
});

Deno.test("secretSetCommand() is the one command every hint gives, on every platform", () => {
  assert.equal(
    secretSetCommand("CLAUDE_CODE_OAUTH_TOKEN"),
    "clodputer secret set CLAUDE_CODE_OAUTH_TOKEN",
  );
});

Deno.test("no hint, doc or README line gives a macOS-only or cron-blind way to keep a secret", async () => {
  const root = new URL("../..", import.meta.url).pathname;
  const files: string[] = [`${root}README.md`];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      if (e.isDirectory) await walk(`${dir}/${e.name}`);
      else if (/\.(ts|md)$/.test(e.name)) files.push(`${dir}/${e.name}`);
    }
  };
  await walk(`${root}lib`);
  await walk(`${root}docs`);
  const found: string[] = [];
  const keychainDetail: string[] = [];
  for (const file of files) {
    const name = file.slice(root.length);
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/security add-generic-password[^`\n;,)']*/g)) {
      // docs/secrets.md keeps the Keychain command as the macOS detail; nowhere else.
      if (name === "docs/secrets.md") keychainDetail.push(m[0].trim());
      else found.push(`${name}: ${m[0].trim()}`);
    }
    for (
      const m of text.matchAll(
        /keychainAddCommand|export (it|\$\{name\}|[A-Z_]+) in the environment/g,
      )
    ) {
      found.push(`${name}: ${m[0]}`);
    }
  }
  assert.deepEqual(found, []);
  assert.ok(keychainDetail.length >= 1, "docs/secrets.md shows the Keychain command");
  for (const command of keychainDetail) {
    assert.match(command, /^security add-generic-password -U -s clodputer -a [A-Z_]+ -w(\s+#.*)?$/);
  }
});
