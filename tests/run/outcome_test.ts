/**
 * @module
 * The rule that decides how a run ended.
 */

import assert from "node:assert/strict";
import { decideOutcome, type Outcome, statusOf } from "../../lib/run/outcome.ts";
import { parseResult } from "../../lib/run/stream.ts";

const ok = parseResult({ type: "result", subtype: "success", is_error: false, result: "done" });
const apiError = parseResult({
  type: "result",
  subtype: "success",
  is_error: true,
  api_error_status: 500,
  result: "API Error: 500",
});

Deno.test("decideOutcome() follows clocks first, then the result, then the exit", () => {
  const cases: [string, Parameters<typeof decideOutcome>[0], Outcome["kind"]][] = [
    [
      "success",
      { stopped: undefined, exit: { code: 0, signal: null }, result: ok, stderrTail: "" },
      "success",
    ],
    [
      "timeout wins over a success result",
      {
        stopped: { kind: "timed_out", clock: "total", limit_seconds: 5 },
        exit: { code: 0, signal: null },
        result: ok,
        stderrTail: "",
      },
      "timed_out",
    ],
    [
      "cancel wins",
      {
        stopped: { kind: "cancelled", by: "SIGINT" },
        exit: undefined,
        result: undefined,
        stderrTail: "",
      },
      "cancelled",
    ],
    ["is_error", {
      stopped: undefined,
      exit: { code: 1, signal: null },
      result: apiError,
      stderrTail: "",
    }, "claude_error"],
    ["exit 2 without result", {
      stopped: undefined,
      exit: { code: 2, signal: null },
      result: undefined,
      stderrTail: "x",
    }, "exit_error"],
    ["exit 0 without result", {
      stopped: undefined,
      exit: { code: 0, signal: null },
      result: undefined,
      stderrTail: "",
    }, "exit_error"],
    ["signal", {
      stopped: undefined,
      exit: { code: 139, signal: "SIGSEGV" },
      result: undefined,
      stderrTail: "",
    }, "signal"],
    ["success result but exit 1", {
      stopped: undefined,
      exit: { code: 1, signal: null },
      result: ok,
      stderrTail: "boom",
    }, "exit_error"],
  ];
  for (const [name, input, kind] of cases) assert.equal(decideOutcome(input).kind, kind, name);
});

Deno.test("decideOutcome() explains an exit 0 without a result", () => {
  const o = decideOutcome({
    stopped: undefined,
    exit: { code: 0, signal: null },
    result: undefined,
    stderrTail: "",
  });
  assert.deepEqual(o, {
    kind: "exit_error",
    code: 0,
    message: "claude exited without printing a result",
  });
});

Deno.test("statusOf() maps every outcome", () => {
  assert.equal(statusOf({ kind: "success" }), "succeeded");
  assert.equal(statusOf({ kind: "signal", signal: "SIGKILL" }), "failed");
  assert.equal(statusOf({ kind: "failed_to_spawn", message: "", hint: "" }), "failed");
  assert.equal(statusOf({ kind: "timed_out", clock: "idle", limit_seconds: 1 }), "timed_out");
  assert.equal(statusOf({ kind: "cancelled", by: "SIGTERM" }), "cancelled");
  assert.equal(statusOf({ kind: "lost", reason: "runner died" }), "lost");
  assert.equal(statusOf({ kind: "skipped", reason: "budget" }), "skipped");
  assert.equal(statusOf({ kind: "over_budget", message: "", cost_usd: 1 }), "over_budget");
});

Deno.test("decideOutcome() reads claude's --max-budget-usd stop as over_budget", () => {
  // The result of 2.1.330 run with --max-budget-usd (tests/fixtures/claude/error-max-budget.jsonl).
  const result = parseResult({
    type: "result",
    subtype: "error_max_budget_usd",
    is_error: true,
    terminal_reason: "budget_exhausted",
    total_cost_usd: 0.00028,
    errors: ["Reached maximum budget ($1e-7)"],
  });
  assert.deepEqual(
    decideOutcome({ stopped: undefined, exit: { code: 1, signal: null }, result, stderrTail: "" }),
    { kind: "over_budget", message: "Reached maximum budget ($1e-7)", cost_usd: 0.00028 },
  );
});
