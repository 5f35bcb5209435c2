/**
 * @module
 * Finds the run a person names (a run id, or a task for its last run): its record, or what the
 * store kept of it when `result.json` is gone or damaged. For `show`, `resume` and the web
 * dashboard's run page.
 */

import { NotFoundError } from "../errors.ts";
import { type Damaged, describeDamage } from "../log/state_file.ts";
import { readRecordChecked, recordFromSummary, type RunRecord } from "../run/record.ts";
import { isRunId } from "../run/run_id.ts";
import { openStore } from "../state/open.ts";
import type { Clock } from "../sys/clock.ts";
import { type Paths, runDir } from "../sys/paths.ts";

/** A run that has no record yet: queued (with its place) or running. */
export type PendingRun =
  | { run_id: string; task: string; state: "queued"; position: number; run_at: string | null }
  | { run_id: string; task: string; state: "running"; started_at: string; pid: number | null };

/** Run `id` when it is queued or running (it has no record until it ends), else undefined. */
export async function pendingRun(
  deps: { paths: Paths; clock: Clock },
  id: string,
): Promise<PendingRun | undefined> {
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    const running = await store.running();
    if (running?.id === id) {
      return {
        run_id: id,
        task: running.task,
        state: "running",
        started_at: running.started_at,
        pid: running.claude_pid,
      };
    }
    const queued = await store.queued();
    const at = queued.findIndex((q) => q.id === id);
    const item = queued[at];
    if (item === undefined) return undefined;
    return {
      run_id: id,
      task: item.task,
      state: "queued",
      position: at + 1,
      run_at: item.run_at ?? null,
    };
  } finally {
    store.close();
  }
}

/** A found run as `show --json` and the APIs give it: the record, and its damage if any. */
export function foundRunJson(found: FoundRun): Record<string, unknown> {
  const { record, damaged } = found;
  return damaged
    ? {
      ...record,
      damaged: { file: damaged.file, problem: damaged.problem, moved_to: damaged.movedTo },
    }
    : { ...record };
}

/** A run found for a view: its record, and the damage of its `result.json` if it had one. */
export interface FoundRun {
  record: RunRecord;
  damaged: Damaged | undefined;
}

/**
 * Finds the run `target` names (a run id, or a task's last run) for `verb` ("show", "resume"):
 * its record, or, when `result.json` is gone or damaged, what the store's summary keeps.
 * @throws {NotFoundError} when there is no such run.
 */
export async function findRunFor(
  deps: { paths: Paths; clock: Clock },
  target: string,
  verb: string,
): Promise<FoundRun> {
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    let id = target;
    if (!isRunId(target)) {
      const last = await store.lastRun(target);
      if (!last) {
        throw new NotFoundError(
          `Cannot ${verb} "${target}": it is neither a run id nor a task that has run`,
          {
            hint: "run ids look like 20261125-120000-ab12cd; see them with: clodputer status",
          },
        );
      }
      id = last;
    }
    const read = await readRecordChecked(deps.paths, runDir(deps.paths, id), deps.clock.now());
    if (read.value) return { record: read.value, damaged: undefined };
    const summary = await store.run(id);
    if (summary) return { record: recordFromSummary(summary), damaged: read.damaged };
    if (read.damaged) {
      throw new NotFoundError(`Cannot ${verb} run "${id}": ${describeDamage(read.damaged)}`, {
        hint: "the store keeps no summary of it either; see recent runs with: clodputer status",
        where: { file: read.damaged.file },
      });
    }
    throw new NotFoundError(
      `Cannot ${verb} run "${id}": it has no record in ${runDir(deps.paths, id)}`,
      { hint: "it may have been pruned; see recent runs with: clodputer status" },
    );
  } finally {
    store.close();
  }
}
