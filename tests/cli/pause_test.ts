/**
 * @module
 * parseDuration(): the forms `pause --for` takes, and the ones it refuses.
 */

import assert from "node:assert/strict";
import { parseDuration } from "../../lib/state/pause.ts";
import { UsageError } from "../../lib/errors.ts";

Deno.test("parseDuration() reads seconds and s/m/h/d, alone or together", () => {
  assert.equal(parseDuration("90"), 90);
  assert.equal(parseDuration("90s"), 90);
  assert.equal(parseDuration("30m"), 1800);
  assert.equal(parseDuration(" 2h "), 7200);
  assert.equal(parseDuration("1d"), 86_400);
  assert.equal(parseDuration("1h30m"), 5400);
  assert.equal(parseDuration("1.5h"), 5400);
  for (const bad of ["", "0", "0m", "soon", "2 hours", "-1h", "h", "1w"]) {
    assert.throws(() => parseDuration(bad), UsageError, bad);
  }
});
