/**
 * @module
 * The one reader of the state files Clodputer writes and reads back (docs/state-files.md): each
 * is parsed and checked against its shape; a damaged one (empty, not JSON, cut short, of the wrong
 * shape, a folder, a dangling link) is moved aside as `<file>.corrupt-<time>`, never deleted, the
 * move is logged in the execution log with what was wrong, and the caller goes on with its default.
 * Never throws.
 */

import { moveAsideTo, readFileBounded } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";
import { openLog } from "./writer.ts";

/** The marker in the names of moved-aside state files. */
export const CORRUPT_MARK = ".corrupt-";

/** The event logged when a damaged state file is moved aside. */
export const DAMAGED_EVENT = "state_file_damaged";

/** No state file is this big; a bigger one is damaged (and is not read). */
const MAX_STATE_BYTES = 64 * 1024 * 1024;

/**
 * How to read one kind of state file: `parse` turns the text into a value (JSON by default;
 * throwing means damaged), `check` says what is wrong with the value, or undefined when it is of
 * the right shape.
 */
export interface StateShape<T> {
  parse?: (text: string) => unknown;
  check: (value: unknown) => string | undefined;
  /** Only for the type: the value `check` accepts. */
  readonly type?: T;
}

/** A damaged file: what was wrong, and where it went (null: it could not be moved). */
export interface Damaged {
  file: string;
  problem: string;
  movedTo: string | null;
}

/** What {@linkcode readStateFile} found: the value (undefined: none, or damaged). */
export interface StateRead<T> {
  value: T | undefined;
  damaged?: Damaged;
}

/**
 * Reads `file`, checks it with `shape`, and moves a damaged one aside (logged in `paths.log` at
 * `nowMs`). A missing file is no value and no damage.
 */
export async function readStateFile<T>(
  paths: Paths,
  file: string,
  shape: StateShape<T>,
  nowMs: number,
): Promise<StateRead<T>> {
  const problem = await problemOf(file, shape);
  if (problem === undefined) return { value: undefined };
  if (typeof problem !== "string") return { value: problem.value as T };
  const movedTo = await moveAside(file, nowMs);
  const damaged = { file, problem, movedTo };
  await logDamage(paths, nowMs, damaged);
  return { value: undefined, damaged };
}

async function problemOf(
  file: string,
  shape: StateShape<unknown>,
): Promise<string | { value: unknown } | undefined> {
  let read;
  try {
    read = await readFileBounded(file, MAX_STATE_BYTES);
  } catch (error) {
    return `cannot be read: ${error instanceof Error ? messageOf(error) : String(error)}`;
  }
  switch (read.kind) {
    case "missing":
      return undefined;
    case "dangling-symlink":
      return `a link to ${read.target}, which does not exist`;
    case "directory":
      return "a folder, not a file";
    case "not-a-file":
      return "not a regular file";
    case "too-big":
      return `${read.size} bytes, more than a state file holds`;
    case "file":
      break;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
  } catch {
    return "not UTF-8 text";
  }
  if (text.trim() === "") return "empty";
  let value: unknown;
  try {
    value = (shape.parse ?? JSON.parse)(text);
  } catch (error) {
    return `not ${shape.parse ? "readable" : "JSON"}: ${
      error instanceof Error ? error.message : String(error)
    }`;
  }
  const wrong = shape.check(value);
  return wrong === undefined ? { value } : wrong;
}

function messageOf(error: Error): string {
  return error.cause instanceof Error ? error.cause.message : error.message;
}

/** Moves `file` (a file, folder or link) to `<file>.corrupt-<time>`; null when it cannot. */
function moveAside(file: string, nowMs: number): Promise<string | null> {
  const stamp = new Date(nowMs).toISOString().replace(/[:.]/g, "-");
  return moveAsideTo(file, `${file}${CORRUPT_MARK}${stamp}`);
}

/** Logs a damaged state file's move (never throws: the command goes on without the line). */
export async function logDamage(paths: Paths, nowMs: number, damaged: Damaged): Promise<void> {
  const clock = { now: () => nowMs, sleep: () => Promise.resolve() };
  const log = openLog({ paths, clock });
  await log.append({
    event: DAMAGED_EVENT,
    file: damaged.file,
    error: damaged.problem,
    moved_to: damaged.movedTo,
  }).catch(() => {
    // a log that cannot be written does not stop the command: the file is moved aside anyway
  });
}

/** The words of a damage, for a warning or a view. */
export function describeDamage(d: Damaged): string {
  return `${d.file} is damaged (${d.problem}); ${
    d.movedTo ? `it was moved to ${d.movedTo}` : "it could not be moved aside"
  }`;
}

// --- small shape checks --------------------------------------------------------------------------

/** A plain object (not null, not an array). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A string that `Date.parse` reads. */
export function isTime(v: unknown): v is string {
  return typeof v === "string" && !Number.isNaN(Date.parse(v));
}

/** A finite number. */
export function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}

/** An array of strings. */
export function isStrings(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string");
}

/**
 * Checks an object's fields, each with a test and the words for what it should be; returns the
 * first problem (`"since" should be a time`), or undefined.
 */
export function checkFields(
  value: unknown,
  fields: Record<string, [(v: unknown) => boolean, string]>,
  where = "",
): string | undefined {
  if (!isRecord(value)) {
    return `${where ? `"${where}"` : "it"} should be an object, got ${typeName(value)}`;
  }
  for (const [key, [test, what]] of Object.entries(fields)) {
    if (!test(value[key])) {
      return `"${where ? `${where}.` : ""}${key}" should be ${what}, got ${typeName(value[key])}`;
    }
  }
  return undefined;
}

/** How a value's type is named in a problem. */
export function typeName(v: unknown): string {
  if (v === null) return "null";
  if (v === undefined) return "nothing";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "string") return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === "object") return "an object";
  return String(v);
}
