/**
 * @module
 * Doctor: scheduled tasks have crontab entries; watched tasks have a running watcher.
 */

import { readTextIfExists } from "../../sys/fs.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

async function crontabEntries(ctx: DoctorContext): Promise<number | string> {
  try {
    const out = await ctx.proc.output("crontab", {
      args: ["-l"],
      env: { PATH: ctx.env.get("PATH") ?? "/usr/bin:/bin", HOME: ctx.env.get("HOME") ?? "" },
    });
    if (out.code !== 0) return 0;
    return out.stdout.split("\n").filter((l) =>
      !l.trimStart().startsWith("#") && /\bclodputer\b/.test(l)
    ).length;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Checks the crontab and the watcher against the tasks that need them. */
export async function checkSchedule(ctx: DoctorContext): Promise<CheckResult[]> {
  const tasks = ctx.tasks.flatMap((
    t,
  ) => ("task" in t && t.task.config.enabled ? [t.task.config] : []));
  const scheduled = tasks.filter((t) => t.schedule);
  const watched = tasks.filter((t) => t.trigger?.type === "file_watch");
  const results: CheckResult[] = [];
  if (scheduled.length > 0) {
    const entries = await crontabEntries(ctx);
    if (typeof entries === "string") {
      results.push({
        id: "crontab",
        status: "fail",
        message: `The crontab cannot be read: ${entries}`,
        fix: "install cron (crontab must be on PATH)",
      });
    } else if (entries === 0) {
      results.push({
        id: "crontab",
        status: "warn",
        message: `${scheduled.length} task(s) have a schedule (${
          scheduled.map((t) => t.name).join(", ")
        }), but the crontab has no clodputer entries`,
        fix:
          "install crontab entries for them (clodputer install is not part of this version yet); until then run them with clodputer run",
      });
    } else {
      results.push({
        id: "crontab",
        status: "ok",
        message: `The crontab has ${entries} clodputer entr${
          entries === 1 ? "y" : "ies"
        } for ${scheduled.length} scheduled task(s)`,
      });
    }
  }
  if (watched.length > 0) {
    const pid = Number((await readTextIfExists(ctx.paths.watcherPid))?.trim());
    const info = Number.isInteger(pid) && pid > 0 ? await ctx.proc.info(pid) : undefined;
    if (!info || info.stat.startsWith("Z")) {
      results.push({
        id: "watcher",
        status: "warn",
        message: `${watched.length} task(s) watch folders (${
          watched.map((t) => t.name).join(", ")
        }), but the watcher daemon is not running`,
        fix:
          "start it (clodputer watch --daemon is not part of this version yet); until then run them with clodputer run",
      });
    } else {
      results.push({
        id: "watcher",
        status: "ok",
        message: `The watcher daemon is running (pid ${pid})`,
      });
    }
  }
  return results;
}
