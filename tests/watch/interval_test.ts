/**
 * @module
 * Interval triggers: every N seconds from the end of the last run, never while queued or
 * running, the first interval counted from when the task was first seen.
 */

import assert from "node:assert/strict";
import { Store } from "../../lib/state/store.ts";
import type { Lease } from "../../lib/state/types.ts";
import { queueDueIntervals } from "../../lib/watch/interval.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { FakeClock } from "../fakes/clock.ts";

const spec = { task: "poll", seconds: 60, priority: "normal" as const };

Deno.test("queueDueIntervals() counts from first sight, then from the end of the last run", async () => {
  const clock = new FakeClock(Date.parse("2026-11-26T10:00:00Z"));
  // The store retries conflicts on a real clock (this one only moves when told).
  using store = await Store.open(":memory:", systemClock);
  const at = () => clock.now();
  assert.deepEqual(await queueDueIntervals(store, [spec], at()), [], "first sight: starts now");
  await clock.advance(59_000);
  assert.deepEqual(await queueDueIntervals(store, [spec], at()), []);
  await clock.advance(1_000);
  const [item] = await queueDueIntervals(store, [spec], at());
  assert.deepEqual(item?.trigger, { type: "interval", seconds: 60 });
  await clock.advance(120_000);
  assert.deepEqual(await queueDueIntervals(store, [spec], at()), [], "never while queued");

  const mine: Lease = { pid: 1, started: "x", acquired_at: "", heartbeat_at: "" };
  await store.acquireLease(mine, null);
  const running = await store.takeNext(mine, new Date(at()).toISOString());
  assert.deepEqual(await queueDueIntervals(store, [spec], at()), [], "never while running");
  await clock.advance(30_000);
  const ended = new Date(at()).toISOString();
  await store.finish({
    id: running?.id ?? "",
    task: "poll",
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "interval" },
    enqueued_at: null,
    started_at: ended,
    ended_at: ended,
    duration_ms: 0,
    cost_usd: null,
    session_id: null,
  }, mine);
  await clock.advance(59_000);
  assert.deepEqual(await queueDueIntervals(store, [spec], at()), [], "59 s after the run ended");
  await clock.advance(1_000);
  const again = await Promise.all([
    queueDueIntervals(store, [spec], at()),
    queueDueIntervals(store, [spec], at()),
  ]);
  assert.equal(again.flat().length, 1, "two checks at once queue it once");
});
