/**
 * @module
 * The watcher daemon's lines: one per event, as watcher.log, watcher.pid's last event and the
 * foreground `watch` show them.
 */

import assert from "node:assert/strict";
import { describeWatcherEvent } from "../../lib/watch/serve.ts";

Deno.test("describeWatcherEvent(): a run queued by a file, by an interval", () => {
  assert.equal(
    describeWatcherEvent({
      event: "task_queued",
      task: "inbox",
      run_id: "r1",
      trigger: "file_watch",
      path: "/in/a.pdf",
    }),
    "inbox: /in/a.pdf -> queued as r1",
  );
  assert.equal(
    describeWatcherEvent({ event: "task_queued", task: "poll", run_id: "r2", trigger: "interval" }),
    "poll: interval due -> queued as r2",
  );
});

Deno.test("describeWatcherEvent(): config errors and reloads", () => {
  assert.equal(
    describeWatcherEvent({ event: "config_error", task: "inbox", error: "bad pattern" }),
    "inbox: config error: bad pattern",
  );
  assert.equal(
    describeWatcherEvent({ event: "tasks_reloaded", watches: 2, intervals: 1 }),
    "tasks read: 2 folder watch(es), 1 interval task(s)",
  );
});
