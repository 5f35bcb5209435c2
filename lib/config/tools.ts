/**
 * @module
 * Claude Code's tool permission rules (`Read`, `Bash(git log:*)`, `mcp__server__tool`): the
 * built-in tool names and a checker with did-you-mean. Pure.
 */

import { closest } from "./_suggest.ts";

/**
 * Claude Code's built-in tool names: those listed by the `system`/`init` event of Claude Code
 * 2.1.x, plus those of its tools reference and of earlier releases.
 */
export const BUILTIN_TOOLS: readonly string[] = Object.freeze([
  // Listed by the init event (tests/fixtures/claude, /work/shared/claude-samples).
  "Bash",
  "CronCreate",
  "CronDelete",
  "CronList",
  "Edit",
  "EnterWorktree",
  "ExitWorktree",
  "ListAgents",
  "Monitor",
  "NotebookEdit",
  "Read",
  "ReportFindings",
  "ScheduleWakeup",
  "SendMessage",
  "Skill",
  "Task",
  "TaskStop",
  "ToolSearch",
  "WebFetch",
  "WebSearch",
  "Workflow",
  "Write",
  // Claude Code's tools reference and earlier releases.
  "Agent",
  "AskUserQuestion",
  "BashOutput",
  "EnterPlanMode",
  "ExitPlanMode",
  "Glob",
  "Grep",
  "KillShell",
  "LS",
  "LSP",
  "ListMcpResourcesTool",
  "MultiEdit",
  "NotebookRead",
  "PowerShell",
  "ReadMcpResourceTool",
  "SlashCommand",
  "TaskCreate",
  "TaskGet",
  "TaskList",
  "TaskOutput",
  "TaskUpdate",
  "TodoRead",
  "TodoWrite",
]);

/**
 * Names the earlier (Python) Clodputer accepted although Claude Code has no such tool. They still
 * load, so old task files keep working, but they allow nothing: each maps to what to use instead.
 */
export const LEGACY_TOOLS: Readonly<Record<string, string>> = Object.freeze({
  Search: "Grep or Glob",
  Terminal: "Bash",
  List: "LS or Glob",
  Delete: "Bash(rm:*)",
  Code: "Edit",
  FileSystem: "Read, Write and Edit",
});

/** The outcome of checking one permission rule. */
export type ToolRuleCheck =
  | { ok: true; warning?: { message: string; hint: string } }
  | { ok: false; message: string; hint?: string };

const BUILTIN_SET = new Set(BUILTIN_TOOLS);
const MCP_PART = /^[A-Za-z0-9_.*-]+$/;
const EXAMPLES = "Read, Write, Edit, Bash, Glob, Grep or WebFetch";

/**
 * Checks one rule of `allowed_tools` / `disallowed_tools` against Claude Code's permission-rule
 * syntax: `Name`, `Name(specifier)`, `mcp__server`, `mcp__server__tool` or `mcp__server__*`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkToolRule } from "./tools.ts";
 * assert.deepEqual(checkToolRule("Bash(git log:*)"), { ok: true });
 * assert.equal(checkToolRule("Reed").ok, false);
 * ```
 */
export function checkToolRule(rule: string): ToolRuleCheck {
  if (rule.trim() === "") {
    return { ok: false, message: "Empty tool rule", hint: `write a tool name such as ${EXAMPLES}` };
  }
  if (rule !== rule.trim()) {
    return {
      ok: false,
      message: `Tool rule "${rule}" has spaces around it`,
      hint: `write "${rule.trim()}"`,
    };
  }
  const open = rule.indexOf("(");
  const name = open === -1 ? rule : rule.slice(0, open);
  if (open === -1 && rule.includes(")")) {
    return {
      ok: false,
      message: `Tool rule "${rule}" has unbalanced parentheses`,
      hint: 'write the rule as Name(specifier), for example "Bash(git log:*)"',
    };
  }
  if (open === -1 && /[,\s]/.test(rule)) {
    return {
      ok: false,
      message: `Tool rule "${rule}" holds more than one tool`,
      hint: "put each tool on its own line of the list",
    };
  }
  if (name.startsWith("mcp__")) return checkMcpRule(rule, open);
  if (name === "") {
    return {
      ok: false,
      message: `Tool rule "${rule}" has no tool name before "("`,
      hint: 'write the rule as Name(specifier), for example "Bash(git log:*)"',
    };
  }
  if (open !== -1) {
    const problem = specifierProblem(rule.slice(open));
    if (problem !== undefined) {
      return {
        ok: false,
        message: `Tool rule "${rule}" ${problem}`,
        hint:
          'write the rule as Name(specifier), for example "Bash(git log:*)" or "Read(~/docs/**)"',
      };
    }
  }
  if (BUILTIN_SET.has(name)) return { ok: true };
  const legacy = LEGACY_TOOLS[name];
  if (legacy !== undefined && open === -1) {
    return {
      ok: true,
      warning: {
        message: `Tool "${name}" is not a Claude Code tool, so it allows nothing ` +
          "(the earlier Clodputer accepted it)",
        hint: `use ${legacy} instead`,
      },
    };
  }
  const suggestion = closest(name, BUILTIN_TOOLS);
  const fixed = suggestion === undefined ? undefined : suggestion + rule.slice(name.length);
  return {
    ok: false,
    message: `Unknown tool "${name}"`,
    hint: fixed !== undefined
      ? `did you mean "${fixed}"?`
      : `use a Claude Code tool such as ${EXAMPLES}, or mcp__<server>__<tool> for an MCP tool`,
  };
}

/** What is wrong with `(specifier)`, including its parentheses, or undefined. */
function specifierProblem(part: string): string | undefined {
  let depth = 0;
  for (let i = 0; i < part.length; i++) {
    const c = part[i];
    if (c === "(") depth++;
    if (c === ")") {
      depth--;
      if (depth === 0 && i !== part.length - 1) return "has text after its closing parenthesis";
      if (depth < 0) return "has unbalanced parentheses";
    }
  }
  if (depth !== 0) return "has unbalanced parentheses";
  if (part.slice(1, -1).trim() === "") return "has an empty specifier between the parentheses";
  return undefined;
}

function checkMcpRule(rule: string, open: number): ToolRuleCheck {
  const hint = "write mcp__<server>, mcp__<server>__<tool> or mcp__<server>__*";
  if (open !== -1) {
    return { ok: false, message: `MCP tool rule "${rule}" cannot take a specifier`, hint };
  }
  const rest = rule.slice("mcp__".length);
  const split = rest.indexOf("__");
  const server = split === -1 ? rest : rest.slice(0, split);
  const tool = split === -1 ? undefined : rest.slice(split + 2);
  if (server === "" || server.includes("*") || !MCP_PART.test(server)) {
    return {
      ok: false,
      message: server === ""
        ? `MCP tool rule "${rule}" has no server name`
        : `MCP tool rule "${rule}" has an invalid server name "${server}"`,
      hint,
    };
  }
  if (tool !== undefined && (tool === "" || !MCP_PART.test(tool))) {
    return {
      ok: false,
      message: tool === ""
        ? `MCP tool rule "${rule}" has no tool name after "__"`
        : `MCP tool rule "${rule}" has an invalid tool name "${tool}"`,
      hint,
    };
  }
  return { ok: true };
}
