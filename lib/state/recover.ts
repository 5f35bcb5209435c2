/**
 * @module
 * Recovery from a dead runner, in one place: its running item becomes a `lost` run with the
 * reason, and that run's leftover processes are killed by their mark.
 */

import { cleanupRun } from "../run/cleanup.ts";
import { buildRecord, emptyExecution, saveRecord } from "../run/record.ts";
import type { Clock } from "../sys/clock.ts";
import { ensureDir } from "../sys/fs.ts";
import { type Paths, runDir } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import type { Store } from "./store.ts";
import type { RunSummary } from "./types.ts";

/** The seams recovery needs. */
export interface RecoverDeps {
  proc: Proc;
  clock: Clock;
  paths: Paths;
  selfPid: number;
}

/**
 * Records the dead runner's running item as lost and kills its processes. Returns the summary of
 * the lost run, or undefined when nothing was running or another process is recovering it.
 */
export async function recoverLostRun(
  deps: RecoverDeps,
  store: Store,
  options: { reason: string; graceMs: number },
): Promise<RunSummary | undefined> {
  // Claimed first, atomically: of a runner and `cancel` recovering at once, one finishes it.
  const running = await store.claimRecovery(
    { pid: deps.selfPid, at: new Date(deps.clock.now()).toISOString() },
    async (pid) => pid !== deps.selfPid && (await deps.proc.info(pid)) === undefined,
  );
  if (!running) return undefined;
  const cleanup = await cleanupRun(deps, {
    rootPid: null, // the old claude pid may belong to someone else by now: the mark decides
    runId: running.id,
    graceMs: options.graceMs,
    selfPid: deps.selfPid,
  });
  const now = deps.clock.now();
  const startedMs = Date.parse(running.started_at);
  const execution = emptyExecution(
    { kind: "lost", reason: options.reason },
    { startedMs, endedMs: now },
    { pid: running.claude_pid, cleanup },
  );
  const record = buildRecord({
    id: running.id,
    task: running.task,
    trigger: running.trigger,
    command: running.started?.command ?? "claude",
    argv: running.started?.argv ?? [],
    promptFile: running.started?.prompt_file ?? null,
    cwd: running.started?.cwd ?? null,
    execution,
  });
  const dir = runDir(deps.paths, running.id);
  await ensureDir(dir);
  await saveRecord(dir, record);
  const summary: RunSummary = {
    id: running.id,
    task: running.task,
    status: "lost",
    outcome: record.outcome,
    trigger: running.trigger,
    enqueued_at: running.enqueued_at,
    started_at: running.started_at,
    ended_at: record.ended_at,
    duration_ms: record.duration_ms,
    cost_usd: null,
    session_id: null,
  };
  await store.finish(summary);
  return summary;
}
