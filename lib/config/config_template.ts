/**
 * @module
 * The commented config.yaml that `clodputer init` writes, built from config.yaml's field table
 * (fields.ts): every key, its doc and its default. The README shows the same text (checked by
 * tests/scripts/task_reference_test.ts; `deno task reference` rewrites it).
 */

import { type Field, GLOBAL_FIELDS, keysUnder } from "./fields.ts";

/** Lines are wrapped before this column. */
const WIDTH = 100;

/** The claude path the README's copy of the template shows. */
export const README_CLAUDE = "/opt/homebrew/bin/claude";

/**
 * The commented config.yaml that `init` writes: a key is live only for `claude` (when `claude`, the
 * path init found, is given); every other key is commented out with its default (or an example
 * value when it has none), under its doc.
 */
export function configTemplate(claude: string | undefined): string {
  const lines = [
    ...comment(
      "Clodputer's global settings ($CLODPUTER_HOME/config.yaml). Every key is optional: a " +
        "commented-out key shows its default (or an example when it has none); remove the # to " +
        "change it. Every key: docs/task-reference.md.",
      "# ",
    ),
  ];
  for (const key of keysUnder(GLOBAL_FIELDS, "")) {
    const field = fieldAt(key);
    lines.push("", ...comment(plain(field.doc ?? ""), "# "));
    const children = keysUnder(GLOBAL_FIELDS, key);
    if (children.length === 0) {
      lines.push(
        key === "claude" && claude !== undefined
          ? `claude: ${claude}`
          : `# ${key}: ${valueOf(key, field)}`,
      );
      continue;
    }
    lines.push(`# ${key}:`);
    for (const child of children) {
      const path = `${key}.${child}`;
      const childField = fieldAt(path);
      const line = `#   ${child}: ${valueOf(child, childField)}`;
      const doc = plain(childField.doc ?? "");
      const inline = `${line} # ${doc}`;
      if (doc === "") lines.push(line);
      else if (inline.length <= WIDTH) lines.push(inline);
      else lines.push(...comment(doc, "#   # "), line);
    }
  }
  return lines.join("\n") + "\n";
}

function fieldAt(path: string): Field {
  const field = (GLOBAL_FIELDS as Readonly<Record<string, Field>>)[path];
  if (field === undefined) throw new Error(`config.yaml has no field ${path}`);
  return field;
}

/** The default as YAML, else the value of the field's example (`key: value`). */
function valueOf(key: string, field: Field): string {
  const d = field.default;
  const prose = typeof d === "string" && (d === "none" || /\s/.test(d));
  if (d !== undefined && !prose) return String(d);
  const prefix = `${key}: `;
  if (!field.example.startsWith(prefix)) {
    throw new Error(`config.yaml's ${key} has no default and no "${prefix}..." example`);
  }
  return field.example.slice(prefix.length);
}

/** A doc's Markdown as plain text: links to their docs/ path, code spans unquoted. */
function plain(markdown: string): string {
  return markdown
    .replace(/\[([^\]]+)\]\(([^)]+)\)/g, (_, _text: string, href: string) => `docs/${href}`)
    .replace(/`([^`]*)`/g, "$1");
}

/** Text as comment lines that start with `head`, wrapped before WIDTH. */
function comment(text: string, head: string): string[] {
  const lines: string[] = [];
  let line = head;
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== head && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = head;
    }
    line += line === head ? word : ` ${word}`;
  }
  if (line !== head) lines.push(line);
  return lines;
}
