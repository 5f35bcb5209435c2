/**
 * @module
 * The watcher: every enabled `file_watch` task's folder and every `interval` task, in one
 * process. Looks at a folder on each OS event for it, after a file's debounce, and on a slow
 * periodic rescan (events are hints); re-reads the task files when `tasks/` changes; queues runs
 * and starts a runner (never running tasks itself).
 */

import type { Store } from "../state/store.ts";
import type { QueueItem } from "../state/types.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import { type FolderWatch, watchFolders } from "../sys/watch.ts";
import { type IntervalSpec, queueDueIntervals } from "./interval.ts";
import { TaskWatch, type WatchSpec } from "./task_watch.ts";

/** A slow rescan of every folder, in case an event was dropped. */
export const RESCAN_MS = 30_000;
/** Interval tasks and missing folders are looked at this often. */
export const CHECK_MS = 5_000;
/** Looks for events are at least this far apart: a burst of events makes two looks, not one each. */
const SETTLE_MS = 50;

/** What the watcher says, for the foreground lines and watcher.log. */
export type WatcherEvent =
  | { event: "watch_started"; task: string; folder: string; pattern: string; missing: boolean }
  | { event: "watch_folder_missing"; task: string; folder: string }
  | { event: "watch_folder_back"; task: string; folder: string }
  | { event: "watch_seen"; task: string; path: string; change: string }
  | { event: "watch_skipped"; task: string; path: string; reason: string }
  | { event: "task_queued"; task: string; run_id: string; trigger: string; path?: string }
  | { event: "config_error"; task: string; error: string }
  | { event: "tasks_reloaded"; watches: number; intervals: number };

/** The watched tasks, as read from the task files. */
export interface WatchedTasks {
  watches: WatchSpec[];
  intervals: IntervalSpec[];
  /** Config errors by task name. */
  errors: Map<string, string>;
}

/** The OS watch of one task's folder. */
interface OsWatch {
  folder: string;
  recursive: boolean;
  /** The OS stopped it (the folder went away): made again once the folder is back. */
  ended: boolean;
  watch?: FolderWatch;
}

/** What the watcher needs. */
export interface WatcherDeps {
  clock: Clock;
  env: Env;
  paths: Paths;
  store: Store;
  /** Reads the watched tasks (re-read when tasks/ changes). */
  loadTasks(): Promise<WatchedTasks>;
  /** Starts a runner for the queue unless one is alive (never runs tasks in this process). */
  startRunner(): Promise<void>;
  /** Every event, as it happens. */
  report(event: WatcherEvent): void;
  /** Called once, when every folder has been looked at and is watched. */
  ready?(): Promise<void>;
}

