/**
 * @module
 * Pausing the queue: `paused.json` in the home says since when, and until when (or until
 * `resume`). A paused queue still takes items (the tick and the watcher enqueue as usual) but a
 * runner starts none of them, except the one a person asked to follow (`run <task> --now`).
 * A file, not the store: `status`, `list` and the menu bar read it without opening the store.
 * A run that was being started as the pause was written still starts; nothing after it does.
 */

import { readTextIfExists, rm, writeFileAtomic } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";

/** A pause: since when, and until when (null: until `resume`). Times are ISO. */
export interface Pause {
  since: string;
  until: string | null;
}

/** The pause in force at `nowMs`, if any (a pause whose `until` has passed is over). */
export async function readPause(paths: Paths, nowMs: number): Promise<Pause | undefined> {
  const text = await readTextIfExists(paths.pause);
  if (text === undefined) return undefined;
  let value: Partial<Pause>;
  try {
    value = JSON.parse(text);
  } catch {
    // Half a file cannot be: it is written whole. Anything else there is not ours: no pause.
    return undefined;
  }
  if (typeof value.since !== "string") return undefined;
  const until = typeof value.until === "string" ? value.until : null;
  if (until !== null && Date.parse(until) <= nowMs) return undefined;
  return { since: value.since, until };
}

/** Pauses the queue (replacing any pause). */
export async function pauseQueue(paths: Paths, pause: Pause): Promise<void> {
  await writeFileAtomic(paths.pause, JSON.stringify(pause) + "\n");
}

/** Ends the pause. Returns the pause that was in force, if any. */
export async function resumeQueue(paths: Paths, nowMs: number): Promise<Pause | undefined> {
  const was = await readPause(paths, nowMs);
  await rm(paths.pause);
  return was;
}
