/**
 * @module
 * fileStamp and sameStamp: one stamp for the list cache (four fields) and the watcher (size and
 * mtime), missing stamps compared as the list cache and the budget cache expect.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileStamp, sameStamp } from "../../lib/sys/file_stamp.ts";

Deno.test("fileStamp() reads size, mtime, inode and ctime; undefined for a folder or no file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-stamp-" });
  try {
    const file = join(dir, "a.yaml");
    await Deno.writeTextFile(file, "hello");
    const stamp = await fileStamp(file);
    assert.ok(stamp);
    assert.equal(stamp.size, 5);
    assert.equal(typeof stamp.mtime, "number");
    assert.equal(typeof stamp.ino, "number");
    assert.equal(typeof stamp.ctime, "number");
    assert.ok(sameStamp(stamp, await fileStamp(file)));
    assert.equal(await fileStamp(dir), undefined);
    assert.equal(await fileStamp(join(dir, "missing")), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sameStamp() compares every field; a missing stamp equals only a missing stamp", () => {
  const full = { size: 1, mtime: 2, ino: 3, ctime: 4 };
  assert.ok(sameStamp(full, { ...full }));
  assert.ok(!sameStamp(full, { ...full, ino: 5 }));
  assert.ok(!sameStamp(full, { ...full, ctime: 5 }));
  assert.ok(!sameStamp(full, { ...full, size: 5 }));
  // The watcher's stamps: size and mtime only.
  assert.ok(sameStamp({ size: 1, mtime: 2 }, { size: 1, mtime: 2 }));
  assert.ok(!sameStamp({ size: 1, mtime: 2 }, { size: 1, mtime: 3 }));
  // A stored stamp without inode and ctime is stale next to a full one, not an error.
  assert.ok(!sameStamp({ size: 1, mtime: 2 }, full));
  assert.ok(sameStamp(null, null));
  assert.ok(sameStamp(undefined, undefined));
  assert.ok(!sameStamp(null, undefined));
  assert.ok(!sameStamp(full, null));
  assert.ok(!sameStamp(undefined, full));
});
