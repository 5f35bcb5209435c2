/**
 * @module
 * The docs are run. Every fenced block that opens with exactly "```sh runnable" in README.md and
 * docs/**\/*.md is run with `bash -euo pipefail`, in document order, each file's blocks one after
 * another in ONE fresh temp home (blocks of a page build on each other; pages do not). A block must
 * exit 0; a failure names the file and line of the block, the block, stdout and stderr.
 *
 * The home is a new user's machine: `$HOME` and `$CLODPUTER_HOME` (~/.clodputer, with an empty
 * tasks/) from `tempHome`, the cwd is `$HOME`, `clodputer` is the shim `deno task install` writes
 * (`~/.deno/bin/clodputer`, running this checkout), first on PATH, then the stand-ins of
 * tests/fixtures/bin (claude, crontab, launchctl, ...), and claude is logged in
 * (`~/.claude/.credentials.json`). No FAKE_CLAUDE_* knob is set: a runnable block shows what a user
 * would type, nothing else.
 *
 * Plain "```sh" blocks are shown, not run: what needs a Mac (launchd, the Keychain), a browser,
 * the network, a file of the reader's, or waits forever (`watch` in the foreground, `logs -f`,
 * `dashboard`). A block must not leave the watcher running.
 *
 * And docs/guide/troubleshooting.md has a section (a "## `<check>`" heading) for every doctor check
 * of `CHECKS` (lib/doctor/runner.ts) and the canary, naming in backticks every finding id that
 * check's code can return, so a new check or finding without docs fails here.
 */

import assert from "node:assert/strict";
import { join, relative } from "node:path";
import denoJson from "../../deno.json" with { type: "json" };
import { CHECKS } from "../../lib/doctor/runner.ts";
import { docFiles } from "../cli/_helpers.ts";
import { runFlags } from "../../lib/sys/self.ts";
import { shimText } from "../../scripts/install.ts";
import {
  CLI_LIMIT_MS,
  cliEnv,
  FIXTURE_BIN,
  outputWithin,
  pidAlive,
  REPO_ROOT,
  runCli,
  tempHome,
} from "./cli.ts";

/** One runnable block: where it starts (the line of its fence, 1-based) and its text. */
export interface RunnableBlock {
  line: number;
  code: string;
}

/** The opening fence of a runnable block. */
const RUNNABLE = /^```sh runnable\s*$/;

/**
 * The runnable blocks of a Markdown text, in order. A fence that says "runnable" in any other way
 * ("```bash runnable", "```sh  runnable x") is an error, so a typo cannot hide a block from the test.
 */
export function runnableBlocks(text: string, file = "<text>"): RunnableBlock[] {
  const lines = text.split("\n");
  const blocks: RunnableBlock[] = [];
  let open: { line: number; body: string[]; fence: string } | undefined;
  lines.forEach((line, index) => {
    if (open) {
      if (line.trim() === open.fence) {
        if (open.fence === "```" && RUNNABLE.test(lines[open.line - 1] ?? "")) {
          blocks.push({ line: open.line, code: open.body.join("\n") + "\n" });
        }
        open = undefined;
      } else open.body.push(line);
      return;
    }
    const fence = line.match(/^\s*(`{3,}|~{3,})(.*)$/);
    if (!fence) return;
    const info = (fence[2] ?? "").trim();
    if (/\brunnable\b/.test(info) && !RUNNABLE.test(line)) {
      throw new Error(
        `${file}:${index + 1}: write a runnable block's fence as "\`\`\`sh runnable"`,
      );
    }
    open = { line: index + 1, body: [], fence: fence[1] as string };
  });
  if (open) throw new Error(`${file}:${open.line}: a fenced block is never closed`);
  return blocks;
}

/** Marks the line bash's ERR trap writes: the failed command and its line in the block. */
const FAILED_MARK = "docs_test failed at line";

/** Makes bash name the command that failed and its line (line 1 is the block's fence). */
const ERR_TRAP = `trap 'echo "${FAILED_MARK} $LINENO: $BASH_COMMAND" >&2' ERR\n`;

