/**
 * @module
 * Listing a watched folder: every file that matches the watch's pattern and is not noise, with
 * its size and mtime. Events from the OS are hints; this listing is what the watcher trusts.
 */

import { join } from "../sys/path.ts";
import { isIgnored, matchesGlob } from "./glob.ts";

import type { FileStamp } from "../queue/types.ts";

export type { FileStamp };

/** What a scan looks for. */
export interface ScanSpec {
  folder: string;
  pattern: string;
  recursive: boolean;
  ignore: readonly string[];
}

/** A scan stops after this many files (a folder this large is a mistake to watch). */
export const MAX_SCAN_FILES = 50_000;

/** Same size and mtime. */
export function sameStamp(a: FileStamp | undefined, b: FileStamp | undefined): boolean {
  return a !== undefined && b !== undefined && a.size === b.size && a.mtime === b.mtime;
}

/**
 * The matching files, by absolute path; undefined when the folder does not exist (or is not a
 * folder). Subfolders only with `recursive`; links are followed to files, not into folders.
 */
export async function scanFolder(spec: ScanSpec): Promise<Map<string, FileStamp> | undefined> {
  const info = await Deno.stat(spec.folder).catch(() => undefined);
  if (!info?.isDirectory) return undefined;
  const out = new Map<string, FileStamp>();
  const walk = async (dir: string, prefix: string): Promise<void> => {
    let entries: Deno.DirEntry[];
    try {
      entries = await Array.fromAsync(Deno.readDir(dir));
    } catch {
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
      const stat = await Deno.stat(path).catch(() => undefined);
      if (!stat?.isFile) continue;
      out.set(path, { size: stat.size, mtime: stat.mtime?.getTime() ?? 0 });
    }
  };
  await walk(spec.folder, "");
  return out;
}
