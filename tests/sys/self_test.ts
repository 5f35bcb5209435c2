/**
 * @module
 * How cron starts this clodputer again: the binary by a path that survives upgrades, or deno with
 * the flags of `deno task clodputer` from source.
 */

import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { homebrewLink, runFlags, selfCommand } from "../../lib/sys/self.ts";

const TASK = denoJson.tasks.clodputer.command;

Deno.test("homebrewLink() maps a Cellar binary to Homebrew's stable bin link", () => {
  assert.equal(
    homebrewLink("/opt/homebrew/Cellar/clodputer/0.1.0/bin/clodputer"),
    "/opt/homebrew/bin/clodputer",
  );
  assert.equal(
    homebrewLink("/home/linuxbrew/.linuxbrew/Cellar/clodputer/0.2.1_1/bin/clodputer"),
    "/home/linuxbrew/.linuxbrew/bin/clodputer",
  );
  assert.equal(homebrewLink("/usr/local/bin/clodputer"), undefined);
});

Deno.test("selfCommand() for a binary: the Homebrew link when it points at this binary", () => {
  const facts = {
    standalone: true,
    execPath: "/usr/local/Cellar/clodputer/0.1.0/bin/clodputer",
    mainModule: "file:///tmp/deno-compile-clodputer/main.ts",
    taskCommand: TASK,
  };
  assert.deepEqual(selfCommand(facts, () => true), {
    kind: "binary",
    argv: ["/usr/local/bin/clodputer"],
  });
  assert.deepEqual(selfCommand(facts, () => false).argv, [facts.execPath], "no link: the binary");
});

Deno.test("selfCommand() from source: deno, the task's exact flags, the config and main.ts", () => {
  const cmd = selfCommand({
    standalone: false,
    execPath: "/usr/bin/deno",
    mainModule: "file:///Users/me/src/clodputer/main.ts",
    taskCommand: TASK,
  });
  assert.deepEqual(cmd, {
    kind: "source",
    argv: [
      "/usr/bin/deno",
      "run",
      ...runFlags(TASK),
      "--config",
      "/Users/me/src/clodputer/deno.json",
      "/Users/me/src/clodputer/main.ts",
    ],
  });
});
