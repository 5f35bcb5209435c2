import { local } from "../fakes/clock.ts";
import assert from "node:assert/strict";
import { renderEvent } from "../../lib/cli/logs_tail.ts";
import { colors } from "../../lib/ui/color.ts";

const base = { ts: local("2026-11-25 08:00:12"), task: "daily-email", run_id: "r1" };

Deno.test("renderEvent() shows notify_sent and notify_failed for a person", () => {
  const c = colors(false);
  const sent = renderEvent({ ...base, event: "notify_sent", channel: "webhook", attempts: 1 }, c);
  assert.match(sent, /^2026-11-25 08:00:12 +daily-email notified \(webhook\) \(run r1\)$/);
  const failed = renderEvent({
    ...base,
    event: "notify_failed",
    channel: "desktop",
    attempts: 3,
    error: "notify-send was not found on PATH",
  }, c);
  assert.match(
    failed,
    /^2026-11-25 08:00:12 +daily-email notification failed \(desktop, 3 tries\): notify-send was not found on PATH \(run r1\)$/,
  );
});

Deno.test("renderEvent() says a runner was started by the tick, with its pid", () => {
  const line = renderEvent({
    ts: local("2026-11-25 08:00:12"),
    event: "runner_started",
    pid: 4242,
    by: "tick",
  }, colors(false));
  assert.equal(
    line,
    "2026-11-25 08:00:12  · runner started by the tick (pid 4242): it runs the queue",
  );
});
