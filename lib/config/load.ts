/**
 * @module
 * Loads task files and the global config from YAML (the only importer of `yaml`): syntax, the
 * schema, `{{ env.NAME }}` substitution, and every problem with its file, line and column.
 */

import { basename } from "../sys/path.ts";
// yaml's ES build (see scripts/vendor.ts), typed by the npm package.
// @ts-types="yaml"
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node as YamlNode,
  parseDocument,
  type Scalar,
} from "../../vendor/yaml.js";
import { ConfigError, type ConfigIssue, type ErrorLocation, NotFoundError } from "../errors.ts";
import type { Env } from "../sys/env.ts";
import { readFileBounded, readTextIfExists } from "../sys/fs.ts";
import { type Paths, taskFile } from "../sys/paths.ts";
import { isSecretName } from "../log/redact.ts";
import { closest } from "./_suggest.ts";
import { findCycle } from "./depends.ts";
import {
  isNotAFolderError,
  isTaskName,
  listTaskNames,
  tasksNotAFolder,
  validateTaskName,
} from "./names.ts";

export { listTaskNames };
import { INFORMATIONAL_KEYS } from "./fields.ts";
import { valueAt } from "./issues.ts";
import { validateGlobal, validateTask } from "./schema.ts";
import type { GlobalConfig, SchemaIssue, TaskConfig } from "./types.ts";
import { parseTemplate, renderTemplate, TemplateError } from "./template.ts";

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

/** The largest task file read (1 MiB): a bigger one is refused before it is read. */
export const MAX_TASK_FILE_BYTES = 1024 * 1024;

/**
 * The most values YAML aliases may add when the file is expanded: an "alias bomb" (anchors
 * nested to billions of values) is refused before it is expanded.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

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
  if (doc.contents === null || !isMap(doc.contents)) {
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
  walkStrings(doc.contents, [], (node, path) => {
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
 * Reads a task (or config) file's text: refuses a folder, a dangling symlink, anything but a
 * regular file, a file over {@linkcode MAX_TASK_FILE_BYTES}, and text that is not UTF-8, each with
 * its own problem. Undefined when the file does not exist.
 * @throws {ConfigError} naming the file and what is wrong with it.
 * @throws {IoError} when it cannot be read.
 */
export async function readTaskSource(file: string, subject: string): Promise<string | undefined> {
  const read = await readFileBounded(file, MAX_TASK_FILE_BYTES);
  const refuse = (message: string, hint: string) =>
    configError(subject, file, [{ message, hint, where: { file } }]);
  switch (read.kind) {
    case "missing":
      return undefined;
    case "dangling-symlink":
      throw refuse(
        `The file is a symbolic link to "${read.target}", which does not exist`,
        `fix or remove the link: ls -l ${file}`,
      );
    case "directory":
      throw refuse(
        "This is a folder, not a task file",
        `a task is one YAML file; move or rename the folder ${file}`,
      );
    case "not-a-file":
      throw refuse(
        "This is not a regular file (a device, socket or pipe)",
        `a task is one YAML file; remove ${file}`,
      );
    case "too-big":
      throw refuse(
        `The file is ${read.size} bytes, over the limit of ${MAX_TASK_FILE_BYTES} bytes (1 MiB)`,
        "a task file holds settings and a prompt; keep long text in a file the prompt names",
      );
    case "file":
      return decodeUtf8(read.bytes, file, subject);
  }
}

/** Decodes UTF-8 text; a byte sequence that is not UTF-8 is a problem at its line and column. */
function decodeUtf8(bytes: Uint8Array, file: string, subject: string): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
    const offset = firstInvalidUtf8(bytes);
    const lineStart = bytes.lastIndexOf(0x0a, offset - 1) + 1;
    let line = 1;
    for (let i = 0; i < lineStart; i++) if (bytes[i] === 0x0a) line++;
    const column = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
    const byte = (bytes[offset] ?? 0).toString(16).padStart(2, "0");
    throw configError(subject, file, [{
      message: `The file is not UTF-8 text: byte 0x${byte} at offset ${offset} is not valid UTF-8`,
      hint: `save it as UTF-8, for example: iconv -f latin1 -t utf-8 ${file}`,
      where: { file, line, column },
    }]);
  }
}

