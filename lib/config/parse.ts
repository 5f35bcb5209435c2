/**
 * @module
 * Parses and validates task files and the global config: the file's text (source.ts), its YAML
 * (yaml.ts), the schema (zod), `{{ env.NAME }}` substitution, `depends_on` cycles, and every
 * problem with its file, line and column. Commands load through `load.ts`, which answers an
 * unchanged file from the task index (`task_index.ts`) and loads this module only on a miss.
 */

import { basename } from "../sys/posix_path.ts";
import { ConfigError, type ConfigIssue, NotFoundError } from "../errors.ts";
import type { Env } from "../sys/env.ts";
import { type Paths, taskFile } from "../sys/paths.ts";
import { isSecretName } from "../log/redact.ts";
import { taskNotFound } from "./_suggest.ts";
import { findCycle } from "./depends.ts";
import { isNotAFolderError, isTaskName, tasksNotAFolder, validateTaskName } from "./names.ts";
import { INFORMATIONAL_KEYS } from "./fields.ts";
import { validateGlobal, validateTask } from "./schema.ts";
import type { GlobalConfig, TaskConfig } from "./types.ts";
import { parseTemplate, renderTemplate, TemplateError } from "./template.ts";
import { configError, MAX_TASK_FILE_BYTES, readTaskSource } from "./source.ts";
import {
  dependsOnOffset,
  dependsOnTasks,
  fieldOf,
  isMapping,
  locate,
  offsetIn,
  parseYaml,
  toConfigIssue,
  toData,
  topLevelString,
  walkStrings,
  where,
} from "./yaml.ts";

/** A task file, loaded and validated. */
export interface LoadedTask {
  /** The task's name: its file's stem, always. `run`, `list`, the queue and the log use it. */
  name: string;
  /**
   * The file's `name:` when it differs from the stem (the earlier Clodputer never required them
   * to match): shown next to the name, and warned about.
   */
  label?: string;
  /** The file it was loaded from. */
  file: string;
  config: TaskConfig;
  /** Every value substituted from `{{ env.NAME }}`, so logs can redact them. */
  secretValues: string[];
  /** Things that load but deserve a look (names the earlier Clodputer accepted, for example). */
  warnings: ConfigIssue[];
}

/** Options of {@linkcode parseTaskSource}. */
export interface ParseTaskOptions {
  /** The file the text came from: named in every problem; its stem is the task's name. */
  file: string;
  /** Supplies `{{ env.NAME }}` values and HOME (to expand `~/` in paths). */
  env: Env;
  /** Seconds: the timeout of a task that sets none (the global `default_timeout`). */
  defaultTimeout?: number | undefined;
}

/** Fields whose templates are filled in when a run starts, so their syntax is checked at load. */
const TEMPLATED: readonly (readonly string[])[] = [
  ["task", "prompt"],
  ["task", "append_system_prompt"],
  ["task", "context"],
  ["on_success"],
  ["on_failure"],
];

/** Fields filled when a run starts, besides TEMPLATED: the variables given to claude. */
const RUN_TIME: readonly (readonly string[])[] = [...TEMPLATED, ["task", "env"]];

/** Labels: shown as written (`list`, `status`), never filled, so no value of yours is shown. */
const LABELS: readonly (readonly string[])[] = [["name"], ["description"]];

/**
 * Fields that reach claude's command line, which every user of the machine can read (`ps`): no
 * secret may be templated into them.
 */
const ON_ARGV: readonly (readonly string[])[] = [
  ["task", "append_system_prompt"],
  ["task", "model"],
  ["task", "allowed_tools"],
  ["task", "disallowed_tools"],
  ["task", "permission_mode"],
  ["task", "mcp_config"],
];

const ENV_HINT = (name: string) =>
  `export ${name} in the shell that runs clodputer; for scheduled runs, add the line ` +
  `${name}=value above the clodputer entries of the crontab (crontab -e)`;

/**
 * Parses and validates a task file's text. Pure: the environment comes from `options.env`.
 * @throws {ConfigError} listing every problem: YAML syntax, schema, missing environment variables.
 */
