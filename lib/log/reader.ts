/**
 * @module
 * Reading the execution log: the last lines without reading the whole file, filters, time
 * expressions, archives, and following new events across a rotation.
 */

import { join } from "../sys/posix_path.ts";
import type { Clock } from "../sys/clock.ts";
import type { Paths } from "../sys/paths.ts";
import { lockFile, type LogEvent } from "./writer.ts";

const CHUNK = 64 * 1024;

/** What a backwards read did (so tests can see it did not read the whole file). */
export interface TailRead {
  lines: string[];
  bytesRead: number;
}

/** Reads up to `length` bytes at `position` of an open file (fewer at its end). */
async function readAt(file: Deno.FsFile, position: number, length: number): Promise<Uint8Array> {
  const buf = new Uint8Array(length);
  await file.seek(position, Deno.SeekMode.Start);
  let got = 0;
  while (got < length) {
    const r = await file.read(buf.subarray(got));
    if (r === null) break;
    got += r;
  }
  return buf.subarray(0, got);
}

/** Reads a byte range of a file by path; undefined when it cannot be opened. */
async function readRange(
  path: string,
  position: number,
  length: number,
): Promise<Uint8Array | undefined> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return undefined;
  }
  try {
    return await readAt(file, position, length);
  } finally {
    file.close();
  }
}

/** The last `n` complete lines of a file, read backwards in 64 KiB chunks. Missing file: none. */
export async function readLastLines(path: string, n: number): Promise<TailRead> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return { lines: [], bytesRead: 0 };
  }
  try {
    const size = (await file.stat()).size;
    let pos = size;
    let bytesRead = 0;
    let parts: Uint8Array[] = [];
    let newlines = 0;
    while (pos > 0 && newlines <= n) {
      const len = Math.min(CHUNK, pos);
      pos -= len;
      const buf = await readAt(file, pos, len);
      bytesRead += buf.length;
      // indexOf, not a loop over bytes: this runs once per call, before the JIT warms up.
      for (let at = buf.indexOf(10); at !== -1; at = buf.indexOf(10, at + 1)) newlines++;
      parts = [buf, ...parts];
    }
    const text = new TextDecoder().decode(concat(parts));
    const lines = text.split("\n");
    if (lines.at(-1) === "") lines.pop();
    if (pos > 0) lines.shift(); // the first piece may be a partial line
    return { lines: lines.slice(-n), bytesRead };
  } finally {
    file.close();
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** One log line as an event; undefined for a line that is not one. */
export function parseLogLine(line: string): LogEvent | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const v = JSON.parse(line);
    return typeof v === "object" && v !== null && typeof v.ts === "string" &&
        typeof v.event === "string"
      ? v as LogEvent
      : undefined;
  } catch {
    return undefined;
  }
}

/** The run statuses `logs --status` takes, and the events that end a run with each. */
export const STATUS_EVENTS = {
  succeeded: "task_completed",
  failed: "task_failed",
  timed_out: "task_timed_out",
  cancelled: "task_cancelled",
  lost: "task_lost",
  skipped: "task_skipped",
  over_budget: "task_over_budget",
  deferred: "task_deferred",
  auth_failed: "task_auth_failed",
} as const;

/** A status name. */
export type StatusName = keyof typeof STATUS_EVENTS;

/** Which events to show. */
export interface EventFilter {
  task?: string | undefined;
  status?: StatusName | undefined;
  runId?: string | undefined;
  /** Epoch ms, inclusive. */
  since?: number | undefined;
  /** Epoch ms, exclusive. */
  until?: number | undefined;
}

/** True when `event` passes every part of `filter`. */
export function matchesFilter(event: LogEvent, filter: EventFilter): boolean {
  if (filter.task !== undefined && event.task !== filter.task) return false;
  if (filter.runId !== undefined && event.run_id !== filter.runId) return false;
  if (filter.status !== undefined && event.event !== STATUS_EVENTS[filter.status]) return false;
  const t = Date.parse(event.ts);
  if (filter.since !== undefined && t < filter.since) return false;
  if (filter.until !== undefined && t >= filter.until) return false;
  return true;
}

