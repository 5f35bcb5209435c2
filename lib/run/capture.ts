/**
 * @module
 * Writes a child's output stream to a file, secrets redacted as it comes, up to a size cap, and
 * keeps reading past the cap so the child never blocks on a full pipe.
 */

import { IoError, isDiskFull } from "../errors.ts";
import { StreamRedactor } from "../log/redact.ts";

/** How much a stream produced and how much of it was kept. */
export interface CaptureStats {
  bytes: number;
  kept: number;
  truncated: boolean;
  /** Set when the disk filled while this stream was kept. */
  disk_full?: boolean;
}

/**
 * A file that takes at most `cap` bytes of the stream, redacted (lib/log/redact.ts): `bytes`
 * counts what the stream produced, `kept` what reached the file.
 */
export class CappedFile {
  #file: Deno.FsFile;
  #cap: number;
  #closed = false;
  #decoder = new TextDecoder();
  #encoder = new TextEncoder();
  #redactor: StreamRedactor;
  #dropped = false;
  #path: string;
  /** Called once when a write finds the disk full: no more output is kept from then on. */
  onDiskFull: ((path: string) => void) | undefined;
  diskFull = false;
  bytes = 0;
  kept = 0;

  private constructor(
    file: Deno.FsFile,
    cap: number,
    options: { secrets: readonly string[]; path: string },
  ) {
    this.#file = file;
    this.#path = options.path;
    this.#cap = cap;
    this.#redactor = new StreamRedactor(options.secrets);
  }

  /** Creates (or truncates) `path`, mode 0600. @throws {IoError} */
  static async create(
    path: string,
    cap: number,
    secrets: readonly string[] = [],
  ): Promise<CappedFile> {
    try {
      const file = await Deno.open(path, {
        write: true,
        create: true,
        truncate: true,
        mode: 0o600,
      });
      return new CappedFile(file, cap, { secrets, path });
    } catch (error) {
      throw new IoError("create the output file", path, { cause: error });
    }
  }

  /** Redacts the chunk and appends what fits under the cap; counts everything. */
  async write(chunk: Uint8Array): Promise<void> {
    this.bytes += chunk.length;
    if (this.#room() <= 0 || this.#closed || this.diskFull) {
      this.#dropped ||= chunk.length > 0;
      return;
    }
    const text = this.#redactor.push(this.#decoder.decode(chunk, { stream: true }));
    if (text !== "") await this.#append(this.#encoder.encode(text));
  }

  #room(): number {
    return this.#cap - this.kept;
  }

  async #append(bytes: Uint8Array): Promise<void> {
    const room = this.#room();
    this.#dropped ||= bytes.length > room;
    const part = bytes.length <= room ? bytes : bytes.subarray(0, room);
    let done = 0;
    try {
      while (done < part.length) done += await this.#file.write(part.subarray(done));
    } catch (error) {
      this.#full(error);
    }
    this.kept += done;
  }

  /** A failed write: a full disk stops the keeping (and is told once); anything else throws. */
  #full(error: unknown): void {
    if (!isDiskFull(error)) {
      throw new IoError("write the output file", this.#path, { cause: error });
    }
    this.#dropped = true;
    if (!this.diskFull) {
      this.diskFull = true;
      this.onDiskFull?.(this.#path);
    }
  }

  /** Empties the file (after a full disk: the output kept so far frees room for the record). */
  async truncate(): Promise<void> {
    await Deno.truncate(this.#path, 0).catch(() => {});
    this.kept = 0;
  }

  /** Writes the redacted rest of the stream (what ended with no newline), then closes (once). */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const rest = this.#encoder.encode(
      this.#redactor.push(this.#decoder.decode()) + this.#redactor.end(),
    );
    const part = this.diskFull ? rest.subarray(0, 0) : rest.subarray(0, Math.max(0, this.#room()));
    this.#dropped ||= part.length < rest.length;
    let done = 0;
    try {
      while (done < part.length) done += this.#file.writeSync(part.subarray(done));
    } catch (error) {
      this.#full(error);
    } finally {
      this.kept += done;
      this.#file.close();
    }
  }

  /** What was written and whether some was dropped. */
  stats(): CaptureStats {
    return {
      bytes: this.bytes,
      kept: this.kept,
      truncated: this.#dropped,
      ...(this.diskFull ? { disk_full: true } : {}),
    };
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
