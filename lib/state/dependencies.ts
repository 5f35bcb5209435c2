/**
 * @module
 * `depends_on` when an item is taken: reads each dependency's last run from the store, and
 * records a run whose dependencies are not met as skipped.
 */

import { dependencyVerdict } from "../config/depends.ts";
import type { Dependency } from "../config/types.ts";
import {
  buildRecord,
  emptyExecution,
  type RunRecord,
  saveRecord,
  type Trigger,
} from "../run/record.ts";
import { ensureDir } from "../sys/fs.ts";
import { type Paths, runDir } from "../sys/paths.ts";
import type { Clock } from "../sys/clock.ts";
import type { Store } from "./store.ts";

/** Why the dependencies are not met (each unmet one, joined), or undefined when they all are. */
export async function unmetDependencies(
  store: Store,
  dependencies: readonly Dependency[],
  nowMs: number,
): Promise<string | undefined> {
  const reasons: string[] = [];
  for (const dep of dependencies) {
    const id = dep.condition === "always" ? undefined : await store.lastRun(dep.task);
    const last = id === undefined ? undefined : await store.run(id);
    const verdict = dependencyVerdict(dep, last, nowMs);
    if (!verdict.met) reasons.push(verdict.reason);
  }
  return reasons.length === 0 ? undefined : reasons.join("; ");
}

/** Records (and saves) a run that never started because its dependencies were not met. */
export async function recordSkipped(
  deps: { clock: Clock; paths: Paths },
  input: { runId: string; task: string; trigger: Trigger; reason: string },
): Promise<RunRecord> {
  const dir = runDir(deps.paths, input.runId);
  await ensureDir(dir);
  const now = deps.clock.now();
  const record = buildRecord({
    id: input.runId,
    task: input.task,
    trigger: input.trigger,
    command: "claude",
    argv: [],
    cwd: null,
    execution: emptyExecution({ kind: "skipped", reason: input.reason }, {
      startedMs: now,
      endedMs: now,
    }),
  });
  await saveRecord(dir, record);
  return record;
}
