/**
 * @module
 * The watcher daemon's pid file (the daemon itself is not part of this version).
 */

import { readTextIfExists } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";

/** Whether the watcher named by `watcher.pid` is running. */
export type WatcherState =
  | { state: "not running" }
  | { state: "running"; pid: number }
  | { state: "stale"; pid: number };

/** Reads `watcher.pid` and asks `ps` whether that process is alive. */
export async function watcherState(paths: Paths, proc: Proc): Promise<WatcherState> {
  const text = await readTextIfExists(paths.watcherPid);
  const pid = Number(text?.trim());
  if (!text || !Number.isInteger(pid) || pid <= 0) return { state: "not running" };
  const info = await proc.info(pid);
  return info && !info.stat.startsWith("Z") ? { state: "running", pid } : { state: "stale", pid };
}
