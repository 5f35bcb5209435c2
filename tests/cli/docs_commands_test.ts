/**
 * @module
 * Every `clodputer` command line the docs show, run or not, names commands and options the CLI has.
 * tests/e2e/docs_test.ts runs the blocks marked runnable; this covers the rest too (the README's
 * `deno task clodputer ...` lines, launchd, the shown-only blocks): each command line in a shell
 * block of README.md, CONTRIBUTING.md and docs/**\/*.md is checked against the command tree
 * (`describeCommand`), the one `--help`, completions and the man page are built from.
 */

import assert from "node:assert/strict";
import { relative } from "node:path";
import type { CompletionCommand } from "../../lib/cli/completions.ts";
import { docFiles, realTree } from "./_helpers.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** Fence info strings of shell blocks. */
const SHELL = /^(sh|bash|zsh|shell|console)\b/;

/** One command line shown in the docs: where, and its words after `clodputer`. */
interface Shown {
  where: string;
  words: string[];
}

/** Shell words of a line, quotes removed, marked when quoted; stops at a comment. */
export function shellWords(line: string): { word: string; quoted: boolean }[] {
  const words: { word: string; quoted: boolean }[] = [];
  const re = /"([^"]*)"|'([^']*)'|(#.*$)|([|;&<>()]+)|([^\s"'|;&<>()]+)/g;
  for (const m of line.matchAll(re)) {
    if (m[3] !== undefined) break;
    const quoted = m[1] ?? m[2];
    words.push({ word: quoted ?? m[4] ?? m[5] ?? "", quoted: quoted !== undefined });
  }
  return words;
}

/** The `clodputer` invocations in a shell line: each one's words up to a pipe, `;`, `&&` or `)`. */
export function invocations(line: string): string[][] {
  const tokens = shellWords(line.replace(/^\s*\$\s+/, ""));
  const words = tokens.map((t) => t.word);
  const found: string[][] = [];
  tokens.forEach(({ word, quoted }, i) => {
    if (quoted || (word !== "clodputer" && !word.endsWith("/clodputer"))) return;
    // At a command's position: first, after an operator, after `deno task`, `sudo`, `exec`,
    // `time` or `NAME=value`. Not an argument (`brew install <tap>/clodputer`, `security -s ...`).
    const prev = words[i - 1];
    const atCommand = prev === undefined || /^[|;&()]+$/.test(prev) ||
      (prev === "task" && words[i - 2] === "deno") || /^(sudo|exec|time)$/.test(prev) ||
      /^[A-Z_][A-Z0-9_]*=/.test(prev);
    if (!atCommand) return;
    const rest: string[] = [];
    for (const w of words.slice(i + 1)) {
      if (/^[|;&<>()]+$/.test(w)) break;
      rest.push(w);
    }
    found.push(rest);
  });
  return found;
}

async function shownCommands(): Promise<Shown[]> {
  const shown: Shown[] = [];
  for (const file of await docFiles(["CONTRIBUTING.md"])) {
    const lines = (await Deno.readTextFile(file)).split("\n");
    let fence: { marker: string; shell: boolean } | undefined;
    let heredoc: string | undefined;
    let continued = "";
    lines.forEach((text, index) => {
      let line = text;
      const open = line.match(/^\s*(`{3,}|~{3,})\s*(.*)$/);
      if (fence === undefined) {
        if (open) fence = { marker: open[1] as string, shell: SHELL.test(open[2] ?? "") };
        return;
      }
      if (line.trim() === fence.marker) {
        fence = undefined;
        return;
      }
      if (!fence.shell) return;
      if (heredoc !== undefined) {
        if (line.trim() === heredoc) heredoc = undefined;
        return;
      }
      if (line.endsWith("\\")) {
        continued += line.slice(0, -1) + " ";
        return;
      }
      line = continued + line;
      continued = "";
      heredoc = line.match(/<<-?\s*'?"?(\w+)'?"?/)?.[1];
      for (const words of invocations(line)) {
        shown.push({ where: `${relative(ROOT, file)}:${index + 1}`, words });
      }
    });
  }
  return shown;
}

/** What is wrong with a command line against the tree, or undefined when it is one the CLI takes. */
export function problemWith(words: string[], tree: CompletionCommand): string | undefined {
  let command = tree;
  const options = (c: CompletionCommand) => c.options.flatMap((o) => o.flags);
  const globals = options(tree);
  let positional = 0;
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (word === "--") break;
    if (word.startsWith("-") && word !== "-") {
      const flag = word.replace(/=.*$/, "");
      const owner = [command, tree].find((c) => options(c).includes(flag));
      if (owner === undefined && !["-h", "--help"].includes(flag) && !globals.includes(flag)) {
        return `"${flag}" is not an option of "${
          ["clodputer", ...pathOf(tree, command)].join(" ")
        }"`;
      }
      const option = owner?.options.find((o) => o.flags.includes(flag));
      if (option?.value !== undefined && !word.includes("=")) i++; // its value
      continue;
    }
    const sub = positional === 0 ? command.commands.find((c) => c.name === word) : undefined;
    if (sub !== undefined) {
      command = sub;
      continue;
    }
    if (command === tree) return `"${word}" is not a command`;
    if (command.commands.length > 0 && command.args.length === 0) {
      return `"${word}" is not a command of "clodputer ${pathOf(tree, command).join(" ")}"`;
    }
    positional++;
  }
  return undefined;
}

function pathOf(tree: CompletionCommand, target: CompletionCommand): string[] {
  if (tree === target) return [];
  for (const c of tree.commands) {
    if (c === target) return [c.name];
    const below = pathOf(c, target);
    if (below.length > 0) return [c.name, ...below];
  }
  return [];
}

Deno.test("every clodputer command line in the docs names commands and options the CLI has", async () => {
  const tree = realTree();
  const shown = await shownCommands();
  assert.ok(shown.length > 50, `found only ${shown.length} command lines: is the scan broken?`);
  const problems = shown.flatMap(({ where, words }) => {
    const problem = problemWith(words, tree);
    return problem === undefined ? [] : [`${where}: clodputer ${words.join(" ")}: ${problem}`];
  });
  assert.deepEqual(problems, []);
});

Deno.test("problemWith() refuses unknown commands, subcommands and options", () => {
  const tree = realTree();
  assert.equal(problemWith(["run", "hello", "--now"], tree), undefined);
  assert.equal(problemWith(["--debug", "status", "--json"], tree), undefined);
  assert.equal(problemWith(["queue", "remove", "abc"], tree), undefined);
  assert.equal(problemWith(["logs", "--tail", "20"], tree), undefined);
  assert.match(problemWith(["runn", "hello"], tree) ?? "", /"runn" is not a command/);
  assert.match(problemWith(["run", "hello", "--nw"], tree) ?? "", /"--nw" is not an option/);
  assert.match(problemWith(["queue", "purge"], tree) ?? "", /not a command of "clodputer queue"/);
});

Deno.test("invocations() finds clodputer after deno task, in pipes and after a prompt", () => {
  assert.deepEqual(invocations("deno task clodputer run x --now   # go"), [["run", "x", "--now"]]);
  assert.deepEqual(invocations("$ clodputer man | man -l -"), [["man"]]);
  assert.deepEqual(invocations('clodputer status && echo "clodputer"'), [["status"]]);
  assert.deepEqual(invocations("brew install owner/tap/clodputer"), []);
  assert.deepEqual(invocations("security add-generic-password -s clodputer -a X"), []);
  assert.deepEqual(invocations("CLODPUTER_HOME=/tmp/h ~/.deno/bin/clodputer list"), [["list"]]);
});
