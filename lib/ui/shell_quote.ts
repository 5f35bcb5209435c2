/**
 * @module
 * Quoting for showing a command line that can be pasted into a shell. Pure.
 */

/**
 * One argument, quoted only when it needs it.
 * @example
 * ```ts
 * import { shellQuote } from "./shell_quote.ts";
 * console.assert(shellQuote("it's") === `'it'\\''s'`);
 * ```
 */
export function shellQuote(arg: string): string {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** A whole command line. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(" ");
}

/**
 * A command line to paste, with its stdin read from a file when it has one:
 * `claude -p ... < /path/prompt`.
 */
export function commandLine(argv: readonly string[], stdinFile?: string | null): string {
  const line = shellLine(argv);
  return stdinFile ? `${line} < ${shellQuote(stdinFile)}` : line;
}
