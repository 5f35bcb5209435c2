/**
 * @module
 * Listing a watched folder: every file that matches the watch's pattern and is not noise, with
 * its size and mtime. Events from the OS are hints; this listing is what the watcher trusts.
 */

import { join } from "../sys/posix_path.ts";
import { isIgnored, matchesGlob } from "./glob.ts";

import type { FileStamp } from "../sys/file_stamp.ts";

/** What a scan looks for. */
export interface ScanSpec {
  folder: string;
  pattern: string;
  recursive: boolean;
  ignore: readonly string[];
}

/** A scan stops after this many files (a folder this large is a mistake to watch). */
export const MAX_SCAN_FILES = 50_000;

/** A file the scan found but cannot hand over, and why. */
export interface SkippedFile {
  /** Its path as Deno reads it, escaped for a log line (`caf\ufffd.txt`). */
  path: string;
  reason: string;
}

/**
 * What a scan found: the folder's matching files (and those it cannot hand over), or that the
 * folder is missing: `gone` when it does not exist (or is not a folder), else it exists but
 * cannot be read now (permissions): then what it held is not forgotten.
 */
export type FolderScan =
  | { kind: "files"; files: Map<string, FileStamp>; skipped: SkippedFile[] }
  | { kind: "missing"; gone: boolean };

/** Why a listed file whose name is not UTF-8 is not handed over. */
export const NOT_UTF8 = "its name is not valid UTF-8: Deno reads it with U+FFFD in place of " +
  "the bytes it cannot decode, so it cannot open it (rename the file)";

/**
 * A path with what would hide or break a log line (control characters, U+FFFD, which Deno puts
 * for bytes that are not UTF-8, and backslashes) written as `\uXXXX` escapes. Pure.
 */
export function escapePath(path: string): string {
  return path.replace(
    // deno-lint-ignore no-control-regex
    /[\\\u0000-\u001f\u007f-\u009f\ufffd]/g,
    (c) => c === "\\" ? "\\\\" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * The matching files, by absolute path, or why there are none (see FolderScan). Subfolders
 * only with `recursive`; links are followed to files, not into folders. A name Deno cannot
 * address (not UTF-8) is in `skipped`, never dropped silently.
 */
export async function scanFolder(spec: ScanSpec): Promise<FolderScan> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(spec.folder);
  } catch (error) {
    return { kind: "missing", gone: error instanceof Deno.errors.NotFound };
  }
  if (!info.isDirectory) return { kind: "missing", gone: true };
  const out = new Map<string, FileStamp>();
  const skipped: SkippedFile[] = [];
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch (error) {
      if (dir !== spec.folder && dir.includes("\ufffd") && error instanceof Deno.errors.NotFound) {
        skipped.push({ path: escapePath(dir), reason: NOT_UTF8 });
      }
      return; // gone meanwhile, or not readable: the next scan sees it again
    }
    for (const e of entries) {
      if (out.size >= MAX_SCAN_FILES) return;
      const relative = prefix + e.name;
      const path = join(dir, e.name);
      if (e.isDirectory) {
        if (spec.recursive && !isIgnored(relative, spec.ignore)) {
          await walk(path, `${relative}/`);
        }
        continue;
      }
      if (!matchesGlob(relative, spec.pattern) || isIgnored(relative, spec.ignore)) continue;
      let stat: Deno.FileInfo | undefined;
      try {
        stat = await Deno.stat(path);
      } catch (error) {
        // Listed, yet not there by its name: a name that is not UTF-8 (Deno cannot address it).
        // Any other file was deleted meanwhile, or is a dangling link.
        if (e.name.includes("\ufffd") && error instanceof Deno.errors.NotFound) {
          skipped.push({ path: escapePath(path), reason: NOT_UTF8 });
        }
        continue;
      }
      if (!stat.isFile) continue;
      out.set(path, { size: stat.size, mtime: stat.mtime?.getTime() ?? 0 });
    }
  };
  await walk(spec.folder, "");
  return { kind: "files", files: out, skipped };
}
