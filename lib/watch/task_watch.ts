/**
 * @module
 * One task's folder watch: each look lists the folder, compares it with the files the watch
 * knows (kept in the store, so a restart forgets nothing) and hands over each file that has
 * stopped changing for `debounce` ms, once: the file's new state and its queued run are one
 * atomic store operation.
 */

import type { Store } from "../state/store.ts";
import type { Priority, QueueItem } from "../state/types.ts";
import { newRunId } from "../run/run_id.ts";
import type { Clock } from "../sys/clock.ts";
import { type FileStamp, sameStamp } from "../sys/file_stamp.ts";
import { type FileEvent, fileRun } from "./file_run.ts";
import { scanFolder, type SkippedFile } from "./scan.ts";

export type { FileEvent };

/** A task's watch, from its `trigger:`. */
export interface WatchSpec {
  task: string;
  folder: string;
  pattern: string;
  event: FileEvent;
  debounce: number;
  recursive: boolean;
  ignore: string[];
  priority: Priority;
}

/** The parts of a watch that decide which files it knows: a change starts it afresh. */
export function watchIdentity(spec: WatchSpec): string {
  return JSON.stringify([spec.folder, spec.pattern, spec.recursive, spec.ignore]);
}

/** What one look found. */
export interface LookResult {
  queued: QueueItem[];
  /** Changes seen but not handed over (the event is not the one watched). */
  seen: { path: string; event: FileEvent }[];
  /** Files still changing (or not yet seen twice): look again after the debounce. */
  waiting: number;
  /** The folder does not exist (or cannot be read). */
  missing: boolean;
  /** Files found for the first time that cannot be handed over (a name Deno cannot address). */
  skipped: SkippedFile[];
  /** True when this look started the watch afresh (the files there were taken as known). */
  started: boolean;
}

/** One task's watch. Keeps only the files still settling in memory. */
export class TaskWatch {
  readonly spec: WatchSpec;
  #store: Store;
  #clock: Clock;
  #settling = new Map<string, { stamp: FileStamp; since: number }>();
  /** Files already reported as skipped, so each is said once while it stays. */
  #skipped = new Set<string>();

  constructor(spec: WatchSpec, deps: { store: Store; clock: Clock }) {
    this.spec = spec;
    this.#store = deps.store;
    this.#clock = deps.clock;
  }

  /** Files seen changing and not yet handed over: the watch must look again after its debounce. */
  get settling(): number {
    return this.#settling.size;
  }

  /**
   * When the first settling file will have been unchanged for the debounce (Infinity when none
   * settles): a look from then on hands it over if it is still unchanged. On the same clock as
   * the looks, so a look woken at this time never finds the file a few ms short of its debounce.
   */
  get dueAt(): number {
    let due = Infinity;
    for (const s of this.#settling.values()) due = Math.min(due, s.since + this.spec.debounce);
    return due;
  }

  /**
   * Lists the folder and hands over what is complete. A folder that is gone takes its files
   * with it: they are forgotten (handed over as deleted to an `event: deleted` watch), so a file
   * of the same name in the folder made again is new.
   */
  async look(): Promise<LookResult> {
    const { spec } = this;
    const result: LookResult = {
      queued: [],
      seen: [],
      waiting: 0,
      missing: false,
      skipped: [],
      started: false,
    };
    const scan = await scanFolder(spec);
    const found = scan.kind === "files" ? scan.files : undefined;
    const identity = watchIdentity(spec);
    if (await this.#store.watchBase(spec.task) !== identity) {
      // A new watch owes nothing for the files already there; a folder that does not exist yet
      // has none, so every file it gets later is new.
      await this.#store.resetWatch(spec.task, identity, found ?? new Map());
      this.#settling.clear();
      this.#skipped = new Set(scan.kind === "files" ? scan.skipped.map((f) => f.path) : []);
      result.started = true;
      result.missing = found === undefined;
      return result;
    }
    if (scan.kind === "files") {
      const present = new Set(scan.skipped.map((f) => f.path));
      result.skipped = scan.skipped.filter((f) => !this.#skipped.has(f.path));
      this.#skipped = present;
    } else {
      this.#skipped.clear();
    }
    // A folder that cannot be read keeps what it knew; one that is gone holds nothing.
    if (scan.kind === "missing") {
      result.missing = true;
      this.#settling.clear();
      if (!scan.gone) return result;
    }
    const current = found ?? new Map<string, FileStamp>();
    const known = await this.#store.watchFiles(spec.task);
    const now = this.#clock.now();
    const ready: {
      path: string;
      event: FileEvent;
      stamp: FileStamp | null;
      seen: string | null;
    }[] = [];
    for (const [path, stamp] of current) {
      const k = known.get(path);
      if (k && sameStamp(k.value, stamp)) {
        this.#settling.delete(path);
        continue;
      }
      const s = this.#settling.get(path);
      if (!s || !sameStamp(s.stamp, stamp)) {
        this.#settling.set(path, { stamp, since: now });
        continue;
      }
      if (now - s.since < spec.debounce) continue;
      this.#settling.delete(path);
      ready.push({ path, event: k ? "modified" : "created", stamp, seen: k?.versionstamp ?? null });
    }
    for (const [path, k] of known) {
      if (current.has(path)) continue;
      this.#settling.delete(path);
      ready.push({ path, event: "deleted", stamp: null, seen: k.versionstamp });
    }
    for (const path of this.#settling.keys()) if (!current.has(path)) this.#settling.delete(path);

    const at = new Date(now).toISOString();
    for (const r of ready) {
      // The trigger and {{ context.* }} as `run --file` gives them too (file_run.ts).
      const item = r.event === spec.event
        ? {
          id: newRunId(now),
          task: spec.task,
          priority: spec.priority,
          ...fileRun(r.path, r.event, "watcher"),
        }
        : undefined;
      const claimed = await this.#store.claimFile(spec.task, r.path, r.seen, r.stamp, item, at);
      if (claimed === undefined) continue; // another watcher moved first; the next look sees it
      if (claimed) result.queued.push(claimed);
      else result.seen.push({ path: r.path, event: r.event });
    }
    result.waiting = this.#settling.size;
    return result;
  }
}
