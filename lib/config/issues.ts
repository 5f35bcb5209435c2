/**
 * @module
 * Turning zod's issues into problems a person can act on: what is wrong with which value, worded
 * from the field table (fields.ts), with what to write instead.
 */

import type { z } from "zod";
import { closest, didYouMean } from "./_suggest.ts";
import type { Field, Fields } from "./fields.ts";
import type { SchemaIssue } from "./types.ts";

/** What translating a schema's issues needs: its fields, and the keys known at a path. */
export interface IssueContext {
  fields: Fields;
  /** The keys a mapping at `path` takes (undefined: not a mapping of fixed keys). */
  knownKeys(path: (string | number)[], data: unknown): readonly string[] | undefined;
  /** Sections whose keys, written at the top level, get "put it under <section>:". */
  sections?: readonly (readonly [string, readonly string[]])[];
}

type ZodIssue = z.core.$ZodIssue;

/** One zod issue as the problems a person reads (an issue about a record key may hold several). */
export function translate(issue: ZodIssue, data: unknown, context: IssueContext): SchemaIssue[] {
  const { fields } = context;
  const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
  if (issue.code === "invalid_key" || issue.code === "invalid_element") {
    // A record's key (or a map's element) failed its own schema: report its inner problems here.
    return issue.issues.flatMap((inner) =>
      translate({ ...inner, path: [...issue.path, ...inner.path] }, data, context)
    );
  }
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) =>
      unknownKey(path, key, context.knownKeys(path, data) ?? [], context.sections ?? [])
    );
  }
  if (issue.code === "custom") {
    const params = (issue.params ?? {}) as { hint?: string; empty?: boolean };
    if (params.empty) {
      const info = fieldInfo(fields, path);
      return [{
        path,
        message: `"${labelOf(path)}" must not be empty`,
        at: "value",
        ...(info ? { hint: `write ${info.example}` } : {}),
      }];
    }
    return [{
      path,
      message: issue.message,
      at: "value",
      ...(params.hint === undefined ? {} : { hint: params.hint }),
    }];
  }
  const value = valueAt(data, path);
  const info = fieldInfo(fields, path);
  const label = labelOf(path);
  if (value === undefined) {
    const parent = path.slice(0, -1);
    const under = parent.length === 0 ? "" : ` under "${labelOf(parent)}"`;
    return [{
      path,
      message: `Missing "${label}"${under}`,
      at: "value",
      hint: `add ${info?.example ?? `${label}:`}${
        under === "" ? "" : ` under ${labelOf(parent)}:`
      }`,
    }];
  }
  const expect = info?.expect ?? describeExpected(issue);
  let hint = info === undefined ? undefined : `write ${info.example}`;
  if (info?.values !== undefined && typeof value === "string") {
    const match = closest(value, info.values);
    if (match !== undefined) hint = `did you mean "${match}"? write ${keyOf(path)}: ${match}`;
  }
  if (patternOf(path) === "trigger.type" && value === "cron") {
    hint = 'a cron schedule goes under schedule:, with type: cron and expression: "0 8 * * *"';
  }
  return [{
    path,
    message: `${quoteLabel(path)} must be ${expect}, got ${repr(value)}`,
    at: "value",
    ...(hint === undefined ? {} : { hint }),
  }];
}

function unknownKey(
  path: (string | number)[],
  key: string,
  known: readonly string[],
  sections: readonly (readonly [string, readonly string[]])[],
): SchemaIssue {
  const where = path.length === 0 ? "" : ` in "${labelOf(path)}"`;
  let hint = didYouMean(key, known);
  if (hint === undefined && path.length === 0) {
    // A setting of a section written at the top level (or misspelt there).
    for (const [section, keys] of sections) {
      const match = keys.includes(key) ? key : closest(key, keys);
      if (match === undefined) continue;
      hint = `${match === key ? "" : `did you mean "${match}"? `}put ${match}: under ${section}:`;
      break;
    }
  }
  return {
    path: [...path, key],
    message: `Unknown key "${key}"${where}`,
    hint: hint ?? `known keys${where} are ${known.join(", ")}`,
    at: "key",
  };
}

function describeExpected(issue: ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "object"
        ? "a mapping"
        : issue.expected === "array"
        ? "a list"
        : `a ${issue.expected}`;
    case "too_small":
      return `at least ${issue.minimum}`;
    case "too_big":
      return `at most ${issue.maximum}`;
    default:
      return "valid";
  }
}

function fieldInfo(fields: Fields, path: (string | number)[]): Field | undefined {
  const pattern = patternOf(path);
  const exact = fields[pattern];
  if (exact !== undefined) return exact;
  const wildcard = [...pattern.split(".").slice(0, -1), "*"].join(".");
  return fields[wildcard];
}

/** A path as a field pattern: list indexes become `*`. */
export function patternOf(path: (string | number)[]): string {
  return path.map((p) => (typeof p === "number" ? "*" : p)).join(".");
}

/** The last key of a path (the list's key for a list item). */
function keyOf(path: (string | number)[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    if (typeof p === "string") return p;
  }
  return "";
}

function labelOf(path: (string | number)[]): string {
  return keyOf(path);
}

/** `"timeout"`, or `Item 2 of "allowed_tools"` for a list item. */
function quoteLabel(path: (string | number)[]): string {
  const last = path[path.length - 1];
  if (typeof last === "number") return `Item ${last + 1} of "${keyOf(path)}"`;
  if (path.length === 0) return "The file";
  return `"${last}"`;
}

/** A value as it appears in a message. */
export function repr(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const short = value.length > 40 ? `${value.slice(0, 39)}…` : value;
    return JSON.stringify(short);
  }
  return String(value);
}

/** Reads a path from parsed data. */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current = data;
  for (const p of path) {
    if (Array.isArray(current) && typeof p === "number") current = current[p];
    else if (isRecord(current) && Object.hasOwn(current, p)) current = current[p];
    else return undefined;
  }
  return current;
}

/** A mapping (not null, not a list). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The issues without repeats (same path and message). */
export function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path.join("\u0000")}\u0001${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
