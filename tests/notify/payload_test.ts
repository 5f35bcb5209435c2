import assert from "node:assert/strict";
import {
  buildEvent,
  desktopText,
  headline,
  MAX_ERROR_CHARS,
  shortDuration,
  webhookBody,
} from "../../lib/notify/payload.ts";
import { record } from "./_helpers.ts";

Deno.test("buildEvent() carries task, run id, status, error, duration, cost and host", () => {
  const event = buildEvent(
    record(undefined, {
      claude: { total_cost_usd: 0.0412 } as never,
    }),
    { error: "claude exited with code 1", host: "mac-mini", secrets: [] },
  );
  assert.deepEqual(event, {
    event: "run_finished",
    task: "daily-email",
    run_id: "20261125-120000-abcdef",
    status: "failed",
    error: "claude exited with code 1",
    trigger: "schedule",
    started_at: "2026-11-25T12:00:00.000Z",
    ended_at: "2026-11-25T12:00:12.000Z",
    duration_ms: 12_000,
    cost_usd: 0.0412,
    host: "mac-mini",
  });
  assert.equal(headline(event), "daily-email failed after 12 s ($0.04)");
});

Deno.test("buildEvent() redacts secret values from every field", () => {
  const secret = "sk-live-abcdef123456";
  const event = buildEvent(
    record({ kind: "exit_error", code: 1, message: `auth failed for ${secret}` }, {
      task: "daily-email",
    }),
    { error: `auth failed for ${secret}`, host: `host-${secret}`, secrets: [secret] },
  );
  const all = JSON.stringify(event) + webhookBody(event, "json") + webhookBody(event, "slack") +
    JSON.stringify(desktopText(event));
  assert.ok(!all.includes(secret));
  assert.equal(event.error, "auth failed for [redacted]");
});

Deno.test("buildEvent() shortens a long error; a success has error null", () => {
  const long = buildEvent(record(), { error: "x".repeat(5000), host: "h", secrets: [] });
  assert.equal(long.error?.length, MAX_ERROR_CHARS);
  assert.ok(long.error?.endsWith("…"));
  const ok = buildEvent(record({ kind: "success" }), { error: undefined, host: "h", secrets: [] });
  assert.equal(ok.error, null);
  assert.equal(desktopText(ok).message, "daily-email succeeded after 12 s");
});

Deno.test("shortDuration() reads at a glance", () => {
  assert.deepEqual(
    [0, 12_400, 60_000, 184_000, 3_720_000].map(shortDuration),
    ["0 s", "12 s", "1 min", "3 min 4 s", "1 h 2 min"],
  );
});