/** `--since`/`--until` are read in one place, for every command: lib/log/when.ts. */
export { parseWhen } from "./when.ts";

/** The archive files, oldest first. */
export async function archiveFiles(paths: Paths): Promise<string[]> {
  const names: string[] = [];
  try {
    for await (const e of Deno.readDir(paths.archive)) {
      if (e.isFile && /^\d{4}-\d{2}\.log$/.test(e.name)) names.push(e.name);
    }
  } catch {
    return [];
  }
  return names.sort().map((n) => join(paths.archive, n));
}

async function allEvents(path: string): Promise<LogEvent[]> {
  const text = await Deno.readTextFile(path).catch(() => "");
  return text.split("\n").map(parseLogLine).filter((e): e is LogEvent => e !== undefined);
}

/** What a backwards read of events found. */
export interface EventTail {
  /** The last `count` events that pass the filter, oldest first (fewer when the file has fewer). */
  events: LogEvent[];
  /** The whole file was read. */
  whole: boolean;
  /** Bytes read, over every pass. */
  bytesRead: number;
}

/**
 * The last `count` events of a file that pass `filter`, read backwards: the last lines first,
 * four times as many each time until enough of them match. Missing file: none.
 */
export async function readLastEvents(
  path: string,
  filter: EventFilter,
  count: number,
): Promise<EventTail> {
  let want = Math.max(count * 4, 200);
  let bytesRead = 0;
  while (true) {
    const read = await readLastLines(path, want);
    bytesRead += read.bytesRead;
    const events = read.lines.map(parseLogLine).filter((e): e is LogEvent => e !== undefined)
      .filter((e) => matchesFilter(e, filter));
    const whole = read.lines.length < want;
    if (events.length >= count || whole) return { events: events.slice(-count), whole, bytesRead };
    want *= 4;
  }
}

/**
 * Events that pass `filter`, oldest first. With `tail` (and no `since`), only the end of the
 * log is read, growing backwards until enough events match; archives are read, from their end
 * too, only when the live log does not reach back far enough.
 */
export async function readEvents(
  paths: Paths,
  filter: EventFilter,
  options: { tail?: number | undefined } = {},
): Promise<LogEvent[]> {
  const tail = options.tail;
  if (tail !== undefined && filter.since === undefined) {
    const live = await readLastEvents(paths.log, filter, tail);
    if (live.events.length >= tail || !live.whole) return live.events.slice(-tail);
    // The live log is too short: take the rest from the archives, newest first.
    const older: LogEvent[] = [];
    for (const file of (await archiveFiles(paths)).reverse()) {
      const need = tail - live.events.length - older.length;
      older.unshift(...(await readLastEvents(file, filter, need)).events);
      if (older.length + live.events.length >= tail) break;
    }
    return [...older, ...live.events].slice(-tail);
  }
  const live = (await allEvents(paths.log)).filter((e) => matchesFilter(e, filter));
  const firstLive = live[0] ? Date.parse(live[0].ts) : Infinity;
  let older: LogEvent[] = [];
  if (filter.since === undefined || filter.since < firstLive) {
    for (const file of await archiveFiles(paths)) {
      older.push(...(await allEvents(file)).filter((e) => matchesFilter(e, filter)));
    }
  }
  older = older.filter((e) => Date.parse(e.ts) <= firstLive);
  const all = [...older, ...live];
  return tail === undefined ? all : all.slice(-tail);
}

/**
 * New events as they are appended, until `signal` aborts. Follows across rotations: the unread
 * rest of a rotated log is read from what the archive gained, then the new log from its start.
 * No event is missed or yielded twice, however many rotations happen between two looks.
 */
