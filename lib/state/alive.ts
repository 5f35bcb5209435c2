/**
 * @module
 * "Is the runner alive?", asked in one place: the runner lease read from the store and judged by
 * what `ps` says of its pid and by its heartbeat (the pure rule: lib/state/lease.ts).
 */

import type { Clock } from "../sys/clock.ts";
import type { Proc } from "../sys/proc.ts";
import { leaseState } from "./lease.ts";
import type { Store } from "./store.ts";
import type { Lease } from "./types.ts";

/** The runner lease as stored, and whether its runner is alive (if not, why). */
export type RunnerLease =
  | { lease: Lease; versionstamp: string; live: true }
  | { lease: Lease; versionstamp: string; live: false; reason: string };

/** Reads the runner lease and judges its runner; undefined when no runner holds the lease. */
export async function readRunnerLease(
  store: Pick<Store, "lease">,
  proc: Pick<Proc, "info">,
  clock: Pick<Clock, "now">,
): Promise<RunnerLease | undefined> {
  const held = await store.lease();
  if (!held) return undefined;
  const state = leaseState(held.lease, await proc.info(held.lease.pid), clock.now());
  return { ...held, ...state };
}

/** Does a live runner hold the lease? */
export async function runnerAlive(
  store: Pick<Store, "lease">,
  proc: Pick<Proc, "info">,
  clock: Pick<Clock, "now">,
): Promise<boolean> {
  return (await readRunnerLease(store, proc, clock))?.live ?? false;
}
