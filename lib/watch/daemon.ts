/**
 * @module
 * The watcher daemon's outside: its pid file (`watcher.pid`: pid, start time, folders, last
 * event), whether it is running (pid and start time, so a reused pid is never mistaken for it),
 * one daemon at a time (a lease in the store), and starting it detached.
 */

import type { Store } from "../queue/store.ts";
import { readTextIfExists, rm, writeFileAtomic } from "../sys/fs.ts";
import {
  checkFields,
  isRecord,
  isStrings,
  readStateFile,
  type StateShape,
} from "../log/state_file.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import { isZombie } from "../sys/ps.ts";

/** What `watcher.pid` holds. */
export interface WatcherInfo {
  pid: number;
  /** The process's start time as `ps` shows it (with the pid: guards against pid reuse). */
  started: string;
  since: string;
  folders: string[];
  last_event: { at: string; text: string } | null;
  /**
   * Files this watcher found and cannot hand over (`watch_skipped`): how many, and the last few.
   * Absent when there are none (and in files older watchers wrote).
   */
  skipped?: { count: number; last: SkippedReport[] };
}

/** A file the watcher cannot hand over, as watcher.pid keeps it. */
export interface SkippedReport {
  at: string;
  task: string;
  /** Escaped (see lib/watch/scan.ts). */
  path: string;
  reason: string;
}

/** watcher.pid keeps this many of the last skipped files. */
export const SKIPPED_KEPT = 5;

/** Whether the watcher named by `watcher.pid` is running. */
export type WatcherState =
  | { state: "not running" }
  | { state: "running"; pid: number; info: WatcherInfo | null }
  | { state: "stale"; pid: number };

function parse(text: string): { pid: number; info: WatcherInfo | null } | undefined {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) return { pid: Number(trimmed), info: null };
  try {
    const info = JSON.parse(trimmed) as WatcherInfo;
    return Number.isInteger(info.pid) && info.pid > 0 ? { pid: info.pid, info } : undefined;
  } catch {
    return undefined;
  }
}

/** What `watcher.pid` holds: a pid alone (older versions), or {@linkcode WatcherInfo} as JSON. */
export const WATCHER_PID_SHAPE: StateShape<{ pid: number; info: WatcherInfo | null }> = {
  parse: (text) => {
    const trimmed = text.trim();
    return /^\d+$/.test(trimmed)
      ? { pid: Number(trimmed), info: null }
      : { info: JSON.parse(trimmed) };
  },
  check(v) {
    const info = isRecord(v) ? v.info : undefined;
    if (info === null) {
      const pid = isRecord(v) ? v.pid : undefined;
      return Number.isInteger(pid) && (pid as number) > 0 ? undefined : "no process id";
    }
    return checkFields(info, {
      pid: [(p) => Number.isInteger(p) && (p as number) > 0, "a process id"],
      started: [(x) => typeof x === "string", "a start time"],
      since: [(x) => typeof x === "string", "a time"],
      folders: [isStrings, "a list of folders"],
      last_event: [
        (e) =>
          e === null || e === undefined ||
          (isRecord(e) && typeof e.at === "string" && typeof e.text === "string"),
        "an object with at and text, or null",
      ],
    });
  },
};

/**
 * Reads `watcher.pid` (a damaged one is moved aside and logged: not running) and asks `ps`
 * whether that process (same start time) is alive.
 */
export async function watcherState(paths: Paths, proc: Proc, nowMs: number): Promise<WatcherState> {
  const { value } = await readStateFile(paths, paths.watcherPid, WATCHER_PID_SHAPE, nowMs);
  const read = value === undefined
    ? undefined
    : value.info === null
    ? value
    : { pid: value.info.pid, info: value.info };
  if (!read) return { state: "not running" };
  const process = await proc.info(read.pid);
  const alive = process !== undefined && !isZombie(process) &&
    (read.info === null || read.info.started === process.started);
  return alive
    ? { state: "running", pid: read.pid, info: read.info }
    : { state: "stale", pid: read.pid };
}

/** Writes `watcher.pid`. */
export async function writeWatcherInfo(paths: Paths, info: WatcherInfo): Promise<void> {
  await writeFileAtomic(paths.watcherPid, JSON.stringify(info) + "\n");
}

/** Removes `watcher.pid` if it still names `pid`. */
export async function removeWatcherInfo(paths: Paths, pid: number): Promise<void> {
  const text = await readTextIfExists(paths.watcherPid);
  if (text !== undefined && parse(text)?.pid === pid) await rm(paths.watcherPid);
}

/**
 * Takes the one-watcher lease, unless a live watcher holds it. Returns the live holder's pid
 * when there is one.
 */
export async function acquireWatcher(
  store: Store,
  proc: Proc,
  mine: { pid: number; started: string },
): Promise<{ ok: true } | { ok: false; pid: number }> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const held = await store.watcherLease();
    if (held.value && held.value.pid !== mine.pid) {
      const process = await proc.info(held.value.pid);
      if (process && !isZombie(process) && process.started === held.value.started) {
        return { ok: false, pid: held.value.pid };
      }
    }
    if (await store.setWatcherLease(held.versionstamp, mine)) return { ok: true };
  }
  const held = await store.watcherLease();
  return { ok: false, pid: held.value?.pid ?? 0 };
}

/** Gives the lease back (if still ours). */
export async function releaseWatcher(store: Store, pid: number): Promise<void> {
  const held = await store.watcherLease();
  if (held.value?.pid === pid) await store.setWatcherLease(held.versionstamp, null);
}

/** Starts a command detached (moved to lib/sys/proc.ts; re-exported for the dashboard). */
export { spawnDetached } from "../sys/proc.ts";
