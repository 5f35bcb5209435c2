/**
 * @module
 * The binary is built with exactly the flags the CLI runs with from source.
 */

import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { compileArgs, runFlags, TARGETS } from "../../scripts/compile.ts";

Deno.test("compile uses the clodputer task's flags, with -P, for every target", () => {
  const flags = runFlags(denoJson.tasks.clodputer.command);
  assert.ok(flags.includes("-P"), "permissions come from deno.json for both run and compile");
  assert.deepEqual(TARGETS, [
    "aarch64-apple-darwin",
    "x86_64-apple-darwin",
    "x86_64-unknown-linux-gnu",
  ]);
  for (const target of TARGETS) {
    assert.deepEqual(compileArgs(target, flags), [
      "compile",
      ...flags,
      "--target",
      target,
      "-o",
      `dist/clodputer-${target}`,
      "main.ts",
    ]);
  }
});

Deno.test("the test helper runs the CLI with the clodputer task's flags", async () => {
  const { cliArgs } = await import("../e2e/cli.ts");
  const flags = runFlags(denoJson.tasks.clodputer.command);
  const args = await cliArgs();
  assert.deepEqual(args.filter((a) => a !== "--cached-only"), ["run", ...flags, "main.ts"]);
});

Deno.test("runFlags() refuses a task it cannot read", () => {
  assert.throws(() => runFlags("deno task something"), /Cannot read the flags/);
});
