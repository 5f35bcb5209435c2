/**
 * @module
 * File name patterns for watches, and the noise no watch hands over (editor swap and backup
 * files, `.DS_Store`, partial downloads). Pure.
 */

/** Files never handed over, whatever the task's pattern. */
export const NOISE: readonly string[] = [
  ".DS_Store",
  "._*", // AppleDouble
  "Thumbs.db",
  "*.swp",
  "*.swo",
  "*.swx",
  ".*.sw?",
  "4913", // vim's write test
  "*~",
  "#*#",
  ".#*",
  "*.bak",
  "*.tmp",
  "*.crdownload",
  "*.part",
  "*.partial",
  "*.download",
  ".~lock.*#",
];

function escape(ch: string): string {
  return /[\\^$.*+?()[\]{}|/]/.test(ch) ? `\\${ch}` : ch;
}

/**
 * A glob as a regular expression over a relative path: `*` and `?` stay within one path part,
 * `**` crosses folders, `[abc]` and `{a,b}` as in the shell.
 * @example
 * ```ts
 * import { globToRegExp } from "./glob.ts";
 * console.assert(globToRegExp("*.{md,txt}").test("notes.md"));
 * ```
 */
export function globToRegExp(glob: string): RegExp {
  let out = "";
  let inGroup = 0;
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === "*") {
      if (glob[i + 1] === "*") {
        i++;
        if (glob[i + 1] === "/") {
          i++;
          out += "(?:.*/)?";
        } else {
          out += ".*";
        }
      } else {
        out += "[^/]*";
      }
    } else if (ch === "?") {
      out += "[^/]";
    } else if (ch === "[") {
      const close = glob.indexOf("]", i + 1);
      if (close === -1) {
        out += "\\[";
      } else {
        const body = glob.slice(i + 1, close).replace(/^!/, "^").replaceAll("\\", "\\\\");
        out += `[${body}]`;
        i = close;
      }
    } else if (ch === "{") {
      inGroup++;
      out += "(?:";
    } else if (ch === "}" && inGroup > 0) {
      inGroup--;
      out += ")";
    } else if (ch === "," && inGroup > 0) {
      out += "|";
    } else {
      out += escape(ch);
    }
  }
  return new RegExp(`^${out}$`, "s");
}

/** Whether a file (its path relative to the watched folder) matches a pattern. A pattern without
 * `/` is matched against the file's name alone, in any subfolder. */
export function matchesGlob(relative: string, glob: string): boolean {
  const target = glob.includes("/") ? relative : relative.slice(relative.lastIndexOf("/") + 1);
  return globToRegExp(glob).test(target);
}

/** True for noise and for files the task ignores. */
export function isIgnored(relative: string, ignore: readonly string[]): boolean {
  return [...NOISE, ...ignore].some((g) => matchesGlob(relative, g));
}
