/**
 * @module
 * The claude command line and environment built from a task.
 */

import assert from "node:assert/strict";
import { claudeArgs, claudeEnv, displayArgv } from "../../lib/run/argv.ts";

Deno.test("claudeArgs() passes every task flag and ends with -- and the prompt", () => {
  const args = claudeArgs({
    allowed_tools: ["Read", "Bash(git log:*)", "mcp__github"],
    disallowed_tools: ["Write"],
    permission_mode: "acceptEdits",
    mcp_config: "/home/me/mcp.json",
    model: "sonnet",
    max_turns: 5,
    append_system_prompt: "Be brief",
  }, "-- list my $HOME; rm -rf / `x`");
  assert.deepEqual(args, [
    "-p",
    "--output-format",
    "stream-json",
    "--verbose",
    "--model",
    "sonnet",
    "--permission-mode",
    "acceptEdits",
    "--max-turns",
    "5",
    "--mcp-config",
    "/home/me/mcp.json",
    "--append-system-prompt",
    "Be brief",
    "--allowedTools",
    "Read",
    "Bash(git log:*)",
    "mcp__github",
    "--disallowedTools",
    "Write",
    "--",
    "-- list my $HOME; rm -rf / `x`",
  ]);
});

Deno.test("claudeArgs() leaves out flags the task does not set", () => {
  assert.deepEqual(claudeArgs({ allowed_tools: [], disallowed_tools: [] }, "hi"), [
    "-p",
    "--output-format",
    "stream-json",
    "--verbose",
    "--",
    "hi",
  ]);
});

Deno.test("claudeEnv() sets SHELL=/bin/sh unless the task sets it", () => {
  assert.equal(claudeEnv({ SHELL: "/bin/zsh", PATH: "/bin" }, {}).SHELL, "/bin/sh");
  assert.equal(claudeEnv({ SHELL: "/bin/zsh" }, { SHELL: "/bin/bash" }).SHELL, "/bin/bash");
  assert.equal(claudeEnv({ PATH: "/bin" }, { FOO: "1" }).FOO, "1");
  assert.equal(claudeEnv({ PATH: "/bin" }, {}).PATH, "/bin");
});

Deno.test("displayArgv() shortens only the prompt", () => {
  const shown = displayArgv(["-p", "--model", "x".repeat(100), "--", "y".repeat(100)], 10);
  assert.equal(shown[2], "x".repeat(100));
  assert.equal(shown[4], "yyyyyyyyy…");
});

Deno.test("claudeArgs() leaves out --permission-mode for the default mode", () => {
  const args = claudeArgs(
    { allowed_tools: [], disallowed_tools: [], permission_mode: "default" },
    "hi",
  );
  assert.ok(!args.includes("--permission-mode"));
});