export function parseTaskSource(source: string, options: ParseTaskOptions): LoadedTask {
  const { file, env } = options;
  const stem = stemOf(file);
  const subject = `task "${stem}"`;
  const { doc, lines } = parseYaml(source, file, subject);

  const issues: ConfigIssue[] = [];
  const secretValues: string[] = [];
  // Values whose {{ env.NAME }} could not be filled: the schema's view of them would only repeat it.
  const unfilled = new Set<string>();
  if (doc.contents === null || !isMapping(doc.contents)) {
    issues.push({
      message: source.trim() === ""
        ? "The file is empty"
        : doc.contents === null
        ? "The file has no settings"
        : "The file must be a mapping of settings, not a single value or a list",
      hint: 'write name: my-task, then task: with prompt: "What Claude should do" under it',
      where: { file, line: 1, column: 1 },
    });
    throw configError(subject, file, issues);
  }

  // {{ env.NAME }} is filled in now; template syntax in fields filled at run time is checked now.
  walkStrings(doc.contents, [], INFORMATIONAL_KEYS, (node, path) => {
    const raw = String(node.value);
    if (!raw.includes("{{") || under(LABELS, path)) return;
    const parsed = parseTemplate(raw);
    const at = (e: { source: string; start: number }) =>
      where(file, lines, offsetIn(source, node, e.source, e.start, raw), path);
    const runTime = under(RUN_TIME, path);
    for (const e of parsed.expressions) {
      const [root, name = ""] = e.segments;
      if (!runTime && root !== "env") {
        issues.push({
          message: `"${e.source}" in "${fieldOf(path)}" is never filled: only {{ env.NAME }} ` +
            `is, when the task loads (the run-time values go in prompt, append_system_prompt, ` +
            `context, env and the on_success/on_failure actions)`,
          hint: `write the value itself in "${fieldOf(path)}"`,
          where: at(e),
        });
      } else if (
        under(ON_ARGV, path) && (root === "secrets" || (root === "env" && isSecretName(name)))
      ) {
        issues.push({
          message: `"${e.source}" in "${fieldOf(path)}" would show a secret to every user of ` +
            `this machine: "${fieldOf(path)}" goes on claude's command line, which ps shows`,
          hint: "put it in the prompt (claude reads the prompt on its stdin), or give it to " +
            "claude's tools as a variable under task.env",
          where: at(e),
        });
      }
    }
    if (runTime && isTemplated(path)) {
      for (const problem of parsed.problems) {
        issues.push({
          message: `Invalid template "${problem.source}": ${problem.message}`,
          hint: problem.hint,
          where: where(
            file,
            lines,
            offsetIn(source, node, problem.source, problem.start, raw),
            path,
          ),
        });
      }
    }
    const envExpressions = parsed.expressions.filter((e) => e.segments[0] === "env");
    if (envExpressions.length === 0) return;
    let out = "";
    let last = 0;
    for (const expression of envExpressions) {
      const name = expression.segments.slice(1).join(".");
      const value = expression.segments.length === 2 ? env.get(name) : undefined;
      let text: string;
      try {
        text = renderTemplate(expression.source, {
          env: value === undefined ? {} : { [name]: value },
        });
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        issues.push({
          message: expression.segments.length === 2
            ? `Environment variable "${name}" is not set (used in "${fieldOf(path)}")`
            : `"${expression.source}" is not an environment variable: write {{ env.NAME }}`,
          hint: expression.segments.length === 2 ? ENV_HINT(name) : "write {{ env.NAME }}",
          where: where(
            file,
            lines,
            offsetIn(source, node, expression.source, expression.start, raw),
            path,
          ),
        });
        unfilled.add(fieldOf(path));
        continue;
      }
      if (value !== undefined && value !== "") secretValues.push(value);
      out += raw.slice(last, expression.start) + text;
      last = expression.end;
    }
    node.value = out + raw.slice(last);
  });

  const data = toData(doc, lines, file, subject);
  const result = validateTask(data, {
    home: env.get("HOME") || undefined,
    fallbackName: stem,
    defaultTimeout: options.defaultTimeout,
  });
  if (!result.ok) {
    issues.push(
      ...result.issues.filter((i) => !unfilled.has(fieldOf(i.path)))
        .map((i) => toConfigIssue(i, doc, lines, file, source, data)),
    );
  }
  if (result.ok && !isTaskName(stem)) {
    issues.push({
      message: `The file name "${basename(file)}" is not a valid task name`,
      hint: 'name the file like "daily-email.yaml": lowercase letters, digits, "-" and "_"',
      where: { file },
    });
  }
  if (issues.length > 0 || !result.ok) throw configError(subject, file, issues);

  const warnings = result.warnings.map((i) => toConfigIssue(i, doc, lines, file, source, data));
  // The earlier Clodputer found a task by its file name and never compared name: with it.
  const label = result.value.name === stem ? undefined : result.value.name;
  if (label !== undefined) {
    warnings.unshift({
      message: `"name" is "${label}" but the file is ${stem}.yaml: the task is known as "${stem}"`,
      hint: `rename the file to ${label}.yaml, or write name: ${stem}`,
      where: where(file, lines, locate(doc, ["name"], "value"), ["name"]),
    });
  }
  return {
    name: stem,
    ...(label === undefined ? {} : { label }),
    file,
    config: { ...result.value, name: stem },
    secretValues: [...new Set(secretValues)],
    warnings,
  };
}