/** The offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    let need = 0;
    let min = 0;
    if (b < 0x80) {
      i++;
      continue;
    } else if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let code = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      code = (code << 6) | (c & 0x3f);
    }
    if (code < min || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return i;
    i += need + 1;
  }
  return bytes.length;
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
  if (source === undefined) throw await taskNotFound(paths, name, file);
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
  const seq = isMap(doc.contents) ? doc.contents.get("depends_on", true) : undefined;
  let node: unknown = seq;
  if (isSeq(seq)) {
    node = seq.items.find((item) => isMap(item) && item.get("task") === next) ?? seq;
  }
  const at = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
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
    if (source === undefined) return [];
    const doc = parseDocument(source, { logLevel: "silent" });
    const seq = isMap(doc.contents) ? doc.contents.get("depends_on", true) : undefined;
    if (!isSeq(seq)) return [];
    return seq.items.flatMap((item) => {
      const task = isMap(item) ? item.get("task") : undefined;
      return typeof task === "string" ? [task] : [];
    });
  } catch {
    return [];
  }
}

async function taskNotFound(paths: Paths, name: string, file: string): Promise<NotFoundError> {
  const names = await listTaskNames(paths);
  // The earlier Clodputer's files may say name: something else than their file name.
  for (const stem of names) {
    if (await nameFieldOf(taskFile(paths, stem)) !== name) continue;
    return new NotFoundError(
      `Cannot find task "${name}": the task named "${name}" is the file ${stem}.yaml, ` +
        `known as "${stem}"`,
      {
        hint: `run it as: clodputer run ${stem} (or rename ${stem}.yaml to ${name}.yaml)`,
        where: { file: taskFile(paths, stem) },
      },
    );
  }
  const match = closest(name, names);
  const yml = await readTextIfExists(file.replace(/\.yaml$/, ".yml")).catch(() => undefined);
  const hints = [
    ...(match !== undefined ? [`did you mean "${match}"?`] : []),
    ...(yml !== undefined ? [`rename ${name}.yml to ${name}.yaml`] : []),
    `tasks live in ${paths.tasks} (ls ${paths.tasks}); create this one with: clodputer new ${name}`,
  ];
  return new NotFoundError(`Cannot find task "${name}": there is no ${file}`, {
    hint: hints.join("; "),
    where: { file },
  });
}

/** The `name:` a task file declares; undefined when it has none or cannot be read. */
async function nameFieldOf(file: string): Promise<string | undefined> {
  try {
    const source = await readTaskSource(file, "task");
    if (source === undefined) return undefined;
    const doc = parseDocument(source, { logLevel: "silent" });
    const value = isMap(doc.contents) ? doc.contents.get("name") : undefined;
    return typeof value === "string" ? value : undefined;
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
  if (doc.contents !== null && !isMap(doc.contents)) {
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

// ---------------------------------------------------------------------------------------------
// YAML, positions and problems
// ---------------------------------------------------------------------------------------------

function parseYaml(
  source: string,
  file: string,
  subject: string,
): { doc: Document.Parsed; lines: LineCounter } {
  const lines = new LineCounter();
  const doc = parseDocument(source, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    // PyYAML (the earlier loader) resolved `<<` merge keys; keep reading them.
    merge: true,
    logLevel: "silent",
  });
  if (doc.errors.length > 0) {
    throw configError(
      subject,
      file,
      doc.errors.map((error) => {
        const at = lines.linePos(error.pos[0]);
        const key = /^("[^"\n]*"|'[^'\n]*'|[^:\n]*)/.exec(source.slice(error.pos[0]))?.[1]?.trim();
        return {
          message: error.code === "DUPLICATE_KEY"
            ? `Invalid YAML: the key "${key}" appears twice in the same mapping`
            : `Invalid YAML: ${error.message.replace(/\.$/, "")}`,
          hint: error.code === "DUPLICATE_KEY"
            ? "remove one of them"
            : 'check the indentation, and put text in quotes when it contains ": " or " #", ' +
              'or starts with {{, {, [, *, & or !, for example prompt: "{{ name }}"',
          where: { file, line: at.line, column: at.col },
        };
      }),
    );
  }
  return { doc, lines };
}

/**
 * The document as plain data, after checking that its aliases neither refer to the value that
 * holds them nor expand beyond {@linkcode MAX_ALIAS_EXPANSION} values (yaml's own guard throws a
 * bare ReferenceError with no position, so it is turned off).
 * @throws {ConfigError} at the alias that crosses the limit.
 */
function toData(doc: Document.Parsed, lines: LineCounter, file: string, subject: string): unknown {
  const sizes = new Map<unknown, number>();
  const open = new Set<unknown>();
  let added = 0;
  const problem = (node: YamlNode, message: string, hint: string) => {
    const at = lines.linePos(node.range?.[0] ?? 0);
    return configError(subject, file, [{
      message,
      hint,
      where: { file, line: at.line, column: at.col },
    }]);
  };
  // The number of values a node stands for once its aliases are expanded.
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const target = node.resolve(doc);
      if (target === undefined) return 1;
      if (open.has(target)) {
        throw problem(
          node,
          `The alias "*${node.source}" refers to the value that contains it`,
          "write the value out instead of the alias",
        );
      }
      return size(target);
    }
    const known = sizes.get(node);
    if (known !== undefined) return known;
    let total = 1;
    open.add(node);
    if (isMap(node)) {
      for (const pair of node.items) total += size(pair.key) + size(pair.value);
    } else if (isSeq(node)) {
      for (const item of node.items) total += size(item);
    }
    open.delete(node);
    sizes.set(node, total);
    return total;
  };
  // Walks the file in order, counting what each alias adds, so the problem names the first alias
  // past the limit.
  const walk = (node: unknown): void => {
    if (isAlias(node)) {
      added += size(node);
      if (added > MAX_ALIAS_EXPANSION) {
        throw problem(
          node,
          `Too many YAML aliases: the file expands beyond ${MAX_ALIAS_EXPANSION} values`,
          "write the values out, or use fewer anchors and aliases",
        );
      }
    } else if (isMap(node)) {
      for (const pair of node.items) {
        walk(pair.key);
        walk(pair.value);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) walk(item);
    }
  };
  walk(doc.contents);
  return doc.toJS({ maxAliasCount: -1 });
}

