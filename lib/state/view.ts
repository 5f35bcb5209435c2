/**
 * @module
 * The queue as `queue` and `queue --json` show it: the runner (alive or why not), the running
 * item and how long it has run, every queued item.
 */

import type { Clock } from "../sys/clock.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import { readRunnerLease, type RunnerLease } from "./alive.ts";
import { withStore } from "./open.ts";
import type { Store } from "./store.ts";
import type { QueueItem, RunningItem } from "./types.ts";

/** The queue as `queue --json` prints it. */
export interface QueueView {
  runner: { pid: number; alive: boolean; heartbeat_at: string; reason?: string } | null;
  running: (RunningItem & { elapsed_ms: number }) | null;
  queued: QueueItem[];
}

function runnerView(held: RunnerLease | undefined): QueueView["runner"] {
  if (!held) return null;
  return {
    pid: held.lease.pid,
    alive: held.live,
    heartbeat_at: held.lease.heartbeat_at,
    ...(held.live ? {} : { reason: held.reason }),
  };
}

/** Reads the queue for display. */
export async function readQueue(
  deps: { proc: Pick<Proc, "info">; clock: Pick<Clock, "now"> },
  store: Pick<Store, "lease" | "running" | "queued">,
): Promise<QueueView> {
  const [lease, running, queued] = [
    await readRunnerLease(store, deps.proc, deps.clock),
    await store.running(),
    await store.queued(),
  ];
  return {
    runner: runnerView(lease),
    running: running
      ? { ...running, elapsed_ms: deps.clock.now() - Date.parse(running.started_at) }
      : null,
    queued,
  };
}

/** Opens the store, reads the queue for display, and closes it. */
export async function lookAtQueue(
  deps: { paths: Paths; proc: Pick<Proc, "info">; clock: Clock },
): Promise<QueueView> {
  return await withStore(deps, (store) => readQueue(deps, store));
}