/**
 * Reads and validates one task file.
 * @throws {NotFoundError} when the file does not exist.
 * @throws {ConfigError} listing every problem in it.
 * @throws {IoError} when it cannot be read.
 */
export async function loadTaskFile(
  file: string,
  options: { env: Env; defaultTimeout?: number | undefined },
): Promise<LoadedTask> {
  const source = await readTaskSource(file, `task "${stemOf(file)}"`);
  if (source === undefined) {
    throw new NotFoundError(`Cannot find the task file "${file}"`, {
      hint: "check the path, or list the tasks with: clodputer list",
      where: { file },
    });
  }
  return parseTaskSource(source, { file, ...options });
}

/**
 * Loads `tasks/<name>.yaml`. The global config's `default_timeout` applies to a task without a
 * timeout: pass `options.global` when it is loaded already, else it is read here.
 * @throws {UsageError} when `name` is not a valid task name.
 * @throws {NotFoundError} when there is no such task (with the closest existing name).
 * @throws {ConfigError} listing every problem in the task file or the global config.
 */
export async function loadTask(
  paths: Paths,
  name: string,
  env: Env,
  options: { global?: GlobalConfig | undefined } = {},
): Promise<LoadedTask> {
  validateTaskName(name);
  const file = taskFile(paths, name);
  const source = await readTaskSource(file, `task "${name}"`).catch((error) => {
    throw isNotAFolderError(error) || isNotAFolderError(error?.cause)
      ? tasksNotAFolder(paths)
      : error;
  });
  if (source === undefined) throw await taskNotFound(paths, name, file, nameFieldOf);
  return await loadTaskText(paths, name, source, env, options);
}

/**
 * Validates `source` as the text of `tasks/<name>.yaml` would be loaded (a task file not written
 * yet: `validate_task`, `create_task`): its problems name that file.
 * @throws {UsageError} when `name` is not a valid task name.
 * @throws {ConfigError} listing every problem in the text (or the global config).
 */
export async function loadTaskText(
  paths: Paths,
  name: string,
  source: string,
  env: Env,
  options: { global?: GlobalConfig | undefined } = {},
): Promise<LoadedTask> {
  validateTaskName(name);
  const file = taskFile(paths, name);
  const bytes = new TextEncoder().encode(source).length;
  if (bytes > MAX_TASK_FILE_BYTES) {
    throw configError(`task "${name}"`, file, [{
      message: `The text is ${bytes} bytes; a task file may have at most ${MAX_TASK_FILE_BYTES}`,
      hint:
        "a task file holds a prompt and settings: keep long instructions in a file Claude reads",
      where: { file },
    }]);
  }
  const global = options.global ?? await loadGlobalConfig(paths, env);
  const loaded = parseTaskSource(source, { file, env, defaultTimeout: global.default_timeout });
  if (loaded.config.depends_on.length > 0) await checkDependencyCycle(paths, loaded, source);
  return loaded;
}

