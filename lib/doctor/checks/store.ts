/**
 * @module
 * Doctor: the state store opens and is consistent; no stale runner lease; damaged files kept.
 */

import { readRunnerLease } from "../../state/alive.ts";
import { movedAsideStores, openStore } from "../../state/open.ts";
import { isDirectory } from "../../sys/fs.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

/** Checks state.kv. */
export async function checkStore(ctx: DoctorContext): Promise<CheckResult[]> {
  // Without a home there is no store to check (the home check says so); do not create one.
  if (!(await isDirectory(ctx.paths.home))) return [];
  const results: CheckResult[] = [];
  const { store, movedAside } = await openStore(ctx.paths, ctx.clock);
  try {
    if (movedAside) {
      results.push({
        id: "store",
        status: "warn",
        message:
          `state.kv could not be read; it was moved to ${movedAside} and a fresh store started`,
        fix: "the queue and run history start over; the old file is kept for inspection",
      });
    }
    const lease = await readRunnerLease(store, ctx.proc, ctx.clock);
    const running = await store.running();
    const queued = await store.queued();
    let problem = false;
    if (lease) {
      if (!lease.live) {
        problem = true;
        results.push({
          id: "store:lease",
          status: "fail",
          message: `Stale runner lease: ${lease.reason}${
            running ? `, and ${running.task} (${running.id}) is still marked running` : ""
          }`,
          fix:
            "the next clodputer run takes it over, records that run as lost and kills its leftovers; to do it now: clodputer run <any task>",
        });
      }
    } else if (running) {
      problem = true;
      results.push({
        id: "store:running",
        status: "fail",
        message: `${running.task} (${running.id}) is marked running but no runner holds the lease`,
        fix: "the next clodputer run records it as lost; to do it now: clodputer run <any task>",
      });
    }
    if (!problem) {
      results.push({
        id: "store",
        status: "ok",
        message: `State store opens: ${queued.length} queued, ${
          running ? `running ${running.task}` : "nothing running"
        }`,
      });
    }
  } finally {
    store.close();
  }
  for (const file of await movedAsideStores(ctx.paths)) {
    if (file === undefined) continue;
    results.push({
      id: "store:aside",
      status: "warn",
      message: `A damaged state store was moved aside: ${file}`,
      fix: `inspect it, then delete it when you no longer need it: rm ${file}*`,
    });
  }
  return results;
}
