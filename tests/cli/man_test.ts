/**
 * @module
 * The man page (lib/cli/man.ts): generated from the command tree, so every visible command and
 * option of the CLI is in it; valid roff, checked by real renderers (`mandoc -Tlint`, and
 * `groff -man -ww -z` where groff is installed; .ci/run installs both on Linux, macOS has mandoc).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import denoJson from "../../deno.json" with { type: "json" };
import { escape, manPage } from "../../lib/cli/man.ts";
import type { CompletionCommand } from "../../lib/cli/completions.ts";
import { needProgram } from "../needs.ts";
import { realTree } from "./_helpers.ts";

/** The page's sections, in order. */
const SECTIONS = [
  "NAME",
  "SYNOPSIS",
  "DESCRIPTION",
  "OPTIONS",
  "COMMANDS",
  "FILES",
  "ENVIRONMENT",
  "EXIT STATUS",
  "SEE ALSO",
];

const OPTIONS = { version: denoJson.version, date: "2026-12-01" };

/** Every command below `tree` with its words after the root (`queue remove`). */
function commands(tree: CompletionCommand, path: string[] = []): {
  path: string;
  command: CompletionCommand;
}[] {
  return tree.commands.flatMap((c) => [
    { path: [...path, c.name].join(" "), command: c },
    ...commands(c, [...path, c.name]),
  ]);
}

/** The lines of one `.SS` or `.SH` section: from its heading to the next heading. */
function section(page: string, heading: string): string {
  const lines = page.split("\n");
  const start = lines.indexOf(heading);
  assert.ok(start >= 0, `the page has ${heading}`);
  const end = lines.findIndex((l, i) => i > start && /^\.S[SH] /.test(l));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
}

/** A flag as the page sets it: bold, its hyphens as \-. */
function flagRoff(flag: string): string {
  return `\\fB${flag.replaceAll("-", "\\-")}\\fR`;
}

