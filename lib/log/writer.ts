/**
 * @module
 * The execution log: one JSON object per line in `execution.log`, appended safely by many
 * processes at once, rotated into `archive/YYYY-MM.log` past a size, secrets redacted.
 *
 * Locking: every append holds a shared `flock` on `execution.log.lock` while it opens, writes one
 * line and closes; rotation holds it exclusively while it moves the file's content into the
 * archive and truncates it. So no line is ever written into content being rotated away.
 */

import { join } from "../sys/posix_path.ts";
import { IoError } from "../errors.ts";
import type { Clock } from "../sys/clock.ts";
import { ensureDir } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";
import { GLOBAL_DEFAULTS } from "../config/defaults.ts";
import { redactDeep, secretEnvValues } from "./redact.ts";

/** One line of the execution log. */
export interface LogEvent {
  /** ISO 8601, UTC, with milliseconds. */
  ts: string;
  event: string;
  run_id?: string;
  task?: string;
  trigger?: string;
  duration_ms?: number;
  exit_code?: number | null;
  cost_usd?: number | null;
  session_id?: string | null;
  error?: string;
  pids?: number[];
  [key: string]: unknown;
}

/** Rotation settings (from config.yaml's `log:`). */
export interface LogSettings {
  maxBytes: number;
  keepMonths: number;
}

/** The rotation settings of config.yaml's `log:` (its defaults when config.yaml sets none). */
export function logSettings(
  log: { max_bytes: number; keep_months: number } = GLOBAL_DEFAULTS.log,
): LogSettings {
  return { maxBytes: log.max_bytes, keepMonths: log.keep_months };
}

/**
 * The execution log (or, with `paths.log` set to another file, cron.log or watcher.log), with the
 * rotation of `settings` (default: config.yaml's defaults) and the values of the environment's
 * secret-looking variables redacted, plus `secrets`. The one way code opens a log.
 */
export function openLog(
  deps: { paths: Paths; clock: Clock; env?: { toObject(): Record<string, string> } | undefined },
  options: { settings?: LogSettings | undefined; secrets?: readonly string[] | undefined } = {},
): EventLog {
  return new EventLog(deps.paths, deps.clock, options.settings ?? logSettings(), [
    ...options.secrets ?? [],
    ...(deps.env ? secretEnvValues(deps.env.toObject()) : []),
  ]);
}

/** The lock file beside the log. */
export function lockFile(paths: Paths): string {
  return `${paths.log}.lock`;
}

async function withLock<T>(paths: Paths, exclusive: boolean, work: () => Promise<T>): Promise<T> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(lockFile(paths), { read: true, write: true, create: true, mode: 0o600 });
  } catch (error) {
    throw new IoError("open the log lock", lockFile(paths), { cause: error });
  }
  try {
    await file.lock(exclusive);
    return await work();
  } finally {
    file.close(); // closing releases the lock
  }
}

async function sizeOf(path: string): Promise<number> {
  return await Deno.stat(path).then((s) => s.size, () => 0);
}

/** The archive file for the month of `nowMs` (UTC). */
export function archiveFile(paths: Paths, nowMs: number): string {
  return join(paths.archive, `${new Date(nowMs).toISOString().slice(0, 7)}.log`);
}

/** Deletes archive files older than `keepMonths` whole months; returns their paths. */
export async function pruneArchives(
  paths: Paths,
  nowMs: number,
  keepMonths: number,
): Promise<string[]> {
  const now = new Date(nowMs);
  const current = now.getUTCFullYear() * 12 + now.getUTCMonth();
  const deleted: string[] = [];
  try {
    for await (const e of Deno.readDir(paths.archive)) {
      const m = e.name.match(/^(\d{4})-(\d{2})\.log$/);
      if (!e.isFile || !m) continue;
      const month = Number(m[1]) * 12 + Number(m[2]) - 1;
      if (current - month > keepMonths) {
        const path = join(paths.archive, e.name);
        await Deno.remove(path);
        deleted.push(path);
      }
    }
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) {
      throw new IoError("prune", paths.archive, { cause: error });
    }
  }
  return deleted.sort();
}

/**
 * Moves the live log into this month's archive (appending) and starts it empty, if it is past
 * `maxBytes`; then prunes old archives. Safe against concurrent appenders and rotators.
 */
export async function rotateIfNeeded(
  paths: Paths,
  clock: Clock,
  settings: LogSettings,
): Promise<boolean> {
  if ((await sizeOf(paths.log)) <= settings.maxBytes) return false;
  return await withLock(paths, true, async () => {
    if ((await sizeOf(paths.log)) <= settings.maxBytes) return false; // someone else rotated
    await ensureDir(paths.archive);
    const target = archiveFile(paths, clock.now());
    try {
      const content = await Deno.readFile(paths.log);
      const out = await Deno.open(target, { append: true, create: true, mode: 0o600 });
      try {
        let done = 0;
        while (done < content.length) done += await out.write(content.subarray(done));
        await out.sync();
      } finally {
        out.close();
      }
      await Deno.truncate(paths.log, 0);
    } catch (error) {
      throw new IoError("rotate the log into", target, { cause: error });
    }
    await pruneArchives(paths, clock.now(), settings.keepMonths);
    return true;
  });
}

/** Appends events to the execution log. */
export class EventLog {
  #paths: Paths;
  #clock: Clock;
  #settings: LogSettings;
  #secrets: readonly string[];

  constructor(paths: Paths, clock: Clock, settings: LogSettings, secrets: readonly string[] = []) {
    this.#paths = paths;
    this.#clock = clock;
    this.#settings = settings;
    this.#secrets = secrets;
  }

  /** Adds `ts`, redacts secrets, and appends the event as one line. */
  async append(event: { event: string; [key: string]: unknown }): Promise<void> {
    const line = JSON.stringify(
      redactDeep({ ts: new Date(this.#clock.now()).toISOString(), ...event }, this.#secrets),
    );
    const bytes = new TextEncoder().encode(line.replaceAll("\n", " ") + "\n");
    await ensureDir(this.#paths.home);
    await rotateIfNeeded(this.#paths, this.#clock, this.#settings);
    await withLock(this.#paths, false, async () => {
      let file: Deno.FsFile;
      try {
        file = await Deno.open(this.#paths.log, { append: true, create: true, mode: 0o600 });
      } catch (error) {
        throw new IoError("open the execution log", this.#paths.log, { cause: error });
      }
      try {
        let done = 0;
        while (done < bytes.length) done += await file.write(bytes.subarray(done));
      } finally {
        file.close();
      }
    });
  }
}
