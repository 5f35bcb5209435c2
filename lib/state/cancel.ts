/**
 * @module
 * Cancelling a run (`cancel <run-id|task>`): a running one is asked to stop and waited for (its
 * runner does the full cleanup; if that runner is dead, the run is recovered here); a queued one
 * is taken out of the queue. `cancelRunning()` only asks the running run to stop, for the faces
 * that do not wait (the dashboard, the coming web dashboard).
 */

import { loadGlobalConfig } from "../config/load.ts";
import { NotFoundError } from "../errors.ts";
import { logSettings, openLog } from "../log/writer.ts";
import { readRecord, type RunRecord } from "../run/record.ts";
import { isRunId } from "../run/run_id.ts";
import type { RunDeps } from "../run/run_task.ts";
import type { Clock } from "../sys/clock.ts";
import { type Paths, runDir } from "../sys/paths.ts";
import { runnerAlive } from "./alive.ts";
import { openStore } from "./open.ts";
import { recoverLostRun } from "./recover.ts";
import { logRemoved } from "./remove.ts";
import { runEvents } from "./run_events.ts";
import type { QueueItem, RunningItem, RunSummary } from "./types.ts";

const POLL_MS = 100;

/** What cancelling did. */
export type CancelOutcome =
  /** The running run was asked to stop; its record, unless its runner has not written it yet. */
  | { kind: "stopped"; running: RunningItem; record: RunRecord | undefined }
  /** A queued run was taken out; it had not started. */
  | { kind: "removed"; item: QueueItem }
  /** The run had already ended. */
  | { kind: "ended"; summary: RunSummary };

/**
 * Cancels the run `target` names (a run id, or a task name: its running or first queued run).
 * `onCancelling` is told once a running run has been asked to stop, before the wait.
 * @throws {NotFoundError} when nothing by that name is running, queued or (by id) recorded.
 */
export async function cancelRun(
  deps: RunDeps,
  target: string,
  hooks: { onCancelling?(running: RunningItem): void } = {},
): Promise<CancelOutcome> {
  const { clock } = deps;
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const { store } = await openStore(deps.paths, clock);
  try {
    const byId = isRunId(target);
    const running = await store.running();
    if (running && (byId ? running.id === target : running.task === target)) {
      await store.requestCancel(running.id, "clodputer cancel");
      hooks.onCancelling?.(running);
      // Wait for the runner to stop it and record it; if the runner is dead, recover here.
      const deadline = clock.now() + global.grace_period * 1000 + 30_000;
      while (clock.now() < deadline) {
        const done = await store.run(running.id);
        if (done) break;
        if (!await runnerAlive(store, deps.proc, clock)) {
          const recovered = await recoverLostRun(deps, store, {
            reason: "cancelled while its runner was gone",
            graceMs: global.grace_period * 1000,
          });
          // Another process (a new runner) is recovering it: wait for its record.
          if (!recovered) {
            await clock.sleep(POLL_MS);
            continue;
          }
          const lost = await readRecord(
            deps.paths,
            runDir(deps.paths, running.id),
            deps.clock.now(),
          );
          if (lost) {
            const log = openLog(deps, { settings: logSettings(global.log) });
            for (const e of runEvents(lost)) await log.append(e).catch(() => {});
          }
          break;
        }
        await clock.sleep(POLL_MS);
      }
      const record = await readRecord(deps.paths, runDir(deps.paths, running.id), deps.clock.now());
      return { kind: "stopped", running, record };
    }
    const queued = (await store.queued()).find((q) => byId ? q.id === target : q.task === target);
    if (queued && await store.remove(queued.id)) {
      await logRemoved(deps, [queued], "cancel");
      return { kind: "removed", item: queued };
    }
    const finished = byId ? await store.run(target) : undefined;
    if (finished) return { kind: "ended", summary: finished };
    throw new NotFoundError(
      `Cannot cancel "${target}": nothing by that ${
        byId ? "run id" : "task name"
      } is running or queued`,
      {
        hint: "see what is running and queued with: clodputer queue",
      },
    );
  } finally {
    store.close();
  }
}

/** What `cancelRunning()` did. */
export type CancelRequest =
  /** The run was asked to stop: its runner stops it, cleans up and records it. */
  | { kind: "cancelling"; running: RunningItem }
  /** The run is not the running one (any more): nothing was asked. */
  | { kind: "not_running"; run_id: string };

/**
 * Asks the running run `runId` to stop, if it still runs, on behalf of `by` (kept in its
 * outcome, "clodputer dashboard"), and returns without waiting.
 */
export async function cancelRunning(
  deps: { paths: Paths; clock: Clock },
  runId: string,
  options: { by: string },
): Promise<CancelRequest> {
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    const running = await store.running();
    if (running?.id !== runId) return { kind: "not_running", run_id: runId };
    await store.requestCancel(runId, options.by);
    return { kind: "cancelling", running };
  } finally {
    store.close();
  }
}
