/**
 * @module
 * The global budget's limits as `status` shows them ("$0.40 of $5 today"), without parsing
 * config.yaml on every poll: they are kept in `$CLODPUTER_HOME/budget_cache.json` with
 * config.yaml's stamp (the list cache's). A new or changed config.yaml is loaded once (yaml and
 * zod, lazily) and the file rewritten. Losing or breaking the file costs only time (a damaged one
 * is moved aside: lib/log/state_file.ts).
 */

import { lazy } from "../lazy.ts";
import { join } from "../sys/posix_path.ts";
import { writeFileAtomic } from "../sys/fs.ts";
import {
  checkFields,
  isNumber,
  isRecord,
  readStateFile,
  type StateShape,
} from "../log/state_file.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
// A known exception to the layers (tests/layers_test.ts): the file stamp lives in lib/cli until
// it moves below the faces.
import { type FileStamp, fileStamp, sameStamp } from "../sys/file_stamp.ts";

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

interface Cached {
  config: FileStamp;
  limits: BudgetLimits | null;
}

function cacheFile(deps: BudgetDeps): string {
  return join(deps.paths.home, "budget_cache.json");
}

/**
 * The budget's limits: null when config.yaml sets none (or is missing), undefined when it cannot
 * be read (it is invalid: `doctor` says why).
 */
export async function budgetLimits(deps: BudgetDeps): Promise<BudgetLimits | null | undefined> {
  const stamp = await fileStamp(deps.paths.config);
  if (stamp === undefined) return null;
  const cached = await readCache(deps);
  if (cached !== undefined && sameStamp(cached.config, stamp)) return cached.limits;
  let limits: BudgetLimits | null;
  try {
    const { loadGlobalConfig } = await lazy<typeof import("../config/load.ts")>(
      "lib/config/load.ts",
    );
    const budget = (await loadGlobalConfig(deps.paths, deps.env)).budget;
    limits = budget?.daily_usd === undefined && budget?.monthly_usd === undefined ? null : {
      daily_usd: budget.daily_usd ?? null,
      monthly_usd: budget.monthly_usd ?? null,
    };
  } catch {
    return undefined;
  }
  // Kept only when config.yaml did not change while it was read.
  if (sameStamp(await fileStamp(deps.paths.config), stamp)) {
    const entry: Cached = { config: stamp, limits };
    // Whole or not at all: a reader never sees half of it (and takes it for damaged).
    await writeFileAtomic(`${cacheFile(deps)}`, JSON.stringify(entry) + "\n").catch(() => {});
  }
  return limits;
}

const isUsdOrNull = (v: unknown) => v === null || isNumber(v);

/** What `budget_cache.json` holds: config.yaml's stamp and the limits (null: none set). */
const BUDGET_CACHE_SHAPE: StateShape<Cached> = {
  check: (v) =>
    checkFields(v, {
      config: [
        (c) =>
          checkFields(c, {
            mtime: [isNumber, "a number"],
            size: [isNumber, "a number"],
            ino: [isNumber, "a number"],
            ctime: [isNumber, "a number"],
          }) === undefined,
        "a file stamp",
      ],
      limits: [
        (l) =>
          l === null || (isRecord(l) && isUsdOrNull(l.daily_usd) && isUsdOrNull(l.monthly_usd)),
        "an object with daily_usd and monthly_usd, or null",
      ],
    }),
};

async function readCache(deps: BudgetDeps): Promise<Cached | undefined> {
  const read = await readStateFile(
    deps.paths,
    cacheFile(deps),
    BUDGET_CACHE_SHAPE,
    deps.clock.now(),
  );
  return read.value;
}