/** Runs a program; its exit code and output, or undefined when it is not installed. */
async function tool(
  cmd: string,
  args: string[],
  stdin: string,
): Promise<{ code: number; stdout: string; stderr: string } | undefined> {
  let child;
  try {
    child = new Deno.Command(cmd, { args, stdin: "piped", stdout: "piped", stderr: "piped" })
      .spawn();
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(stdin));
  await writer.close();
  const out = await child.output();
  const d = new TextDecoder();
  return { code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

const { ignore: NO_GROFF } = needProgram("groff", "the man page read by groff");

/** Writes `page` to a temp file (mandoc lints files, not stdin, with line numbers). */
async function pageFile(page: string): Promise<{ path: string } & AsyncDisposable> {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-man-" });
  const path = join(dir, "clodputer.1");
  await Deno.writeTextFile(path, page);
  return { path, [Symbol.asyncDispose]: () => Deno.remove(dir, { recursive: true }) };
}

/** `mandoc -Tlint` must print nothing (not even STYLE) and exit 0. */
async function assertMandocClean(page: string): Promise<void> {
  await using file = await pageFile(page);
  const lint = await tool("mandoc", ["-Tlint", "-Wstyle", file.path], "");
  assert.ok(lint, "mandoc is installed (.ci/run installs it; macOS has it)");
  assert.equal(lint.stdout + lint.stderr, "", "mandoc -Tlint finds nothing");
  assert.equal(lint.code, 0);
}

/** The page as mandoc renders it for a terminal, overstrike (bold, underline) removed. */
async function rendered(page: string): Promise<string> {
  const r = await tool("mandoc", ["-man", "-Tutf8", "-Owidth=200"], page);
  assert.ok(r, "mandoc is installed");
  assert.equal(r.code, 0, r.stderr);
  return withoutOverstrike(r.stdout);
}

/** Text as a terminal shows it: each `x BACKSPACE y` (bold, underline) as `y`. */
function withoutOverstrike(text: string): string {
  let plain = "";
  for (const ch of text) plain = ch === "\b" ? plain.slice(0, -1) : plain + ch;
  return plain;
}

Deno.test("every visible command, argument and option flag of the tree is in the page", () => {
  const tree = realTree();
  const page = manPage(tree, OPTIONS);
  const all = commands(tree);
  assert.ok(all.some((c) => c.path === "queue remove"), "subcommands are walked");
  assert.ok(all.some((c) => c.path === "man"), "the man command is in its own page");
  assert.equal(
    page.split("\n").filter((l) => l.startsWith(".SS ")).length,
    all.length,
    "one subsection a command",
  );
  for (const { path, command } of all) {
    // Long text lines are broken at spaces (roff fills them again).
    const text = section(page, `.SS "${path}"`).replaceAll("\n", " ");
    assert.ok(text.includes(`\\fBclodputer ${path}\\fR`), `${path}: its synopsis`);
    assert.ok(text.includes(escape(command.description)), `${path}: its description`);
    for (const argument of command.args) {
      assert.ok(text.includes(`\\fI${argument.name}\\fR`), `${path}: <${argument.name}>`);
    }
    for (const option of command.options) {
      if (option.flags.includes("--help")) continue; // said once for every command
      for (const flag of option.flags) assert.ok(text.includes(flagRoff(flag)), `${path} ${flag}`);
      if (option.valueName) {
        const name = option.valueName.replace(/^[<[]|\.*[>\]]$/g, "");
        assert.ok(text.includes(`\\fI${name}\\fR`), `${path} ${option.flags.join(", ")} <${name}>`);
      }
    }
  }
  const global = section(page, ".SH OPTIONS");
  for (const option of tree.options) {
    for (const flag of option.flags) assert.ok(global.includes(flagRoff(flag)), flag);
  }
  assert.match(section(page, ".SH COMMANDS"), /\\fB\\-h\\fR, \\fB\\-\\-help\\fR/);
});

Deno.test("the page follows the tree it is given: a new command and option appear", () => {
  const tree = realTree();
  const extra: CompletionCommand = {
    name: "frobnicate",
    description: "a command added after the page was written",
    options: [{
      flags: ["-x", "--extra-flag"],
      description: "an option no page mentions",
      value: { kind: "choice", choices: ["a", "b"] },
      valueName: "<how>",
      defaultValue: "a",
    }],
    args: [{
      value: { kind: "any" },
      variadic: true,
      name: "things",
      required: false,
      description: "",
    }],
    commands: [],
  };
  const page = manPage({ ...tree, commands: [...tree.commands, extra] }, OPTIONS);
  const text = section(page, '.SS "frobnicate"');
  assert.equal(
    text,
    [
      '.SS "frobnicate"',
      "\\fBclodputer frobnicate\\fR [\\fIoptions\\fR] [\\fIthings\\fR ...]",
      ".br",
      "a command added after the page was written",
      ".TP",
      "\\fB\\-x\\fR, \\fB\\-\\-extra\\-flag\\fR \\fIhow\\fR",
      "an option no page mentions (one of: a, b; default: a)",
    ].join("\n"),
  );
  assert.doesNotMatch(manPage(tree, OPTIONS), /frobnicate/);
});

Deno.test("the header names the version and date; the fixed sections are there", () => {
  const page = manPage(realTree(), OPTIONS);
  assert.equal(
    page.split("\n")[0],
    `.TH CLODPUTER 1 "2026-12-01" "clodputer ${denoJson.version}" "User Commands"`,
  );
  for (const heading of SECTIONS) {
    const quoted = heading.includes(" ") ? `"${heading}"` : heading;
    assert.match(page, new RegExp(`^\\.SH ${quoted}$`, "m"), heading);
  }
  assert.match(page, /^clodputer \\- Cron, a queue and a watchdog for Claude Code$/m);
});

Deno.test("escape() keeps roff from reading text as requests, escapes and minus signs", () => {
  assert.equal(escape("a\\b"), "a\\eb");
  assert.equal(escape(".hidden line"), "\\&.hidden line");
  assert.equal(escape("'quoted"), "\\&'quoted");
  assert.equal(
    escape("use --dry-run or -n, then claude -p"),
    "use \\-\\-dry\\-run or \\-n, then claude \\-p",
  );
  assert.equal(
    escape("(see --list) and --now/--wait"),
    "(see \\-\\-list) and \\-\\-now/\\-\\-wait",
  );
  assert.equal(
    escape("lower-case letters, 2026-11-01, - and _"),
    "lower-case letters, 2026-11-01, - and _",
  );
  assert.equal(escape("two\nlines"), "two lines");
});

Deno.test("mandoc -Tlint finds nothing in the page, and renders every section", async () => {
  const page = manPage(realTree(), OPTIONS);
  await assertMandocClean(page);
  const text = await rendered(page);
  for (const heading of SECTIONS) {
    assert.match(text, new RegExp(`^${heading}$`, "m"), heading);
  }
  assert.match(text, /^ {7}clodputer run \[options\] task$/m);
  assert.match(text, /^ {7}--priority priority$/m, "\\- renders as a hyphen a reader can type");
  assert.match(text, /queue priority \(one of: normal, high; default: normal\)/);
  assert.match(text, /^ {7}CLODPUTER_HOME$/m);
  assert.match(text, /clodputer 0\.1\.0|clodputer \d+\.\d+\.\d+/);
});

Deno.test("text that looks like roff stays text: dots, quotes, backslashes, long lines", async () => {
  const tree: CompletionCommand = {
    name: "clodputer",
    description: "a test tree",
    options: [],
    args: [],
    commands: [{
      name: "odd",
      description: `.TH not a macro; 'not a request; a \\fBbackslash\\fR; "quotes"; ${
        "long words ".repeat(12)
      }.SH not a heading either`,
      options: [{
        flags: ["--weird"],
        description: "'starts with a quote, ends \\",
        value: { kind: "any" },
        valueName: "<x>",
      }],
      args: [],
      commands: [],
    }],
  };
  const page = manPage(tree, OPTIONS);
  await assertMandocClean(page);
  const text = (await rendered(page)).replace(/\s+/g, " ");
  assert.match(text, /\.TH not a macro; 'not a request; a \\fBbackslash\\fR; "quotes"; long words/);
  assert.match(text, /long words \.SH not a heading either/);
  assert.match(text, /'starts with a quote, ends \\/);
  const headings = (await rendered(page)).split("\n").filter((l) => /^\S/.test(l));
  assert.deepEqual(
    headings.slice(1, -1), // the header and footer lines
    ["NAME", "SYNOPSIS", "DESCRIPTION", "OPTIONS", "COMMANDS", "FILES", "ENVIRONMENT"].concat(
      ["EXIT STATUS", "SEE ALSO"],
    ),
    "no text was read as a heading or title",
  );
});

Deno.test("groff -man -ww -z reads the page without a warning (needs groff)", {
  ignore: NO_GROFF,
}, async () => {
  const r = await tool("groff", ["-man", "-Tutf8", "-ww", "-z"], manPage(realTree(), OPTIONS));
  assert.ok(r);
  assert.equal(r.stderr, "");
  assert.equal(r.code, 0);
});
