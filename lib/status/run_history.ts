/**
 * @module
 * A page of the run history, newest first: every task's runs or one task's, before a run or a
 * time. What the web dashboard's `GET /api/runs` lists. Read through the store's indexes (by start
 * time, and by task and start time), so a page costs what it shows, not how many runs are kept.
 */

import { NotFoundError, UsageError } from "../errors.ts";
import { isRunId } from "../run/run_id.ts";
import { openStore } from "../state/open.ts";
import type { RunSummary } from "../state/types.ts";
import type { Clock } from "../sys/clock.ts";
import type { Paths } from "../sys/paths.ts";

/** Which page: one task's runs (null: all), how many, and before which run id or ISO time. */
export interface RunHistoryQuery {
  task: string | null;
  limit: number;
  /** A run id (the runs older than it) or an ISO time (the runs started before it); null: the newest. */
  before: string | null;
}

/** A page of runs, and the `before` that gives the next (older) page; null when there is none. */
export interface RunHistoryPage {
  runs: RunSummary[];
  next_before: string | null;
}

/**
 * A page of the run history.
 * @throws {NotFoundError} when `before` is a run id the store does not know.
 * @throws {UsageError} when `before` is neither a run id nor a time.
 */
export async function runHistory(
  deps: { paths: Paths; clock: Clock },
  query: RunHistoryQuery,
): Promise<RunHistoryPage> {
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    let cursor: { started_at: string; id: string } | undefined;
    const before = query.before;
    if (before !== null && isRunId(before)) {
      const mark = await store.run(before);
      if (!mark) {
        throw new NotFoundError(`There is no run "${before}" to page from`, {
          hint: "give before= a run id from the list, or an ISO time",
        });
      }
      cursor = { started_at: mark.started_at, id: mark.id };
    } else if (before !== null) {
      const ms = Date.parse(before);
      if (Number.isNaN(ms)) {
        throw new UsageError(`before= must be a run id or an ISO time, not "${before}"`, {
          hint: "e.g. before=20261125-090000-7k2q9x or before=2026-11-25T09:00:00Z",
        });
      }
      // "" sorts before every id: the runs started strictly before the time.
      cursor = { started_at: new Date(ms).toISOString(), id: "" };
    }
    const got = await store.taskRuns(query.task, { limit: query.limit + 1, before: cursor });
    const runs = got.slice(0, query.limit);
    const last = runs.at(-1);
    return { runs, next_before: got.length > query.limit && last ? last.id : null };
  } finally {
    store.close();
  }
}