/** Runs one block with bash in `cwd`; kills it past the limit. */
async function runBlock(
  code: string,
  options: { cwd: string; env: Record<string, string> },
): Promise<{ code: number; stdout: string; stderr: string; timedOut: boolean }> {
  const child = new Deno.Command("bash", {
    args: ["-euo", "pipefail", "-c", ERR_TRAP + code],
    cwd: options.cwd,
    env: options.env,
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const { out, timedOut } = await outputWithin(child, CLI_LIMIT_MS);
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
    timedOut,
  };
}

const files = await docFiles();
const runnable = await Promise.all(
  files.map(async (file) => ({
    file,
    name: relative(REPO_ROOT, file),
    blocks: runnableBlocks(await Deno.readTextFile(file), relative(REPO_ROOT, file)),
  })),
);

Deno.test("docs: the guide's pages have runnable blocks", () => {
  const guide = runnable.filter((f) => f.name.startsWith("docs/guide/") && f.blocks.length > 0);
  assert.ok(guide.length >= 7, `runnable guide pages: ${guide.map((f) => f.name).join(", ")}`);
});

for (const { name, blocks } of runnable.filter((f) => f.blocks.length > 0)) {
  Deno.test(`docs: ${name}: its ${blocks.length} runnable block(s) run in a fresh home`, async () => {
    await using home = await tempHome();
    const bin = join(home.home, ".deno", "bin");
    await Deno.mkdir(bin, { recursive: true });
    const flags = runFlags(denoJson.tasks.clodputer.command);
    await Deno.writeTextFile(
      join(bin, "clodputer"),
      shimText({ deno: Deno.execPath(), flags, checkout: REPO_ROOT }),
      { mode: 0o755 },
    );
    await Deno.mkdir(join(home.home, ".claude"));
    await Deno.writeTextFile(join(home.home, ".claude", ".credentials.json"), "{}\n");
    const env = await cliEnv(home, { PATH: `${bin}:${FIXTURE_BIN}:/usr/local/bin:/usr/bin:/bin` });
    for (const block of blocks) {
      const r = await runBlock(block.code, { cwd: home.home, env });
      if (r.code !== 0 || r.timedOut) {
        const failed = r.stderr.match(new RegExp(`^${FAILED_MARK} (\\d+): (.*)$`, "m"));
        const where = failed
          ? `${name}:${block.line + Number(failed[1]) - 1}: \`${failed[2]}\` exited ${r.code}`
          : `${name}:${block.line}: the block ${
            r.timedOut ? `did not finish within ${CLI_LIMIT_MS} ms` : `exited ${r.code}`
          }`;
        throw new Error(
          `${where}\n--- block\n${block.code}--- stdout\n${r.stdout}--- stderr\n${r.stderr}`,
        );
      }
    }
    const pidFile = await Deno.readTextFile(join(home.clodputerHome, "watcher.pid")).catch(() =>
      undefined
    );
    const pid = pidFile ? (JSON.parse(pidFile) as { pid: number }).pid : undefined;
    if (pid !== undefined && pidAlive(pid)) {
      await runCli(home, ["watch", "--stop"]);
      assert.fail(`${name}: its blocks left the watcher running (pid ${pid}): stop it in a block`);
    }
  });
}

/** The finding ids a check's source can return, with `${...}` parts named `<task>` or `<n>`. */
function findingIds(source: string): string[] {
  const ids = new Set<string>();
  for (const m of source.matchAll(/\bid: (?:"([^"]+)"|`([^`]+)`)/g)) {
    const raw = m[1] ?? m[2] ?? "";
    ids.add(
      raw.replace(
        /\$\{([^}]*)\}/g,
        (_, expr: string) => /(name|task)$/.test(expr.trim()) ? "<task>" : "<n>",
      ),
    );
  }
  return [...ids];
}

