/**
 * @module
 * The watcher's keys: `["watch_file", task, path]` (a file a watch knows), `["watch_base", task]`
 * (the watch's identity when its files were taken as known), `["watcher"]` (the one-watcher
 * lease) and `["interval_since", task]` (when an interval task was first seen). Handing a file
 * over, which also queues its run, is in `steps.ts`.
 */

import type { FileStamp } from "../../sys/file_stamp.ts";
import type { KvCore, Versioned } from "./core.ts";

/** Who holds the one-watcher lease. */
export interface WatcherLease {
  pid: number;
  started: string;
}

/** The key of a file `task`'s watch knows. */
export function watchFileKey(task: string, path: string): Deno.KvKey {
  return ["watch_file", task, path];
}

const WATCHER_KEY: Deno.KvKey = ["watcher"];

/** The files a watch knows (handed over, or there when the watch began), by path. */
export async function watchFiles(
  core: KvCore,
  task: string,
): Promise<Map<string, Versioned<FileStamp>>> {
  const entries = await core.retry(
    "read a watch's files",
    () => Array.fromAsync(core.kv.list<FileStamp>({ prefix: ["watch_file", task] })),
  );
  return new Map(
    entries.map((e) => [String(e.key[2]), { value: e.value, versionstamp: e.versionstamp }]),
  );
}

/** The watch's identity when its files were last taken as known (its folder and pattern). */
export function watchBase(core: KvCore, task: string): Promise<string | undefined> {
  return core.value<string>("read a watch", ["watch_base", task]);
}

async function forgetFiles(core: KvCore, task: string): Promise<void> {
  for (const path of (await watchFiles(core, task)).keys()) {
    await core.retry("forget a watched file", () => core.kv.delete(watchFileKey(task, path)));
  }
}

/**
 * Starts a watch afresh: forgets the files it knew and takes `files` as known (they were there
 * before the watch began, so they are never handed over).
 */
export async function resetWatch(
  core: KvCore,
  task: string,
  base: string,
  files: Map<string, FileStamp>,
): Promise<void> {
  await forgetFiles(core, task);
  const all = [...files];
  for (let i = 0; i < all.length; i += 200) {
    const op = core.kv.atomic();
    for (const [path, stamp] of all.slice(i, i + 200)) op.set(watchFileKey(task, path), stamp);
    await core.retry("remember a watch's files", () => op.commit());
  }
  await core.retry("record a watch", () => core.kv.set(["watch_base", task], base));
}

/** Forgets everything a watch knew (its task is gone or no longer watches). */
export async function forgetWatch(core: KvCore, task: string): Promise<void> {
  await forgetFiles(core, task);
  await core.retry("forget a watch", () => core.kv.delete(["watch_base", task]));
}

/** Who holds the one-watcher lease. */
export async function watcherLease(core: KvCore): Promise<Versioned<WatcherLease>> {
  const entry = await core.retry(
    "read the watcher lease",
    () => core.kv.get<WatcherLease>(WATCHER_KEY),
  );
  return { value: entry.value ?? undefined, versionstamp: entry.versionstamp };
}

/** Sets (or, with null, clears) the watcher lease if it is still as `seen`. */
export async function setWatcherLease(
  core: KvCore,
  seen: string | null,
  lease: WatcherLease | null,
): Promise<boolean> {
  const op = core.kv.atomic().check({ key: WATCHER_KEY, versionstamp: seen });
  if (lease === null) op.delete(WATCHER_KEY);
  else op.set(WATCHER_KEY, lease);
  return (await core.retry("take the watcher lease", () => op.commit())).ok;
}

/** When an interval task was first seen (its first interval counts from then). */
export function intervalSince(core: KvCore, task: string): Promise<string | undefined> {
  return core.value<string>("read an interval", ["interval_since", task]);
}

/** Records when an interval task was first seen. */
export async function setIntervalSince(core: KvCore, task: string, at: string): Promise<void> {
  await core.retry("record an interval", () => core.kv.set(["interval_since", task], at));
}
