/**
 * @module
 * The task list renderer, colour off.
 */

import assert from "node:assert/strict";
import type { TaskRow } from "../../lib/status/task_list.ts";
import { renderTaskList } from "../../lib/ui/task_list.ts";
import { colors } from "../../lib/ui/color.ts";

const row = (fields: Partial<TaskRow>): TaskRow => ({
  name: "t",
  label: null,
  file: "/h/tasks/t.yaml",
  valid: true,
  enabled: true,
  description: null,
  schedule: null,
  trigger: null,
  error: null,
  ...fields,
});

Deno.test("renderTaskList() shows intervals, and a schedule beside a watch", () => {
  const lines = renderTaskList([
    row({ name: "poll", trigger: { type: "interval", seconds: 300 } }),
    row({
      name: "both",
      schedule: {
        expression: "0 * * * *",
        description: "Every hour",
        timezone: null,
        next_run: "2026-11-25 13:00 UTC",
        next_run_at: "2026-11-25T13:00:00.000Z",
      },
      trigger: { type: "file_watch", path: "/in", pattern: "*", event: "modified" },
    }),
    row({
      name: "never",
      schedule: {
        expression: "0 0 30 2 *",
        description: "x",
        timezone: null,
        next_run: null,
        next_run_at: null,
      },
    }),
  ], { color: colors(false), tasksDir: "/h/tasks" });
  assert.deepEqual(lines, [
    "✓ poll   every 300 s",
    "✓ both   Every hour (0 * * * *) · next 2026-11-25 13:00 UTC · watches /in for * (modified)",
    "✓ never  x (0 0 30 2 *) · next never",
  ]);
});

Deno.test("renderTaskList() marks a task that continues its session, with a legend line", () => {
  const continues = { mode: "continue" as const, id: null, runs: null, started_at: null };
  const lines = renderTaskList([
    row({ name: "review", trigger: { type: "manual" }, session: continues }),
    row({
      name: "plain",
      trigger: { type: "manual" },
      session: { ...continues, mode: "new" },
    }),
  ], { color: colors(false), tasksDir: "/h/tasks" });
  assert.deepEqual(lines, [
    "✓ review ↻  manual (clodputer run)",
    "✓ plain     manual (clodputer run)",
    "",
    "↻ continues its Claude session from run to run (clodputer session)",
  ]);
  // No such task: no legend.
  const plain = renderTaskList([row({ trigger: { type: "manual" } })], {
    color: colors(false),
    tasksDir: "/h/tasks",
  });
  assert.deepEqual(plain, ["✓ t  manual (clodputer run)"]);
});
