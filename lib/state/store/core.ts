/**
 * @module
 * The state store's core: the KV handle, SQLite's "database is locked" retried with jittered
 * backoff, optimistic transactions retried on conflict, and a full disk named as the user's to fix.
 */

import { IoError, isDiskFull, LockError } from "../../errors.ts";
import type { Clock } from "../../sys/clock.ts";

const LOCK_RETRIES = 60;
/** How many times an optimistic step is tried before it gives up. */
export const CONFLICT_RETRIES = 500;

/** A read value with its version, for a later compare-and-set. */
export interface Versioned<T> {
  value: T | undefined;
  versionstamp: string | null;
}

/** True for SQLite's answer to a concurrent writer. */
export function isLockedError(error: unknown): boolean {
  return error instanceof Error &&
    /database is locked|database table is locked|SQLITE_BUSY/i.test(error.message);
}

/** True when a KV file cannot be used at all (not a database, or damaged). */
export function isCorruptError(error: unknown): boolean {
  return error instanceof Error &&
    /file is not a database|database disk image is malformed|malformed|SQLITE_CORRUPT|SQLITE_NOTADB/i
      .test(error.message);
}

/** Runs `op`, retrying SQLite's "database is locked" with jittered backoff. @throws {LockError} */
export async function withLockRetry<T>(
  clock: Clock,
  what: string,
  op: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (!isLockedError(error)) throw error;
      if (attempt >= LOCK_RETRIES) {
        throw new LockError(`Cannot ${what}: the state store stayed locked`, {
          cause: error,
          hint: "another clodputer process holds it; try again, or run clodputer doctor",
        });
      }
      const cap = Math.min(1000, 10 * 2 ** Math.min(attempt, 7));
      await clock.sleep(cap / 2 + Math.random() * cap / 2);
    }
  }
}

/** The KV handle with its retries: what every key family's reads and writes go through. */
export class KvCore {
  /** The open KV handle. */
  readonly kv: Deno.Kv;
  /** For the backoff between tries. */
  readonly clock: Clock;
  /** The KV file (":memory:" for an in-memory store), named when the disk is full. */
  readonly path: string;

  constructor(kv: Deno.Kv, clock: Clock, path: string) {
    this.kv = kv;
    this.clock = clock;
    this.path = path;
  }

  /** Runs `op` with the lock retried; a full disk becomes an IoError naming the file. */
  retry<T>(what: string, op: () => Promise<T>): Promise<T> {
    return withLockRetry(this.clock, what, op).catch((error) => {
      // A full disk is the user's to fix: say which file could not be written.
      if (isDiskFull(error)) {
        throw new IoError(`${what} in the state store`, this.path, { cause: error });
      }
      throw error;
    });
  }

  /** Runs `attempt` until it commits (optimistic concurrency: it returns undefined on conflict). */
  async transact<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < CONFLICT_RETRIES; i++) {
      const result = await this.retry(what, attempt);
      if (result !== undefined) return result;
      await this.backoff(i);
    }
    throw new LockError(`Cannot ${what}: too many concurrent changes`, {
      hint: "try again; if it keeps happening, run clodputer doctor",
    });
  }

  /** Waits a jittered moment before try `i + 1` of an optimistic step. */
  backoff(i: number): Promise<void> {
    return this.clock.sleep(Math.random() * Math.min(50, 2 + i));
  }

  /** Reads one key's value (undefined when absent). */
  async value<T>(what: string, key: Deno.KvKey): Promise<T | undefined> {
    const entry = await this.retry(what, () => this.kv.get<T>(key));
    return entry.value ?? undefined;
  }

  /** Every entry under `prefix`, by the key part after it ("task" in ["owed", task]). */
  async byName<T>(what: string, prefix: Deno.KvKey): Promise<Map<string, T>> {
    const entries = await this.retry(what, () => Array.fromAsync(this.kv.list<T>({ prefix })));
    return new Map(entries.map((e) => [String(e.key[prefix.length]), e.value]));
  }

  /** Sets `key` to `value`, or deletes it when `value` is undefined or null. */
  async put(what: string, key: Deno.KvKey, value: unknown): Promise<void> {
    await this.retry(what, async () => {
      if (value === undefined || value === null) await this.kv.delete(key);
      else await this.kv.set(key, value);
    });
  }
}
