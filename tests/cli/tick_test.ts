/**
 * @module
 * What `tick --verbose` prints of a minute's job (tickJob's result): "nothing due", the runs
 * queued and why, the watcher it started, each problem, and what became of the queue; never
 * nothing.
 */

import assert from "node:assert/strict";
import { verboseLines } from "../../lib/cli/tick.ts";
import type { QueueItem } from "../../lib/state/types.ts";

const item = (task: string, trigger: QueueItem["trigger"]): QueueItem => ({
  id: `20261125-120000-00000${task.length}`,
  task,
  priority: "normal",
  trigger,
  enqueued_at: "2026-11-25T12:00:00.000Z",
  seq: 1,
});

Deno.test("verboseLines(): nothing due is one line", () => {
  assert.deepEqual(
    verboseLines({
      nothingDue: true,
      queued: [],
      problems: [],
      done: [],
      queue: { kind: "left" },
    }),
    ["tick: nothing due"],
  );
});

Deno.test("verboseLines(): queued runs with their slot or interval, problems, then the runner", () => {
  const lines = verboseLines({
    nothingDue: false,
    queued: [
      item("a", { type: "schedule", slot: "2026-11-25T12:00:00.000Z" }),
      item("bb", { type: "interval", seconds: 90 }),
    ],
    problems: [{ event: "config_error", task: "c" }],
    done: [],
    queue: { kind: "runner_started", pid: 42 },
  });
  assert.deepEqual(lines, [
    "queued a for 2026-11-25T12:00:00.000Z as 20261125-120000-000001",
    "queued bb (every 90 s) as 20261125-120000-000002",
    'config_error: {"event":"config_error","task":"c"}',
    "started a runner (pid 42): it runs the queue",
  ]);
});

Deno.test("verboseLines(): the queue as a runner ran it, a busy one, a held one", () => {
  const base = { nothingDue: false, queued: [], problems: [], done: [] };
  assert.deepEqual(verboseLines({ ...base, queue: { kind: "ran", ran: 1, canary: undefined } }), [
    "ran 1 task",
  ]);
  assert.deepEqual(verboseLines({ ...base, queue: { kind: "ran", ran: 2, canary: "x" } }), [
    "the queue is held (claude cannot log in): tried x; ran 2 tasks",
  ]);
  assert.deepEqual(verboseLines({ ...base, queue: { kind: "runner_alive" } }), [
    "a runner is alive: it runs the queue",
  ]);
  assert.deepEqual(verboseLines({ ...base, queue: { kind: "held" } }), [
    "the queue is held (claude cannot log in): a run tries again within 10 minutes",
  ]);
});

Deno.test("verboseLines(): a tick that only started the watcher says so, and any tick says something", () => {
  const base = { nothingDue: false, queued: [], problems: [] };
  assert.deepEqual(
    verboseLines({
      ...base,
      done: [{ event: "watcher_started", pid: 77, by: "tick" }],
      queue: { kind: "left" },
    }),
    ["started the watcher (pid 77): it was not running"],
  );
  assert.deepEqual(verboseLines({ ...base, done: [], queue: { kind: "left" } }), [
    "tick: nothing queued; the queue is left as it is",
  ]);
});
