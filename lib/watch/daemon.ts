/**
 * @module
 * The watcher daemon's outside: its pid file (`watcher.pid`: pid, start time, folders, last
 * event), whether it is running (pid and start time, so a reused pid is never mistaken for it),
 * one daemon at a time (a lease in the store), and its lifecycle: start it detached and wait
 * until it is watching, stop it and wait until it is gone.
 */

import { ClodputerError, UsageError } from "../errors.ts";
import type { Store } from "../state/store.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import { readTextIfExists, rm, writeFileAtomic } from "../sys/fs.ts";
import {
  checkFields,
  isRecord,
  isStrings,
  readStateFile,
  type StateShape,
} from "../log/state_file.ts";
import type { Paths } from "../sys/paths.ts";
import { type Proc, spawnDetached } from "../sys/proc.ts";
import { isZombie } from "../sys/ps.ts";
import { type SelfCommand, thisClodputer } from "../sys/self.ts";

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

/** What starting and stopping the watcher touch. */
export interface DaemonDeps {
  proc: Proc;
  clock: Clock;
  env: Env;
  paths: Paths;
}

const START_WAIT_MS = 30_000;
const STOP_WAIT_MS = 30_000;

/**
 * V8 flags for the daemon, which lives long and is idle nearly all the time: no optimising
 * compiler (it runs little code, rarely) and a 1 MB young generation. With 20 folders watched
 * its RSS goes from ~95 MB to ~70 MB.
 */
export const DAEMON_V8_FLAGS = "--lite-mode,--max-semi-space-size=1";

/**
 * The command line that starts the daemon. Pure. From source, deno is given DAEMON_V8_FLAGS; a
 * compiled binary, or the shim of a source install (`deno task install`), would take them for its
 * own arguments, so those are started without them.
 */
export function daemonArgv(self: SelfCommand): string[] {
  if (self.kind === "binary" || self.argv[1] !== "run") {
    return [...self.argv, "watch", "--background"];
  }
  const [denoRun, rest] = [self.argv.slice(0, 2), self.argv.slice(2)]; // deno run <flags> main.ts
  return [...denoRun, `--v8-flags=${DAEMON_V8_FLAGS}`, ...rest, "watch", "--background"];
}

/** Starts the watcher detached (it writes watcher.pid once it is watching); returns its pid. */
export function startWatcher(
  deps: Pick<DaemonDeps, "proc" | "env">,
  self: () => SelfCommand = thisClodputer,
): number {
  return spawnDetached(deps.proc, daemonArgv(self()), deps.env.toObject());
}

/**
 * Starts the daemon detached and waits until it is watching; returns its pid and the folders it
 * watches. @throws {UsageError} when a watcher is already running; {ClodputerError} when it did
 * not start.
 */
export async function startDaemon(
  deps: DaemonDeps,
  self: () => SelfCommand = thisClodputer,
): Promise<{ pid: number; folders: string[] }> {
  const before = await watcherState(deps.paths, deps.proc, deps.clock.now());
  if (before.state === "running") {
    throw new UsageError(`A watcher is already running (pid ${before.pid})`, {
      hint: "see it with: clodputer watch --status; stop it with: clodputer watch --stop",
    });
  }
  const pid = startWatcher(deps, self);
  const deadline = deps.clock.now() + START_WAIT_MS;
  while (deps.clock.now() < deadline) {
    const state = await watcherState(deps.paths, deps.proc, deps.clock.now());
    if (state.state === "running" && state.pid === pid) {
      return { pid, folders: state.info?.folders ?? [] };
    }
    if (state.state === "running" && state.pid !== pid) {
      throw new UsageError(`A watcher is already running (pid ${state.pid})`, {
        hint: "see it with: clodputer watch --status",
      });
    }
    if (!(await deps.proc.info(pid))) break;
    await deps.clock.sleep(50);
  }
  throw new ClodputerError(`The watcher (pid ${pid}) did not start`, {
    hint: `read ${deps.paths.watcherLog}; or run it in the foreground: clodputer watch`,
  });
}

/** What stopping the watcher did. */
export type StopOutcome =
  | { kind: "not running" }
  | { kind: "stopped"; pid: number }
  | { kind: "killed"; pid: number; waitedMs: number };

/**
 * Stops the watcher: SIGTERM, then waits for it to go; SIGKILL (and watcher.pid removed) when it
 * has not gone within 30 s. A stale watcher.pid is removed.
 */
export async function stopWatcher(deps: Omit<DaemonDeps, "env">): Promise<StopOutcome> {
  const state = await watcherState(deps.paths, deps.proc, deps.clock.now());
  if (state.state !== "running") {
    if (state.state === "stale") await removeWatcherInfo(deps.paths, state.pid);
    return { kind: "not running" };
  }
  deps.proc.signal(state.pid, "SIGTERM");
  const deadline = deps.clock.now() + STOP_WAIT_MS;
  while (deps.clock.now() < deadline) {
    const info = await deps.proc.info(state.pid);
    if (!info || isZombie(info)) return { kind: "stopped", pid: state.pid };
    await deps.clock.sleep(50);
  }
  deps.proc.signal(state.pid, "SIGKILL");
  await removeWatcherInfo(deps.paths, state.pid);
  return { kind: "killed", pid: state.pid, waitedMs: STOP_WAIT_MS };
}
