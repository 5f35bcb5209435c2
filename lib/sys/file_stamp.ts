/**
 * @module
 * What identifies one version of a file: the one `FileStamp` and `sameStamp` for the task index
 * (all four fields) and the watcher (size and mtime only), and `fileStamp` to read one.
 */

/**
 * One version of a file. The watcher stores size and mtime only; the task index also keeps the
 * inode and ctime. A stored stamp without `ino`/`ctime` differs from one with them (stale, never
 * an error).
 */
export interface FileStamp {
  /** Size in bytes. */
  size: number;
  /** Modification time, ms. */
  mtime: number;
  /** Inode number; 0 where the system gives none. */
  ino?: number;
  /** Status change time, ms (whole seconds, as Deno gives it); 0 where the system gives none. */
  ctime?: number;
}

/** The file's full stamp, following links; undefined when it is missing or not a regular file. */
export async function fileStamp(
  file: string,
): Promise<Required<FileStamp> | undefined> {
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

/**
 * True when both stamps are there and every field is equal (a field missing from both is equal);
 * when one is null or undefined, true only when the other is the same (both missing).
 */
export function sameStamp(
  a: FileStamp | null | undefined,
  b: FileStamp | null | undefined,
): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return a === b;
  return a.mtime === b.mtime && a.size === b.size && a.ino === b.ino && a.ctime === b.ctime;
}
