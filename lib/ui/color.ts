/**
 * @module
 * ANSI colours, applied only when the output allows them.
 */

/** A set of colour functions; all identities when colour is off. */
export interface Colors {
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

/** The SGR parameters `colors()` writes: opening and closing codes, nothing else. */
const CODES = [31, 32, 33, 36, 39, 2, 22, 1];

/** Exactly the escape sequences `colors(true)` writes (a global regex). */
export const OWN_COLOR_CODES: RegExp = new RegExp(`\x1b\\[(?:${CODES.join("|")})m`, "g");

function wrap(open: number, close: number): (s: string) => string {
  return (s) => `\x1b[${open}m${s}\x1b[${close}m`;
}

const identity = (s: string) => s;

/** Colour functions, real when `enabled`. */
export function colors(enabled: boolean): Colors {
  if (!enabled) {
    return {
      red: identity,
      green: identity,
      yellow: identity,
      cyan: identity,
      dim: identity,
      bold: identity,
    };
  }
  return {
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
    dim: wrap(2, 22),
    bold: wrap(1, 22),
  };
}

/** Removes ANSI escape sequences. */
export function stripAnsi(s: string): string {
  // deno-lint-ignore no-control-regex
  return s.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, "");
}