export async function* followEvents(
  paths: Paths,
  clock: Clock,
  options: { signal: AbortSignal; fromEnd: boolean; fromOffset?: number; pollMs?: number },
): AsyncGenerator<LogEvent> {
  const pollMs = options.pollMs ?? 200;
  let offset = options.fromOffset ??
    (options.fromEnd ? await Deno.stat(paths.log).then((s) => s.size, () => 0) : 0);
  // Rotation appends the whole log to the newest archive, then truncates the log. So the archive
  // growing since the last look means a rotation: what was not read yet is in what it gained,
  // after the bytes of the old log that were read. Several rotations between two looks are all
  // in that growth, in order.
  let archive = await newestArchive(paths);
  let pending = new Uint8Array();
  const decoder = new TextDecoder();
  while (!options.signal.aborted) {
    // A look never sees a rotation half done: rotation holds the log's lock exclusively.
    const { size, nowArchive, unread } = await withSharedLock(paths, async () => {
      const nowArchive = await newestArchive(paths);
      let unread: Uint8Array | undefined;
      if (grew(archive, nowArchive)) {
        unread = await archiveGrowth(archive, nowArchive, offset - pending.length);
      }
      return {
        size: await Deno.stat(paths.log).then((s) => s.size, () => 0),
        nowArchive,
        unread,
      };
    });
    archive = nowArchive;
    const chunks: Uint8Array[] = [];
    if (unread !== undefined) {
      pending = new Uint8Array();
      offset = 0;
      chunks.push(unread);
    } else if (size < offset) {
      offset = 0; // truncated by hand: start over
      pending = new Uint8Array();
    }
    if (size > offset) {
      const chunk = await readRange(paths.log, offset, size - offset) ?? new Uint8Array();
      offset += chunk.length;
      chunks.push(chunk);
    }
    for (const chunk of chunks) {
      const bytes = concat([pending, chunk]);
      const end = bytes.lastIndexOf(0x0a) + 1;
      pending = bytes.slice(end);
      for (const line of decoder.decode(bytes.subarray(0, end)).split("\n")) {
        const e = parseLogLine(line);
        if (e) yield e;
      }
    }
    await clock.sleep(pollMs, options.signal);
  }
}

interface ArchiveMark {
  path: string;
  size: number;
}

async function newestArchive(paths: Paths): Promise<ArchiveMark | undefined> {
  const path = (await archiveFiles(paths)).at(-1);
  if (!path) return undefined;
  const size = await Deno.stat(path).then((s) => s.size, () => 0);
  return { path, size };
}

function grew(before: ArchiveMark | undefined, now: ArchiveMark | undefined): boolean {
  if (!now) return false;
  return !before || before.path !== now.path || now.size > before.size;
}

/** The archive bytes added since `before`, less the first `read` bytes (already read). */
async function archiveGrowth(
  before: ArchiveMark | undefined,
  now: ArchiveMark | undefined,
  read: number,
): Promise<Uint8Array> {
  if (!now) return new Uint8Array();
  const parts: Uint8Array[] = [];
  let skip = Math.max(0, read);
  // A new month's archive: the old one may have grown first.
  if (before && before.path !== now.path) {
    const size = await Deno.stat(before.path).then((s) => s.size, () => before.size);
    if (size > before.size) {
      const old = await readRange(before.path, before.size + skip, size - before.size - skip);
      if (old) parts.push(old);
      skip = 0;
    }
  }
  const from = before && before.path === now.path ? before.size : 0;
  const fresh = await readRange(now.path, from + skip, now.size - from - skip);
  if (fresh) parts.push(fresh);
  return concat(parts);
}

async function withSharedLock<T>(paths: Paths, work: () => Promise<T>): Promise<T> {
  let file: Deno.FsFile | undefined;
  try {
    file = await Deno.open(lockFile(paths), {
      read: true,
      write: true,
      create: true,
      mode: 0o600,
    });
    await file.lock(false);
  } catch {
    // No lock to be had (a read-only home): look anyway.
  }
  try {
    return await work();
  } finally {
    file?.close();
  }
}
