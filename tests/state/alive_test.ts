/**
 * @module
 * "Is the runner alive?": the lease read from the store and judged by ps and the heartbeat.
 */

import assert from "node:assert/strict";
import { readRunnerLease, runnerAlive } from "../../lib/state/alive.ts";
import type { Lease } from "../../lib/state/types.ts";
import type { ProcInfo } from "../../lib/sys/ps.ts";
import { proc } from "../fakes/proc.ts";

const started = "Wed Nov 25 12:00:00 2026";
const lease: Lease = {
  pid: 42,
  started,
  acquired_at: "2026-11-25T12:00:00.000Z",
  heartbeat_at: "2026-11-25T12:00:00.000Z",
};
const clock = { now: () => Date.parse("2026-11-25T12:01:00.000Z") };

function store(held: Lease | undefined) {
  return { lease: () => Promise.resolve(held && { lease: held, versionstamp: "v1" }) };
}

function ps(...known: ProcInfo[]) {
  return { info: (pid: number) => Promise.resolve(known.find((p) => p.pid === pid)) };
}

Deno.test("runnerAlive() is true only for a lease held by a live runner", async () => {
  assert.equal(await runnerAlive(store(lease), ps(proc(42, 1, { started })), clock), true);
  assert.equal(await runnerAlive(store(lease), ps(), clock), false, "its process is gone");
  assert.equal(await runnerAlive(store(undefined), ps(), clock), false, "no lease");
});

Deno.test("readRunnerLease() gives the lease, its versionstamp, and why its runner is dead", async () => {
  assert.equal(await readRunnerLease(store(undefined), ps(), clock), undefined);
  assert.deepEqual(await readRunnerLease(store(lease), ps(proc(42, 1, { started })), clock), {
    lease,
    versionstamp: "v1",
    live: true,
  });
  assert.deepEqual(await readRunnerLease(store(lease), ps(), clock), {
    lease,
    versionstamp: "v1",
    live: false,
    reason: "the runner (pid 42) is gone",
  });
});
