/**
 * @module
 * The runner lease, `["lease"]`: who the runner is (pid, process start time, heartbeat).
 */

import type { Lease } from "../types.ts";
import type { KvCore } from "./core.ts";

/** The runner lease's key. */
export const LEASE_KEY: Deno.KvKey = ["lease"];

/** Same runner: same pid and same process start time. */
export function sameRunner(a: Lease, b: Lease): boolean {
  return a.pid === b.pid && a.started === b.started;
}

/** The current lease and its versionstamp, if any. */
export async function lease(
  core: KvCore,
): Promise<{ lease: Lease; versionstamp: string } | undefined> {
  const entry = await core.retry("read the runner lease", () => core.kv.get<Lease>(LEASE_KEY));
  return entry.value === null
    ? undefined
    : { lease: entry.value, versionstamp: entry.versionstamp };
}

/**
 * Takes the lease if it is still as the caller saw it (`expected`: the versionstamp read, or
 * null for no lease). True when taken.
 */
export async function acquireLease(
  core: KvCore,
  mine: Lease,
  expected: string | null,
): Promise<boolean> {
  const res = await core.retry(
    "take the runner lease",
    () =>
      core.kv.atomic().check({ key: LEASE_KEY, versionstamp: expected }).set(LEASE_KEY, mine)
        .commit(),
  );
  return res.ok;
}

/** Refreshes the heartbeat; false when the lease is no longer ours. */
export function heartbeat(core: KvCore, mine: Lease, now: string): Promise<boolean> {
  return core.transact("refresh the runner heartbeat", async () => {
    const entry = await core.kv.get<Lease>(LEASE_KEY);
    if (entry.value === null || !sameRunner(entry.value, mine)) return false;
    const res = await core.kv.atomic().check(entry).set(LEASE_KEY, {
      ...entry.value,
      heartbeat_at: now,
    }).commit();
    return res.ok ? true : undefined;
  });
}

/** Gives the lease up, if it is ours. */
export async function releaseLease(core: KvCore, mine: Lease): Promise<void> {
  await core.transact("release the runner lease", async () => {
    const entry = await core.kv.get<Lease>(LEASE_KEY);
    if (entry.value === null || !sameRunner(entry.value, mine)) return true;
    return (await core.kv.atomic().check(entry).delete(LEASE_KEY).commit()).ok ? true : undefined;
  });
}
