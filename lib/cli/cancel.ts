/**
 * @module
 * `clodputer cancel <run-id|task>`: stops a running task with the full cleanup, or takes a queued
 * one out of the queue.
 */

import { NotFoundError } from "../errors.ts";
import { openStore } from "../queue/open.ts";
import { runnerAlive } from "../queue/alive.ts";
import { recoverLostRun } from "../queue/recover.ts";
import { runEvents } from "../queue/runner.ts";
import { EventLog } from "../log/writer.ts";
import { secretEnvValues } from "../log/redact.ts";
import { logRemoved } from "./queue.ts";
import { loadGlobalConfig } from "../config/load.ts";
import { readRecord } from "../run/record.ts";
import { isRunId } from "../run/run_id.ts";
import { runDir } from "../sys/paths.ts";
import { describeOutcome, runSummary } from "../ui/run_view.ts";
import type { Deps } from "./deps.ts";

const POLL_MS = 100;

/** Cancels; returns the exit code. */
export async function cancelCommand(
  deps: Deps,
  target: string,
  options: { json: boolean },
): Promise<number> {
  const { out, clock } = deps;
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const { store } = await openStore(deps.paths, clock);
  try {
    const byId = isRunId(target);
    const running = await store.running();
    if (running && (byId ? running.id === target : running.task === target)) {
      await store.requestCancel(running.id, "clodputer cancel");
      if (!options.json) out.error(`cancelling ${running.task} (${running.id})…`);
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
            const log = new EventLog(deps.paths, clock, {
              maxBytes: global.log.max_bytes,
              keepMonths: global.log.keep_months,
            }, secretEnvValues(deps.env.toObject()));
            for (const e of runEvents(lost)) await log.append(e).catch(() => {});
          }
          break;
        }
        await clock.sleep(POLL_MS);
      }
      const record = await readRecord(deps.paths, runDir(deps.paths, running.id), deps.clock.now());
      if (!record) {
        out.error(
          `${running.task} (${running.id}) was asked to stop, but its runner has not recorded it yet`,
        );
        return 1;
      }
      if (options.json) out.json(record);
      else {for (
          const line of runSummary(record, {
            color: out.color,
            runDir: runDir(deps.paths, record.id),
          })
        ) out.line(line);}
      return 0;
    }
    const queued = (await store.queued()).find((q) => byId ? q.id === target : q.task === target);
    if (queued && await store.remove(queued.id)) {
      await logRemoved(deps, [queued], "cancel");
      if (options.json) out.json({ removed: queued });
      else out.line(`removed ${queued.task} (${queued.id}) from the queue; it had not started`);
      return 0;
    }
    const finished = byId ? await store.run(target) : undefined;
    if (finished) {
      out.line(
        `${finished.task} (${finished.id}) already ended: ${describeOutcome(finished.outcome)}`,
      );
      return 0;
    }
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
