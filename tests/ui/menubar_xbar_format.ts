/**
 * @module
 * A reader of xbar's plugin line format, written from its parser (matryer/xbar
 * pkg/plugins/item_params.go and parse.go at d624239): the parameters start at the first `|`;
 * each is `key=value`, the value bare up to the next space, or in `"` or `'` up to the same quote
 * (no escapes); keys are case-sensitive. A key xbar does not know, a boolean that is not
 * `true`/`false`, a colour it cannot read or a size that is not a number fails the whole output,
 * as xbar does ("unknown parameter": the plugin then shows only the error).
 */

/** One line as xbar reads it. */
export interface XbarLine {
  /** The line's number, from 1, as xbar counts them in its error. */
  line: number;
  text: string;
  params: Record<string, string>;
}

/** What xbar says when it refuses an output. */
export class XbarParseError extends Error {
  /** Names the line and what is wrong with it, as xbar's error does. */
  constructor(line: number, text: string, why: string) {
    super(`line ${line} ("${text}"): ${why}`);
  }
}

const BOOL_KEYS = new Set([
  "disabled",
  "terminal",
  "refresh",
  "dropdown",
  "trim",
  "alternate",
  "emojize",
  "ansi",
]);
const INT_KEYS = new Set(["size", "length"]);
const TEXT_KEYS = new Set(["key", "href", "font", "shell", "bash", "templateImage", "image"]);
/** The named colours our menu uses, all in xbar's table (pkg/plugins/colors.go). */
const NAMED_COLORS = new Set(["red", "orange"]);
const HEX_COLOR = /^#([0-9a-f]{3}|[0-9a-f]{4}|[0-9a-f]{6}|[0-9a-f]{8})$/;

/** Why xbar refuses `key=value`, or undefined when it accepts it (setValueByKey). */
function refusal(key: string, value: string): string | undefined {
  if (BOOL_KEYS.has(key)) {
    return ["true", "false", "1", "0", "t", "f", "TRUE", "FALSE", "True", "False", "T", "F"]
        .includes(value)
      ? undefined
      : `${key}: expected "true" or "false", not "${value}"`;
  }
  if (INT_KEYS.has(key)) {
    return /^[+-]?\d+$/.test(value) ? undefined : `${key}: expected an int, not "${value}"`;
  }
  if (TEXT_KEYS.has(key)) return undefined;
  if (key === "color") {
    const c = value.toLowerCase();
    if (c === "") return "color: expected hex string or named color";
    return (c.startsWith("#") ? HEX_COLOR.test(c) : NAMED_COLORS.has(c))
      ? undefined
      : `color: invalid color "${value}"`;
  }
  if (key.startsWith("param")) {
    return /^[+-]?\d+$/.test(key.slice(5)) && Number(key.slice(5)) >= 1
      ? undefined
      : `bad parameter: ${key} (should be paramN)`;
  }
  return `unknown parameter: ${key}`;
}

/** Reads the parameters after the first `|`, refusing what xbar refuses (parseParamStr). */
export function parseXbarParams(paramText: string): Record<string, string> | string {
  const params: Record<string, string> = {};
  let s = paramText;
  while (true) {
    s = s.trim();
    if (s.length === 0) return params;
    const i = s.indexOf("=");
    if (i < 0) return "malformed parameters: missing equals";
    let split = "=";
    let endStr = " ";
    const q = s[i + 1];
    if (q === '"' || q === "'") {
      endStr = q;
      split = "=" + q;
    }
    const offset = i + split.length;
    let key = s.slice(0, i);
    if (key.startsWith("|")) key = key.slice(1).trim();
    const valuePart = s.slice(offset);
    let end = valuePart.indexOf(endStr);
    if (end < 0) end = valuePart.indexOf("|");
    end = end < 0 ? s.length : end + offset;
    const value = s.slice(offset, end);
    const why = refusal(key, value);
    if (why !== undefined) return why;
    params[key] = value;
    if (end + 1 > s.length) return params;
    s = s.slice(end + 1);
  }
}

/**
 * Reads a whole output as xbar does, line by line.
 * @throws {XbarParseError} at the first line xbar refuses.
 */
export function parseXbarOutput(text: string): XbarLine[] {
  const lines = text.replace(/\n$/, "").split("\n");
  return lines.map((raw, n) => {
    const bar = raw.indexOf("|");
    if (bar < 0) return { line: n + 1, text: raw, params: {} };
    const parsed = parseXbarParams(raw.slice(bar + 1));
    if (typeof parsed === "string") throw new XbarParseError(n + 1, raw.slice(0, bar), parsed);
    return { line: n + 1, text: raw.slice(0, bar), params: parsed };
  });
}
