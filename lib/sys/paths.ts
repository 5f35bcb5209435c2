/**
 * @module
 * Where every piece of state lives under `$CLODPUTER_HOME` (DESIGN.md "State layout").
 */

import { join } from "./posix_path.ts";
import type { Env } from "./env.ts";
import { EnvironmentError } from "../errors.ts";

/** The state layout, as absolute paths. */
export interface Paths {
  home: string;
  tasks: string;
  config: string;
  state: string;
  log: string;
  archive: string;
  runs: string;
  watcherPid: string;
  watcherLog: string;
  backups: string;
  /** The scheduler's own log: what went wrong in a tick (cron mails nothing we print). */
  cronLog: string;
  /** What the last read of the crontab (or LaunchAgent) found; `status` reads this, not crontab. */
  schedulerRecord: string;
  /** The queue's pause, when paused (lib/state/pause.ts). */
  pause: string;
}

/**
 * Resolves the state layout from `$CLODPUTER_HOME`, else `$HOME/.clodputer`.
 * @throws {EnvironmentError} when neither variable is set.
 */
export function resolvePaths(env: Env): Paths {
  const explicit = env.get("CLODPUTER_HOME");
  const userHome = env.get("HOME");
  let home: string;
  if (explicit) {
    home = explicit;
  } else if (userHome) {
    home = join(userHome, ".clodputer");
  } else {
    throw new EnvironmentError(
      "Cannot find the Clodputer home: neither CLODPUTER_HOME nor HOME is set",
      {
        hint: "set CLODPUTER_HOME to a folder Clodputer may write, for example ~/.clodputer",
      },
    );
  }
  return pathsUnder(home);
}

/** The state layout under one folder. */
export function pathsUnder(home: string): Paths {
  return {
    home,
    tasks: join(home, "tasks"),
    config: join(home, "config.yaml"),
    state: join(home, "state.kv"),
    log: join(home, "execution.log"),
    archive: join(home, "archive"),
    runs: join(home, "runs"),
    watcherPid: join(home, "watcher.pid"),
    watcherLog: join(home, "watcher.log"),
    backups: join(home, "backups"),
    cronLog: join(home, "cron.log"),
    schedulerRecord: join(home, "scheduler.json"),
    pause: join(home, "paused.json"),
  };
}

/** The folder that holds one run's files. */
export function runDir(paths: Paths, runId: string): string {
  return join(paths.runs, runId);
}

/** A task's config file. */
export function taskFile(paths: Paths, name: string): string {
  return join(paths.tasks, `${name}.yaml`);
}

/** Folders macOS protects: cron and launchd jobs need Full Disk Access to read them. */
export function macProtectedFolders(home: string): string[] {
  return [
    "Desktop",
    "Documents",
    "Downloads",
    "Library/Mail",
    "Library/Messages",
    "Library/Mobile Documents",
  ]
    .map((f) => join(home, f));
}
