/**
 * @module
 * `{{ a.b.c | filter }}` templates: parsing, rendering against a scope, and finding the variables
 * a text uses. Pure.
 */

import { didYouMean } from "./_suggest.ts";

/** A template names a variable that has no value, or cannot be read or applied. */
export class TemplateError extends Error {
  /** The variable (dotted path) the template names, such as "context.file_path". */
  readonly variable: string;

  constructor(message: string, variable: string) {
    super(message);
    this.name = "TemplateError";
    this.variable = variable;
  }
}

/** What to do when a variable has no value: throw, leave the `{{ ... }}` text, or write "". */
export type OnMissing = "error" | "keep" | "empty";

/** Options of {@linkcode renderTemplate}. */
export interface RenderOptions {
  /** What to do when a variable has no value (default "error"). */
  onMissing?: OnMissing | undefined;
}

/** One filter applied in a template: `| name` or `| name(arg, ...)`. */
export interface TemplateFilter {
  name: string;
  args: unknown[];
}

/** One `{{ ... }}` in a text, parsed. */
export interface TemplateExpression {
  /** Offset of the opening `{{` in the text. */
  start: number;
  /** Offset just past the closing `}}`. */
  end: number;
  /** The whole `{{ ... }}` text. */
  source: string;
  /** The variable as a dotted path: `result.items.0`. */
  variable: string;
  segments: string[];
  filters: TemplateFilter[];
}

/** A `{{ ... }}` that cannot be used, with where it is in the text. */
export interface TemplateProblem {
  start: number;
  end: number;
  source: string;
  message: string;
  hint: string;
}

/** The filters templates may use, with the number of arguments each takes. */
export const TEMPLATE_FILTERS: Readonly<Record<string, { min: number; max: number }>> = Object
  .freeze({
    default: { min: 1, max: 1 },
    length: { min: 0, max: 0 },
    join: { min: 0, max: 1 },
    json: { min: 0, max: 0 },
    lower: { min: 0, max: 0 },
    upper: { min: 0, max: 0 },
    trim: { min: 0, max: 0 },
  });

const EXPRESSION = /\{\{([\s\S]*?)\}\}/g;
const IDENT = /[A-Za-z_][A-Za-z0-9_-]*/y;
const DIGITS = /\d+/y;
const NUMBER = /-?\d+(?:\.\d+)?/y;
const SPACE = /\s*/y;

/**
 * Fills every `{{ path | filter ... }}` in `text` from `scope`. Paths are dotted (`a.b.0`, or
 * `a.b[0]`); filters are `length`, `default(x)`, `join(sep)`, `json`, `lower`, `upper` and `trim`,
 * and chain left to right. A missing value passes through filters until `default` replaces it.
 * Values that are not strings are written as JSON (numbers and booleans as they are, null as "").
 * @throws {TemplateError} when a variable has no value and `onMissing` is "error", and when a
 * template cannot be parsed or a filter does not apply, unless `onMissing` is "keep".
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderTemplate } from "./template.ts";
 * const scope = { name: "inbox", result: { items: ["a", "b"] } };
 * assert.equal(
 *   renderTemplate("{{name}}: {{ result.items | length }} new, {{ result.late | default(0) }} late", scope),
 *   "inbox: 2 new, 0 late",
 * );
 * assert.equal(renderTemplate("{{ secrets.TOKEN }}", scope, { onMissing: "keep" }), "{{ secrets.TOKEN }}");
 * ```
 */
export function renderTemplate(
  text: string,
  scope: Record<string, unknown>,
  options: RenderOptions = {},
): string {
  const onMissing = options.onMissing ?? "error";
  return text.replace(EXPRESSION, (source: string, inner: string, offset: number) => {
    const parsed = parseExpression(inner, offset, source);
    if ("message" in parsed) {
      if (onMissing === "keep") return source;
      throw new TemplateError(`${parsed.message} in "${source}"`, inner.trim());
    }
    let value: unknown;
    try {
      value = evaluate(parsed, scope);
    } catch (error) {
      if (onMissing === "keep" && error instanceof TemplateError) return source;
      throw error;
    }
    if (value === undefined) {
      if (onMissing === "keep") return source;
      if (onMissing === "empty") return "";
      throw new TemplateError(
        `Template variable "${parsed.variable}" has no value`,
        parsed.variable,
      );
    }
    return stringify(value);
  });
}

