/**
 * @module
 * `clodputer tick`: what the crontab entry (or LaunchAgent) runs every minute. Queues every
 * scheduled task with a slot due, records a heartbeat, and unless a runner is alive starts one,
 * detached (`tick --runner`), and exits. Prints nothing on success (cron mails whatever a job prints); problems go to the
 * execution log and to `cron.log`.
 */

import { join } from "../sys/posix_path.ts";
import { ClodputerError } from "../errors.ts";
import { logSettings, openLog } from "../log/writer.ts";
import { openStore } from "../state/open.ts";
import { AUTH_CANARY_MS, holdInForce, isDue, type Store } from "../state/store.ts";
import { tick, type TickReport } from "../schedule/tick.ts";
import { type OverdueHook, raiseOverdue } from "../schedule/overdue_check.ts";
import type { Paths } from "../sys/paths.ts";
import type { Deps } from "./deps.ts";
import { lazy } from "../lazy.ts";
import { overdueNotifier } from "../notify/overdue_notifier.ts";

/** Options of `tick`. */
export interface TickOptions {
  /** Run the queue after queueing (default); `--no-run` only queues. */
  run: boolean;
  /**
   * Run the queue in this process (`--runner`). Without it the tick hands the queue to a runner
   * it starts detached (`tick --runner`) and exits at once, so the next minute's tick is never
   * held up by a long run: launchd does not start a job again while it still runs.
   */
  runner?: boolean | undefined;
  /** Print what the tick did (for people trying it by hand). */
  verbose: boolean;
  /** Told of each overdue slot when it is first raised (the notifications module). */
  onOverdue?: OverdueHook | undefined;
}

/** The paths of `cron.log`, rotated into `archive/cron/` with the execution log's rules. */
export function cronLogPaths(paths: Paths): Paths {
  return { ...paths, log: paths.cronLog, archive: join(paths.archive, "cron") };
}