/** Runs the watcher until `signal` aborts. */
export async function runWatcher(
  deps: WatcherDeps,
  options: { signal: AbortSignal; rescanMs?: number; checkMs?: number },
): Promise<void> {
  const { clock, store } = deps;
  const rescanMs = options.rescanMs ?? RESCAN_MS;
  const checkMs = options.checkMs ?? CHECK_MS;
  let wake = new AbortController();
  const poke = () => wake.abort();
  options.signal.addEventListener("abort", poke, { once: true });

  let tasksChanged = true;
  let watches: TaskWatch[] = [];
  let intervals: IntervalSpec[] = [];
  let errors = new Map<string, string>();
  const missing = new Set<string>();
  const dirty = new Set<string>();
  const fsWatches = new Map<string, OsWatch>();
  let nextRescan = 0;
  let nextCheck = 0;
  let lastLook = -Infinity;
  let announced = false;

  const tasksWatch = watchFolders([deps.paths.tasks], {
    recursive: false,
    onChange: () => {
      tasksChanged = true;
      poke();
    },
  });
  // One OS watch per watched task, kept while its folder and depth stay the same. A new one is
  // followed by a look, so a file made before it was in place is not left for the rescan.
  const rewatch = () => {
    const wanted = new Map(
      watches.filter((w) => !missing.has(w.spec.task)).map((w) => [w.spec.task, w.spec]),
    );
    for (const [task, f] of fsWatches) {
      const spec = wanted.get(task);
      if (!spec || spec.folder !== f.folder || spec.recursive !== f.recursive || f.ended) {
        f.watch?.close();
        fsWatches.delete(task);
      }
    }
    for (const [task, spec] of wanted) {
      if (fsWatches.has(task)) continue;
      const entry: OsWatch = { folder: spec.folder, recursive: spec.recursive, ended: false };
      entry.watch = watchFolders([spec.folder], {
        recursive: spec.recursive,
        onChange: (ended) => {
          dirty.add(task);
          if (ended) entry.ended = true;
          poke();
        },
      });
      fsWatches.set(task, entry);
      dirty.add(task);
    }
  };

  try {
    while (!options.signal.aborted) {
      // Anything that happens from here on (an event, a task file saved) cuts the sleep short.
      wake = new AbortController();
      const now = clock.now();
      let lookAll = now >= nextRescan;
      if (tasksChanged) {
        tasksChanged = false;
        const loaded = await deps.loadTasks();
        for (const [task, error] of loaded.errors) {
          if (errors.get(task) !== error) deps.report({ event: "config_error", task, error });
        }
        errors = loaded.errors;
        const before = new Map(watches.map((w) => [w.spec.task, JSON.stringify(w.spec)]));
        watches = loaded.watches.map((spec) =>
          before.get(spec.task) === JSON.stringify(spec)
            ? watches.find((w) => w.spec.task === spec.task) as TaskWatch
            : new TaskWatch(spec, { store, clock })
        );
        intervals = loaded.intervals;
        for (const task of before.keys()) {
          if (!watches.some((w) => w.spec.task === task) && !errors.has(task)) {
            await store.forgetWatch(task);
          }
        }
        deps.report({
          event: "tasks_reloaded",
          watches: watches.length,
          intervals: intervals.length,
        });
        missing.clear();
        lookAll = true;
      }

      const queued: QueueItem[] = [];
      let refresh = false;
      for (const w of watches) {
        if (
          !lookAll && !dirty.has(w.spec.task) && !(now >= w.dueAt) &&
          !(missing.has(w.spec.task) && now >= nextCheck)
        ) continue;
        dirty.delete(w.spec.task);
        lastLook = now;
        const r = await w.look();
        const wasMissing = missing.has(w.spec.task);
        if (r.started) {
          deps.report({
            event: "watch_started",
            task: w.spec.task,
            folder: w.spec.folder,
            pattern: w.spec.pattern,
            missing: r.missing,
          });
        }
        if (r.missing) {
          if (!wasMissing && !r.started) {
            deps.report({
              event: "watch_folder_missing",
              task: w.spec.task,
              folder: w.spec.folder,
            });
          }
          if (!wasMissing) refresh = true;
          missing.add(w.spec.task);
        } else if (wasMissing) {
          missing.delete(w.spec.task);
          refresh = true;
          if (!r.started) {
            deps.report({ event: "watch_folder_back", task: w.spec.task, folder: w.spec.folder });
          }
        }
        for (const s of r.seen) {
          deps.report({ event: "watch_seen", task: w.spec.task, path: s.path, change: s.event });
        }
        for (const f of r.skipped) {
          deps.report({
            event: "watch_skipped",
            task: w.spec.task,
            path: f.path,
            reason: f.reason,
          });
        }
        for (const item of r.queued) {
          queued.push(item);
          deps.report({
            event: "task_queued",
            task: item.task,
            run_id: item.id,
            trigger: "file_watch",
            path: String(item.trigger.path),
          });
        }
        // A file written while this look ran is settled by the next one.
        if (r.queued.length > 0 || r.seen.length > 0) dirty.add(w.spec.task);
      }
      if (refresh || lookAll || [...fsWatches.values()].some((f) => f.ended)) rewatch();
      if (lookAll) nextRescan = now + rescanMs;
      if (!announced) {
        announced = true;
        await deps.ready?.();
      }

      if (now >= nextCheck) {
        nextCheck = now + checkMs;
        for (const item of await queueDueIntervals(store, intervals, now)) {
          queued.push(item);
          deps.report({
            event: "task_queued",
            task: item.task,
            run_id: item.id,
            trigger: "interval",
          });
        }
      }
      if (queued.length > 0) await deps.startRunner();

      // A watch with files still settling is looked at again when its first one has been unchanged
      // for the debounce (as the watch measures it, so that look hands it over), and never sooner
      // than SETTLE_MS from now (a debounce of 0 still needs a second look, and no busy loop).
      const due = Math.min(...watches.map((w) => w.dueAt));
      const settleDue = due === Infinity ? Infinity : Math.max(due, now + SETTLE_MS);
      const next = Math.min(nextRescan, nextCheck, settleDue, dirty.size > 0 ? now : Infinity);
      if (options.signal.aborted) break;
      if (tasksChanged) continue;
      await clock.sleep(Math.max(0, next - clock.now()), wake.signal);
      // The first event after a quiet spell is looked at at once (a file's debounce counts from
      // that look); the rest of a burst is coalesced into one look SETTLE_MS after the last.
      const sinceLook = clock.now() - lastLook;
      if (!options.signal.aborted && dirty.size > 0 && sinceLook < SETTLE_MS) {
        await clock.sleep(SETTLE_MS - sinceLook, options.signal);
      }
    }
  } finally {
    tasksWatch.close();
    for (const f of fsWatches.values()) f.watch?.close();
    options.signal.removeEventListener("abort", poke);
  }
}
