/**
 * @module
 * A run for one file: the trigger and the trigger data (`{{ context.file_path }}` and the rest;
 * the runner passes the same values as `{{ metadata.* }}`) a folder watch hands over. The one
 * definition the watcher (task_watch.ts) and `clodputer run <task> --file <path>` share, so a run
 * by hand on a file fills every file variable exactly as the watcher fills it for that file. And
 * which tasks take a file when run by hand, and the check of a file a person names.
 */

import { UsageError } from "../errors.ts";
import { basename, dirname, join, normalize } from "../sys/posix_path.ts";
import { findTemplateVariables } from "../config/template.ts";
import type { TaskConfig } from "../config/types.ts";
import type { Trigger } from "../run/record.ts";
import { isIgnored, matchesGlob } from "./glob.ts";

/** What happened to a file. */
export type FileEvent = "created" | "modified" | "deleted";

/** The trigger data of a run for one file: the values of `{{ context.* }}` (and `metadata.*`). */
export function fileContext(path: string, event: FileEvent): Record<string, string> {
  return {
    file_path: path,
    file_name: basename(path),
    file_dir: dirname(path),
    event,
    // The earlier Clodputer's spelling: {{ metadata.path }}.
    path,
  };
}

/** The keys of {@linkcode fileContext}: the variables a run for a file fills under `context.`. */
export const FILE_CONTEXT_KEYS: readonly string[] = [
  "file_path",
  "file_name",
  "file_dir",
  "event",
  "path",
];

/** What a queued run for one file carries. */
export interface FileRun {
  trigger: Trigger;
  context: Record<string, string>;
}

/**
 * The trigger and trigger data of a run for the file `path` (absolute), `event` being what
 * happened to it. `by` says who asked: the watcher, which hands the file over (trigger
 * `file_watch`), or a person, with `clodputer run <task> --file <path>` (trigger `manual`: a
 * person started it; the same `path` and `event` are in it, so the record and `show` name the
 * file). The trigger data is the same either way.
 */
export function fileRun(path: string, event: FileEvent, by: "watcher" | "person"): FileRun {
  return {
    trigger: { type: by === "watcher" ? "file_watch" : "manual", path, event },
    context: fileContext(path, event),
  };
}

/** A folder watch as `run --file` needs it: where, which files, which event. */
export interface WatchedFiles {
  folder: string;
  pattern: string;
  event: FileEvent;
  recursive: boolean;
  ignore: readonly string[];
}

/**
 * How a task takes a file when it is run by hand: `needs` one (it watches a folder: its runs are
 * each for one file), `may` take one (it does not watch a folder, but its templates use a file
 * variable: `context.file_path` and the rest, `metadata.*`, `trigger.path`; the file is then
 * handed over as `created`), or takes `none`.
 */
export type FileUse =
  | { kind: "needs"; watch: WatchedFiles }
  | { kind: "may"; event: FileEvent }
  | { kind: "none" };

/** How `config` takes a file when run by hand (see {@linkcode FileUse}). Pure. */
export function fileUse(config: TaskConfig): FileUse {
  const t = config.trigger;
  if (t?.type === "file_watch") {
    return {
      kind: "needs",
      watch: {
        folder: t.path,
        pattern: t.pattern,
        event: t.event,
        recursive: t.recursive,
        ignore: t.ignore,
      },
    };
  }
  return usesFileVariables(config) ? { kind: "may", event: "created" } : { kind: "none" };
}

/** True when a template of the task (prompt, context, env, log actions) names a file variable. */
export function usesFileVariables(config: TaskConfig): boolean {
  const { task } = config;
  const texts = [
    task.prompt,
    task.append_system_prompt ?? "",
    ...stringsIn(task.context),
    ...Object.values(task.env),
    ...[...config.on_success, ...config.on_failure].flatMap((a) => "log" in a ? [a.log] : []),
  ];
  return texts.some((text) => findTemplateVariables(text).some(isFileVariable));
}

/** `metadata.*`, `context.file_path` (and the other keys of fileContext), `trigger.path|event`. */
function isFileVariable(variable: string): boolean {
  const [root, key] = variable.split(".");
  if (root === "metadata") return true;
  if (key === undefined) return false;
  if (root === "context") return FILE_CONTEXT_KEYS.includes(key);
  return root === "trigger" && (key === "path" || key === "event");
}

function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Why the watch would not hand `path` (absolute) over, or undefined when it would (a file of that
 * name, in that place, when `event` happens to it). Looks at the path only. Pure.
 */
export function whyNotHandedOver(watch: WatchedFiles, path: string): string | undefined {
  const folder = normalize(`${watch.folder}/`);
  const file = normalize(path);
  if (!file.startsWith(folder)) return `it is not in the watched folder ${watch.folder}`;
  const relative = file.slice(folder.length);
  if (relative.includes("/") && !watch.recursive) {
    return `it is in a subfolder of ${watch.folder}, and the watch is not recursive`;
  }
  if (!matchesGlob(relative, watch.pattern)) {
    return `its name does not match the pattern "${watch.pattern}"`;
  }
  if (isIgnored(relative, watch.ignore)) {
    return "the watch ignores it (noise, such as editor and download files, or an ignore glob)";
  }
  return undefined;
}

/**
 * A file the watch would hand over, to show in an example command line: in the watched folder,
 * named after the pattern when it is a plain `*.ext` (`*.pdf` -> `example.pdf`), else `<file>`.
 */
export function exampleFile(watch: WatchedFiles): string {
  const m = watch.pattern.match(/^\*((?:\.[A-Za-z0-9_-]+)*)$/);
  return join(watch.folder, m ? `example${m[1]}` : "<file>");
}

/**
 * Checks the file a person runs task `name` on (an absolute path, already resolved) and makes its
 * run: a file that does not exist is refused (unless the task watches for deleted files: the
 * watcher hands those over gone), as is a folder. `why` says why the watch would not hand this
 * file over (another folder, the pattern): the run goes ahead, and the caller warns.
 * @throws {UsageError} `missingHint` is the hint for a file that is not there.
 */
export async function checkFileToRun(
  name: string,
  use: Exclude<FileUse, { kind: "none" }>,
  path: string,
  missingHint: string,
): Promise<{ run: FileRun; why: string | undefined }> {
  const event = use.kind === "needs" ? use.watch.event : use.event;
  let info: Deno.FileInfo | undefined;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new UsageError(`Cannot read the file ${path}: ${(error as Error).message}`, {
        hint: "give a file Clodputer may read",
      });
    }
    if (event !== "deleted") {
      throw new UsageError(`Cannot run ${name} on ${path}: there is no such file`, {
        hint: missingHint,
      });
    }
  }
  if (info?.isDirectory) {
    throw new UsageError(`Cannot run ${name} on ${path}: it is a folder, not a file`, {
      hint: "give one file: each run of a folder watch is for one file",
    });
  }
  const why = use.kind === "needs" ? whyNotHandedOver(use.watch, path) : undefined;
  return { run: fileRun(path, event, "person"), why };
}
