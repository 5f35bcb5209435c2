/**
 * @module
 * Clodputer's section of a crontab, as text: render it, find it, put it in or take it out while
 * every other byte of the table stays as it was. Pure.
 *
 * The section is one `* * * * * ... tick` entry between begin and end comment lines, with one
 * comment line that points people who read their crontab to `clodputer list`. Its variables (PATH,
 * SHELL, CLODPUTER_HOME) are part of the entry's own command line: a `NAME=value` line would
 * change every job below it. A new section goes at the top of the table, so no variable line
 * of the user's applies to it and taking it out restores the table exactly.
 */

/** The line that opens the section. */
export const BEGIN = "# BEGIN clodputer";
/** The line that closes the section. */
export const END = "# END clodputer";

/** A scheduled task, as install reports it. */
export interface SectionTask {
  name: string;
  expression: string;
  timezone: string | null;
}

/**
 * One word for /bin/sh: bare when it is plainly safe, else in single quotes.
 * @example
 * ```ts
 * import { shWord } from "./crontab_section.ts";
 * console.assert(shWord("it's") === `'it'\\''s'`);
 * ```
 */
export function shWord(word: string): string {
  if (/^[\w@+=:,./-]+$/.test(word)) return word;
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Why a value cannot go into a crontab line, or undefined when it can. */
export function crontabUnsafe(value: string): string | undefined {
  if (/[\n\r\0]/.test(value)) return "it holds a line break or a NUL";
  // cron turns `\%` into `%`, so a backslash right before a `%` cannot be written at all.
  if (value.includes("\\")) return "it holds a backslash";
  return undefined;
}

/**
 * The command part of the entry: `NAME=value ... 'argv0' args`, quoted for /bin/sh, with every
 * `%` escaped for cron (a bare `%` ends the command and the rest becomes its stdin).
 */
export function entryCommand(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
): string {
  const words = [
    ...Object.entries(env).map(([k, v]) => `${k}=${shWord(v)}`),
    ...argv.map(shWord),
  ];
  return words.join(" ").replaceAll("%", "\\%");
}

/**
 * The whole section, with its final newline. It names no task: a list here would lag every edit
 * until the next install, so one line points to `clodputer list`, which reads the task files.
 */
export function renderSection(input: {
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
}): string {
  return [
    `${BEGIN} (written by \`clodputer install\`; \`clodputer uninstall\` removes it)`,
    "# Every minute, tick queues the scheduled tasks that are due: see them with clodputer list",
    `* * * * * ${entryCommand(input.argv, input.env)}`,
    END,
  ].join("\n") + "\n";
}

/** Where the section is in a table: character offsets of its first and past its last line. */
export interface SectionSpan {
  start: number;
  end: number;
  text: string;
}

/**
 * Finds the section. @throws {Error} when the begin line has no end line (edited by hand): the
 * table is then not touched.
 */
export function findSection(table: string): SectionSpan | undefined {
  const lines = table.split(/(?<=\n)/); // keeps each line's "\n"
  let offset = 0;
  let start = -1;
  for (const line of lines) {
    const bare = line.replace(/\r?\n$/, "");
    if (start === -1 && bare.startsWith(BEGIN)) start = offset;
    offset += line.length;
    if (start !== -1 && bare.startsWith(END)) {
      return { start, end: offset, text: table.slice(start, offset) };
    }
  }
  if (start !== -1) {
    throw new Error(`the line "${BEGIN}" has no matching "${END}" line`);
  }
  return undefined;
}

/**
 * The table with `section` in place of the old one (where it was), or at the top when there
 * was none; with `section` undefined, the table without it. Every other byte is kept.
 */
export function spliceSection(table: string, section: string | undefined): string {
  const found = findSection(table);
  if (found) {
    let after = table.slice(found.end);
    // A section written at the end of a table with no final newline ends without one too.
    if (section !== undefined && !found.text.endsWith("\n")) section = section.replace(/\n$/, "");
    if (section === undefined && !found.text.endsWith("\n") && found.start > 0) {
      return table.slice(0, found.start - 1) + after;
    }
    after = section === undefined ? after : after;
    return table.slice(0, found.start) + (section ?? "") + after;
  }
  return section === undefined ? table : section + table;
}

/** The entry's command split into its variables and argv, as /bin/sh would read them. */
export interface ParsedEntry {
  schedule: string;
  env: Record<string, string>;
  argv: string[];
}

/**
 * Reads back an entry this module wrote (`* * * * * NAME='v' 'cmd' tick`): cron's `\%`, then
 * the shell's single quotes. Undefined for a line it cannot read.
 */
export function parseEntry(line: string): ParsedEntry | undefined {
  const m = line.match(/^\s*((?:\S+\s+){5})(.*)$/);
  if (!m || line.trimStart().startsWith("#")) return undefined;
  const command = (m[2] ?? "").replaceAll("\\%", "%");
  const words: string[] = [];
  let word: string | undefined;
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string;
    if (ch === "'") {
      const close = command.indexOf("'", i + 1);
      if (close === -1) return undefined;
      word = (word ?? "") + command.slice(i + 1, close);
      i = close;
    } else if (ch === "\\" && i + 1 < command.length) {
      word = (word ?? "") + command[i + 1];
      i++;
    } else if (/\s/.test(ch)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? "") + ch;
    }
  }
  if (word !== undefined) words.push(word);
  const env: Record<string, string> = {};
  let i = 0;
  for (; i < words.length; i++) {
    const assign = (words[i] as string).match(/^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s);
    if (!assign) break;
    env[assign[1] as string] = assign[2] as string;
  }
  return { schedule: (m[1] ?? "").trim(), env, argv: words.slice(i) };
}

/** The section's entry line, parsed; undefined when the section has none it can read. */
export function sectionEntry(section: string): ParsedEntry | undefined {
  for (const line of section.split("\n")) {
    const parsed = parseEntry(line);
    if (parsed) return parsed;
  }
  return undefined;
}
