/**
 * @module
 * What `list` last showed of each valid task file, kept in `$CLODPUTER_HOME/list_cache.json` and
 * keyed by the file's mtime (ms), size, inode and ctime (whole seconds, as Deno gives it), and by
 * config.yaml's and HOME: a `list` of unchanged files reads a folder listing, a `stat` per file
 * and this file, and loads no yaml, zod or cronstrue. Only a row that read no environment variable
 * but HOME is kept; an invalid file is never kept, so its problem is found again each time.
 * Losing or breaking this file costs only time: a damaged one is moved aside (lib/log/state_file.ts).
 */

import denoJson from "../../deno.json" with { type: "json" };
import { join } from "../sys/posix_path.ts";
import type { Paths } from "../sys/paths.ts";
import type { FileStamp } from "../sys/file_stamp.ts";
import {
  checkFields,
  isNumber,
  isRecord,
  readStateFile,
  type StateShape,
} from "../log/state_file.ts";

/** Bump when what a row holds, or how it is computed, changes. */
const FORMAT = 1;

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

function cacheFile(paths: Paths): string {
  return join(paths.home, "list_cache.json");
}

const isStamp = (v: unknown) =>
  checkFields(v, {
    mtime: [isNumber, "a number"],
    size: [isNumber, "a number"],
    ino: [isNumber, "a number"],
    ctime: [isNumber, "a number"],
  }) === undefined;

/**
 * The shape of `list_cache.json`; `row` checks one row. A cache of another version or format is
 * not damaged (it is only not used), so its rows are not checked.
 */
export function listCacheShape<Row>(
  row: (v: unknown) => string | undefined,
): StateShape<ListCache<Row>> {
  return {
    check(v) {
      const top = checkFields(v, {
        format: [isNumber, "a number"],
        version: [(x) => typeof x === "string", "a version"],
        home: [(x) => x === null || typeof x === "string", "a path or null"],
        config: [(x) => x === null || isStamp(x), "a file stamp or null"],
        tasks: [isRecord, "an object"],
      });
      if (top !== undefined || !isRecord(v)) return top;
      if (v.format !== FORMAT || v.version !== denoJson.version) return undefined;
      for (const [name, entry] of Object.entries(v.tasks as Record<string, unknown>)) {
        const where = `tasks.${name}`;
        const problem = checkFields(entry, {
          stamp: [isStamp, "a file stamp"],
          row: [isRecord, "an object"],
          from: [(x) => x === undefined || isNumber(x), "a number"],
        }, where) ?? row((entry as { row: unknown }).row);
        if (problem !== undefined) return `${where}: ${problem}`;
      }
      return undefined;
    },
  };
}

/**
 * The stored cache when it is there and of this version and format; undefined otherwise. A
 * damaged one (a row of the wrong shape: `row` says) is moved aside and logged.
 */
export async function readListCache<Row>(
  paths: Paths,
  row: (v: unknown) => string | undefined,
  nowMs: number,
): Promise<ListCache<Row> | undefined> {
  const { value } = await readStateFile(paths, cacheFile(paths), listCacheShape<Row>(row), nowMs);
  if (value === undefined) return undefined;
  if (value.format !== FORMAT || value.version !== denoJson.version) return undefined;
  return value;
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