function configError(subject: string, file: string, issues: ConfigIssue[]): ConfigError {
  const sorted = [...issues].sort((a, b) =>
    (a.where.line ?? 0) - (b.where.line ?? 0) || (a.where.column ?? 0) - (b.where.column ?? 0)
  );
  const count = sorted.length === 1 ? "1 problem" : `${sorted.length} problems`;
  return new ConfigError(`Cannot load ${subject}: ${count} in ${file}`, {
    issues: sorted,
    where: { file },
  });
}

function toConfigIssue(
  issue: SchemaIssue,
  doc: Document.Parsed,
  lines: LineCounter,
  file: string,
  source: string,
  data: unknown,
): ConfigIssue {
  const offset = locate(doc, issue.path, issue.at);
  let hint = issue.hint;
  // `prompt: {{ name }}` is a YAML mapping, not text: say to quote it.
  const value = valueAt(data, issue.path);
  if (
    issue.at === "value" && value !== null && typeof value === "object" &&
    source.slice(offset, offset + 2) === "{{"
  ) {
    const key = issue.path[issue.path.length - 1];
    hint = `put the text in quotes, for example ${typeof key === "string" ? `${key}: ` : "- "}` +
      `"{{ name }} ..."`;
  }
  return {
    message: issue.message,
    ...(hint === undefined ? {} : { hint }),
    where: where(file, lines, offset, issue.path),
  };
}

function where(
  file: string,
  lines: LineCounter,
  offset: number,
  path: readonly (string | number)[],
): ErrorLocation {
  const at = lines.linePos(offset);
  const field = fieldOf(path);
  return { file, line: at.line, column: at.col, ...(field === "" ? {} : { field }) };
}

/** `task.allowed_tools[1]` */
function fieldOf(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

/**
 * The offset of the node a path names: its value, or its key when `at` is "key". A path that does
 * not exist names the key of its nearest existing parent.
 */
function locate(
  doc: Document.Parsed,
  path: readonly (string | number)[],
  at: "value" | "key",
): number {
  let node: unknown = doc.contents;
  let fallback = rangeStart(doc.contents) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) =>
        isScalar(p.key) && String(p.key.value) === String(segment)
      );
      if (pair === undefined) return fallback;
      const keyStart = rangeStart(pair.key) ?? fallback;
      if (last && at === "key") return keyStart;
      fallback = keyStart;
      node = pair.value;
      // `key:` with nothing after it: point at the key, not at the empty space after it.
      if (node === null || (isScalar(node) && node.value === null && isEmpty(node))) {
        return keyStart;
      }
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined || item === null) return fallback;
      node = item;
      fallback = rangeStart(item) ?? fallback;
    } else {
      return fallback;
    }
  }
  return rangeStart(node) ?? fallback;
}

function isEmpty(node: Scalar): boolean {
  return node.range !== undefined && node.range !== null && node.range[0] === node.range[1];
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== "object" || !("range" in node)) return undefined;
  const range = (node as { range?: [number, number, number] | null }).range;
  return range ? range[0] : undefined;
}

/** Calls `visit` for every string scalar value (not keys), skipping informational keys. */
function walkStrings(
  node: unknown,
  path: (string | number)[],
  visit: (node: Scalar, path: (string | number)[]) => void,
): void {
  if (isScalar(node)) {
    if (typeof node.value === "string") visit(node, path);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      if (path.length === 0 && INFORMATIONAL_KEYS.includes(key)) continue;
      walkStrings(pair.value, [...path, key], visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walkStrings(item, [...path, index], visit));
  }
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

/**
 * The offset of one `{{ ... }}` inside a scalar in the source: found by its text in the scalar's
 * source (so block and quoted scalars work); the scalar's start when it cannot be found.
 */
function offsetIn(
  source: string,
  node: YamlNode,
  text: string,
  start: number,
  value: string,
): number {
  const range = node.range;
  if (!range) return 0;
  const occurrence = countOccurrences(value.slice(0, start), text);
  const raw = source.slice(range[0], range[1]);
  let index = -1;
  for (let i = 0; i <= occurrence; i++) {
    index = raw.indexOf(text, index + 1);
    if (index === -1) return range[0];
  }
  return range[0] + index;
}

function countOccurrences(haystack: string, needle: string): number {
  let count = 0;
  for (let i = haystack.indexOf(needle); i !== -1; i = haystack.indexOf(needle, i + 1)) count++;
  return count;
}

function stemOf(file: string): string {
  return basename(file).replace(/\.ya?ml$/i, "");
}
