/**
 * @module
 * Reads a run's stdout file as it grows, for a process that follows a run another process runs.
 */

import { describeEvent, LineSplitter, parseEventLine, type ProgressEvent } from "./stream.ts";

/** Reads new stream-json events from a growing file, from where the last read stopped. */
export class OutputTail {
  #path: string;
  #offset = 0;
  #splitter = new LineSplitter(32 * 1024 * 1024);

  constructor(path: string) {
    this.#path = path;
  }

  /** The progress events written since the last call (none when the file does not exist yet). */
  async read(): Promise<ProgressEvent[]> {
    return (await this.readEvents()).flatMap(describeEvent);
  }

  /** The stream-json events (parsed lines) written since the last call. */
  async readEvents(): Promise<Record<string, unknown>[]> {
    let file: Deno.FsFile;
    try {
      file = await Deno.open(this.#path, { read: true });
    } catch {
      return [];
    }
    const events: Record<string, unknown>[] = [];
    try {
      await file.seek(this.#offset, Deno.SeekMode.Start);
      const buf = new Uint8Array(64 * 1024);
      while (true) {
        const n = await file.read(buf);
        if (n === null || n === 0) break;
        this.#offset += n;
        for (const line of this.#splitter.push(buf.subarray(0, n))) {
          const event = parseEventLine(line);
          if (event) events.push(event);
        }
      }
    } finally {
      file.close();
    }
    return events;
  }
}
