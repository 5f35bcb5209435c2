/**
 * @module
 * Watch patterns and the noise no watch hands over.
 */

import assert from "node:assert/strict";
import { globToRegExp, isIgnored, matchesGlob } from "../../lib/watch/glob.ts";

Deno.test("matchesGlob() matches names, braces, classes and ** paths", () => {
  const cases: [string, string, boolean][] = [
    ["report.pdf", "*.pdf", true],
    ["sub/report.pdf", "*.pdf", true],
    ["report.pdf.part", "*.pdf", false],
    ["notes.md", "*.{md,txt}", true],
    ["notes.txt", "*.{md,txt}", true],
    ["notes.doc", "*.{md,txt}", false],
    ["a1.log", "a[0-9].log", true],
    ["ab.log", "a[!0-9].log", true],
    ["a1.log", "a[!0-9].log", false],
    ["x/y/z.ts", "**/*.ts", true],
    ["z.ts", "**/*.ts", true],
    ["x/z.ts", "x/*.ts", true],
    ["y/z.ts", "x/*.ts", false],
    ["(1).pdf", "(1).pdf", true],
    ["a+b.txt", "a+b.txt", true],
  ];
  for (const [path, glob, expected] of cases) {
    assert.equal(matchesGlob(path, glob), expected, `${path} ~ ${glob}`);
  }
  assert.ok(globToRegExp("?.md").test("a.md"));
});

Deno.test("isIgnored() skips editor, system and download noise, and the task's globs", () => {
  for (
    const noise of [
      ".DS_Store",
      "._report.pdf",
      ".report.pdf.swp",
      "report.pdf.swp",
      "report.pdf~",
      "#report.pdf#",
      ".#report.pdf",
      "4913",
      "report.pdf.crdownload",
      "report.pdf.part",
      "report.pdf.download",
      "report.tmp",
      "sub/.DS_Store",
    ]
  ) assert.ok(isIgnored(noise, []), noise);
  assert.ok(!isIgnored("report.pdf", []));
  assert.ok(isIgnored("draft-1.pdf", ["draft-*"]));
});