/**
 * Refuses a task whose `depends_on` leads back to itself. The other tasks' files are read only
 * as far as their `depends_on` task names, and only when reached.
 * @throws {ConfigError} naming the cycle, at the line of this task's first step into it.
 */
async function checkDependencyCycle(
  paths: Paths,
  loaded: LoadedTask,
  source: string,
): Promise<void> {
  const own = loaded.config.depends_on.map((d) => d.task);
  const cycle = await findCycle(
    loaded.name,
    (task) => task === loaded.name ? Promise.resolve(own) : dependencyNames(paths, task),
  );
  if (cycle === undefined) return;
  const next = cycle[1] ?? loaded.name;
  const { doc, lines } = parseYaml(source, loaded.file, `task "${loaded.name}"`);
  const at = dependsOnOffset(doc, next);
  const pos = at === undefined ? undefined : lines.linePos(at);
  const message = `"depends_on" makes a cycle: ${cycle.join(" -> ")}`;
  throw new ConfigError(
    `Cannot load task "${loaded.name}": 1 problem in ${loaded.file}`,
    {
      issues: [{
        message,
        hint: `remove one of these dependencies (a task cannot wait for itself): ${
          cycle.slice(0, -1).map((t) => `${t}.yaml`).join(", ")
        }`,
        where: {
          file: loaded.file,
          ...(pos ? { line: pos.line, column: pos.col } : {}),
          field: "depends_on",
        },
      }],
      where: { file: loaded.file },
    },
  );
}

/** The task names another task's `depends_on` lists; empty when it has none or cannot be read. */
async function dependencyNames(paths: Paths, name: string): Promise<string[]> {
  if (!isTaskName(name)) return [];
  try {
    const source = await readTaskSource(taskFile(paths, name), `task "${name}"`);
    return source === undefined ? [] : dependsOnTasks(source);
  } catch {
    return [];
  }
}

/** The `name:` a task file declares; undefined when it has none or cannot be read. */
async function nameFieldOf(file: string): Promise<string | undefined> {
  try {
    const source = await readTaskSource(file, "task");
    return source === undefined ? undefined : topLevelString(source, "name");
  } catch {
    return undefined;
  }
}

/**
 * Loads `$CLODPUTER_HOME/config.yaml`; a missing or empty file gives the defaults.
 * @throws {ConfigError} listing every problem in it.
 */
export async function loadGlobalConfig(paths: Paths, env: Env): Promise<GlobalConfig> {
  const source = await readTaskSource(paths.config, "the global config");
  return parseGlobalSource(source ?? "", { file: paths.config, env });
}

/**
 * Parses and validates the global config's text. Pure.
 * @throws {ConfigError} listing every problem in it.
 */
export function parseGlobalSource(
  source: string,
  options: { file: string; env: Env },
): GlobalConfig {
  const { file } = options;
  const subject = "the global config";
  const { doc, lines } = parseYaml(source, file, subject);
  if (doc.contents !== null && !isMapping(doc.contents)) {
    throw configError(subject, file, [{
      message: "The file must be a mapping of settings, not a single value or a list",
      hint: "write one setting per line, for example grace_period: 5",
      where: { file, line: 1, column: 1 },
    }]);
  }
  const data = toData(doc, lines, file, subject);
  const result = validateGlobal(data, { home: options.env.get("HOME") || undefined });
  if (!result.ok) {
    throw configError(
      subject,
      file,
      result.issues.map((i) => toConfigIssue(i, doc, lines, file, source, data)),
    );
  }
  return result.value;
}

function isTemplated(path: readonly (string | number)[]): boolean {
  return under(TEMPLATED, path);
}

/** Whether `path` is one of `fields` or inside one. */
function under(
  fields: readonly (readonly string[])[],
  path: readonly (string | number)[],
): boolean {
  return fields.some((prefix) => prefix.every((p, i) => path[i] === p));
}

function stemOf(file: string): string {
  return basename(file).replace(/\.ya?ml$/i, "");
}
