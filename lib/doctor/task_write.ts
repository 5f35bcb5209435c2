/**
 * @module
 * Writing task files for a face that is not an editor (the MCP server): a file is written only
 * when its text validates as `validate` checks a file, never over another without being asked,
 * and `enabled:` is switched by changing that one line.
 */

import { loadGlobalConfig, loadTask, loadTaskText } from "../config/load.ts";
import { withEnabled } from "../config/task_edit.ts";
import { readTaskSource } from "../config/source.ts";
import { IoError, NotFoundError, UsageError } from "../errors.ts";
import { ensureDir, exists, writeFileAtomic } from "../sys/fs.ts";
import { taskFile } from "../sys/paths.ts";
import { type ValidateDeps, validateTaskText, type Validation } from "./validate.ts";

/** What writing a task's text did: written only when `validation.valid`. */
export interface TaskWrite {
  written: boolean;
  /** True when a file was there before (and was replaced, if written). */
  replaced: boolean;
  file: string;
  validation: Validation;
}

/**
 * Writes `source` as `tasks/<name>.yaml` when it validates. `create`: refused when the task exists
 * unless `overwrite`; `update`: refused when it does not exist. An invalid text writes nothing
 * and comes back with its problems (`validation.problems`, each with its line and column).
 * @throws {UsageError} for a bad name, or a create over an existing task without `overwrite`.
 * @throws {NotFoundError} for an update of a task that does not exist.
 */
export async function writeTaskText(
  deps: ValidateDeps,
  input: { name: string; source: string; mode: "create" | "update"; overwrite: boolean },
): Promise<TaskWrite> {
  const validation = await validateTaskText(deps, input.name, input.source, 3);
  const file = taskFile(deps.paths, input.name);
  const there = await exists(file);
  if (input.mode === "create" && there && !input.overwrite) {
    throw existsAlready(input.name, file);
  }
  if (input.mode === "update" && !there) {
    throw new NotFoundError(`Cannot update task "${input.name}": there is no ${file}`, {
      hint: "create it (create_task), or check the name (list_tasks)",
    });
  }
  if (!validation.valid) return { written: false, replaced: false, file, validation };
  await ensureDir(deps.paths.tasks);
  const text = input.source.endsWith("\n") ? input.source : `${input.source}\n`;
  try {
    // Not over a file that appeared meanwhile, unless replacing one was asked for.
    if (there || input.overwrite) await writeFileAtomic(file, text);
    else await Deno.writeTextFile(file, text, { createNew: true, mode: 0o600 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw existsAlready(input.name, file);
    }
    throw new IoError("write", file, { cause: error });
  }
  return { written: true, replaced: there, file, validation };
}

function existsAlready(name: string, file: string): UsageError {
  return new UsageError(`Cannot create task "${name}": ${file} exists already`, {
    hint: "update it (update_task), choose another name, or set overwrite: true to replace it",
    where: { file },
  });
}

/** What switching a task on or off did. */
export interface EnabledChange {
  task: string;
  file: string;
  enabled: boolean;
  /** False when the file already said so (nothing was written). */
  changed: boolean;
}

/**
 * Sets task `name`'s `enabled:` by changing (or adding) that one line of its file. The file must
 * load before and after; a layout the edit cannot read is refused with the line to change.
 * @throws {NotFoundError} when there is no such task. @throws {ConfigError} when it does not load.
 */
export async function setTaskEnabled(
  deps: ValidateDeps,
  name: string,
  enabled: boolean,
): Promise<EnabledChange> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const loaded = await loadTask(deps.paths, name, deps.env, { global });
  const file = loaded.file;
  if (loaded.config.enabled === enabled) return { task: name, file, enabled, changed: false };
  const source = await readTaskSource(file, `task "${name}"`) ?? "";
  const edited = withEnabled(source, enabled);
  const after = await loadTaskText(deps.paths, name, edited, deps.env, { global })
    .catch(() => undefined);
  if (after?.config.enabled !== enabled) {
    throw new UsageError(
      `Cannot switch task "${name}" ${enabled ? "on" : "off"}: its file's layout`,
      {
        hint: `set enabled: ${enabled} at the top level of ${file} by hand`,
        where: { file },
      },
    );
  }
  try {
    await writeFileAtomic(file, edited);
  } catch (error) {
    throw new IoError("write", file, { cause: error });
  }
  return { task: name, file, enabled, changed: true };
}
