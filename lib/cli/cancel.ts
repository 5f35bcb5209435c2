/**
 * @module
 * `clodputer cancel <run-id|task>`: stops a running task with the full cleanup, or takes a queued
 * one out of the queue (lib/state/cancel.ts), and says what it did.
 */

import { describeOutcome } from "../run/describe.ts";
import { cancelRun } from "../state/cancel.ts";
import { runDir } from "../sys/paths.ts";
import { runSummary } from "../ui/run_view.ts";
import type { Deps } from "./deps.ts";

/** Cancels; returns the exit code. */
export async function cancelCommand(
  deps: Deps,
  target: string,
  options: { json: boolean },
): Promise<number> {
  const { out } = deps;
  const done = await cancelRun(deps, target, {
    onCancelling: (running) => {
      if (!options.json) out.error(`cancelling ${running.task} (${running.id})…`);
    },
  });
  switch (done.kind) {
    case "stopped": {
      const { running, record } = done;
      if (!record) {
        out.error(
          `${running.task} (${running.id}) was asked to stop, but its runner has not recorded it yet`,
        );
        return 1;
      }
      if (options.json) out.json(record);
      else {
        for (
          const line of runSummary(record, {
            color: out.color,
            runDir: runDir(deps.paths, record.id),
          })
        ) out.line(line);
      }
      return 0;
    }
    case "removed": {
      const queued = done.item;
      if (options.json) out.json({ removed: queued });
      else out.line(`removed ${queued.task} (${queued.id}) from the queue; it had not started`);
      return 0;
    }
    case "ended": {
      const finished = done.summary;
      out.line(
        `${finished.task} (${finished.id}) already ended: ${describeOutcome(finished.outcome)}`,
      );
      return 0;
    }
  }
}
