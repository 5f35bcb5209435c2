/**
 * @module
 * Pausing the queue: `paused.json` in the home says since when, and until when (or until
 * `resume`). A paused queue still takes items (the tick and the watcher enqueue as usual) but a
 * runner starts none of them, except the one a person asked to follow (`run <task> --now`).
 * A file, not the store: `status`, `list` and the menu bar read it without opening the store.
 * A run that was being started as the pause was written still starts; nothing after it does.
 */

import { checkFields, isTime, readStateFile, type StateShape } from "../log/state_file.ts";
import { UsageError } from "../errors.ts";
import { rm, writeFileAtomic } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";

/** A pause: since when, and until when (null: until `resume`). Times are ISO. */
export interface Pause {
  since: string;
  until: string | null;
}

/** What `paused.json` holds: an object with `since` a time and `until` a time or null. */
export const PAUSE_SHAPE: StateShape<Pause> = {
  check: (v) =>
    checkFields(v, {
      since: [isTime, "a time"],
      until: [(u) => u === null || isTime(u), "a time or null"],
    }),
};

/**
 * The pause in force at `nowMs`, if any (a pause whose `until` has passed is over). A damaged
 * `paused.json` is moved aside (and logged): no pause.
 */
export async function readPause(paths: Paths, nowMs: number): Promise<Pause | undefined> {
  const { value } = await readStateFile(paths, paths.pause, PAUSE_SHAPE, nowMs);
  if (value === undefined) return undefined;
  if (value.until !== null && Date.parse(value.until) <= nowMs) return undefined;
  return { since: value.since, until: value.until };
}

/** Pauses the queue (replacing any pause). */
export async function pauseQueue(paths: Paths, pause: Pause): Promise<void> {
  await writeFileAtomic(paths.pause, JSON.stringify(pause) + "\n");
}

/** Ends the pause. Returns the pause that was in force, if any. */
export async function resumeQueue(paths: Paths, nowMs: number): Promise<Pause | undefined> {
  // Whatever is there (a damaged file is moved aside by the read), no pause is left.
  const was = await readPause(paths, nowMs).catch(() => undefined);
  await rm(paths.pause);
  return was;
}

/**
 * Pauses the queue from `nowMs` for `seconds`, or until `resume` when none are given. A pause
 * already in force keeps its `since` (only its end changes). Returns the pause written.
 */
export async function pauseFor(
  paths: Paths,
  nowMs: number,
  options: { seconds?: number | undefined } = {},
): Promise<Pause> {
  const pause: Pause = {
    since: (await readPause(paths, nowMs))?.since ?? new Date(nowMs).toISOString(),
    until: options.seconds === undefined
      ? null
      : new Date(nowMs + options.seconds * 1000).toISOString(),
  };
  await pauseQueue(paths, pause);
  return pause;
}

/** What `togglePause()` did: paused the queue (until `resume`), or ended the pause in force. */
export type PauseToggle =
  | { kind: "paused"; pause: Pause }
  | { kind: "resumed"; was: Pause };

/** Ends the pause in force at `nowMs`, or, when there is none, pauses the queue until resumed. */
export async function togglePause(paths: Paths, nowMs: number): Promise<PauseToggle> {
  const was = await readPause(paths, nowMs);
  if (was) {
    await resumeQueue(paths, nowMs);
    return { kind: "resumed", was };
  }
  return { kind: "paused", pause: await pauseFor(paths, nowMs) };
}

const UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Seconds in a duration such as "90s", "30m", "2h", "1d", "1h30m", or a number of seconds.
 * `name` is what the duration was given as (`--for`; the web API's `for`), for the error.
 * @throws {UsageError} for anything else.
 */
export function parseDuration(text: string, name = "--for"): number {
  const trimmed = text.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const seconds = Number(trimmed);
    if (seconds > 0) return seconds;
  } else if (/^(\d+(\.\d+)?[smhd])+$/.test(trimmed)) {
    let seconds = 0;
    for (const [, n, unit] of trimmed.matchAll(/(\d+(?:\.\d+)?)([smhd])/g)) {
      seconds += Number(n) * (UNITS[unit ?? "s"] ?? 1);
    }
    if (seconds > 0) return seconds;
  }
  throw new UsageError(`${name} must be a duration such as 30m, 2h or 1d, got "${text}"`, {
    hint: name === "--for"
      ? "write clodputer pause --for 2h (s, m, h, d), or leave --for out to pause until resume"
      : `give ${name} as 2h (s, m, h, d), or leave it out to pause until resume`,
  });
}