/**
 * The variables `text` uses, as dotted paths in order of first use, without filters
 * (for example `["env.HOME", "secrets.TOKEN"]`). Templates that cannot be parsed are skipped.
 */
export function findTemplateVariables(text: string): string[] {
  const seen = new Set<string>();
  for (const expression of parseTemplate(text).expressions) seen.add(expression.variable);
  return [...seen];
}

/** Every `{{ ... }}` in `text`: those that parse, and problems for those that do not. */
export function parseTemplate(
  text: string,
): { expressions: TemplateExpression[]; problems: TemplateProblem[] } {
  const expressions: TemplateExpression[] = [];
  const problems: TemplateProblem[] = [];
  for (const match of text.matchAll(EXPRESSION)) {
    const source = match[0];
    const parsed = parseExpression(match[1] ?? "", match.index, source);
    if ("message" in parsed) problems.push(parsed);
    else expressions.push(parsed);
  }
  return { expressions, problems };
}

/** Reads a dotted path from a scope: own properties and array indexes only. */
export function lookup(scope: unknown, segments: readonly string[]): unknown {
  let current: unknown = scope;
  for (const segment of segments) {
    if (current === null || current === undefined) return undefined;
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (typeof current === "object" && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

function evaluate(expression: TemplateExpression, scope: Record<string, unknown>): unknown {
  let value = lookup(scope, expression.segments);
  for (const filter of expression.filters) {
    value = applyFilter(filter, value, expression);
  }
  return value;
}

function applyFilter(filter: TemplateFilter, value: unknown, expression: TemplateExpression) {
  const missing = value === undefined || value === null;
  switch (filter.name) {
    case "default":
      return missing ? filter.args[0] : value;
    case "length":
      if (missing) return undefined;
      if (typeof value === "string" || Array.isArray(value)) return value.length;
      if (typeof value === "object") return Object.keys(value).length;
      throw new TemplateError(
        `Filter "length" cannot apply to ${describe(value)} in "${expression.source}"`,
        expression.variable,
      );
    case "join": {
      if (missing) return undefined;
      const separator = filter.args.length > 0 ? stringify(filter.args[0]) : "";
      return Array.isArray(value) ? value.map(stringify).join(separator) : stringify(value);
    }
    case "json":
      return missing ? undefined : JSON.stringify(value);
    case "lower":
      return missing ? undefined : stringify(value).toLowerCase();
    case "upper":
      return missing ? undefined : stringify(value).toUpperCase();
    case "trim":
      return missing ? undefined : stringify(value).trim();
    default:
      throw new TemplateError(
        `Unknown template filter "${filter.name}" in "${expression.source}"`,
        expression.variable,
      );
  }
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value === null) return "null";
  return `a ${typeof value}`;
}

/** How a value is written into text. */
function stringify(value: unknown): string {
  if (typeof value === "string") return value;
  if (value === null || value === undefined) return "";
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return String(value);
  }
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value) ?? "";
}

