/**
 * @module
 * `clodputer watch`: the folder watcher (and interval triggers). In the foreground it prints a
 * line per event and per run queued, and Ctrl-C stops it; `--daemon` starts it detached and
 * returns once it is watching; `--stop` stops it and waits; `--status` says whether it runs.
 */

import { join } from "../sys/path.ts";
import { listTaskNames, loadGlobalConfig, loadTask } from "../config/load.ts";
import { ClodputerError, firstProblem, UsageError } from "../errors.ts";
import { EventLog } from "../log/writer.ts";
import { secretEnvValues } from "../log/redact.ts";
import { openStore } from "../queue/open.ts";
import type { Paths } from "../sys/paths.ts";
import { startRunner } from "../queue/start_runner.ts";
import { localTime } from "../ui/duration.ts";
import { skippedLines } from "../ui/missed.ts";
import {
  acquireWatcher,
  releaseWatcher,
  removeWatcherInfo,
  SKIPPED_KEPT,
  startDaemon,
  stopWatcher,
  type WatcherInfo,
  watcherState,
  writeWatcherInfo,
} from "../watch/daemon.ts";
import { runWatcher, type WatchedTasks, type WatcherEvent } from "../watch/watcher.ts";
import type { Deps } from "./deps.ts";

/** Options of `watch`. */
export interface WatchOptions {
  daemon: boolean;
  stop: boolean;
  status: boolean;
  /** The detached daemon itself: lines go to watcher.log. */
  background: boolean;
  json: boolean;
}

/** The paths of `watcher.log`, rotated into `archive/watcher/`. */
function watcherLogPaths(paths: Paths): Paths {
  return { ...paths, log: paths.watcherLog, archive: join(paths.archive, "watcher") };
}

/** One line for a person. Pure. */
export function describeWatcherEvent(e: WatcherEvent): string {
  switch (e.event) {
    case "watch_started":
      return `${e.task}: watching ${e.folder} for ${e.pattern}` +
        (e.missing ? " (the folder does not exist yet: it is picked up when it appears)" : "");
    case "watch_folder_missing":
      return `${e.task}: the watched folder ${e.folder} does not exist (any more); waiting for it`;
    case "watch_folder_back":
      return `${e.task}: the watched folder ${e.folder} is there again`;
    case "watch_skipped":
      return `${e.task}: cannot hand over ${e.path}: ${e.reason}`;
    case "watch_seen":
      return `${e.task}: ${e.change} ${e.path} (not the event this task watches for)`;
    case "task_queued":
      return e.trigger === "file_watch"
        ? `${e.task}: ${e.path} -> queued as ${e.run_id}`
        : `${e.task}: interval due -> queued as ${e.run_id}`;
    case "config_error":
      return `${e.task}: config error: ${e.error}`;
    case "tasks_reloaded":
      return `tasks read: ${e.watches} folder watch(es), ${e.intervals} interval task(s)`;
  }
}

/** The watched tasks in tasks/. */
async function loadWatchedTasks(deps: Deps): Promise<WatchedTasks> {
  const out: WatchedTasks = { watches: [], intervals: [], errors: new Map() };
  let global;
  try {
    global = await loadGlobalConfig(deps.paths, deps.env);
  } catch (error) {
    if (!(error instanceof ClodputerError)) throw error;
    out.errors.set("config.yaml", firstProblem(error));
    return out;
  }
  for (const name of await listTaskNames(deps.paths)) {
    try {
      const { config } = await loadTask(deps.paths, name, deps.env, { global });
      const t = config.trigger;
      if (!config.enabled || !t) continue;
      if (t.type === "file_watch") {
        out.watches.push({
          task: name,
          folder: t.path,
          pattern: t.pattern,
          event: t.event,
          debounce: t.debounce,
          recursive: t.recursive,
          ignore: t.ignore,
          priority: config.priority,
        });
      } else if (t.type === "interval") {
        out.intervals.push({ task: name, seconds: t.seconds, priority: config.priority });
      }
    } catch (error) {
      if (!(error instanceof ClodputerError)) throw error;
      out.errors.set(name, firstProblem(error));
    }
  }
  return out;
}

/** `watch`. */
export async function watchCommand(deps: Deps, options: WatchOptions): Promise<number> {
  if (options.status) return await statusOf(deps, options.json);
  if (options.stop) return stop(deps);
  if (options.daemon) return await start(deps);
  return await watchHere(deps, options.background);
}

async function statusOf(deps: Deps, json: boolean): Promise<number> {
  const state = await watcherState(deps.paths, deps.proc, deps.clock.now());
  if (json) {
    deps.out.json(state);
    return 0;
  }
  if (state.state === "running") {
    const i = state.info;
    deps.out.line(`watcher: running (pid ${state.pid}${i ? `, since ${localTime(i.since)}` : ""})`);
    for (const f of i?.folders ?? []) deps.out.line(`  watching ${f}`);
    if (i?.last_event) {
      deps.out.line(`  last event: ${localTime(i.last_event.at)} ${i.last_event.text}`);
    }
    for (const line of skippedLines(i?.skipped)) deps.out.line(`  ${line}`);
  } else if (state.state === "stale") {
    deps.out.line(`watcher: not running (watcher.pid names ${state.pid}, which is gone)`);
  } else {
    deps.out.line("watcher: not running (start it with: clodputer watch --daemon)");
  }
  return 0;
}

