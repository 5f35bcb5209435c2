/**
 * @module
 * A reader of SwiftBar's plugin line format, written from its README and its parser
 * (swiftbar/SwiftBar SwiftBar/MenuBar/MenuLineParameters.swift at b9fa1ed): the title is what
 * comes before the first `|`; after it, `key=value` pairs separated by spaces, a value bare up to
 * the next space or tab, or in `"` or `'` up to the same quote (a backslash keeps the next
 * character, backslash included); keys are lower-cased; `--` before a title makes a submenu
 * item; a line of `---` separates. Used by the menu bar tests to check what the plugin prints.
 */

/** One line as SwiftBar reads it. */
export interface ParsedLine {
  separator: boolean;
  /** 0 in the menu, 1 in a submenu, ... */
  level: number;
  title: string;
  params: Record<string, string>;
}

/** Reads the parameters after the `|`. */
export function parseParams(text: string): Record<string, string> {
  const params: Record<string, string> = {};
  let i = 0;
  const blank = (c: string | undefined) => c === " " || c === "\t";
  while (i < text.length) {
    while (blank(text[i])) i++;
    if (i >= text.length) break;
    const eq = text.indexOf("=", i);
    if (eq === -1) break;
    const key = text.slice(i, eq).trim().toLowerCase();
    i = eq + 1;
    while (blank(text[i])) i++;
    let value = "";
    const quote = text[i];
    if (quote === '"' || quote === "'") {
      i++;
      let escaped = false;
      while (i < text.length) {
        const c = text[i] as string;
        if (escaped) {
          value += "\\" + c;
          escaped = false;
        } else if (c === "\\") {
          escaped = true;
        } else if (c === quote) {
          i++;
          break;
        } else {
          value += c;
        }
        i++;
      }
    } else {
      const start = i;
      while (i < text.length && !blank(text[i])) i++;
      value = text.slice(start, i);
    }
    params[key] = value;
  }
  return params;
}

/** Reads one line. */
export function parseLine(line: string): ParsedLine {
  if (line.trim() === "---") return { separator: true, level: 0, title: "", params: {} };
  const bar = line.indexOf("|");
  let title = bar === -1 ? line : line.slice(0, bar).trimEnd();
  const params = bar === -1 ? {} : parseParams(line.slice(bar + 1).trim());
  let level = 0;
  while (title.startsWith("--")) {
    level++;
    title = title.slice(2);
  }
  return { separator: false, level, title, params };
}

/** The command an item runs: `bash` then `param1`, `param2`, ... in number order. */
export function actionArgv(params: Record<string, string>): string[] | undefined {
  const program = params.bash ?? params.shell;
  if (program === undefined) return undefined;
  const keys = Object.keys(params).filter((k) => /^param\d+$/.test(k))
    .sort((a, b) => Number(a.slice(5)) - Number(b.slice(5)));
  return [program, ...keys.map((k) => params[k] as string)];
}

/** The whole output: title lines (before the first `---`) and menu lines. */
export function parseOutput(text: string): { titles: ParsedLine[]; menu: ParsedLine[] } {
  const lines = text.replace(/\n$/, "").split("\n").map(parseLine);
  const first = lines.findIndex((l) => l.separator);
  return first === -1
    ? { titles: lines, menu: [] }
    : { titles: lines.slice(0, first), menu: lines.slice(first + 1) };
}

/** The parameter keys the plugin may use. */
export const KNOWN_KEYS = new Set([
  "bash",
  "terminal",
  "refresh",
  "color",
  "emojize",
  "symbolize",
  "ansi",
]);

/** Every key of `params` is one we write (`paramN` included). */
export function unknownKeys(params: Record<string, string>): string[] {
  return Object.keys(params).filter((k) => !KNOWN_KEYS.has(k) && !/^param\d+$/.test(k));
}