/** A tiny cursor over one expression's text. */
class Cursor {
  #text: string;
  index = 0;
  constructor(text: string) {
    this.#text = text;
  }
  skipSpace(): void {
    SPACE.lastIndex = this.index;
    SPACE.exec(this.#text);
    this.index = SPACE.lastIndex;
  }
  match(pattern: RegExp): string | undefined {
    pattern.lastIndex = this.index;
    const m = pattern.exec(this.#text);
    if (m === null) return undefined;
    this.index = pattern.lastIndex;
    return m[0];
  }
  eat(char: string): boolean {
    if (this.#text[this.index] !== char) return false;
    this.index++;
    return true;
  }
  peek(): string | undefined {
    return this.#text[this.index];
  }
  done(): boolean {
    return this.index >= this.#text.length;
  }
  rest(): string {
    return this.#text.slice(this.index);
  }
  quoted(): string | undefined {
    const quote = this.peek();
    if (quote !== '"' && quote !== "'") return undefined;
    let out = "";
    for (let i = this.index + 1; i < this.#text.length; i++) {
      const c = this.#text[i];
      if (c === "\\" && i + 1 < this.#text.length) {
        out += this.#text[++i];
      } else if (c === quote) {
        this.index = i + 1;
        return out;
      } else {
        out += c;
      }
    }
    return undefined;
  }
}

const SYNTAX_HINT =
  "write {{ name }}, {{ context.key }} or {{ result.items | length | default(0) }}";

function parseExpression(
  inner: string,
  start: number,
  source: string,
): TemplateExpression | TemplateProblem {
  const end = start + source.length;
  const problem = (message: string, hint = SYNTAX_HINT): TemplateProblem => ({
    start,
    end,
    source,
    message,
    hint,
  });
  const cursor = new Cursor(inner);
  cursor.skipSpace();
  if (cursor.done()) return problem("Empty template");
  const first = cursor.match(IDENT);
  if (first === undefined) {
    return problem(`Template must start with a variable name, not "${cursor.rest().trim()}"`);
  }
  const segments = [first];
  for (;;) {
    if (cursor.eat(".")) {
      const part = cursor.match(IDENT) ?? cursor.match(DIGITS);
      if (part === undefined) return problem('Template has a "." with no name after it');
      segments.push(part);
    } else if (cursor.eat("[")) {
      const part = cursor.match(DIGITS) ?? cursor.quoted();
      if (part === undefined || !cursor.eat("]")) {
        return problem('Template has a "[" that is not a number or quoted key followed by "]"');
      }
      segments.push(part);
    } else {
      break;
    }
  }
  const filters: TemplateFilter[] = [];
  for (;;) {
    cursor.skipSpace();
    if (cursor.done()) break;
    if (!cursor.eat("|")) {
      return problem(`Template has unexpected text "${cursor.rest().trim()}"`);
    }
    cursor.skipSpace();
    const name = cursor.match(IDENT);
    if (name === undefined) return problem('Template has a "|" with no filter name after it');
    const args: unknown[] = [];
    cursor.skipSpace();
    if (cursor.eat("(")) {
      cursor.skipSpace();
      if (!cursor.eat(")")) {
        for (;;) {
          cursor.skipSpace();
          const arg = parseLiteral(cursor);
          if (arg === NO_LITERAL) {
            return problem(
              `Filter "${name}" has an argument that is not a number, quoted text, true, false or null`,
              'write default(0) or default("none")',
            );
          }
          args.push(arg);
          cursor.skipSpace();
          if (cursor.eat(")")) break;
          if (!cursor.eat(",")) return problem(`Filter "${name}" is missing its closing ")"`);
        }
      }
    }
    const spec = TEMPLATE_FILTERS[name];
    if (spec === undefined) {
      return problem(
        `Unknown template filter "${name}"`,
        didYouMean(name, Object.keys(TEMPLATE_FILTERS)) ??
          `use one of ${Object.keys(TEMPLATE_FILTERS).join(", ")}`,
      );
    }
    if (args.length < spec.min || args.length > spec.max) {
      return problem(
        spec.max === 0
          ? `Filter "${name}" takes no arguments`
          : `Filter "${name}" takes ${spec.min === spec.max ? spec.min : `up to ${spec.max}`} ` +
            `argument${spec.max === 1 ? "" : "s"}, got ${args.length}`,
        name === "default" ? 'write default(0) or default("none")' : `write | ${name}`,
      );
    }
    filters.push({ name, args });
  }
  return { start, end, source, variable: segments.join("."), segments, filters };
}

const NO_LITERAL = Symbol("no literal");

function parseLiteral(cursor: Cursor): unknown {
  const quoted = cursor.quoted();
  if (quoted !== undefined) return quoted;
  const number = cursor.match(NUMBER);
  if (number !== undefined) return Number(number);
  const word = cursor.match(IDENT);
  if (word === "true" || word === "True") return true;
  if (word === "false" || word === "False") return false;
  if (word === "null" || word === "none" || word === "None") return null;
  return NO_LITERAL;
}
