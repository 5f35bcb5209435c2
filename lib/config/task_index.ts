/**
 * @module
 * The task index: config.yaml's validated settings and each task file's validated task, kept in
 * `$CLODPUTER_HOME/task_index.json`, so that loading an unchanged file (`load.ts`) reads a `stat`
 * and this file and builds no schema (no yaml, no zod). The whole index is keyed by its format,
 * Clodputer's version, {@linkcode SCHEMA_VERSION}, HOME and config.yaml's stamp; each task by its
 * file's stamp and the `default_timeout` it was loaded with. Only what read no environment
 * variable but HOME is kept, never an invalid file (its problems are found again each time), nor
 * a task with `depends_on` (its cycle check reads other files). Beside a kept task, a face may keep
 * what it worked out from it (`views`: `list`'s described schedule and next run); it goes when the
 * task does. Losing or breaking this file costs
 * only time: a damaged one is moved aside (lib/log/state_file.ts), one of another version is
 * ignored.
 */

import denoJson from "../../deno.json" with { type: "json" };
import { join } from "../sys/posix_path.ts";
import type { Paths } from "../sys/paths.ts";
import type { FileStamp } from "../sys/file_stamp.ts";
import { sameStamp } from "../sys/file_stamp.ts";
import { writeFileShared } from "../sys/fs.ts";
import {
  checkFields,
  isNumber,
  isRecord,
  readStateFile,
  type StateShape,
} from "../log/state_file.ts";
import type { GlobalConfig } from "./types.ts";
import type { LoadedTask } from "./parse.ts";

/** Bump when how the index is stored changes. */
const FORMAT = 1;

/**
 * Bump when what a loaded task or config.yaml's settings hold, or how they are worked out
 * (`parse.ts`, `schema.ts`, `fields.ts`), changes between releases: every kept entry is then
 * loaded again.
 */
export const SCHEMA_VERSION = 5;

/** One task file's validated task, and what it was loaded with. */
export interface TaskIndexEntry {
  /** The file's stamp when it was read (unchanged until it was validated). */
  stamp: FileStamp;
  /** config.yaml's `default_timeout` it was loaded with (null: none). */
  default_timeout: number | null;
  loaded: LoadedTask;
  /**
   * What a face worked out from `loaded` and keeps beside it, by the face's name (`list`: the
   * described schedule and its next run). Opaque here: the face checks it. Dropped with the entry.
   */
  views?: Record<string, unknown>;
}

/** What the whole index is keyed by: HOME and config.yaml's stamp (null: missing). */
export interface TaskIndexKey {
  home: string | null;
  config: FileStamp | null;
}

/** The index as stored. */
export interface TaskIndex extends TaskIndexKey {
  format: number;
  version: string;
  schema: number;
  /** config.yaml's validated settings, when they are kept. */
  global?: GlobalConfig;
  tasks: Record<string, TaskIndexEntry>;
}

/** The index's file. */
export function taskIndexFile(paths: Paths): string {
  return join(paths.home, "task_index.json");
}

const isStamp = (v: unknown) =>
  checkFields(v, {
    mtime: [isNumber, "a number"],
    size: [isNumber, "a number"],
    ino: [isNumber, "a number"],
    ctime: [isNumber, "a number"],
  }) === undefined;

/** What every user of a loaded task reads without looking: checked, so a kept one is whole. */
const isTaskConfig = (c: unknown): boolean => {
  if (!isRecord(c) || typeof c.name !== "string" || typeof c.enabled !== "boolean") return false;
  const t = c.task;
  return isRecord(t) && typeof t.prompt === "string" && isNumber(t.timeout) &&
    Array.isArray(t.allowed_tools) && Array.isArray(t.disallowed_tools) && isRecord(t.env) &&
    isRecord(t.context);
};

const isCurrent = (v: Record<string, unknown>) =>
  v.format === FORMAT && v.version === denoJson.version && v.schema === SCHEMA_VERSION;

