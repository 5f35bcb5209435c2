/**
 * @module
 * The escaper of control characters, and the human lines of `Output` that apply it.
 */

import assert from "node:assert/strict";
import { colors } from "../../lib/ui/color.ts";
import { escapeControls, escapeControlsKeeping } from "../../lib/ui/escape.ts";
import { humanText, recordingOutput } from "../../lib/ui/output.ts";
import { OWN_COLOR_CODES } from "../../lib/ui/color.ts";

const CASES: { text: string; oneLine: string; lines: string }[] = [
  {
    text: "plain words, ünïcödé, 日本",
    oneLine: "plain words, ünïcödé, 日本",
    lines: "plain words, ünïcödé, 日本",
  },
  { text: "\x1b]0;pwned\x07", oneLine: "\\x1b]0;pwned\\x07", lines: "\\x1b]0;pwned\\x07" },
  { text: "\x1b[2J", oneLine: "\\x1b[2J", lines: "\\x1b[2J" },
  {
    text: "\x1b]52;c;ZXZpbA==\x07",
    oneLine: "\\x1b]52;c;ZXZpbA==\\x07",
    lines: "\\x1b]52;c;ZXZpbA==\\x07",
  },
  { text: "a\nb\tc", oneLine: "a\\x0ab\\x09c", lines: "a\nb\tc" },
  { text: "over\rwrite", oneLine: "over\\x0dwrite", lines: "over\\x0dwrite" },
  { text: "\0\x08\x7f", oneLine: "\\x00\\x08\\x7f", lines: "\\x00\\x08\\x7f" },
  {
    text: "c1 \x9b2J \x9d0;t\x9c",
    oneLine: "c1 \\x9b2J \\x9d0;t\\x9c",
    lines: "c1 \\x9b2J \\x9d0;t\\x9c",
  },
  {
    text: "\x1b\\ already \\x1b",
    oneLine: "\\x1b\\ already \\x1b",
    lines: "\\x1b\\ already \\x1b",
  },
];

Deno.test("escapeControls() writes every C0, C1 and DEL character as \\xNN", () => {
  for (const c of CASES) {
    assert.equal(escapeControls(c.text), c.oneLine, JSON.stringify(c.text));
    assert.equal(escapeControls(c.text, { lines: true }), c.lines, JSON.stringify(c.text));
  }
});

Deno.test("escapeControls() leaves no control character but newline and tab", () => {
  let all = "";
  for (let i = 0; i < 0x100; i++) all += String.fromCharCode(i);
  const left = (s: string) => [...s].filter((ch) => /\p{Cc}/u.test(ch)).join("");
  assert.equal(left(escapeControls(all)), "");
  assert.equal(left(escapeControls(all, { lines: true })), "\t\n");
});

Deno.test("escapeControlsKeeping() keeps only the sequences asked for", () => {
  const c = colors(true);
  const line = `${c.red("✗")} ${c.dim("x")} \x1b[2J \x1b[31;1m \x1b]0;t\x07 ${c.bold("y")}`;
  assert.equal(
    escapeControlsKeeping(line, { keep: OWN_COLOR_CODES }),
    `${c.red("✗")} ${c.dim("x")} \\x1b[2J \\x1b[31;1m \\x1b]0;t\\x07 ${c.bold("y")}`,
  );
});

Deno.test("humanText() keeps our colours only when colour is on", () => {
  const c = colors(true);
  const line = `${c.green("ok")} \x1b]0;t\x07\n`;
  assert.equal(humanText(line, { color: true, lines: true }), `${c.green("ok")} \\x1b]0;t\\x07\n`);
  assert.equal(
    humanText(line, { color: false, lines: true }),
    "\\x1b[32mok\\x1b[39m \\x1b]0;t\\x07\n",
  );
  assert.equal(humanText("a\nb", { color: true, lines: false }), "a\\x0ab");
});

Deno.test("Output escapes human lines and messages, not JSON", () => {
  const out = recordingOutput();
  const hostile = "\x1b]0;pwned\x07\x1b[2J\x7f";
  out.line(`result: ${hostile}\nnext`);
  out.error(hostile);
  out.status(`a\n${hostile}`);
  out.json({ hostile });
  out.jsonLine({ hostile });
  assert.deepEqual(out.stdout.slice(0, 1), ["result: \\x1b]0;pwned\\x07\\x1b[2J\\x7f\nnext"]);
  assert.deepEqual(out.stderr, ["\\x1b]0;pwned\\x07\\x1b[2J\\x7f"]);
  assert.deepEqual(out.statuses, ["a\\x0a\\x1b]0;pwned\\x07\\x1b[2J\\x7f"]);
  assert.equal(JSON.parse(out.stdout[1] ?? "").hostile, hostile);
  assert.equal(JSON.parse(out.stdout[2] ?? "").hostile, hostile);
  assert.ok(!(out.stdout[2] ?? "").includes("\n"));
});
