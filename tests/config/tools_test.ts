/**
 * @module
 * Claude Code permission rules: syntax, built-in names, MCP names, did-you-mean.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { BUILTIN_TOOLS, checkToolRule, LEGACY_TOOLS } from "../../lib/config/tools.ts";

const FIXTURES = join(import.meta.dirname ?? ".", "..", "fixtures", "claude");

Deno.test("BUILTIN_TOOLS holds every tool claude's init event lists, and the well-known ones", async () => {
  const listed = new Set<string>();
  for await (const entry of Deno.readDir(FIXTURES)) {
    const text = await Deno.readTextFile(join(FIXTURES, entry.name));
    for (const line of text.split("\n")) {
      if (!line.includes('"subtype":"init"')) continue;
      const event = JSON.parse(line) as { tools: string[] };
      for (const tool of event.tools) if (!tool.startsWith("mcp__")) listed.add(tool);
    }
  }
  assert.ok(listed.size > 10, "the fixtures list tools");
  for (const tool of listed) assert.ok(BUILTIN_TOOLS.includes(tool), tool);
  for (
    const tool of [
      "Bash",
      "Read",
      "Write",
      "Edit",
      "MultiEdit",
      "Glob",
      "Grep",
      "LS",
      "WebFetch",
      "WebSearch",
      "NotebookEdit",
      "NotebookRead",
      "TodoWrite",
      "Task",
      "Agent",
    ]
  ) {
    assert.ok(BUILTIN_TOOLS.includes(tool), tool);
  }
  assert.equal(new Set(BUILTIN_TOOLS).size, BUILTIN_TOOLS.length, "no duplicates");
  assert.ok(Object.isFrozen(BUILTIN_TOOLS));
});

Deno.test("checkToolRule() accepts Claude Code's rule forms", () => {
  for (
    const rule of [
      "Read",
      "Bash",
      "Bash(git log:*)",
      "Bash(npm run test:*)",
      "Read(~/docs/**)",
      "Edit(//Users/me/src/**)",
      "Bash(echo $(date))",
      "WebFetch(domain:example.com)",
      "mcp__gmail",
      "mcp__google-calendar",
      "mcp__gmail__search_emails",
      "mcp__notion__*",
    ]
  ) {
    assert.deepEqual(checkToolRule(rule), { ok: true }, rule);
  }
});

Deno.test("checkToolRule() rejects bad rules with a message and a hint", () => {
  const cases: [string, string, string | RegExp][] = [
    ["Reed", 'Unknown tool "Reed"', 'did you mean "Read"?'],
    ["bash", 'Unknown tool "bash"', 'did you mean "Bash"?'],
    ["WebFetc", 'Unknown tool "WebFetc"', 'did you mean "WebFetch"?'],
    ["bash(git log:*)", 'Unknown tool "bash"', 'did you mean "Bash(git log:*)"?'],
    ["Frobnicate", 'Unknown tool "Frobnicate"', /^use a Claude Code tool such as Read, /],
    ["", "Empty tool rule", /^write a tool name such as Read/],
    [" Read", 'Tool rule " Read" has spaces around it', 'write "Read"'],
    ["Read, Write", 'Tool rule "Read, Write" holds more than one tool', /own line/],
    [
      "Bash(git log:*",
      'Tool rule "Bash(git log:*" has unbalanced parentheses',
      /Name\(specifier\)/,
    ],
    ["Bash)", 'Tool rule "Bash)" has unbalanced parentheses', /Name\(specifier\)/],
    [
      "Bash(a))",
      'Tool rule "Bash(a))" has text after its closing parenthesis',
      /Name\(specifier\)/,
    ],
    [
      "Bash(a)b",
      'Tool rule "Bash(a)b" has text after its closing parenthesis',
      /Name\(specifier\)/,
    ],
    ["Bash()", 'Tool rule "Bash()" has an empty specifier between the parentheses', /specifier/],
    ["(ls)", 'Tool rule "(ls)" has no tool name before "("', /Name\(specifier\)/],
    ["mcp__", 'MCP tool rule "mcp__" has no server name', /mcp__<server>/],
    ["mcp__gmail__", 'MCP tool rule "mcp__gmail__" has no tool name after "__"', /mcp__<server>/],
    ["mcp__gm ail", 'Tool rule "mcp__gm ail" holds more than one tool', /own line/],
    ["mcp__*", 'MCP tool rule "mcp__*" has an invalid server name "*"', /mcp__<server>/],
    ["mcp__gmail(x)", 'MCP tool rule "mcp__gmail(x)" cannot take a specifier', /mcp__<server>/],
  ];
  for (const [rule, message, hint] of cases) {
    const check = checkToolRule(rule);
    assert.equal(check.ok, false, rule);
    if (check.ok) continue;
    assert.equal(check.message, message, rule);
    if (typeof hint === "string") assert.equal(check.hint, hint, rule);
    else assert.match(check.hint ?? "", hint, rule);
  }
});

Deno.test("checkToolRule() loads the earlier Clodputer's made-up names with a warning", () => {
  for (const name of Object.keys(LEGACY_TOOLS)) {
    const check = checkToolRule(name);
    assert.equal(check.ok, true, name);
    assert.ok(check.ok && check.warning !== undefined, name);
  }
  assert.deepEqual(checkToolRule("Search"), {
    ok: true,
    warning: {
      message:
        'Tool "Search" is not a Claude Code tool, so it allows nothing (the earlier Clodputer accepted it)',
      hint: "use Grep or Glob instead",
    },
  });
  assert.equal(checkToolRule("Search(x)").ok, false);
});
