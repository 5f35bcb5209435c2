/**
 * @module
 * The claude command line and environment built from a task.
 */

import assert from "node:assert/strict";
import { claudeArgs, claudeEnv } from "../../lib/run/argv.ts";

Deno.test("claudeArgs() passes every task flag, and no prompt (it goes on stdin)", () => {
  const args = claudeArgs({
    allowed_tools: ["Read", "Bash(git log:*)", "mcp__github"],
    disallowed_tools: ["Write"],
    permission_mode: "acceptEdits",
    mcp_config: "/home/me/mcp.json",
    model: "sonnet",
    max_turns: 5,
    append_system_prompt: "Be brief",
  });
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
  ]);
});

Deno.test("claudeArgs() leaves out flags the task does not set", () => {
  assert.deepEqual(claudeArgs({ allowed_tools: [], disallowed_tools: [] }), [
    "-p",
    "--output-format",
    "stream-json",
    "--verbose",
  ]);
});

Deno.test("claudeEnv() sets SHELL=/bin/sh unless the task sets it", () => {
  assert.equal(claudeEnv({ SHELL: "/bin/zsh", PATH: "/bin" }, {}).SHELL, "/bin/sh");
  assert.equal(claudeEnv({ SHELL: "/bin/zsh" }, { SHELL: "/bin/bash" }).SHELL, "/bin/bash");
  assert.equal(claudeEnv({ PATH: "/bin" }, { FOO: "1" }).FOO, "1");
  assert.equal(claudeEnv({ PATH: "/bin" }, {}).PATH, "/bin");
});

Deno.test("claudeArgs() leaves out --permission-mode for the default mode", () => {
  const args = claudeArgs(
    { allowed_tools: [], disallowed_tools: [], permission_mode: "default" },
  );
  assert.ok(!args.includes("--permission-mode"));
});

Deno.test("claudeArgs() gives max_cost_usd to claude as --max-budget-usd", () => {
  assert.deepEqual(claudeArgs({ allowed_tools: [], disallowed_tools: [], max_cost_usd: 0.5 }), [
    "-p",
    "--output-format",
    "stream-json",
    "--verbose",
    "--max-budget-usd",
    "0.5",
  ]);
});