/** The shape of `task_index.json`. One of another format or version is not checked further. */
const TASK_INDEX_SHAPE: StateShape<TaskIndex> = {
  check(v) {
    const top = checkFields(v, {
      format: [isNumber, "a number"],
      version: [(x) => typeof x === "string", "a version"],
      schema: [isNumber, "a number"],
    });
    if (top !== undefined || !isRecord(v)) return top;
    if (!isCurrent(v)) return undefined;
    const rest = checkFields(v, {
      home: [(x) => x === null || typeof x === "string", "a path or null"],
      config: [(x) => x === null || isStamp(x), "a file stamp or null"],
      global: [(x) => x === undefined || isRecord(x), "an object"],
      tasks: [isRecord, "an object"],
    });
    if (rest !== undefined) return rest;
    for (const [name, entry] of Object.entries(v.tasks as Record<string, unknown>)) {
      const where = `tasks.${name}`;
      const problem = checkFields(entry, {
        stamp: [isStamp, "a file stamp"],
        default_timeout: [(x) => x === null || isNumber(x), "a number or null"],
        loaded: [
          (l) =>
            isRecord(l) && l.name === name && typeof l.file === "string" &&
            isTaskConfig(l.config) &&
            Array.isArray(l.secretValues) && Array.isArray(l.warnings),
          "a loaded task of that name",
        ],
        views: [(x) => x === undefined || isRecord(x), "an object"],
      }, where);
      if (problem !== undefined) return problem;
    }
    return undefined;
  },
};

/**
 * The stored index when it is there, of this format, version and schema, and made with `key`;
 * undefined otherwise. A damaged one is moved aside and logged (at `nowMs`).
 */
export async function readTaskIndex(
  paths: Paths,
  key: TaskIndexKey,
  nowMs: number,
): Promise<TaskIndex | undefined> {
  const { value } = await readStateFile(paths, taskIndexFile(paths), TASK_INDEX_SHAPE, nowMs);
  if (value === undefined || !isCurrent(value as unknown as Record<string, unknown>)) {
    return undefined;
  }
  if (value.home !== key.home || !sameStamp(value.config, key.config)) return undefined;
  return value;
}

/**
 * Adds to the index made with `key` (a fresh one when the stored one is of another key), and
 * stores it whole; a failure is ignored (a home that cannot be written loads as before, only not
 * faster). Read again first, so that what another process added meanwhile is kept.
 */
export async function updateTaskIndex(
  paths: Paths,
  key: TaskIndexKey,
  nowMs: number,
  change: {
    global?: GlobalConfig;
    task?: [string, TaskIndexEntry];
    /** Views to keep beside kept tasks: [task, the stamp it was worked out for, view, value]. */
    views?: [string, FileStamp, string, unknown][];
  },
): Promise<void> {
  try {
    const stored = await readTaskIndex(paths, key, nowMs);
    // Views go beside kept tasks: with no index of this key there is none to keep them beside.
    if (stored === undefined && change.global === undefined && change.task === undefined) return;
    const index: TaskIndex = stored ?? {
      format: FORMAT,
      version: denoJson.version,
      schema: SCHEMA_VERSION,
      home: key.home,
      config: key.config,
      tasks: {},
    };
    if (change.global !== undefined) index.global = change.global;
    if (change.task !== undefined) index.tasks[change.task[0]] = change.task[1];
    let kept = false;
    for (const [name, stamp, view, value] of change.views ?? []) {
      const entry = index.tasks[name];
      // Only beside the task it was worked out from; a task not kept keeps no view.
      if (entry === undefined || !sameStamp(entry.stamp, stamp)) continue;
      entry.views = { ...entry.views, [view]: value };
      kept = true;
    }
    if (!kept && change.global === undefined && change.task === undefined) return;
    await writeFileShared(taskIndexFile(paths), JSON.stringify(index));
  } catch {
    // Only time is lost.
  }
}

/** True when a load that read the variables `read` may be kept: none but HOME. */
export function cacheableRead(read: ReadonlySet<string>): boolean {
  for (const name of read) if (name !== "HOME") return false;
  return true;
}
