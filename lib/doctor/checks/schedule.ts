/**
 * @module
 * Doctor: the scheduler is installed, current and ticking when tasks have a schedule; no
 * scheduled task missed a slot it owed (the dead-man's switch); watched tasks have a running
 * watcher.
 */

import { openStore } from "../../state/open.ts";
import {
  isItRunning,
  readScheduler,
  type SchedulerView,
  TICK_STALE_MS,
} from "../../schedule/overview.ts";
import type { OverdueAlarm } from "../../schedule/overdue_rules.ts";
import { checkOverdue } from "../../schedule/overdue_check.ts";
import { isDirectory } from "../../sys/fs.ts";
import { watcherState } from "../../watch/daemon.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

/** Checks the scheduler (installed, current, ticking) and the watcher against the tasks. */
export async function checkSchedule(ctx: DoctorContext): Promise<CheckResult[]> {
  const tasks = ctx.tasks.flatMap((
    t,
  ) => ("task" in t && t.task.config.enabled ? [t.task] : []));
  const scheduled = tasks.filter((t) => t.config.schedule).map((t) => t.name);
  const watched = tasks.filter((t) => t.config.trigger?.type === "file_watch")
    .map((t) => t.config);
  const results: CheckResult[] = [];
  results.push(...await schedulerResults(ctx, scheduled));
  if (watched.length > 0) {
    const watcher = await watcherState(ctx.paths, ctx.proc, ctx.clock.now());
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
        fix: "start it: clodputer watch --daemon (once clodputer install is done, the tick " +
          "starts it within a minute)",
      });
    }
  }
  return results;
}

async function schedulerResults(ctx: DoctorContext, scheduled: string[]): Promise<CheckResult[]> {
  // Without a home there is no store to read (the home check says so); do not create one.
  if (!(await isDirectory(ctx.paths.home))) return [];
  const { store } = await openStore(ctx.paths, ctx.clock);
  let s;
  let overdue: OverdueAlarm[];
  try {
    s = await readScheduler(ctx, store, ctx.clock.now(), { live: true });
    // Doctor shows what is overdue; raising it is for the tick and status.
    ({ overdue } = await checkOverdue(store, { nowMs: ctx.clock.now(), raise: false }));
  } finally {
    store.close();
  }
  return [
    ...installResults(ctx, s, scheduled),
    ...overdue.map((o) => overdueResult(o, { scheduler: s, cronLog: ctx.paths.cronLog })),
  ];
}

/**
 * The check of one overdue task, with the fix for the likely cause: the scheduler gone or
 * silent, the tick failing, or a slot missed while the machine slept (`catch_up: skip`). Pure.
 */
export function overdueResult(
  alarm: OverdueAlarm,
  options: { scheduler: SchedulerView; cronLog: string },
): CheckResult {
  const s = options.scheduler;
  const tick = s.last_tick;
  const runNow = `run it now: clodputer run ${alarm.task}`;
  let fix: string;
  if (s.backend === null) {
    fix =
      `the scheduler is not installed (was the crontab replaced?): run clodputer install; ${runNow}`;
  } else if (s.stale.length > 0) {
    fix = `the ${s.backend} entry is stale (${
      s.stale.join("; ")
    }): run clodputer install; ${runNow}`;
  } else if (s.inactive) {
    fix = `${s.inactive}: run clodputer install --systemd; ${runNow}`;
  } else if (!tick || (s.tick_age_ms ?? 0) > TICK_STALE_MS) {
    fix = `the scheduler is not ticking: ${
      isItRunning(s.backend)
    }? run clodputer install, then read ${options.cronLog}; ${runNow}`;
  } else if (!tick.ok) {
    fix = `the last tick failed: ${tick.message}; read ${options.cronLog} and try ` +
      `clodputer tick --verbose; ${runNow}`;
  } else if (s.late.some((l) => l.task === alarm.task)) {
    fix = "the slot was missed while the machine slept or was off (catch_up: skip): set " +
      `catch_up: run_once in the task to run missed slots on wake; ${runNow}`;
  } else {
    fix = `read clodputer logs --task ${alarm.task} and ${options.cronLog}; ${runNow}`;
  }
  return { id: `overdue:${alarm.task}`, status: "fail", message: alarm.message, fix };
}

