/**
 * @module
 * readFileBounded: whole files of any size up to the limit, and nothing past it.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readFileBounded } from "../../lib/sys/fs.ts";

Deno.test("readFileBounded() reads empty, small and limit-sized files whole", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-fs-" });
  try {
    for (const size of [0, 1, 100, 4096]) {
      const file = join(dir, `f${size}`);
      const bytes = Uint8Array.from({ length: size }, (_, i) => i % 251);
      await Deno.writeFile(file, bytes);
      assert.deepEqual(await readFileBounded(file, 4096), { kind: "file", bytes });
    }
    const big = join(dir, "big");
    await Deno.writeFile(big, new Uint8Array(4097));
    assert.deepEqual(await readFileBounded(big, 4096), { kind: "too-big", size: 4097 });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
