/**
 * @module
 * A page of the run history, newest first: every task's runs or one task's, before a run or a
 * time. What the web dashboard's `GET /api/runs` and its task page list. Read from the store's
 * summaries; the signature stays when an index answers it.
 */

import { NotFoundError } from "../errors.ts";
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

/** Newest first: by start time, then by id. */
function newer(a: RunSummary, b: RunSummary): number {
  if (a.started_at !== b.started_at) return a.started_at < b.started_at ? 1 : -1;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

/**
 * A page of the run history.
 * @throws {NotFoundError} when `before` is a run id the store does not know.
 */
export async function runHistory(
  deps: { paths: Paths; clock: Clock },
  query: RunHistoryQuery,
): Promise<RunHistoryPage> {
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    let all = await store.runs(query.task === null ? {} : { task: query.task });
    all = [...all].sort(newer);
    const before = query.before;
    if (before !== null) {
      if (isRunId(before)) {
        const mark = all.find((r) => r.id === before) ?? await store.run(before);
        if (!mark) {
          throw new NotFoundError(`There is no run "${before}" to page from`, {
            hint: "give before= a run id from the list, or an ISO time",
          });
        }
        all = all.filter((r) => newer(r, mark) > 0);
      } else {
        const ms = Date.parse(before);
        all = all.filter((r) => Date.parse(r.started_at) < ms);
      }
    }
    const runs = all.slice(0, query.limit);
    const last = runs.at(-1);
    return { runs, next_before: all.length > query.limit && last ? last.id : null };
  } finally {
    store.close();
  }
}