/** The source files of each check: the file of lib/doctor/checks/ that defines its function. */
async function checkSources(): Promise<Map<string, string>> {
  const dir = join(REPO_ROOT, "lib", "doctor", "checks");
  const texts: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.endsWith(".ts")) texts.push(await Deno.readTextFile(join(dir, entry.name)));
  }
  const sources = new Map<string, string>();
  for (const [id, check] of CHECKS) {
    const text = texts.find((t) => t.includes(`export async function ${check.name}(`));
    assert.ok(text, `the source of the doctor check "${id}" (${check.name}) in ${dir}`);
    sources.set(id, text);
  }
  sources.set(
    "canary",
    (await Deno.readTextFile(join(REPO_ROOT, "lib", "doctor", "canary.ts"))) +
      (await Deno.readTextFile(join(REPO_ROOT, "lib", "cli", "doctor.ts"))),
  );
  return sources;
}

/** The "## `<id>`..." sections of a page: id -> the section's text. */
function checkSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  const parts = text.split(/^## /m).slice(1);
  for (const part of parts) {
    const m = part.match(/^`([^`]+)`/);
    if (m) sections.set(m[1] as string, part);
  }
  return sections;
}

Deno.test("docs: troubleshooting has a section for every doctor check, naming each of its findings", async () => {
  const page = join(REPO_ROOT, "docs", "guide", "troubleshooting.md");
  const sections = checkSections(await Deno.readTextFile(page));
  const sources = await checkSources();
  const problems: string[] = [];
  for (const [check, source] of sources) {
    const section = sections.get(check);
    if (!section) {
      problems.push(`no section "## \`${check}\`: ..." for the doctor check "${check}"`);
      continue;
    }
    for (const id of findingIds(source)) {
      if (!section.includes(`\`${id}\``)) {
        problems.push(`the section of "${check}" does not name its finding \`${id}\``);
      }
    }
  }
  for (const check of sections.keys()) {
    if (!sources.has(check)) problems.push(`a section for "${check}", which is no doctor check`);
  }
  const order = [...sections.keys()];
  assert.deepEqual(order, [...sources.keys()], "the sections follow doctor's order");
  assert.deepEqual(problems, [], `${page}:\n${problems.join("\n")}`);
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

/** The anchors of a Markdown text's headings (outside fenced blocks). */
function anchors(text: string): Set<string> {
  const out = new Set<string>();
  let fenced = false;
  for (const line of text.split("\n")) {
    if (/^\s*(`{3,}|~{3,})/.test(line)) fenced = !fenced;
    const m = !fenced && line.match(/^#{1,6} (.*)$/);
    if (m) out.add(headingAnchor(m[1] as string));
  }
  return out;
}

Deno.test("docs: every relative link of the guide reaches a file, and its #anchor a heading", async () => {
  const dir = join(REPO_ROOT, "docs", "guide");
  const problems: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.name.endsWith(".md")) continue;
    const file = join(dir, entry.name);
    const text = await Deno.readTextFile(file);
    for (const m of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      const link = m[1] as string;
      if (/^[a-z]+:/.test(link)) continue;
      const [path = "", anchor] = link.split("#");
      const target = path === "" ? file : join(dir, path);
      const isFile = await Deno.stat(target).then((s) => s.isFile, () => undefined);
      if (isFile === undefined) problems.push(`${entry.name}: ${link}: no such file`);
      else if (anchor !== undefined) {
        if (!isFile || !anchors(await Deno.readTextFile(target)).has(anchor)) {
          problems.push(`${entry.name}: ${link}: no heading with that anchor`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
});

Deno.test("runnableBlocks() finds sh runnable blocks only, with their lines, and refuses a near miss", () => {
  const text = [
    "# T", // 1
    "```sh runnable", // 2
    "echo one", // 3
    "```", // 4
    "```sh", // 5
    "echo shown", // 6
    "```", // 7
    "````md", // 8
    "```sh runnable", // 9
    "echo inside another block", // 10
    "```", // 11
    "````", // 12
    "```sh runnable", // 13
    "a", // 14
    "b", // 15
    "```", // 16
  ].join("\n");
  assert.deepEqual(runnableBlocks(text), [
    { line: 2, code: "echo one\n" },
    { line: 13, code: "a\nb\n" },
  ]);
  assert.throws(() => runnableBlocks("```bash runnable\nx\n```\n", "f.md"), /f\.md:1:/);
  assert.throws(() => runnableBlocks("```sh runnable\nx\n", "f.md"), /f\.md:1: .*never closed/);
});
