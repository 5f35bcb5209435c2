/**
 * @module
 * What `Output` reports when the reader of its output has gone.
 */

import assert from "node:assert/strict";
import { isReaderGone, ReaderGone } from "../../lib/ui/output.ts";

Deno.test("isReaderGone() knows a broken pipe, wrapped or not, and nothing else", () => {
  const pipe = new Deno.errors.BrokenPipe("Broken pipe (os error 32)");
  const cases: [unknown, boolean][] = [
    [new ReaderGone(), true],
    [pipe, true],
    [new Error("while printing", { cause: new ReaderGone({ cause: pipe }) }), true],
    [new Error("while printing", { cause: pipe }), true],
    [new Error("Broken pipe"), false],
    [new Deno.errors.NotFound("gone"), false],
    ["Broken pipe", false],
    [undefined, false],
  ];
  for (const [error, gone] of cases) assert.equal(isReaderGone(error), gone, String(error));
});
