/**
 * @module
 * Starting a runner: `tick --runner`, this clodputer again, detached, unless a live runner holds
 * the lease. What the tick and the watcher do when there is something to run.
 */

import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import { type Proc, spawnDetached } from "../sys/proc.ts";
import { selfArgv } from "../sys/self.ts";
import { runnerAlive } from "./alive.ts";
import type { Store } from "./store.ts";

/**
 * Starts a runner (`tick --runner`, detached: it runs the queue) unless a live one holds the
 * lease; returns its pid, or undefined when one is alive.
 */
export async function startRunner(
  deps: { proc: Proc; clock: Clock; env: Env },
  store: Pick<Store, "lease">,
  argv: () => string[] = selfArgv,
): Promise<number | undefined> {
  if (await runnerAlive(store, deps.proc, deps.clock)) return undefined;
  return spawnDetached(deps.proc, [...argv(), "tick", "--runner"], deps.env.toObject());
}
