/**
 * @module
 * Writes a child's output stream to a file, up to a size cap, and keeps reading past the cap so
 * the child never blocks on a full pipe.
 */

import { IoError } from "../errors.ts";

/** How much a stream produced and how much of it was kept. */
export interface CaptureStats {
  bytes: number;
  kept: number;
  truncated: boolean;
}

/** A file that takes at most `cap` bytes. */
export class CappedFile {
  #file: Deno.FsFile;
  #cap: number;
  #closed = false;
  bytes = 0;
  kept = 0;

  private constructor(file: Deno.FsFile, cap: number) {
    this.#file = file;
    this.#cap = cap;
  }

  /** Creates (or truncates) `path`, mode 0600. @throws {IoError} */
  static async create(path: string, cap: number): Promise<CappedFile> {
    try {
      const file = await Deno.open(path, {
        write: true,
        create: true,
        truncate: true,
        mode: 0o600,
      });
      return new CappedFile(file, cap);
    } catch (error) {
      throw new IoError("create the output file", path, { cause: error });
    }
  }

  /** Appends what fits under the cap; counts everything. */
  async write(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length;
    const room = this.#cap - this.kept;
    if (room <= 0 || this.#closed) return;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    let done = 0;
    while (done < part.length) done += await this.#file.write(part.subarray(done));
    this.kept += part.length;
  }

  /** Closes the file (once). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
  }

  /** What was written and whether some was dropped. */
  stats(): CaptureStats {
    return { bytes: this.bytes, kept: this.kept, truncated: this.bytes > this.kept };
  }
}

/**
 * Reads `stream` to its end (or until `cancel` is called), writing to `sink` and passing each
 * chunk to `onChunk`. Resolves when the stream ends or is cancelled.
 */
export function pump(
  stream: ReadableStream<Uint8Array>,
  sink: CappedFile,
  onChunk: (chunk: Uint8Array) => void,
): { done: Promise<void>; cancel(): Promise<void> } {
  const reader = stream.getReader();
  let cancelled = false;
  const done = (async () => {
    try {
      while (true) {
        const { value, done } = await reader.read();
        if (done) break;
        onChunk(value);
        await sink.write(value);
      }
    } catch (error) {
      if (!cancelled) throw error;
    } finally {
      reader.releaseLock();
    }
  })();
  return {
    done,
    async cancel() {
      cancelled = true;
      await reader.cancel().catch(() => {});
      await done.catch(() => {});
    },
  };
}
