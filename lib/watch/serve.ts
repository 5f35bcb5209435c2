/**
 * @module
 * The watcher daemon's own run (`watch` in the foreground, `watch --background` detached): the
 * watched tasks read from tasks/, the one-watcher lease, watcher.pid kept up to date, each event
 * logged (watcher.log, and the execution log for runs queued and problems), a runner started for
 * what it queues.
 */

import { listTaskNames, loadGlobalConfig, loadTask } from "../config/load.ts";
import { ClodputerError, firstProblem, UsageError } from "../errors.ts";
import { openLog } from "../log/writer.ts";
import { openStore } from "../state/open.ts";
import { startRunner } from "../state/start_runner.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import { join } from "../sys/posix_path.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import {
  acquireWatcher,
  releaseWatcher,
  removeWatcherInfo,
  SKIPPED_KEPT,
  type WatcherInfo,
  writeWatcherInfo,
} from "./daemon.ts";
import { runWatcher, type WatchedTasks, type WatcherEvent } from "./watcher.ts";

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
async function loadWatchedTasks(deps: Pick<ServeDeps, "paths" | "env">): Promise<WatchedTasks> {
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

/** What the watcher daemon's own run touches. */
export interface ServeDeps {
  clock: Clock;
  proc: Proc;
  env: Env;
  paths: Paths;
  selfPid: number;
}

/**
 * Runs the watcher in this process until `signal` aborts: takes the one-watcher lease, writes
 * watcher.pid once every folder is watched (and as events come), queues runs and starts a runner
 * for them, and logs each event: to watcher.log in the background, else as a line for a person.
 * @throws {UsageError} when another watcher is running.
 */
export async function serveWatcher(
  deps: ServeDeps,
  options: {
    /** The detached daemon: lines go to watcher.log instead of `line`. */
    background: boolean;
    signal: AbortSignal;
    /** One line for a person (in the foreground). */
    line(text: string): void;
    /** Something that could not be written (watcher.pid, a log line); the watcher goes on. */
    warning(message: string): void;
  },
): Promise<void> {
  const { paths, clock } = deps;
  const { background } = options;
  const { store } = await openStore(paths, clock);
  const me = await deps.proc.info(deps.selfPid);
  const mine = { pid: deps.selfPid, started: me?.started ?? "" };
  const log = openLog({ paths: watcherLogPaths(paths), clock, env: deps.env });
  const execLog = openLog({ paths, clock, env: deps.env });
  const say = async (event: WatcherEvent | { event: string; message: string }) => {
    const text = "message" in event ? event.message : describeWatcherEvent(event as WatcherEvent);
    if (background) await log.append({ ...event, message: text }).catch(() => {});
    else options.line(text);
  };
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
        options.warning(`${error instanceof Error ? error.message : error}`);
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
      }, { signal: options.signal });
      await lastWrite;
      await say({
        event: "watcher_stopped",
        message: `watcher stopped (${String(options.signal.reason ?? "done")})`,
      });
    } finally {
      await removeWatcherInfo(paths, deps.selfPid);
      await releaseWatcher(store, deps.selfPid);
    }
  } catch (error) {
    if (background) {
      await log.append({
        event: "watcher_failed",
        message: error instanceof Error ? error.message : String(error),
      }).catch(() => {});
    }
    throw error;
  } finally {
    store.close();
  }
}
