/**
 * @module
 * Runs every doctor check; a check that throws is reported as a failed check, never a crash.
 */

import { loadGlobalConfig, loadTask } from "../config/load.ts";
import { readTaskFolder } from "../config/names.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import type { ShimFacts } from "../sys/self.ts";
import { checkAuth } from "./checks/auth.ts";
import { checkClaude } from "./checks/claude.ts";
import { checkHome } from "./checks/home.ts";
import { checkLog } from "./checks/log.ts";
import { checkNotify } from "./checks/notify.ts";
import { checkSchedule } from "./checks/schedule.ts";
import { checkStore } from "./checks/store.ts";
import { checkTasks } from "./checks/tasks.ts";
import type { Check, CheckResult, DoctorContext, TaskEntry } from "./types.ts";

/** The checks, in the order they are shown. */
export const CHECKS: readonly [string, Check][] = [
  ["home", checkHome],
  ["claude", checkClaude],
  ["auth", checkAuth],
  ["store", checkStore],
  ["tasks", checkTasks],
  ["schedule", checkSchedule],
  ["log", checkLog],
  ["notify", checkNotify],
];

/** Loads what the checks share. */
export async function doctorContext(
  deps: { paths: Paths; env: Env; proc: Proc; clock: Clock; os: string; selfPid: number },
  self: { executable: string; shim?: ShimFacts | undefined },
): Promise<DoctorContext> {
  const global = await loadGlobalConfig(deps.paths, deps.env).catch((e: Error) => e);
  const { names, misnamed } = await readTaskFolder(deps.paths).catch(() => ({
    names: [],
    misnamed: [],
  }));
  const tasks: TaskEntry[] = [];
  for (const name of names) {
    try {
      tasks.push({
        name,
        task: await loadTask(deps.paths, name, deps.env, global instanceof Error ? {} : { global }),
      });
    } catch (error) {
      tasks.push({ name, error: error instanceof Error ? error : new Error(String(error)) });
    }
  }
  return { ...deps, executable: self.executable, shim: self.shim ?? null, global, tasks, misnamed };
}

/** Runs every check in order. */
export async function runChecks(ctx: DoctorContext, checks = CHECKS): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const [id, check] of checks) {
    try {
      results.push(...await check(ctx));
    } catch (error) {
      results.push({
        id,
        status: "fail",
        message: `The ${id} check itself failed: ${
          error instanceof Error ? error.message : String(error)
        }`,
        fix: "rerun with --debug and report it",
      });
    }
  }
  return results;
}
