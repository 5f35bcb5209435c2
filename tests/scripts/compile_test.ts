/**
 * @module
 * The binary is built with exactly the flags the CLI runs with from source.
 */

import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { compileArgs, INCLUDES, runFlags, TARGETS } from "../../scripts/compile.ts";
import { LAZY_MODULES } from "../../scripts/lazy_modules.ts";

Deno.test("compile uses the clodputer task's flags, with -P, for every target", () => {
  const flags = runFlags(denoJson.tasks.clodputer.command);
  assert.ok(flags.includes("-P"), "permissions come from deno.json for both run and compile");
  assert.deepEqual(TARGETS, [
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
  ]);
  for (const target of TARGETS) {
    assert.deepEqual(compileArgs(target, flags), [
      "compile",
      ...flags,
      ...LAZY_MODULES.flatMap((m) => ["--include", m]),
      "--target",
      target,
      "-o",
      `dist/clodputer-${target}`,
      "main.ts",
    ]);
  }
});

Deno.test("the test helper runs the CLI with the clodputer task's flags", async () => {
  const { cliArgs, REPO_ROOT } = await import("../e2e/cli.ts");
  const flags = runFlags(denoJson.tasks.clodputer.command);
  const args = await cliArgs();
  // With the config and main.ts by absolute path, as self.ts starts itself: any cwd works.
  assert.deepEqual(args.filter((a) => a !== "--cached-only"), [
    "run",
    ...flags,
    "--config",
    `${REPO_ROOT}/deno.json`,
    `${REPO_ROOT}/main.ts`,
  ]);
});

Deno.test("runFlags() refuses a task it cannot read", () => {
  assert.throws(() => runFlags("deno task something"), /Cannot read the flags/);
});

Deno.test("every module main.ts loads lazily exists, so the binary can include it", async () => {
  for (const m of INCLUDES) assert.ok((await Deno.stat(m)).isFile, m);
  const app = await Deno.readTextFile("lib/cli/app.ts");
  // A literal import() would put the module back in the start-up graph.
  assert.doesNotMatch(app, /(?<!typeof )import\("\.\/(program|status|tick)\.ts"\)/);
});
