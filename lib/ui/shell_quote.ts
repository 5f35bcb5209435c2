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