function installResults(
  ctx: DoctorContext,
  s: SchedulerView,
  scheduled: string[],
): CheckResult[] {
  const results: CheckResult[] = [];
  const names = scheduled.join(", ");
  if (s.unavailable && s.backend === null) {
    if (scheduled.length > 0) {
      results.push({
        id: "scheduler",
        status: "fail",
        message: `The crontab cannot be read: ${s.unavailable}`,
        fix: ctx.os === "darwin"
          ? "use a LaunchAgent instead: clodputer install --launchd"
          : "use a systemd user timer: clodputer install --systemd (or install cron: " +
            "Debian/Ubuntu: sudo apt install cron, then: clodputer install)",
      });
    }
    return results;
  }
  if (s.backend === null) {
    if (scheduled.length > 0) {
      results.push({
        id: "scheduler",
        status: "warn",
        message: `${scheduled.length} task(s) have a schedule (${names}), but the scheduler is ` +
          "not installed: they run only by hand",
        fix: `run: clodputer install${ctx.os === "darwin" ? " (or --launchd)" : " (or --systemd)"}`,
      });
    }
  } else if (s.stale.length > 0) {
    results.push({
      id: "scheduler",
      status: "fail",
      message: `The ${s.backend} entry is stale: ${s.stale.join("; ")}`,
      fix: `run: clodputer install${
        s.backend === "systemd" ? " --systemd" : s.backend === "launchd" ? " --launchd" : ""
      } (it rewrites the entry for this clodputer and this home)`,
    });
  } else if (s.inactive) {
    results.push({
      id: "scheduler",
      status: "fail",
      message: `The systemd units are current, but ${s.inactive}`,
      fix: "run: clodputer install --systemd (it enables and starts the timer); if it stops " +
        "when you log out, turn on lingering: loginctl enable-linger",
    });
  } else {
    results.push({
      id: "scheduler",
      status: "ok",
      message: `The ${s.backend} entry calls tick every minute for ${scheduled.length} ` +
        `scheduled task(s)${scheduled.length > 0 ? ` (${names})` : ""}`,
    });
  }
  if (s.backend !== null) {
    const tick = s.last_tick;
    const age = s.tick_age_ms ?? 0;
    const where = s.backend === "launchd"
      ? "launchctl print gui/$(id -u)/dev.clodputer.tick"
      : s.backend === "systemd"
      ? "systemctl --user list-timers clodputer-tick.timer"
      : "crontab -l";
    if (!tick) {
      results.push({
        id: "scheduler:tick",
        status: "warn",
        message: "The scheduler has not ticked yet",
        fix: `wait a minute; if it still has not, check that ${
          s.backend === "launchd"
            ? "the LaunchAgent is loaded"
            : s.backend === "systemd"
            ? "the timer is active"
            : "cron is running"
        } and the entry is there (${where}), and read ${ctx.paths.cronLog}`,
      });
    } else if (age > TICK_STALE_MS) {
      results.push({
        id: "scheduler:tick",
        status: "fail",
        message: `No tick for ${Math.round(age / 60_000)} min (last at ${tick.at})`,
        fix: `${isItRunning(s.backend)}? is the entry there (${where})? read ${ctx.paths.cronLog}`,
      });
    } else if (!tick.ok) {
      results.push({
        id: "scheduler:tick",
        status: "fail",
        message: `The last tick failed: ${tick.message}`,
        fix: `read ${ctx.paths.cronLog}; try it by hand: clodputer tick --verbose`,
      });
    } else {
      results.push({
        id: "scheduler:tick",
        status: "ok",
        message: `The scheduler last ticked ${Math.round(age / 1000)} s ago`,
      });
    }
  }
  if (s.others > 0) {
    results.push({
      id: "scheduler:others",
      status: "warn",
      message: `${s.others} other crontab line(s) call clodputer outside its section`,
      fix: "remove them with crontab -e if they are from an older install (tick runs every task)",
    });
  }
  return results;
}
