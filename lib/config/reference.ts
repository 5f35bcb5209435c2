/**
 * @module
 * The task reference: every key of a task file and of config.yaml, rendered from the one
 * definition the schemas read (lib/config/fields.ts). `deno task reference` writes it to
 * docs/task-reference.md (scripts/task_reference.ts); the MCP server serves it as a resource, so
 * Claude writes valid task files the first time. Pure.
 */

import {
  type Field,
  type Fields,
  GLOBAL_FIELDS,
  GLOBAL_INFORMATIONAL_KEYS,
  INFORMATIONAL_KEYS,
  keysUnder,
  TASK_FIELDS,
} from "./fields.ts";

/**
 * The task reference in Markdown (docs/task-reference.md before `deno fmt` lays it out): every key
 * of a task file and of config.yaml, from lib/config/fields.ts. Pure.
 */
export function taskReferenceMarkdown(): string {
  return [
    "# Task file and config.yaml reference",
    "",
    "<!-- Generated from lib/config/fields.ts by `deno task reference`. Do not edit: change the " +
    "field there, then run the task; a test fails when this file is stale. -->",
    "",
    "A task is one YAML file, `$CLODPUTER_HOME/tasks/<name>.yaml` (`~/.clodputer` unless " +
    "`CLODPUTER_HOME` is set), known by its file's name. `clodputer new <name>` writes one, " +
    "`clodputer validate` checks it and names any key it does not know. Only `task.prompt` is " +
    "required. Paths may start with `~/`. Text may use `{{ env.NAME }}` (filled in when the task " +
    "is loaded) and `{{ secrets.NAME }}` (when a run starts; see the README).",
    "",
    "The file name is a task name: `[a-z0-9][a-z0-9_-]*` (lowercase letters, digits, `-` and " +
    "`_`, starting with a letter or digit, at most 64 characters). A `*.yaml` file whose name is " +
    "not one (`UPPER.yaml`, `my task.yaml`, `a.b.yaml`) is not loaded: `list` shows it as " +
    "invalid, `validate` and `doctor` report it, and the tick logs it once (a `config_error`), " +
    "each with the rename to make (`UPPER.yaml` to `upper.yaml`, `my task.yaml` to " +
    "`my-task.yaml`). Hidden files (`.name.yaml`) and other extensions (`.yml`) are left alone.",
    "",
    "- [Task file](#task-file)",
    ...sectionsOf(TASK_FIELDS).map(([pattern]) => `  - ${tocEntry(pattern, "")}`),
    "- [config.yaml](#configyaml)",
    ...sectionsOf(GLOBAL_FIELDS).map(([pattern]) => `  - ${tocEntry(pattern, "config.yaml ")}`),
    "",
    "## Task file",
    "",
    ...renderFields(TASK_FIELDS, ""),
    "### Ignored keys",
    "",
    "The earlier Clodputer wrote these at the top level for information; they are accepted and " +
    `ignored: ${INFORMATIONAL_KEYS.map((k) => `\`${k}\``).join(", ")}.`,
    "",
    "## config.yaml",
    "",
    "`$CLODPUTER_HOME/config.yaml` is optional; `clodputer init` writes it, commented. Every " +
    "key has a default. The earlier Clodputer's " +
    `${GLOBAL_INFORMATIONAL_KEYS.map((k) => `\`${k}\``).join(", ")} is accepted and ignored.`,
    "",
    ...renderFields(GLOBAL_FIELDS, "config.yaml "),
  ].join("\n").replace(/\n+$/, "\n");
}

/** The mappings that have keys, in the table's order: `""` (the top level) first. */
function sectionsOf(fields: Fields): [string, string[]][] {
  const patterns = ["", ...Object.keys(fields).filter((p) => p !== "")];
  return patterns.flatMap((pattern): [string, string[]][] => {
    const keys = keysUnder(fields, pattern);
    return keys.length === 0 ? [] : [[pattern, keys]];
  });
}

function sectionTitle(pattern: string, prefix: string): string {
  if (pattern === "") return prefix === "" ? "Top level" : `${prefix}top level`;
  const name = pattern.replace(/\.\*$/, "");
  return `${prefix}\`${name}\`${pattern.endsWith(".*") ? " items" : ""}`;
}

/** A GitHub heading anchor: lower case, punctuation dropped, spaces to hyphens. */
function anchor(title: string): string {
  return title.toLowerCase().replace(/[^\w\- ]/g, "").replace(/ /g, "-");
}

function tocEntry(pattern: string, prefix: string): string {
  const title = sectionTitle(pattern, prefix);
  return `[${title}](#${anchor(title)})`;
}

function renderFields(fields: Fields, prefix: string): string[] {
  const lines: string[] = [];
  for (const [pattern, keys] of sectionsOf(fields)) {
    lines.push(`### ${sectionTitle(pattern, prefix)}`, "");
    const parent = fields[pattern];
    if (pattern !== "" && parent?.doc) lines.push(parent.doc, "");
    for (const key of keys) {
      const path = pattern === "" ? key : `${pattern}.${key}`;
      const field = fields[path];
      if (field !== undefined) lines.push(...renderField(key, path, field), "");
    }
  }
  return lines;
}

function renderField(key: string, path: string, field: Field): string[] {
  const facts = path === key ? [field.expect] : [`\`${path}\``, field.expect];
  if (field.required) facts.push("**required**");
  if (field.default !== undefined) {
    facts.push(
      // A value is shown as code; prose ("none", "the machine's time zone") is not.
      typeof field.default === "string" && (field.default === "none" || /\s/.test(field.default))
        ? `default: ${field.default}`
        : `default \`${field.default}\``,
    );
  }
  if (field.types !== undefined) {
    facts.push(`${field.types.map((t) => `\`type: ${t}\``).join(", ")} only`);
  }
  // Hints write some examples as prose ("x: then ... below it"); only YAML is shown here.
  if (!/\bthen\b/.test(field.example)) facts.push(`e.g. \`${field.example}\``);
  return [`- **${key}** · ${facts.join(" · ")}  `, `  ${field.doc ?? ""}`];
}