async function start(deps: Deps): Promise<number> {
  const started = await startDaemon(deps);
  deps.out.line(`watcher started (pid ${started.pid}); its log: ${deps.paths.watcherLog}`);
  for (const f of started.folders) deps.out.line(`  watching ${f}`);
  return 0;
}

async function stop(deps: Deps): Promise<number> {
  const stopped = await stopWatcher(deps);
  switch (stopped.kind) {
    case "not running":
      deps.out.line("watcher: not running");
      break;
    case "stopped":
      deps.out.line(`watcher stopped (pid ${stopped.pid})`);
      break;
    case "killed":
      deps.out.line(
        `watcher killed (pid ${stopped.pid}): it did not stop within ${stopped.waitedMs / 1000} s`,
      );
      break;
  }
  return 0;
}

async function watchHere(deps: Deps, background: boolean): Promise<number> {
  const { paths, clock } = deps;
  const { store } = await openStore(paths, clock);
  const me = await deps.proc.info(deps.selfPid);
  const mine = { pid: deps.selfPid, started: me?.started ?? "" };
  const log = new EventLog(watcherLogPaths(paths), clock, {
    maxBytes: 10 * 1024 * 1024,
    keepMonths: 6,
  }, secretEnvValues(deps.env.toObject()));
  const execLog = new EventLog(paths, clock, { maxBytes: 10 * 1024 * 1024, keepMonths: 6 });
  const say = async (event: WatcherEvent | { event: string; message: string }) => {
    const text = "message" in event ? event.message : describeWatcherEvent(event as WatcherEvent);
    if (background) await log.append({ ...event, message: text }).catch(() => {});
    else deps.out.line(text);
  };
  const stopper = new AbortController();
  const removeSignal = deps.onSignal((signal) => stopper.abort(signal));
  try {
    const got = await acquireWatcher(store, deps.proc, mine);
    if (!got.ok) {
      throw new UsageError(`A watcher is already running (pid ${got.pid})`, {
        hint: "see it with: clodputer watch --status; stop it with: clodputer watch --stop",
      });
    }
    const info: WatcherInfo = {
      ...mine,
      since: new Date(clock.now()).toISOString(),
      folders: [],
      last_event: null,
    };
    try {
      await say({ event: "watcher_started", message: `watcher started (pid ${deps.selfPid})` });
      // Lines, log events and watcher.pid are written one at a time, in order.
      let lastWrite = Promise.resolve();
      const chain = (
        write: () => Promise<void>,
      ) => (lastWrite = lastWrite.then(write).catch((error) => {
        deps.out.error(`warning: ${error instanceof Error ? error.message : error}`);
      }));
      let ready = false; // watcher.pid is written once every folder is looked at and watched
      await runWatcher({
        clock,
        env: deps.env,
        paths,
        store,
        loadTasks: async () => {
          const tasks = await loadWatchedTasks(deps);
          info.folders = tasks.watches.map((w) => `${w.folder} (${w.task}: ${w.pattern})`);
          if (ready) await chain(() => writeWatcherInfo(paths, info));
          return tasks;
        },
        ready: async () => {
          ready = true;
          await chain(() => writeWatcherInfo(paths, info));
        },
        startRunner: async () => void await startRunner(deps, store),
        report: (event) => {
          const text = describeWatcherEvent(event);
          const at = new Date(clock.now()).toISOString();
          info.last_event = { at, text };
          if (event.event === "watch_skipped") {
            const { task, path, reason } = event;
            const before = info.skipped ?? { count: 0, last: [] };
            info.skipped = {
              count: before.count + 1,
              last: [...before.last, { at, task, path, reason }].slice(-SKIPPED_KEPT),
            };
          }
          void chain(async () => {
            await say(event);
            if (
              event.event === "task_queued" || event.event === "config_error" ||
              event.event === "watch_skipped"
            ) {
              await execLog.append({ ...event }).catch(() => {});
            }
            if (ready) await writeWatcherInfo(paths, info);
          });
        },
      }, { signal: stopper.signal });
      await lastWrite;
      await say({
        event: "watcher_stopped",
        message: `watcher stopped (${String(stopper.signal.reason ?? "done")})`,
      });
    } finally {
      await removeWatcherInfo(paths, deps.selfPid);
      await releaseWatcher(store, deps.selfPid);
    }
    return 0;
  } catch (error) {
    if (background) {
      await log.append({
        event: "watcher_failed",
        message: error instanceof Error ? error.message : String(error),
      }).catch(() => {});
    }
    throw error;
  } finally {
    removeSignal();
    store.close();
  }
}
