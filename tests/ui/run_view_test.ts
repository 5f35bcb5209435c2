/**
 * @module
 * The run summary and progress lines, at a fixed width with colour off.
 */

import assert from "node:assert/strict";
import type { RunRecord } from "../../lib/run/record.ts";
import { parseResult } from "../../lib/run/stream.ts";
import { colors } from "../../lib/ui/color.ts";
import { formatCost, formatDuration } from "../../lib/ui/duration.ts";
import type { ProgressEvent } from "../../lib/run/stream.ts";
import { foldActivity, type RunActivity, startActivity } from "../../lib/run/live.ts";
import { activityText, progressLine, runSummary, spinnerLine } from "../../lib/ui/run_view.ts";

function record(fields: Partial<RunRecord>): RunRecord {
  return {
    id: "20261125-120000-abcdef",
    task: "hello",
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "manual" },
    started_at: "2026-11-25T12:00:00.000Z",
    ended_at: "2026-11-25T12:00:03.200Z",
    duration_ms: 3200,
    pid: 42,
    exit: { code: 0, signal: null },
    command: "/usr/bin/claude",
    argv: [],
    cwd: null,
    claude: parseResult({
      type: "result",
      is_error: false,
      result: "Hi there",
      session_id: "s-1",
      total_cost_usd: 0.0123,
    }),
    cleanup: { signalled: [], survivors: [], duration_ms: 5 },
    output: {
      stdout: { bytes: 1, kept: 1, truncated: false },
      stderr: { bytes: 0, kept: 0, truncated: false },
    },
    warnings: [],
    ...fields,
  };
}

const opts = { color: colors(false), runDir: "<HOME>/runs/20261125-120000-abcdef" };

Deno.test("runSummary() prints the reply, then status, duration, cost and session", () => {
  assert.deepEqual(runSummary(record({}), opts), [
    "Hi there",
    "",
    "✓ hello succeeded · in 3.2s · $0.01 · session s-1",
    "  run 20261125-120000-abcdef · <HOME>/runs/20261125-120000-abcdef",
  ]);
});

Deno.test("runSummary() lists killed processes, survivors and warnings", () => {
  const lines = runSummary(
    record({
      status: "timed_out",
      outcome: { kind: "timed_out", clock: "total", limit_seconds: 600 },
      cleanup: {
        signalled: [
          { pid: 10, command: "claude -p", signal: "SIGTERM", found_by: "tree" },
          { pid: 10, command: "claude -p", signal: "SIGKILL", found_by: "tree" },
          { pid: 11, command: "sleep 300", signal: "SIGTERM", found_by: "mark" },
        ],
        survivors: [{ pid: 12, command: "stuck" }],
        duration_ms: 5000,
      },
      warnings: [
        "Claude was denied 1 tool use (Write): add them to allowed_tools if the task needs them",
      ],
    }),
    opts,
  );
  assert.deepEqual(lines.slice(1), [
    "  run 20261125-120000-abcdef · <HOME>/runs/20261125-120000-abcdef",
    "  killed 2 processes: 10 (claude -p), 11 (sleep 300)",
    "  ! still running after cleanup: 12 (stuck)",
    "  ! Claude was denied 1 tool use (Write): add them to allowed_tools if the task needs them",
  ]);
  assert.equal(
    lines[0],
    "✗ hello timed out after 10m00s (task.timeout) · in 3.2s · $0.01 · session s-1",
  );
});

Deno.test("progressLine() and spinnerLine() describe activity", () => {
  assert.equal(
    progressLine({ kind: "tool", name: "Bash", detail: "git   log\n--oneline" }),
    "tool Bash: git log --oneline",
  );
  assert.equal(
    progressLine({ kind: "init", model: "m", sessionId: null, mcpServers: ["fs"] }),
    "claude started (model m, MCP: fs)",
  );
  assert.equal(spinnerLine("hello", 12_345, "turn 1 · Bash", 0), "⠋ hello 12s · turn 1 · Bash");
});

Deno.test("formatDuration() and formatCost()", () => {
  const cases: [number, string][] = [
    [0, "0ms"],
    [950, "950ms"],
    [3210, "3.2s"],
    [59_999, "59.9s"],
    [192_000, "3m12s"],
    [3_720_000, "1h02m"],
  ];
  for (const [ms, text] of cases) assert.equal(formatDuration(ms), text);
  assert.equal(formatCost(null), "no cost reported");
  assert.equal(formatCost(0.000188), "$0.0002");
  assert.equal(formatCost(1.234), "$1.23");
});

Deno.test("foldActivity() counts tool calls and text as turns and names the latest activity", () => {
  const result = parseResult({ type: "result", subtype: "success", total_cost_usd: 0.5 });
  const after3 = { turns: 3, activity: "Bash: ls", turn: 3 };
  const cases: [string, RunActivity, ProgressEvent, RunActivity, string][] = [
    [
      "init: claude started, no turn",
      startActivity("waiting"),
      { kind: "init", model: null, sessionId: null, mcpServers: [] },
      { turns: 0, activity: "claude started", turn: null },
      "claude started",
    ],
    [
      "a tool with its detail: the next turn",
      after3,
      { kind: "tool", name: "Read", detail: "notes.md" },
      { turns: 4, activity: "Read: notes.md", turn: 4 },
      "turn 4 · Read: notes.md",
    ],
    [
      "a tool without detail: its name alone",
      startActivity("claude started"),
      { kind: "tool", name: "TodoWrite", detail: "" },
      { turns: 1, activity: "TodoWrite", turn: 1 },
      "turn 1 · TodoWrite",
    ],
    [
      "text: writing, the next turn",
      after3,
      { kind: "text", text: "Here is the summary" },
      { turns: 4, activity: "writing", turn: 4 },
      "turn 4 · writing",
    ],
    [
      "a retry with its status: no turn, turns kept",
      after3,
      { kind: "retry", attempt: 2, status: 529 },
      { turns: 3, activity: "API error 529, retrying", turn: null },
      "API error 529, retrying",
    ],
    [
      "a retry without status",
      after3,
      { kind: "retry", attempt: null, status: null },
      { turns: 3, activity: "API error ?, retrying", turn: null },
      "API error ?, retrying",
    ],
    [
      "the result: finishing, turns kept",
      after3,
      { kind: "result", result },
      { turns: 3, activity: "finishing", turn: null },
      "finishing",
    ],
  ];
  for (const [what, prev, event, expected, text] of cases) {
    const before = structuredClone(prev);
    const next = foldActivity(prev, event);
    assert.deepEqual(next, expected, what);
    assert.equal(activityText(next), text, what);
    assert.deepEqual(prev, before, `${what}: the previous value is not changed`);
  }
});
