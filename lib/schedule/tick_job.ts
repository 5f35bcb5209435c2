/**
 * @module
 * What the crontab entry (or LaunchAgent) runs every minute, as one domain step: the tick
 * (tick.ts: claim due slots, queue runs), the heartbeat, the dead-man's switch (overdue alarms
 * raised even when the tick itself fails), keeping the watcher alive, and then the queue: handed
 * to a detached runner (`tick --runner`) unless one is alive, or, as that runner, run here
 * (trying the auth canary first under an auth hold). Problems go to the execution log and to
 * `cron.log`; `tick` (lib/cli/tick.ts) only says what this returns.
 */

import { ClodputerError } from "../errors.ts";
import { lazy } from "../lazy.ts";
import { logSettings, openLog } from "../log/writer.ts";
import { overdueNotifier } from "../notify/overdue_notifier.ts";
import type { RunDeps } from "../run/run_task.ts";
import { openStore } from "../state/open.ts";
import { AUTH_CANARY_MS, holdInForce, isDue, type Store } from "../state/store.ts";
import type { QueueItem } from "../state/types.ts";
import { join } from "../sys/posix_path.ts";
import type { Paths } from "../sys/paths.ts";
import type { TerminationSignal } from "../sys/signals.ts";
import { type OverdueHook, raiseOverdue } from "./overdue_check.ts";
import { tick, type TickReport } from "./tick.ts";

/** What the minute's job may touch. */
export interface TickJobDeps extends RunDeps {
  /** Registers a handler for SIGINT, SIGTERM and SIGHUP; returns a function that removes it. */
  onSignal(handler: (signal: TerminationSignal) => void): () => void;
}

/** Options of `tickJob`. */
export interface TickJobOptions {
  /** Run the queue after queueing (default); false only queues. */
  run: boolean;
  /**
   * Run the queue in this process (`tick --runner`). Without it the tick hands the queue to a
   * runner it starts detached and returns at once, so the next minute's tick is never held up by
   * a long run: launchd does not start a job again while it still runs.
   */
  runner?: boolean | undefined;
  /** Told of each overdue slot when it is first raised (default: the configured channels). */
  onOverdue?: OverdueHook | undefined;
}

/** An execution-log event. */
export type TickEvent = { event: string; [key: string]: unknown };

/** What became of the queue after the tick. */
export type QueueOutcome =
  /** Nothing due, or `run: false`. */
  | { kind: "left" }
  /** Lost credentials hold the queue and the canary tried less than 10 minutes ago. */
  | { kind: "held" }
  /** A runner is alive: it runs the queue. */
  | { kind: "runner_alive" }
  /** A runner was started, detached. */
  | { kind: "runner_started"; pid: number }
  /** This process ran the queue (`runner`): `ran` runs, or "busy" when a live runner had it. */
  | { kind: "ran"; ran: number | "busy"; canary: string | undefined };

/** What the minute's job did. */
export interface TickJobResult {
  /** Nothing was queued, raised or wrong, and nothing due waits. */
  nothingDue: boolean;
  /** The runs queued by this tick. */
  queued: QueueItem[];
  /** What went to `cron.log`: everything but queued runs. */
  problems: TickEvent[];
  /** What else the tick did, not a problem: the watcher it started. */
  done: TickEvent[];
  queue: QueueOutcome;
}

/** The paths of `cron.log`, rotated into `archive/cron/` with the execution log's rules. */
export function cronLogPaths(paths: Paths): Paths {
  return { ...paths, log: paths.cronLog, archive: join(paths.archive, "cron") };
}

/**
 * One minute's job. Throws (after logging it to `cron.log` and raising what is overdue) when the
 * tick fails or config.yaml is broken.
 */
export async function tickJob(deps: TickJobDeps, options: TickJobOptions): Promise<TickJobResult> {
  const { clock, paths } = deps;
  const { store, movedAside } = await openStore(paths, clock);
  const beat = options.runner ? () => Promise.resolve() : heartbeat;
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
    const result = (queueOutcome: QueueOutcome): TickJobResult => ({
      nothingDue: report.events.length === 0 && problems.length === 0 && queue.length === 0,
      queued: report.queued,
      problems,
      done: report.events.filter((e) => e.event === "watcher_started"),
      queue: queueOutcome,
    });
    if (report.events.length === 0 && problems.length === 0 && queue.length === 0) {
      return result({ kind: "left" });
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
    if (!options.run || queue.length === 0) return result({ kind: "left" });

    // Lost credentials hold the queue: one run tries at most every 10 minutes (the canary); its
    // success releases the hold.
    let canary: string | undefined;
    const hold = holdInForce(await store.hold(), clock.now());
    if (hold?.kind === "auth") {
      if (clock.now() - Date.parse(hold.last_try ?? hold.since) < AUTH_CANARY_MS) {
        return result({ kind: "held" });
      }
    }
    if (!options.runner) {
      // The tick stays short: a runner of its own, detached, runs the queue (unless one is alive).
      const { startRunner } = await lazy<typeof import("../state/start_runner.ts")>(
        "lib/state/start_runner.ts",
      );
      const pid = await startRunner(deps, store);
      if (pid === undefined) return result({ kind: "runner_alive" });
      await log.append({ event: "runner_started", pid, by: "tick" });
      return result({ kind: "runner_started", pid });
    }
    if (hold?.kind === "auth") {
      canary = (queue.find((q) => q.task === hold.task) ?? queue[0])?.id;
      await store.setHold({ ...hold, last_try: new Date(clock.now()).toISOString() });
      await log.append({ event: "auth_canary", run_id: canary, task: hold.task });
    }

    const stop = new AbortController();
    const removeSignal = deps.onSignal((signal) => stop.abort(signal));
    try {
      // The runner (and the task loader it needs) is loaded only when there is a queue to run.
      const { runQueue } = await lazy<typeof import("../state/run_or_follow.ts")>(
        "lib/state/run_or_follow.ts",
      );
      const ran = await runQueue(deps, store, { global, stop: stop.signal, log, canary });
      return result({ kind: "ran", ran: ran === "busy" ? "busy" : ran.length, canary });
    } finally {
      removeSignal();
    }
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

/**
 * Records the scheduler's heartbeat. Only a tick the scheduler starts (plain `tick`) beats: a
 * runner (`tick --runner`, started by a tick or the watcher) says nothing of whether cron,
 * launchd or systemd still call the tick, so after uninstall no runner makes it look alive.
 */
async function heartbeat(
  deps: TickJobDeps,
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
