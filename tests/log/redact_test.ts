/**
 * @module
 * Secret values never reach records or logs.
 */

import assert from "node:assert/strict";
import { redact, redactDeep } from "../../lib/log/redact.ts";

Deno.test("redact() replaces every occurrence, longest secret first", () => {
  assert.equal(
    redact("token sk-abc123 and sk-abc123x", ["sk-abc123", "sk-abc123x"]),
    "token [redacted] and [redacted]",
  );
});

Deno.test("redact() leaves very short values alone", () => {
  assert.equal(redact("a b c", ["a"]), "a b c");
});

Deno.test("redactDeep() walks arrays and objects", () => {
  assert.deepEqual(
    redactDeep({ argv: ["--", "use s3cr3t-value"], n: 1, nested: { x: "s3cr3t-value" } }, [
      "s3cr3t-value",
    ]),
    { argv: ["--", "use [redacted]"], n: 1, nested: { x: "[redacted]" } },
  );
});
