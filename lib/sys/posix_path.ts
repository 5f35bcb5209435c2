/**
 * @module
 * POSIX path helpers (macOS and Linux, the only systems Clodputer runs on), with node:path's
 * results. Importing node:path starts Deno's Node compatibility layer, about 15 ms that every
 * command, the tick included, would pay at start-up.
 */

/** The separator of PATH-like lists. */
export const delimiter = ":";

/** True for an absolute path. */
export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** Resolves `.` and `..` and collapses repeated slashes; keeps a trailing slash. */
export function normalize(path: string): string {
  if (path === "") return ".";
  const absolute = isAbsolute(path);
  const trailing = path.endsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (out.length > 0 && out.at(-1) !== "..") out.pop();
      else if (!absolute) out.push("..");
      continue;
    }
    out.push(part);
  }
  let joined = out.join("/");
  if (absolute) joined = `/${joined}`;
  if (joined === "") return absolute ? "/" : trailing ? "./" : ".";
  return trailing && joined !== "/" ? `${joined}/` : joined;
}

/**
 * The parts joined with `/` and normalized.
 * @example
 * ```ts
 * import { join } from "./posix_path.ts";
 * console.assert(join("/a/b", "../c", "d.txt") === "/a/c/d.txt");
 * ```
 */
export function join(...parts: string[]): string {
  const kept = parts.filter((p) => p !== "");
  return kept.length === 0 ? "." : normalize(kept.join("/"));
}

function trimTrailing(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === "/") end--;
  return path.slice(0, end);
}

/** The folder part of a path (node:path's rule: cut at the last separator). */
export function dirname(path: string): string {
  if (path === "") return ".";
  const hasRoot = path.startsWith("/");
  let end = -1;
  let matchedSlash = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] === "/") {
      if (!matchedSlash) {
        end = i;
        break;
      }
    } else {
      matchedSlash = false;
    }
  }
  if (end === -1) return hasRoot ? "/" : ".";
  if (hasRoot && end === 1) return "//";
  return path.slice(0, end);
}

/** The last part of a path, less `ext` when it ends with it. */
export function basename(path: string, ext?: string): string {
  const p = trimTrailing(path);
  const base = p === "/" ? "" : p.slice(p.lastIndexOf("/") + 1);
  return ext !== undefined && ext !== "" && base.endsWith(ext) ? base.slice(0, -ext.length) : base;
}

/** The path of a `file:` URL. */
export function fromFileUrl(url: string): string {
  const u = new URL(url);
  if (u.protocol !== "file:") throw new TypeError(`Not a file URL: ${url}`);
  return decodeURIComponent(u.pathname);
}
