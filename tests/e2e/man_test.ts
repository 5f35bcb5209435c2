/**
 * @module
 * `clodputer man` through the real CLI: it prints the page man.ts generates from the CLI's own
 * command tree, dated by the clock (CLODPUTER_FAKE_TIME here), and `--help` lists the command.
 */

import assert from "node:assert/strict";
import denoJson from "../../deno.json" with { type: "json" };
import { manPage } from "../../lib/cli/man.ts";
import { buildProgram, describeCommand } from "../../lib/cli/program.ts";
import { recordingOutput } from "../../lib/ui/output.ts";
import { runCli, tempHome } from "./cli.ts";

Deno.test("clodputer man prints the manual page for this CLI's commands, dated today", async () => {
  await using home = await tempHome();
  const r = await runCli(home, ["man"], { env: { CLODPUTER_FAKE_TIME: "2026-11-26T08:00:00Z" } });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr, "");
  const tree = describeCommand(
    buildProgram({
      out: recordingOutput(),
      getDeps: () => {
        throw new Error("no command runs here");
      },
      setExit: () => {},
    }),
  );
  assert.equal(r.stdout, manPage(tree, { version: denoJson.version, date: "2026-11-26" }));
  assert.match(r.stdout, /^\.TH CLODPUTER 1 "2026-11-26" "clodputer \d+\.\d+\.\d+" /);
  assert.match(r.stdout, /^\.SS "man"$/m, "the page lists the man command too");

  const help = await runCli(home, ["--help"]);
  assert.match(help.stdout, /^ {2}man {2,}print the manual page/m, "--help lists it");
});
