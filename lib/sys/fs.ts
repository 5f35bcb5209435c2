/**
 * @module
 * Small filesystem helpers that map low-level failures to IoError and tolerate races.
 */

import { IoError, isDiskFull } from "../errors.ts";

/** Creates a folder (and its parents) if missing, with `mode` for the ones it creates. */
export async function ensureDir(path: string, mode = 0o700): Promise<void> {
  try {
    await Deno.mkdir(path, { recursive: true, mode });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      const info = await Deno.stat(path);
      if (info.isDirectory) return;
    }
    throw new IoError("create the folder", path, { cause: error });
  }
}

/** Reads a text file; undefined when it does not exist. */
export async function readTextIfExists(path: string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new IoError("read", path, { cause: error });
  }
}

/** Writes a file whole: to `<path>.partial`, then renamed over `path`. */
export async function writeFileAtomic(path: string, text: string, mode = 0o600): Promise<void> {
  const partial = `${path}.partial`;
  try {
    await Deno.writeTextFile(partial, text, { mode });
    await Deno.rename(partial, path);
  } catch (error) {
    throw new IoError("write", path, { cause: error });
  }
}

/**
 * Writes a file whole that other processes may write at the same time: to a partial file named
 * by this process's id, then renamed over `path` (the last writer wins; a reader sees one whole
 * version). The partial file is removed when it fails.
 * @throws {IoError} when it cannot be written.
 */
export async function writeFileShared(path: string, text: string, mode = 0o600): Promise<void> {
  const partial = `${path}.${Deno.pid}.partial`;
  try {
    await Deno.writeTextFile(partial, text, { mode });
    await Deno.rename(partial, path);
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    throw new IoError("write", path, { cause: error });
  }
}

/**
 * The permission bits of a file (`0o600`); undefined when it does not exist.
 * @throws {IoError} when it cannot be inspected.
 */
export async function fileMode(path: string): Promise<number | undefined> {
  try {
    const info = await Deno.stat(path);
    return (info.mode ?? 0) & 0o777;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw new IoError("inspect", path, { cause: error });
  }
}

/**
 * Writes a file only its owner may read or write (0600), whole: a fresh partial file created
 * 0600 (never one left over with other bits), then renamed over `path`. A reader sees the old
 * version or the new one, never a world-readable moment.
 * @throws {IoError} when it cannot be written.
 */
export async function writeFilePrivate(path: string, text: string): Promise<void> {
  const partial = `${path}.${Deno.pid}.partial`;
  try {
    await Deno.remove(partial).catch(() => {});
    await Deno.writeTextFile(partial, text, { mode: 0o600, createNew: true });
    await Deno.chmod(partial, 0o600);
    await Deno.rename(partial, path);
  } catch (error) {
    await Deno.remove(partial).catch(() => {});
    throw new IoError("write", path, { cause: error });
  }
}

/** True when a path exists. */
export async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw new IoError("inspect", path, { cause: error });
  }
}

/** True when `path` is an existing folder. */
export async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}

/** Removes a file or folder (recursively); a missing one is fine. */
export async function rm(path: string): Promise<void> {
  try {
    await Deno.remove(path, { recursive: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw new IoError("remove", path, { cause: error });
  }
}

/** What {@linkcode readFileBounded} found at a path. */
export type BoundedRead =
  | { kind: "missing" }
  | { kind: "dangling-symlink"; target: string }
  | { kind: "directory" }
  | { kind: "not-a-file" }
  | { kind: "too-big"; size: number }
  | { kind: "file"; bytes: Uint8Array };

/**
 * Reads a regular file of at most `maxBytes` bytes. Looks first (stat), so a folder, a dangling
 * symlink, a device or a file over the limit is never read; reading stops past the limit even
 * when the file grows in between.
 * @throws {IoError} when the path cannot be inspected or read.
 */
export async function readFileBounded(path: string, maxBytes: number): Promise<BoundedRead> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new IoError("inspect", path, { cause: error });
    }
    const link = await Deno.lstat(path).catch(() => undefined);
    if (link?.isSymlink) {
      const target = await Deno.readLink(path).catch(() => "?");
      return { kind: "dangling-symlink", target };
    }
    return { kind: "missing" };
  }
  if (info.isDirectory) return { kind: "directory" };
  if (!info.isFile) return { kind: "not-a-file" };
  if (info.size > maxBytes) return { kind: "too-big", size: info.size };
  try {
    using file = await Deno.open(path, { read: true });
    // Sized for the file as it was seen (one more byte shows that it grew), not for the limit:
    // a buffer of the limit (1 MiB) per small file is most of what reading costs.
    let buffer = new Uint8Array(info.size + 1);
    let length = 0;
    while (length <= maxBytes) {
      if (length === buffer.length) {
        const grown = new Uint8Array(Math.min(buffer.length * 2, maxBytes + 1));
        grown.set(buffer);
        buffer = grown;
      }
      const n = await file.read(buffer.subarray(length));
      if (n === null) break;
      length += n;
    }
    if (length > maxBytes) return { kind: "too-big", size: length };
    return { kind: "file", bytes: buffer.slice(0, length) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return { kind: "missing" };
    throw new IoError("read", path, { cause: error });
  }
}

/**
 * Whether the disk that holds `dir` is full: writes a 64 KiB probe file there (removed at once).
 * Returns the OS's ENOSPC error when it is, else undefined. For errors that do not say why (SQLite's
 * "disk I/O error" when it cannot grow its files).
 */
export async function diskFullAt(dir: string): Promise<Error | undefined> {
  const probe = `${dir}/.space-probe-${Deno.pid}`;
  try {
    await Deno.writeFile(probe, new Uint8Array(64 * 1024));
    return undefined;
  } catch (error) {
    return error instanceof Error && isDiskFull(error) ? error : undefined;
  } finally {
    await Deno.remove(probe).catch(() => {});
  }
}

/**
 * Moves a file, folder or link to `target` (or `target-1`, `target-2`, ... when taken); returns
 * where it went, or null when it could not be moved (gone meanwhile, or the folder is read-only).
 */
export async function moveAsideTo(path: string, target: string): Promise<string | null> {
  for (let n = 0; n < 100; n++) {
    const to = n === 0 ? target : `${target}-${n}`;
    if (await Deno.lstat(to).then(() => true, () => false)) continue;
    try {
      await Deno.rename(path, to);
      return to;
    } catch {
      return null;
    }
  }
  return null;
}

/**
 * The last `cap` bytes of a file as text, from a line's start (a cut first line is dropped), and
 * whether the start was cut; undefined when the file does not exist.
 */
export async function readTail(
  path: string,
  cap: number,
): Promise<{ text: string; truncated: boolean } | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  try {
    const size = (await file.stat()).size;
    const start = Math.max(0, size - cap);
    await file.seek(start, Deno.SeekMode.Start);
    const bytes = new Uint8Array(size - start);
    let read = 0;
    while (read < bytes.length) {
      const n = await file.read(bytes.subarray(read));
      if (n === null) break;
      read += n;
    }
    let text = new TextDecoder().decode(bytes.subarray(0, read));
    if (start > 0) text = text.slice(text.indexOf("\n") + 1);
    return { text, truncated: start > 0 };
  } finally {
    file.close();
  }
}
