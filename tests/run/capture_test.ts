/**
 * @module
 * CappedFile: redacts as it writes and caps what it keeps. A full disk is tested for real in
 * tests/e2e/disk_full_test.ts (Deno refuses /dev/full without --allow-all).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { CappedFile } from "../../lib/run/capture.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

Deno.test("CappedFile keeps at most its cap, redacted, and says what it dropped", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-capture-" });
  try {
    const path = join(dir, "out");
    const file = await CappedFile.create(path, 40, ["hunter2hunter2"]);
    await file.write(bytes("pw hunter2hunter2\n"));
    await file.write(bytes("x".repeat(60)));
    file.close();
    assert.equal(await Deno.readTextFile(path), `pw [redacted]\n${"x".repeat(26)}`);
    assert.deepEqual(file.stats(), { bytes: 78, kept: 40, truncated: true });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
