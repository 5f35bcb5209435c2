/**
 * @module
 * vendor/: each bundle is exactly what scripts/vendor.ts makes from the version pinned in
 * deno.json, and none of them would start Deno's Node compatibility layer.
 */

import assert from "node:assert/strict";
import { bundle, VENDORED } from "../../scripts/vendor.ts";

for (const entry of VENDORED) {
  Deno.test(`vendor/${entry.file} is the ES bundle of the pinned ${entry.key}`, async () => {
    const current = await Deno.readTextFile(`vendor/${entry.file}`);
    assert.ok(current === await bundle(entry), "run: deno task vendor");
    assert.doesNotMatch(current, /\bfrom\s*["']node:|\brequire\(["']node:|import\(["']node:/);
  });
}
