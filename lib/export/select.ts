/**
 * @module
 * The tasks an export is for: the ones named (each must load and have a schedule to export, or
 * the export stops with why: exit 2, nothing written), or, with none named, every task that has
 * one (the others are listed as skipped, with why). Each comes with its file's exact bytes (the
 * exporters put the task file in place byte for byte) and its schedule (plan.ts).
 */

import { loadGlobalConfig, loadTask } from "../config/load.ts";
import type { LoadedTask } from "../config/parse.ts";
import { readTaskFolder } from "../config/names.ts";
import { ClodputerError } from "../errors.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import { type ExportSchedule, exportSchedule } from "./plan.ts";

/** A task to export. */
export interface ExportTask {
  loaded: LoadedTask;
  /** The task file's bytes, as they are on disk. */
  bytes: Uint8Array;
  schedule: ExportSchedule;
}

/** What was chosen, and what was left out (only when no task was named) with why. */
export interface Selection {
  tasks: ExportTask[];
  skipped: { name: string; reason: string }[];
}

/** The machine's zone, as the tick reads a cron schedule that names none. */
export function machineZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/**
 * The tasks to export: `names`, or every task with a schedule (a disabled one is skipped too).
 * @throws {ClodputerError} for a named task that does not load or has nothing to export.
 */
export async function selectTasks(
  deps: { paths: Paths; env: Env },
  names: readonly string[],
  zone: string = machineZone(),
): Promise<Selection> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const all = names.length === 0;
  const chosen = all ? (await readTaskFolder(deps.paths)).names : [...new Set(names)];
  const tasks: ExportTask[] = [];
  const skipped: { name: string; reason: string }[] = [];
  for (const name of chosen) {
    let loaded: LoadedTask;
    let schedule: ExportSchedule;
    try {
      loaded = await loadTask(deps.paths, name, deps.env, { global });
      schedule = exportSchedule(loaded.config, zone);
    } catch (error) {
      if (!all || !(error instanceof ClodputerError)) throw error;
      skipped.push({ name, reason: error.message });
      continue;
    }
    if (all && !loaded.config.enabled) {
      skipped.push({ name, reason: `${name} is disabled (enabled: false)` });
      continue;
    }
    tasks.push({ loaded, bytes: await Deno.readFile(loaded.file), schedule });
  }
  return { tasks, skipped };
}
