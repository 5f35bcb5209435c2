/**
 * @module
 * The words of the execution log's events: `renderEvent` (what `logs` prints) is the time and
 * `eventText`; `eventText` can leave out the run and the error for a face that shows them apart.
 */

import assert from "node:assert/strict";
import { colors } from "../../lib/ui/color.ts";
import { localTime } from "../../lib/ui/duration.ts";
import { eventText, renderEvent } from "../../lib/ui/log_line.ts";

const c = colors(false);
const failed = {
  ts: "2026-11-25T10:00:00.000Z",
  event: "task_failed",
  task: "inbox",
  run_id: "r1",
  duration_ms: 4200,
  cost_usd: 0.02,
  error: "claude exited\twith code 1",
};

Deno.test("renderEvent() is the local time, two spaces, then eventText()", () => {
  for (const e of [failed, { ts: failed.ts, event: "action_log", task: "a", message: "hi" }]) {
    assert.equal(renderEvent(e, c), `${localTime(e.ts)}  ${eventText(e, c)}`);
  }
  assert.equal(
    eventText(failed, c),
    "✗ inbox failed in 4.2s · $0.02: claude exited with code 1 (run r1)",
  );
});

Deno.test("eventText() leaves out the run and the error when asked", () => {
  assert.equal(
    eventText(failed, c, { run: false }),
    "✗ inbox failed in 4.2s · $0.02: claude exited with code 1",
  );
  assert.equal(
    eventText(failed, c, { run: false, error: false }),
    "✗ inbox failed in 4.2s · $0.02",
  );
  assert.equal(
    eventText({ ts: failed.ts, event: "something_new", task: "a" }, c),
    "something_new a",
  );
});
