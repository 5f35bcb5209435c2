/**
 * @module
 * Doctor: scheduled tasks have crontab entries; watched tasks have a running watcher.
 */

import { readCrontab } from "../../schedule/crontab.ts";
import { watcherState } from "../../watch/daemon.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

/** Checks the crontab and the watcher against the tasks that need them. */
export async function checkSchedule(ctx: DoctorContext): Promise<CheckResult[]> {
  const tasks = ctx.tasks.flatMap((
    t,
  ) => ("task" in t && t.task.config.enabled ? [t.task.config] : []));
  const scheduled = tasks.filter((t) => t.schedule);
  const watched = tasks.filter((t) => t.trigger?.type === "file_watch");
  const results: CheckResult[] = [];
  if (scheduled.length > 0) {
    const names = scheduled.map((t) => t.name).join(", ");
    const crontab = await readCrontab(ctx.proc, ctx.env);
    if (crontab.state === "unavailable") {
      results.push({
        id: "crontab",
        status: "fail",
        message: `The crontab cannot be read: ${crontab.detail}`,
        fix: "install cron (crontab must be on PATH)",
      });
    } else if (crontab.state === "no entries") {
      results.push({
        id: "crontab",
        status: "warn",
        message:
          `${scheduled.length} task(s) have a schedule (${names}), but the crontab has no clodputer entries`,
        fix:
          "install crontab entries for them (clodputer install is not part of this version yet); " +
          "until then run them with clodputer run",
      });
    } else {
      const n = crontab.entries;
      results.push({
        id: "crontab",
        status: "ok",
        message: `The crontab has ${n} clodputer entr${
          n === 1 ? "y" : "ies"
        } for ${scheduled.length} scheduled task(s)`,
      });
    }
  }
  if (watched.length > 0) {
    const watcher = await watcherState(ctx.paths, ctx.proc);
    if (watcher.state === "running") {
      results.push({
        id: "watcher",
        status: "ok",
        message: `The watcher daemon is running (pid ${watcher.pid})`,
      });
    } else {
      results.push({
        id: "watcher",
        status: "warn",
        message: `${watched.length} task(s) watch folders (${
          watched.map((t) => t.name).join(", ")
        }), but the watcher daemon is not running`,
        fix:
          "start it (clodputer watch --daemon is not part of this version yet); until then run them with clodputer run",
      });
    }
  }
  return results;
}
