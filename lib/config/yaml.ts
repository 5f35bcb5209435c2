/**
 * @module
 * The YAML wrapper (the only importer of `yaml`, from its ES build in vendor/): parsing with
 * positions, alias limits, plain data, and placing a problem at its line and column.
 */

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
import type { ConfigIssue, ErrorLocation } from "../errors.ts";
import { valueAt } from "./issues.ts";
import { configError } from "./source.ts";
import type { SchemaIssue } from "./types.ts";

/** A parsed document, its positions kept. */
export type YamlDocument = Document.Parsed;
/** Turns an offset in the text into a line and column. */
export type YamlLines = LineCounter;
/** A scalar node: a string value can be read and replaced through `value`. */
export type YamlScalar = Scalar;

/** True when `node` is a YAML mapping. */
export function isMapping(node: unknown): boolean {
  return isMap(node);
}

/**
 * The most values YAML aliases may add when the file is expanded: an "alias bomb" (anchors
 * nested to billions of values) is refused before it is expanded.
 */
export const MAX_ALIAS_EXPANSION = 100_000;

/**
 * Parses YAML text as yaml is set up here (unique keys, `<<` merge keys, positions kept).
 * @throws {ConfigError} listing every syntax problem at its line and column.
 */
export function parseYaml(
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
export function toData(
  doc: Document.Parsed,
  lines: LineCounter,
  file: string,
  subject: string,
): unknown {
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

/** A schema problem placed at its line and column in the file, with a hint to quote `{{`. */
export function toConfigIssue(
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

/** The file, line, column and field of an offset in the file. */
export function where(
  file: string,
  lines: LineCounter,
  offset: number,
  path: readonly (string | number)[],
): ErrorLocation {
  const at = lines.linePos(offset);
  const field = fieldOf(path);
  return { file, line: at.line, column: at.col, ...(field === "" ? {} : { field }) };
}

/** A path as a person writes it: `task.allowed_tools[1]`. */
export function fieldOf(path: readonly (string | number)[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

/**
 * The offset of the node a path names: its value, or its key when `at` is "key". A path that does
 * not exist names the key of its nearest existing parent.
 */
export function locate(
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

/** Calls `visit` for every string scalar value (not keys), skipping the top-level keys in `skip`. */
export function walkStrings(
  node: unknown,
  path: (string | number)[],
  skip: readonly string[],
  visit: (node: Scalar, path: (string | number)[]) => void,
): void {
  if (isScalar(node)) {
    if (typeof node.value === "string") visit(node, path);
  } else if (isMap(node)) {
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined) continue;
      if (path.length === 0 && skip.includes(key)) continue;
      walkStrings(pair.value, [...path, key], skip, visit);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, index) => walkStrings(item, [...path, index], skip, visit));
  }
}

/**
 * The offset of one `{{ ... }}` inside a scalar in the source: found by its text in the scalar's
 * source (so block and quoted scalars work); the scalar's start when it cannot be found.
 */
export function offsetIn(
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

/** A top-level string value of YAML text (`name:`), read leniently; undefined when absent. */
export function topLevelString(source: string, key: string): string | undefined {
  const doc = parseDocument(source, { logLevel: "silent" });
  const value = isMap(doc.contents) ? doc.contents.get(key) : undefined;
  return typeof value === "string" ? value : undefined;
}

/** The `task:` of each `depends_on` entry of YAML text, read leniently; empty when none. */
export function dependsOnTasks(source: string): string[] {
  const doc = parseDocument(source, { logLevel: "silent" });
  const seq = isMap(doc.contents) ? doc.contents.get("depends_on", true) : undefined;
  if (!isSeq(seq)) return [];
  return seq.items.flatMap((item) => {
    const task = isMap(item) ? item.get("task") : undefined;
    return typeof task === "string" ? [task] : [];
  });
}

/**
 * The offset of the `depends_on` entry for `task` (else of the `depends_on` list); undefined when
 * the document has no `depends_on`.
 */
export function dependsOnOffset(doc: YamlDocument, task: string): number | undefined {
  const seq = isMap(doc.contents) ? doc.contents.get("depends_on", true) : undefined;
  let node: unknown = seq;
  if (isSeq(seq)) {
    node = seq.items.find((item) => isMap(item) && item.get("task") === task) ?? seq;
  }
  return (node as { range?: [number, number, number] } | undefined)?.range?.[0];
}
