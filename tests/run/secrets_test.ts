/**
 * @module
 * The Keychain lookup: what `security` is given (argv, a fixed PATH and HOME, nothing else of
 * ours), the fall back to the environment, and the command the hints tell a person to run.
 */

import assert from "node:assert/strict";
import { keychainAddCommand, readSecret } from "../../lib/run/secrets.ts";
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
  assert.equal(await readSecret({ proc, env, os: "darwin" }, "API_TOKEN"), "s3cret value");
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
  await readSecret({ proc, env: envFrom({}), os: "darwin" }, "X");
  assert.deepEqual(proc.runs[0]?.options.env, { PATH: "/usr/bin:/bin" });
});

Deno.test("readSecret() falls back to the environment: not in the Keychain, no security, not macOS", async (t) => {
  const env = envFrom({ HOME: "/Users/me", API_TOKEN: "from-env", EMPTY: "" });
  await t.step("not in the Keychain", async () => {
    const proc = new SecurityProc(MISSING);
    assert.equal(await readSecret({ proc, env, os: "darwin" }, "API_TOKEN"), "from-env");
    assert.equal(await readSecret({ proc, env, os: "darwin" }, "EMPTY"), undefined);
  });
  await t.step("no security tool", async () => {
    const proc = new SecurityProc(new Deno.errors.NotFound("security"));
    assert.equal(await readSecret({ proc, env, os: "darwin" }, "API_TOKEN"), "from-env");
  });
  await t.step("Linux asks no Keychain", async () => {
    const proc = new SecurityProc(FOUND);
    assert.equal(await readSecret({ proc, env, os: "linux" }, "API_TOKEN"), "from-env");
    assert.deepEqual(proc.runs, []);
  });
});

Deno.test("keychainAddCommand() updates an existing item and lets security ask for the value", () => {
  const command = keychainAddCommand("CLAUDE_CODE_OAUTH_TOKEN");
  assert.equal(
    command,
    "security add-generic-password -U -s clodputer -a CLAUDE_CODE_OAUTH_TOKEN -w",
  );
  // -w is the last word: no value on the line, so none in the shell's history.
  assert.equal(command.split(" ").at(-1), "-w");
});

Deno.test("every add-generic-password the code and docs show is keychainAddCommand()'s form", async () => {
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
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/security add-generic-password[^`\n;,)']*/g)) {
      found.push(`${file.slice(root.length)}: ${m[0].trim()}`);
    }
  }
  assert.ok(found.length >= 2, found.join("\n"));
  const good =
    /^security add-generic-password -U -s (clodputer|\$\{KEYCHAIN_SERVICE\}) -a (NAME|\$\{name\}|[A-Z_]+) -w(\s+#.*)?$/;
  const bad = found.filter((f) => !good.test(f.slice(f.indexOf(": ") + 2)));
  assert.deepEqual(bad, []);
});
