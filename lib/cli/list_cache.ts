/**
 * @module
 * What `list` last showed of each valid task file, kept in `$CLODPUTER_HOME/list_cache.json` and
 * keyed by the file's mtime (ms), size, inode and ctime (whole seconds, as Deno gives it), and by
 * config.yaml's and HOME: a `list` of unchanged files reads a folder listing, a `stat` per file
 * and this file, and loads no yaml, zod or cronstrue. Only a row that read no environment variable
 * but HOME is kept; an invalid file is never kept, so its problem is found again each time.
 * Losing or breaking this file costs only time.
 */

import denoJson from "../../deno.json" with { type: "json" };
import type { Env } from "../sys/env.ts";
import { join } from "../sys/path.ts";
import type { Paths } from "../sys/paths.ts";

/** Bump when what a row holds, or how it is computed, changes. */
const FORMAT = 1;

/** What identifies one version of a file. */
export interface FileStamp {
  mtime: number;
  size: number;
  ino: number;
  ctime: number;
}

/** The cache as stored. */
export interface ListCache<Row> {
  format: number;
  version: string;
  /** HOME when the rows were made (`~/` in paths is expanded with it). */
  home: string | null;
  /** config.yaml's stamp; null when it did not exist. It was valid. */
  config: FileStamp | null;
  /** Each row, and the time (ms) its next run was worked out from. */
  tasks: Record<string, { stamp: FileStamp; row: Row; from?: number }>;
}

/** The file's stamp, following links; undefined when it is missing or not a regular file. */
export async function fileStamp(file: string): Promise<FileStamp | undefined> {
  try {
    const info = await Deno.stat(file);
    if (!info.isFile) return undefined;
    return {
      mtime: info.mtime?.getTime() ?? 0,
      size: info.size,
      ino: info.ino ?? 0,
      ctime: info.ctime?.getTime() ?? 0,
    };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw error;
  }
}

/** True when both stamps are there and equal. */
export function sameStamp(
  a: FileStamp | null | undefined,
  b: FileStamp | null | undefined,
): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return a === b;
  return a.mtime === b.mtime && a.size === b.size && a.ino === b.ino && a.ctime === b.ctime;
}

function cacheFile(paths: Paths): string {
  return join(paths.home, "list_cache.json");
}

/** The stored cache when it is there and of this version and format; undefined otherwise. */
export async function readListCache<Row>(paths: Paths): Promise<ListCache<Row> | undefined> {
  let text: string;
  try {
    text = await Deno.readTextFile(cacheFile(paths));
  } catch {
    return undefined;
  }
  try {
    const cache = JSON.parse(text) as ListCache<Row>;
    if (cache === null || typeof cache !== "object") return undefined;
    if (cache.format !== FORMAT || cache.version !== denoJson.version) return undefined;
    if (cache.tasks === null || typeof cache.tasks !== "object") return undefined;
    return cache;
  } catch {
    return undefined;
  }
}

/** Stores the cache (a file of this process's, renamed over the old); a failure is ignored. */
export async function writeListCache<Row>(
  paths: Paths,
  cache: Omit<ListCache<Row>, "format" | "version">,
): Promise<void> {
  const file = cacheFile(paths);
  const partial = `${file}.${Deno.pid}.partial`;
  const text = JSON.stringify({ format: FORMAT, version: denoJson.version, ...cache });
  try {
    await Deno.writeTextFile(partial, text, { mode: 0o600 });
    await Deno.rename(partial, file);
  } catch {
    // A home that cannot be written still lists its tasks, only not faster next time.
    await Deno.remove(partial).catch(() => {});
  }
}

/** An Env that notes each name read (`*` for all of them). */
export function recordingEnv(env: Env, read: Set<string>): Env {
  return {
    get(name) {
      read.add(name);
      return env.get(name);
    },
    toObject() {
      read.add("*");
      return env.toObject();
    },
  };
}
