/**
 * @module
 * Control characters as visible text, so words from outside (claude's result, errors, tool names,
 * log records) can never drive the terminal. Pure; `lib/ui/output.ts` applies it to every line.
 */

/** C0 controls, DEL and C1 controls: what a terminal may read as a command. */
// deno-lint-ignore no-control-regex -- exactly the characters to escape
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** The same, less newline and tab: for views that show several lines. */
// deno-lint-ignore no-control-regex -- exactly the characters to escape
const CONTROLS_BUT_LINES = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/** One control character as text: `\x1b` for ESC, `\x07` for BEL, `\x9b` for CSI. */
function shown(ch: string): string {
  return `\\x${ch.charCodeAt(0).toString(16).padStart(2, "0")}`;
}

/**
 * `text` with every control character written as `\xNN`; with `lines`, newline and tab are kept.
 * @example
 * ```ts
 * import { escapeControls } from "./escape.ts";
 * console.assert(escapeControls("\x1b]0;t\x07") === "\\x1b]0;t\\x07");
 * console.assert(escapeControls("a\nb", { lines: true }) === "a\nb");
 * ```
 */
export function escapeControls(text: string, options: { lines?: boolean } = {}): string {
  return text.replace(options.lines ? CONTROLS_BUT_LINES : CONTROLS, shown);
}

/**
 * `text` escaped, but for the exact sequences `keep` matches (a global regex), which pass as they
 * are: the colour codes of `lib/ui/color.ts`, when colour is on.
 */
export function escapeControlsKeeping(
  text: string,
  options: { keep: RegExp; lines?: boolean },
): string {
  let out = "";
  let from = 0;
  for (const match of text.matchAll(options.keep)) {
    out += escapeControls(text.slice(from, match.index), options) + match[0];
    from = match.index + match[0].length;
  }
  return out + escapeControls(text.slice(from), options);
}