/** `tick`. */
export async function tickCommand(deps: Deps, options: TickOptions): Promise<number> {
  const { clock, paths } = deps;
  const { store, movedAside } = await openStore(paths, clock);
  let settings = logSettings();
  const cronLog = () => openLog({ ...deps, paths: cronLogPaths(paths) }, { settings });
  try {
    // The last tick before this one: the dead-man's switch names it in its alarms.
    const previous = (await store.tickBeat())?.at ?? null;
    const deadman = async () =>
      (await raiseOverdue(store, {
        nowMs: clock.now(),
        lastTick: previous,
        notify: options.onOverdue ?? overdueNotifier(deps),
      })).events;
    let report: TickReport;
    try {
      report = await tick(deps, store);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      await beat(deps, store, false, message, 0);
      await cronLog().append({ event: "tick_failed", error: message }).catch(() => {});
      // A failing tick is one of the causes the switch is for: it still raises what is overdue.
      try {
        const alarms = await deadman();
        const log = openLog(deps, { settings });
        for (const e of alarms) {
          await log.append(e);
          await cronLog().append(e);
        }
      } catch {
        // the tick's own error is the one to report
      }
      throw error;
    }
    report.events.push(...await deadman());
    const problems = report.events.filter((e) => e.event !== "task_queued");
    // Keep the watcher alive: started again within a minute of a crash or a reboot.
    if (report.needsWatcher) {
      const { startWatcher, watcherState } = await lazy<typeof import("../watch/daemon.ts")>(
        "lib/watch/daemon.ts",
      );
      const state = await watcherState(paths, deps.proc, clock.now());
      if (state.state !== "running") {
        try {
          const pid = startWatcher(deps);
          report.events.push({ event: "watcher_started", pid, by: "tick" });
        } catch (error) {
          // The schedule still runs; the failure is reported where a person looks.
          const message = error instanceof Error ? error.message : String(error);
          report.events.push({ event: "watcher_start_failed", error: message });
          problems.push({ event: "watcher_start_failed", error: message });
        }
      }
    }
    if (movedAside) {
      problems.push({ event: "store_moved_aside", path: movedAside });
    }
    await beat(deps, store, true, summary(report), report.queued.length);

    // Items waiting for their time (a retry's backoff, a usage limit) are left for a later tick.
    const queue = (await store.queued()).filter((q) => isDue(q, clock.now()));
    if (report.events.length === 0 && problems.length === 0 && queue.length === 0) {
      if (options.verbose) deps.out.line("tick: nothing due");
      return 0;
    }
    // Only now is the global config needed (log limits, the runner's settings).
    const { loadGlobalConfig } = await lazy<typeof import("../config/load.ts")>(
      "lib/config/load.ts",
    );
    let global;
    try {
      global = await loadGlobalConfig(paths, deps.env);
      settings = logSettings(global.log);
    } catch (error) {
      if (!(error instanceof ClodputerError)) throw error;
      await beat(deps, store, false, error.message, report.queued.length);
      await cronLog().append({ event: "config_error", file: paths.config, error: error.message });
      throw error;
    }
    const log = openLog(deps, { settings });
    for (const e of report.events) await log.append(e);
    for (const e of problems) await cronLog().append(e);
    if (options.verbose) {
      for (const item of report.queued) {
        const why = item.trigger.type === "schedule"
          ? `for ${item.trigger.slot}`
          : `(every ${item.trigger.seconds} s)`;
        deps.out.line(`queued ${item.task} ${why} as ${item.id}`);
      }
      for (const e of problems) deps.out.line(`${e.event}: ${JSON.stringify(e)}`);
    }
    if (!options.run || queue.length === 0) return 0;

    // Lost credentials hold the queue: one run tries at most every 10 minutes (the canary); its
    // success releases the hold.
    let canary: string | undefined;
    const hold = holdInForce(await store.hold(), clock.now());
    if (hold?.kind === "auth") {
      if (clock.now() - Date.parse(hold.last_try ?? hold.since) < AUTH_CANARY_MS) return 0;
    }
    if (!options.runner) {
      // The tick stays short: a runner of its own, detached, runs the queue (unless one is alive).
      const { startRunner } = await lazy<typeof import("../state/start_runner.ts")>(
        "lib/state/start_runner.ts",
      );
      const pid = await startRunner(deps, store);
      if (pid !== undefined) await log.append({ event: "runner_started", pid, by: "tick" });
      if (options.verbose) {
        deps.out.line(
          pid === undefined
            ? "a runner is alive: it runs the queue"
            : `started a runner (pid ${pid}): it runs the queue`,
        );
      }
      return 0;
    }
    if (hold?.kind === "auth") {
      canary = (queue.find((q) => q.task === hold.task) ?? queue[0])?.id;
      await store.setHold({ ...hold, last_try: new Date(clock.now()).toISOString() });
      await log.append({ event: "auth_canary", run_id: canary, task: hold.task });
      if (options.verbose) {
        deps.out.line(`the queue is held (claude cannot log in): trying ${canary}`);
      }
    }

    const stop = new AbortController();
    const removeSignal = deps.onSignal((signal) => stop.abort(signal));
    try {
      // The runner (and the task loader it needs) is loaded only when there is a queue to run.
      const { runQueue } = await lazy<typeof import("../state/run_or_follow.ts")>(
        "lib/state/run_or_follow.ts",
      );
      const ran = await runQueue(deps, store, { global, stop: stop.signal, log, canary });
      if (options.verbose) {
        deps.out.line(
          ran === "busy"
            ? "a runner is alive: it runs the queue"
            : `ran ${ran.length} task${ran.length === 1 ? "" : "s"}`,
        );
      }
    } finally {
      removeSignal();
    }
    return 0;
  } finally {
    store.close();
  }
}

function summary(report: TickReport): string {
  const parts = [`${report.queued.length} queued`];
  if (report.late.length > 0) {
    const missed = report.late.reduce((n, l) => n + l.missed, 0);
    const more = report.late.some((l) => l.more) ? "+" : "";
    parts.push(`${report.late.reduce((n, l) => n + l.late, 0)} late slots`);
    parts.push(`${missed}${more} slots not run`);
  }
  if (report.errors.length > 0) parts.push(`${report.errors.length} invalid task files`);
  return parts.join(", ");
}

async function beat(
  deps: Deps,
  store: Store,
  ok: boolean,
  message: string,
  queued: number,
): Promise<void> {
  await store.setTickBeat({
    at: new Date(deps.clock.now()).toISOString(),
    ok,
    message,
    pid: deps.selfPid,
    queued,
  });
}
