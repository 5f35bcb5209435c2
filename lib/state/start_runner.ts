/**
 * @module
 * Starting a runner: `tick --runner`, this clodputer again, detached, unless a live runner holds
 * the lease. What the tick and the watcher do when there is something to run. And starting one
 * task's run in the background (`run <task>`, detached), for the faces that start runs without
 * waiting for them: the dashboard, the coming web dashboard.
 */

import { lazy } from "../lazy.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
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

/** What `startRunInBackground()` did. */
export type StartedRun =
  /** `run <task>` was started, detached, as process `pid`: the run shows once queued. */
  | { kind: "started"; task: string; pid: number }
  /** The task does not load (`message` says why); nothing was started. */
  | { kind: "invalid"; task: string; message: string };

/**
 * Starts `run <task>` in the background, as a person would in another terminal, once the task
 * loads: a broken task is reported here, as the background run's output goes nowhere.
 */
export async function startRunInBackground(
  deps: { paths: Paths; env: Env; proc: Proc },
  task: string,
  argv: () => string[] = selfArgv,
): Promise<StartedRun> {
  // Loaded only here: the tick, which starts runners, never loads yaml and zod for it.
  const { loadGlobalConfig, loadTask } = await lazy<typeof import("../config/load.ts")>(
    "lib/config/load.ts",
  );
  try {
    const global = await loadGlobalConfig(deps.paths, deps.env);
    await loadTask(deps.paths, task, deps.env, { global });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { kind: "invalid", task, message };
  }
  const pid = spawnDetached(deps.proc, [...argv(), "run", task], deps.env.toObject());
  return { kind: "started", task, pid };
}
