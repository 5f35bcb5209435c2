/**
 * @module
 * Whether the runner lease is held by a live runner. Pure, over what `ps` says of its pid.
 */

import { isZombie, type ProcInfo } from "../sys/ps.ts";
import type { Lease } from "./types.ts";

/** How often a runner refreshes its heartbeat. */
export const HEARTBEAT_MS = 10_000;

/** A heartbeat older than this means the runner is hung (or the machine slept): take over. */
export const STALE_MS = 5 * 60_000;

/** Is the lease's runner alive? */
export type LeaseState = { live: true } | { live: false; reason: string };

/** Decides whether a lease's runner is alive: its process, by pid and start time, and its heartbeat. */
export function leaseState(lease: Lease, process: ProcInfo | undefined, nowMs: number): LeaseState {
  if (!process || isZombie(process)) {
    return { live: false, reason: `the runner (pid ${lease.pid}) is gone` };
  }
  if (process.started !== lease.started) {
    return {
      live: false,
      reason: `the runner (pid ${lease.pid}) is gone; its pid now belongs to another process`,
    };
  }
  const age = nowMs - Date.parse(lease.heartbeat_at);
  if (age > STALE_MS) {
    return {
      live: false,
      reason: `the runner (pid ${lease.pid}) has not sent a heartbeat for ${
        Math.round(age / 1000)
      } s`,
    };
  }
  return { live: true };
}
