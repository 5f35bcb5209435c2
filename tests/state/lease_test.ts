/**
 * @module
 * When the runner lease is dead.
 */

import assert from "node:assert/strict";
import { leaseState, STALE_MS } from "../../lib/state/lease.ts";
import { proc } from "../fakes/proc.ts";

const started = "Wed Nov 25 12:00:00 2026";
const lease = {
  pid: 42,
  started,
  acquired_at: "2026-11-25T12:00:00.000Z",
  heartbeat_at: "2026-11-25T12:00:00.000Z",
};
const now = Date.parse("2026-11-25T12:01:00.000Z");

Deno.test("leaseState() is live for the same process with a fresh heartbeat", () => {
  assert.deepEqual(leaseState(lease, proc(42, 1, { started }), now), { live: true });
});

Deno.test("leaseState() is dead when the process is gone, a zombie, or its pid was reused", () => {
  const cases = [
    [undefined, "the runner (pid 42) is gone"],
    [proc(42, 1, { started, stat: "Z" }), "the runner (pid 42) is gone"],
    [
      proc(42, 1, { started: "Thu Nov 26 09:00:00 2026" }),
      "its pid now belongs to another process",
    ],
  ] as const;
  for (const [p, reason] of cases) {
    const state = leaseState(lease, p, now);
    assert.equal(state.live, false);
    assert.match(state.live ? "" : state.reason, new RegExp(reason.replace(/[()]/g, "\\$&")));
  }
});

Deno.test("leaseState() is dead when the heartbeat is stale", () => {
  const state = leaseState(
    lease,
    proc(42, 1, { started }),
    Date.parse(lease.heartbeat_at) + STALE_MS + 1000,
  );
  assert.equal(state.live, false);
  assert.match(state.live ? "" : state.reason, /has not sent a heartbeat for 301 s/);
});
