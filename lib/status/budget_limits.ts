/**
 * @module
 * The global budget's limits as `status` shows them ("$0.40 of $5 today"), without parsing
 * config.yaml on every poll: they come from config.yaml's settings kept in the task index
 * (lib/config/task_index.ts, keyed by config.yaml's stamp and HOME). A new or changed config.yaml
 * is loaded once (yaml and zod, lazily), which keeps it there. An old `budget_cache.json` (the
 * limits' own file before the index) is not read.
 */

import { lazy } from "../lazy.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import { fileStamp } from "../sys/file_stamp.ts";
import { readTaskIndex } from "../config/task_index.ts";

/** What reading the budget's limits needs. */
export interface BudgetDeps {
  paths: Paths;
  env: Env;
  clock: Clock;
}

/** The limits set in config.yaml's `budget:` (null: that one is not set). */
export interface BudgetLimits {
  daily_usd: number | null;
  monthly_usd: number | null;
}

/** The limits and what is spent against them: today (since local midnight), this month. */
export type BudgetSpent = BudgetLimits & { today_usd: number; month_usd: number };

/**
 * The budget's limits: null when config.yaml sets none (or is missing), undefined when it cannot
 * be read (it is invalid: `doctor` says why).
 */
export async function budgetLimits(deps: BudgetDeps): Promise<BudgetLimits | null | undefined> {
  const config = await fileStamp(deps.paths.config);
  if (config === undefined) return null;
  const key = { home: deps.env.get("HOME") ?? null, config };
  let global = (await readTaskIndex(deps.paths, key, deps.clock.now()))?.global;
  if (global === undefined) {
    try {
      const { loadGlobalConfig } = await lazy<typeof import("../config/load.ts")>(
        "lib/config/load.ts",
      );
      global = await loadGlobalConfig(deps.paths, deps.env);
    } catch {
      return undefined;
    }
  }
  const budget = global.budget;
  return budget?.daily_usd === undefined && budget?.monthly_usd === undefined ? null : {
    daily_usd: budget.daily_usd ?? null,
    monthly_usd: budget.monthly_usd ?? null,
  };
}
