/**
 * @module
 * on_success / on_failure log actions: which list runs, the template scope, template errors.
 */

import assert from "node:assert/strict";
import { parseReply, runLogActions } from "../../lib/run/actions.ts";
import type { RunRecord } from "../../lib/run/record.ts";
import type { ClaudeResult } from "../../lib/run/stream.ts";

function record(status: RunRecord["status"], result: string | null): RunRecord {
  return {
    id: "20260101-000000-abcdef",
    task: "inbox",
    status,
    outcome: status === "succeeded"
      ? { kind: "success" }
      : { kind: "exit_error", code: 1, message: "boom" },
    trigger: { type: "manual" },
    started_at: "2026-01-01T00:00:00.000Z",
    ended_at: "2026-01-01T00:00:01.000Z",
    duration_ms: 1000,
    pid: 1,
    exit: null,
    command: "claude",
    argv: [],
    cwd: null,
    claude: result === null ? null : { result, session_id: "s" } as unknown as ClaudeResult,
    cleanup: null,
    output: {
      stdout: { bytes: 0, kept: 0, truncated: false },
      stderr: { bytes: 0, kept: 0, truncated: false },
    },
    warnings: [],
  };
}

Deno.test("parseReply() parses JSON replies, fenced or not, and keeps text", () => {
  const cases: [string | null, unknown][] = [
    ['{"items": [1, 2]}', { items: [1, 2] }],
    ['```json\n{"n": 3}\n```', { n: 3 }],
    ["[1, 2]", [1, 2]],
    ["42", 42],
    ["Done: 3 emails", "Done: 3 emails"],
    ["{not json", "{not json"],
    [null, null],
  ];
  for (const [text, expected] of cases) assert.deepEqual(parseReply(text), expected, String(text));
});

Deno.test("runLogActions() renders on_success with result.*, filters, name and context", () => {
  const report = runLogActions(record("succeeded", '{"emails": ["a", "b"], "urgent": 1}'), {
    onSuccess: [
      { log: "{{ name }}: {{ result.emails | length }} emails, {{ result.urgent }} urgent" },
      { notify: true },
      { retry: true },
      { log: "late: {{ result.late | default(0) }} for {{ context.who }}" },
    ],
    onFailure: [{ log: "never" }],
    error: undefined,
    context: { who: "me" },
  });
  assert.deepEqual(report, {
    logs: ["inbox: 2 emails, 1 urgent", "late: 0 for me"],
    errors: [],
  });
});

Deno.test("runLogActions() runs on_failure with error, and reports template errors", () => {
  const report = runLogActions(record("failed", "not json"), {
    onSuccess: [{ log: "never" }],
    onFailure: [
      { log: "{{ name }} failed: {{ error }}" },
      { log: "{{ result.count }}" },
      { log: "{{ result | length }} chars" },
      { log: "{{ secrets.TOKEN }}" },
    ],
    error: "claude exited with code 1: boom sekrit-value",
    context: {},
    secrets: ["sekrit-value"],
  });
  assert.deepEqual(report.logs, [
    "inbox failed: claude exited with code 1: boom [redacted]",
    "8 chars",
  ]);
  assert.deepEqual(report.errors, [
    'on_failure action 2 (log): Template variable "result.count" has no value',
    'on_failure action 4 (log): Template variable "secrets.TOKEN" has no value',
  ]);
});

Deno.test("runLogActions() does nothing for a skipped run", () => {
  const report = runLogActions(record("skipped", null), {
    onSuccess: [{ log: "a" }],
    onFailure: [{ log: "b" }],
    error: "x",
    context: {},
  });
  assert.deepEqual(report, { logs: [], errors: [] });
});
