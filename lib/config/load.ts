/**
 * @module
 * Loads task files and the global config: from the task index (`task_index.ts`) when the file,
 * config.yaml, HOME and the schema are what it was validated with, else through `parse.ts` (yaml
 * and zod, loaded only then), keeping the result when it may be kept. What is loaded, and every
 * problem, is exactly what `parse.ts` gives.
 */

import type { Env } from "../sys/env.ts";
import { recordingEnv } from "../sys/env.ts";
import { type Paths, taskFile } from "../sys/paths.ts";
import { type FileStamp, fileStamp, sameStamp } from "../sys/file_stamp.ts";
import { systemClock } from "../sys/clock.ts";
import { lazy } from "../lazy.ts";
import { listTaskNames, validateTaskName } from "./names.ts";
import type { GlobalConfig } from "./types.ts";
import type { LoadedTask } from "./parse.ts";
import { cacheableRead, readTaskIndex, type TaskIndexKey, updateTaskIndex } from "./task_index.ts";

export { listTaskNames };
export type { LoadedTask };

async function keyOf(paths: Paths, env: Env): Promise<TaskIndexKey> {
  const config = await fileStamp(paths.config).catch(() => undefined);
  return { home: env.get("HOME") ?? null, config: config ?? null };
}

/**
 * Loads `$CLODPUTER_HOME/config.yaml`; a missing or empty file gives the defaults.
 * @throws {ConfigError} listing every problem in it.
 */
export async function loadGlobalConfig(paths: Paths, env: Env): Promise<GlobalConfig> {
  const key = await keyOf(paths, env);
  const now = systemClock.now();
  const index = await readTaskIndex(paths, key, now);
  if (index?.global !== undefined) return index.global;
  const read = new Set<string>();
  const { loadGlobalConfig: parseGlobal } = await lazy<typeof import("./parse.ts")>(
    "lib/config/parse.ts",
  );
  const global = await parseGlobal(paths, recordingEnv(env, read));
  if (cacheableRead(read) && await unchanged(paths.config, key.config)) {
    await updateTaskIndex(paths, key, now, { global });
  }
  return global;
}

/** One task of {@linkcode loadTasks}: loaded, or what its load threw. */
export type TaskLoad =
  & { name: string; stamp: FileStamp | undefined }
  & (
    | {
      loaded: LoadedTask;
      /** The views kept beside it in the index (task_index.ts), when it came from the index. */
      views: Record<string, unknown> | undefined;
    }
    | { error: unknown }
  );

/**
 * Loads each of `names` (valid task names) as {@linkcode loadTask} does, reading the index once
 * for all of them; a task that fails does not stop the others (its error is in its entry).
 * @throws {ConfigError} when the global config (not passed in `options.global`) is invalid.
 */
export async function loadTasks(
  paths: Paths,
  names: readonly string[],
  env: Env,
  options: { global?: GlobalConfig | undefined } = {},
): Promise<TaskLoad[]> {
  const key = await keyOf(paths, env);
  const [index, stamps] = await Promise.all([
    readTaskIndex(paths, key, systemClock.now()),
    Promise.all(names.map((name) => fileStamp(taskFile(paths, name)).catch(() => undefined))),
  ]);
  const global = options.global ?? index?.global ?? await loadGlobalConfig(paths, env);
  const defaultTimeout = global.default_timeout ?? null;
  const loads: TaskLoad[] = [];
  // One at a time: each miss adds to the index (read, change, write) before the next.
  for (const [i, name] of names.entries()) {
    const stamp = stamps[i];
    const kept = index?.tasks[name];
    if (stamp && kept && sameStamp(kept.stamp, stamp) && kept.default_timeout === defaultTimeout) {
      loads.push({ name, stamp, loaded: kept.loaded, views: kept.views });
      continue;
    }
    try {
      loads.push({
        name,
        stamp,
        loaded: await loadTask(paths, name, env, { global }),
        views: undefined,
      });
    } catch (error) {
      loads.push({ name, stamp, error });
    }
  }
  return loads;
}

/**
 * Keeps views (what a face worked out from a loaded task: [task, the stamp of the file it was
 * loaded from, view, value]) beside the tasks the index keeps; one for a task it does not keep,
 * or keeps from another version of the file, is dropped. A failure costs only time.
 */
export async function keepTaskViews(
  paths: Paths,
  env: Env,
  views: [string, FileStamp, string, unknown][],
): Promise<void> {
  if (views.length === 0) return;
  await updateTaskIndex(paths, await keyOf(paths, env), systemClock.now(), { views });
}

/**
 * Loads `tasks/<name>.yaml`. The global config's `default_timeout` applies to a task without a
 * timeout: pass `options.global` when it is loaded already, else it is read here.
 * @throws {UsageError} when `name` is not a valid task name.
 * @throws {NotFoundError} when there is no such task (with the closest existing name).
 * @throws {ConfigError} listing every problem in the task file or the global config.
 */
export async function loadTask(
  paths: Paths,
  name: string,
  env: Env,
  options: { global?: GlobalConfig | undefined } = {},
): Promise<LoadedTask> {
  validateTaskName(name);
  const file = taskFile(paths, name);
  const stamp = await fileStamp(file).catch(() => undefined);
  const parse = () => lazy<typeof import("./parse.ts")>("lib/config/parse.ts");
  // Missing, not a file, unreadable: the parser says so, exactly as before.
  if (stamp === undefined) return (await parse()).loadTask(paths, name, env, options);
  const global = options.global ?? await loadGlobalConfig(paths, env);
  const key = await keyOf(paths, env);
  const now = systemClock.now();
  const defaultTimeout = global.default_timeout ?? null;
  const kept = (await readTaskIndex(paths, key, now))?.tasks[name];
  if (kept && sameStamp(kept.stamp, stamp) && kept.default_timeout === defaultTimeout) {
    return kept.loaded;
  }
  const read = new Set<string>();
  const loaded = await (await parse()).loadTask(paths, name, recordingEnv(env, read), { global });
  if (
    cacheableRead(read) && loaded.config.depends_on.length === 0 && await unchanged(file, stamp)
  ) {
    await updateTaskIndex(paths, key, now, {
      task: [name, { stamp, default_timeout: defaultTimeout, loaded }],
    });
  }
  return loaded;
}

/**
 * Validates `source` as the text of `tasks/<name>.yaml` (a file not written yet), as
 * {@linkcode loadTask} would load it.
 * @throws {UsageError} for a bad name. @throws {ConfigError} listing every problem.
 */
export async function loadTaskText(
  paths: Paths,
  name: string,
  source: string,
  env: Env,
  options: { global?: GlobalConfig | undefined } = {},
): Promise<LoadedTask> {
  const parse = await lazy<typeof import("./parse.ts")>("lib/config/parse.ts");
  return await parse.loadTaskText(paths, name, source, env, options);
}

/** True when the file's stamp is still `stamp` (it did not change while it was read). */
async function unchanged(file: string, stamp: FileStamp | null): Promise<boolean> {
  return sameStamp((await fileStamp(file).catch(() => undefined)) ?? null, stamp);
}
