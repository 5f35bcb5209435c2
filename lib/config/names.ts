/**
 * @module
 * Task names: `[a-z0-9][a-z0-9_-]*`, at most 64 characters, so a name is always a safe file stem.
 */

import { ConfigError, IoError, UsageError } from "../errors.ts";
import type { Paths } from "../sys/paths.ts";

/** Only `tasks/*.yaml` files are tasks (as in the earlier Clodputer); `.yml` is not read. */
const TASK_EXTENSION = ".yaml";

/** The longest task name allowed. */
export const MAX_TASK_NAME_LENGTH = 64;

const NAME = /^[a-z0-9][a-z0-9_-]*$/;

/** What a task name may contain, for messages and hints. */
export const TASK_NAME_RULE =
  `lowercase letters, digits, "-" and "_", starting with a letter or digit, at most ${MAX_TASK_NAME_LENGTH} characters`;

/** Why `name` is not a valid task name, or undefined when it is one. */
export function taskNameProblem(name: string): string | undefined {
  if (name === "") return "is empty";
  if (name.length > MAX_TASK_NAME_LENGTH) {
    return `is ${name.length} characters long (at most ${MAX_TASK_NAME_LENGTH})`;
  }
  if (name.includes("/") || name.includes("\\") || name === "." || name === "..") {
    return "is a path, not a name";
  }
  if (!NAME.test(name)) {
    if (/[A-Z]/.test(name) && NAME.test(name.toLowerCase())) return "has uppercase letters";
    if (/^[-_]/.test(name)) return `starts with "${name[0]}"`;
    return `has characters other than a-z, 0-9, "-" and "_"`;
  }
  return undefined;
}

/** True when `name` is a valid task name. */
export function isTaskName(name: string): boolean {
  return taskNameProblem(name) === undefined;
}

/**
 * Checks a task name given on the command line.
 * @throws {UsageError} when the name is empty, too long, a path or has other characters.
 */
export function validateTaskName(name: string): void {
  const problem = taskNameProblem(name);
  if (problem === undefined) return;
  const suggestion = suggestTaskName(name);
  throw new UsageError(`Invalid task name "${name}": it ${problem}`, {
    hint: suggestion !== undefined && suggestion !== name
      ? `a task name uses ${TASK_NAME_RULE}, for example "${suggestion}"`
      : `a task name uses ${TASK_NAME_RULE}, for example "daily-email"`,
  });
}

/** A valid name close to `text` (lowercased, other characters turned into "-"), if any. */
export function suggestTaskName(text: string): string | undefined {
  const base = text.split(/[\\/]/).filter((part) => part !== "" && part !== "." && part !== "..")
    .pop() ?? "";
  const candidate = base.replace(/\.ya?ml$/i, "").toLowerCase().replace(/[^a-z0-9_-]+/g, "-")
    .replace(/^[-_]+/, "").replace(/-+$/, "").slice(0, MAX_TASK_NAME_LENGTH);
  return isTaskName(candidate) ? candidate : undefined;
}

/** The error for a `tasks` that is there but is not a folder (a file, a link to a file). */
export function tasksNotAFolder(paths: Paths): ConfigError {
  return new ConfigError(`Cannot read the tasks: ${paths.tasks} is not a folder`, {
    hint: `move it aside and make the folder: mv ${paths.tasks} ${paths.tasks}.old && ` +
      `mkdir ${paths.tasks}`,
    where: { file: paths.tasks },
  });
}

/** True for the error of listing or reading under a `tasks` that is not a folder. */
export function isNotAFolderError(error: unknown): boolean {
  return error instanceof Deno.errors.NotADirectory ||
    (error instanceof Error && /not a directory/i.test(error.message));
}

/** The pattern a task name follows, as people read it in messages. */
export const TASK_NAME_PATTERN = "[a-z0-9][a-z0-9_-]*";

/** A `tasks/*.yaml` file whose stem is not a valid task name: never loaded as a task, reported. */
export interface MisnamedTaskFile {
  /** Its name in `tasks/`, e.g. `UPPER.yaml`. */
  name: string;
  /** Its path. */
  file: string;
  /** What is wrong with its stem, e.g. "has uppercase letters". */
  problem: string;
  /** The file name to rename it to (a valid task name close to it), if there is one. */
  rename: string | undefined;
}

/**
 * The file `fileName` of the tasks folder `dir` when it looks like a task file (`*.yaml`, not a
 * hidden file) but its stem is not a valid task name; undefined for a task file or any other file.
 */
export function misnamedTaskFile(dir: string, fileName: string): MisnamedTaskFile | undefined {
  if (!fileName.endsWith(TASK_EXTENSION) || fileName.startsWith(".")) return undefined;
  const stem = fileName.slice(0, -TASK_EXTENSION.length);
  const problem = taskNameProblem(stem);
  if (problem === undefined) return undefined;
  const suggestion = suggestTaskName(stem);
  return {
    name: fileName,
    file: `${dir}/${fileName}`,
    problem,
    rename: suggestion === undefined ? undefined : `${suggestion}${TASK_EXTENSION}`,
  };
}

/** What to tell a person of a misnamed task file: the problem, then the rule and the rename. */
export function misnamedMessage(m: MisnamedTaskFile): { message: string; hint: string } {
  const stem = m.name.slice(0, -TASK_EXTENSION.length);
  const rule = `a task name is ${TASK_NAME_PATTERN} (${TASK_NAME_RULE})`;
  return {
    message:
      `The file name "${m.name}" is not a valid task name: "${stem}" ${m.problem}, so it is not loaded`,
    hint: m.rename === undefined
      ? `rename the file, for example to daily-email.yaml: ${rule}`
      : `rename "${m.name}" to "${m.rename}": ${rule}`,
  };
}

/** What the tasks folder holds: the task names, and the `*.yaml` files that are misnamed. */
export interface TaskFolder {
  /** The stems of the `*.yaml` files that are valid task names, sorted. */
  names: string[];
  /** The `*.yaml` files whose stems are not valid task names, sorted by file name. */
  misnamed: MisnamedTaskFile[];
}

/**
 * Reads `tasks/`: its task names and its misnamed task files. A missing folder has none.
 * @throws {ConfigError} when `tasks` is not a folder.
 * @throws {IoError} when the folder cannot be read.
 */
export async function readTaskFolder(paths: Paths): Promise<TaskFolder> {
  const names: string[] = [];
  const misnamed: MisnamedTaskFile[] = [];
  try {
    for await (const entry of Deno.readDir(paths.tasks)) {
      if (entry.isDirectory || !entry.name.endsWith(TASK_EXTENSION)) continue;
      const stem = entry.name.slice(0, -TASK_EXTENSION.length);
      if (isTaskName(stem)) names.push(stem);
      else {
        const m = misnamedTaskFile(paths.tasks, entry.name);
        if (m) misnamed.push(m);
      }
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { names: [], misnamed: [] };
    if (isNotAFolderError(error)) throw tasksNotAFolder(paths);
    throw new IoError("list the tasks in", paths.tasks, { cause: error });
  }
  return {
    names: names.sort(),
    misnamed: misnamed.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
}

/**
 * The names of the tasks in `tasks/`: the stems of its `*.yaml` files that are valid task names,
 * sorted. A missing folder has none. Misnamed files are left out (see readTaskFolder).
 * @throws {IoError} when the folder cannot be read.
 */
export async function listTaskNames(paths: Paths): Promise<string[]> {
  return (await readTaskFolder(paths)).names;
}
