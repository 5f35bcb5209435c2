/**
 * @module
 * The POSIX path helpers give node:path's answers.
 */

import assert from "node:assert/strict";
import * as node from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  basename,
  delimiter,
  dirname,
  fromFileUrl,
  isAbsolute,
  join,
  normalize,
} from "../../lib/sys/posix_path.ts";

const PATHS = [
  "",
  ".",
  "..",
  "/",
  "//",
  "/a",
  "/a/",
  "/a/b",
  "/a/b/",
  "/a//b///c",
  "a",
  "a/",
  "a/b",
  "./a",
  "../a",
  "a/../..",
  "/a/../..",
  "/a/./b/../c",
  "a/b/../../..",
  "/Users/me/My Documents/x.pdf",
  "name.tar.gz",
  ".hidden",
];

Deno.test("join(), normalize(), dirname(), basename() and isAbsolute() match node:path", () => {
  for (const p of PATHS) {
    assert.equal(normalize(p), node.normalize(p), `normalize(${JSON.stringify(p)})`);
    assert.equal(dirname(p), node.dirname(p), `dirname(${JSON.stringify(p)})`);
    assert.equal(basename(p), node.basename(p), `basename(${JSON.stringify(p)})`);
    assert.equal(isAbsolute(p), node.isAbsolute(p), `isAbsolute(${JSON.stringify(p)})`);
    for (const q of PATHS) {
      assert.equal(join(p, q), node.join(p, q), `join(${JSON.stringify(p)}, ${JSON.stringify(q)})`);
    }
  }
  assert.equal(join(), node.join());
  assert.equal(join("/a", "b", "../c", "d.txt"), node.join("/a", "b", "../c", "d.txt"));
  assert.equal(basename("/x/task.yaml", ".yaml"), node.basename("/x/task.yaml", ".yaml"));
  assert.equal(basename(".yaml", ".yaml"), node.basename(".yaml", ".yaml"));
  assert.equal(delimiter, node.delimiter);
});

Deno.test("fromFileUrl() matches node:url's fileURLToPath", () => {
  for (const p of ["/a/b.ts", "/Users/me/My Documents/100% sure/main.ts", "/x/é.ts"]) {
    const url = pathToFileURL(p).href;
    assert.equal(fromFileUrl(url), fileURLToPath(url));
  }
  assert.throws(() => fromFileUrl("https://example.com/a"), /Not a file URL/);
});
