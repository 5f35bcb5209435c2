/**
 * @module
 * ago(): how long ago, in words.
 */

import assert from "node:assert/strict";
import { ago } from "../../lib/ui/duration.ts";

Deno.test("ago() words a time in the largest whole unit", () => {
  assert.equal(ago(0), "less than a second ago");
  assert.equal(ago(1), "1 second ago");
  assert.equal(ago(3 * 86_400 + 5), "3 days ago");
  assert.equal(ago(6 * 3600), "6 hours ago");
  assert.equal(ago(Infinity), "at an unknown time");
});
