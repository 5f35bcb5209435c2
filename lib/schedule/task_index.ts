/**
 * @module
 * What the tick knows of the task files, kept in the store between ticks and keyed by each
 * file's mtime and size: an unchanged file is never parsed again, so an idle tick reads one
 * folder listing and a `stat` per file. The loader (yaml, zod) is imported only when a file
 * changed.
 */

import { join } from "../sys/posix_path.ts";
import { ClodputerError, firstProblem } from "../errors.ts";
import {
  isNotAFolderError,
  isTaskName,
  misnamedMessage,
  type MisnamedTaskFile,
  misnamedTaskFile,
  tasksNotAFolder,
} from "../config/names.ts";
import type { Store } from "../state/store.ts";
import type { ScheduleCacheEntry } from "../state/store/scheduler.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import { lazy } from "../lazy.ts";

/** A task file as the tick sees it. */
export interface IndexedTask {
  name: string;
  file: string;
  entry: ScheduleCacheEntry;
  /** True when the file is new or changed since the last tick (it was parsed now). */
  changed: boolean;
}

/** A `tasks/*.yaml` file as the index sees it: its mtime (ms) and size. */
export interface TaskFileStat {
  file: string;
  mtime: number;
  size: number;
  /** Set when the stem is not a valid task name: the file is reported, never loaded. */
  misnamed?: MisnamedTaskFile;
}

/**
 * The stems of `tasks/*.yaml` with their mtime (ms) and size, misnamed files marked; none when
 * the folder is missing.
 */
export async function statTaskFiles(paths: Paths): Promise<Map<string, TaskFileStat>> {
  const out = new Map<string, TaskFileStat>();
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(paths.tasks));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return out;
    if (isNotAFolderError(error)) throw tasksNotAFolder(paths);
    throw error;
  }
  await Promise.all(entries.map(async (e) => {
    if (!e.name.endsWith(".yaml")) return;
    const name = e.name.slice(0, -".yaml".length);
    const misnamed = isTaskName(name) ? undefined : misnamedTaskFile(paths.tasks, e.name);
    if (!isTaskName(name) && misnamed === undefined) return;
    const file = join(paths.tasks, e.name);
    try {
      const info = await Deno.stat(file);
      if (!info.isFile) return;
      out.set(name, {
        file,
        mtime: info.mtime?.getTime() ?? 0,
        size: info.size,
        ...(misnamed ? { misnamed } : {}),
      });
    } catch {
      // gone meanwhile, or a dangling link: the loader reports those when they are run
    }
  }));
  return out;
}

/**
 * Every task file with what the tick needs of it, re-parsing only the files whose mtime or size
 * changed, and forgetting the files that are gone (with their schedule state). A misnamed file
 * is indexed under its stem with its naming error, so the tick reports it once, as it reports
 * a file that does not load, and runs the others.
 */
export async function indexTasks(
  deps: { paths: Paths; env: Env },
  store: Store,
): Promise<IndexedTask[]> {
  const [files, cache] = await Promise.all([statTaskFiles(deps.paths), store.scheduleCache()]);
  for (const name of cache.keys()) {
    if (!files.has(name)) {
      await store.setScheduleCache(name, undefined);
      await store.deleteScheduleState(name);
    }
  }
  const out: IndexedTask[] = [];
  const sorted = [...files].sort(([a], [b]) => a < b ? -1 : 1);
  for (const [name, { file, mtime, size, misnamed }] of sorted) {
    const known = cache.get(name);
    if (known && known.mtime === mtime && known.size === size) {
      out.push({ name, file, entry: known, changed: false });
      continue;
    }
    const entry: ScheduleCacheEntry = misnamed
      ? { mtime, size, schedule: null, error: misnamedProblem(misnamed) }
      : await parseForSchedule(deps, name, { mtime, size });
    await store.setScheduleCache(name, entry);
    out.push({ name, file, entry, changed: true });
  }
  return out;
}

/** A misnamed file's error, as one line: the problem, the rule and the rename. */
function misnamedProblem(m: MisnamedTaskFile): string {
  const { message, hint } = misnamedMessage(m);
  return `${message}; ${hint}`;
}

async function parseForSchedule(
  deps: { paths: Paths; env: Env },
  name: string,
  stat: { mtime: number; size: number },
): Promise<ScheduleCacheEntry> {
  const { loadTask } = await lazy<typeof import("../config/load.ts")>("lib/config/load.ts");
  try {
    const { config } = await loadTask(deps.paths, name, deps.env);
    const s = config.schedule;
    const t = config.trigger;
    return {
      ...stat,
      error: null,
      watch: config.enabled && t?.type === "file_watch",
      interval_seconds: config.enabled && t?.type === "interval" ? t.seconds : null,
      priority: config.priority,
      schedule: s
        ? {
          enabled: config.enabled,
          expression: s.expression,
          timezone: s.timezone ?? null,
          catch_up: s.catch_up,
          catch_up_max_age_ms: s.catch_up_max_age === undefined ? null : s.catch_up_max_age * 1000,
          priority: config.priority,
          timeout_ms: config.task.timeout * 1000,
        }
        : null,
    };
  } catch (error) {
    if (!(error instanceof ClodputerError)) throw error;
    return { ...stat, schedule: null, error: firstProblem(error) };
  }
}
