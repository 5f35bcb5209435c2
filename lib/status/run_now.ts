/**
 * @module
 * The tasks a face offers to run now with one click or key (the menu bar's Run now, the
 * dashboard's `r` picker): every task in tasks/ but those that watch a folder. A folder-watch
 * task's run is for one file, which a click cannot give: `clodputer run <task> --file <path>`
 * (lib/watch/file_run.ts). The menu bar asks every 10 s, so this is kept cheap: a task file that
 * does not even mention `file_watch` cannot watch a folder and is offered as it is; the others'
 * triggers come from the task index (loadTasks: a `stat` and one small JSON file while the file is
 * unchanged; a new or changed one is parsed once, then kept).
 */

import { ClodputerError } from "../errors.ts";
import { listTaskNames } from "../config/names.ts";
import { lazy } from "../lazy.ts";
import type { Env } from "../sys/env.ts";
import { type Paths, taskFile } from "../sys/paths.ts";

/** The task names, split by whether a run of the task needs a file. */
export interface RunNowTasks {
  /** Tasks that run as they are, by name. A task that does not load is here (running it says why). */
  offered: string[];
  /** Folder-watch tasks: a run needs a file (`run <task> --file <path>`). */
  needFile: string[];
}

/**
 * The tasks of tasks/ split into those a click may run and those that need a file. When the
 * global config cannot be read, every task is offered (running one says what is wrong).
 * @throws {ConfigError} when tasks/ is not a folder (as listTaskNames).
 */
export async function runNowTasks(deps: { paths: Paths; env: Env }): Promise<RunNowTasks> {
  const names = await listTaskNames(deps.paths);
  const texts = await Promise.all(
    names.map((name) => Deno.readTextFile(taskFile(deps.paths, name)).catch(() => "")),
  );
  const candidates = names.filter((_, i) => texts[i]?.includes("file_watch"));
  const needFile = new Set<string>();
  if (candidates.length > 0) {
    const { loadTasks } = await lazy<typeof import("../config/load.ts")>("lib/config/load.ts");
    try {
      for (const load of await loadTasks(deps.paths, candidates, deps.env)) {
        if ("loaded" in load && load.loaded.config.trigger?.type === "file_watch") {
          needFile.add(load.name);
        }
      }
    } catch (error) {
      if (!(error instanceof ClodputerError)) throw error;
    }
  }
  return {
    offered: names.filter((name) => !needFile.has(name)),
    needFile: names.filter((name) => needFile.has(name)),
  };
}
