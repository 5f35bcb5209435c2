/**
 * @module
 * A run's outcome in one sentence, durations and shortened text.
 */

import assert from "node:assert/strict";
import { describeOutcome, formatDuration, shorten } from "../../lib/run/describe.ts";

Deno.test("describeOutcome() has a sentence for every outcome", () => {
  assert.equal(
    describeOutcome({ kind: "timed_out", clock: "idle", limit_seconds: 300 }),
    "timed out: no output from claude for 5m00s (idle_timeout)",
  );
  assert.equal(
    describeOutcome({ kind: "signal", signal: "SIGSEGV" }),
    "failed: claude was killed by SIGSEGV",
  );
  assert.equal(describeOutcome({ kind: "cancelled", by: "SIGINT" }), "cancelled (SIGINT)");
  assert.equal(
    describeOutcome({ kind: "exit_error", code: 2, message: "bad flag" }),
    "failed: claude exited with code 2: bad flag",
  );
  assert.equal(describeOutcome({ kind: "lost", reason: "runner died" }), "lost: runner died");
});

Deno.test("describeOutcome() words time-outs with their limit and shortens long messages", () => {
  assert.equal(
    describeOutcome({ kind: "timed_out", clock: "total", limit_seconds: 600 }),
    "timed out after 10m00s (task.timeout)",
  );
  const long = describeOutcome({
    kind: "claude_error",
    message: "x".repeat(400),
    subtype: null,
    api_error_status: 529,
    terminal_reason: null,
  });
  assert.ok(long.startsWith("failed: Claude reported an error (API 529): xxx"), long);
  assert.ok(long.endsWith("x…"), long);
});

Deno.test("formatDuration() picks the unit for the size", () => {
  const cases: [number, string][] = [
    [-5, "0ms"],
    [999.6, "1000ms"],
    [1000, "1.0s"],
    [60_000, "1m00s"],
    [3_599_999, "59m59s"],
    [3_600_000, "1h00m"],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text, String(ms));
});

Deno.test("shorten() flattens whitespace and cuts with an ellipsis", () => {
  assert.equal(shorten("  a\n\tb  ", 10), "a b");
  assert.equal(shorten("abcdef", 4), "abc…");
  assert.equal(shorten("abcd", 4), "abcd");
});
