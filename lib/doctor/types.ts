/**
 * @module
 * What a doctor check returns, and what every check may read.
 */

import type { MisnamedTaskFile } from "../config/names.ts";
import type { LoadedTask } from "../config/load.ts";
import type { GlobalConfig } from "../config/types.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import type { ShimFacts } from "../sys/self.ts";

/** The verdict of one check. */
export interface CheckResult {
  /** A stable id, e.g. "claude", "task:daily-email". */
  id: string;
  status: "ok" | "warn" | "fail";
  /** One line: what was found. */
  message: string;
  /** For warn and fail: what to do, concretely. */
  fix?: string;
}

/** A task file as doctor sees it: loaded, or the error that stopped it. */
export type TaskEntry = { name: string; task: LoadedTask } | { name: string; error: Error };

/** Everything a check may read. Loaded once per doctor run. */
export interface DoctorContext {
  paths: Paths;
  env: Env;
  proc: Proc;
  clock: Clock;
  os: string;
  selfPid: number;
  /** The executable running now (clodputer, or deno from source). */
  executable: string;
  /** From source: the `clodputer` shim of `deno task install` for this checkout, if any. */
  shim: ShimFacts | null;
  global: GlobalConfig | Error;
  tasks: TaskEntry[];
  /** The `tasks/*.yaml` files whose names are not task names: never loaded, reported. */
  misnamed: MisnamedTaskFile[];
}

/** A check: reads the context, returns one or more results. */
export type Check = (ctx: DoctorContext) => Promise<CheckResult[]>;
