/**
 * @module
 * A clock that moves only when told: `advance(ms)` wakes sleepers in due order.
 */

import type { Clock } from "../../lib/sys/clock.ts";

interface Sleeper {
  due: number;
  resolve: () => void;
}

/** A fake Clock for unit tests. */
export class FakeClock implements Clock {
  #now: number;
  #sleepers: Sleeper[] = [];

  constructor(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const sleeper: Sleeper = { due: this.#now + Math.max(0, ms), resolve };
      const onAbort = () => {
        this.#sleepers = this.#sleepers.filter((s) => s !== sleeper);
        resolve();
      };
      sleeper.resolve = () => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#sleepers.push(sleeper);
    });
  }

  /** Number of pending sleepers. */
  get pending(): number {
    return this.#sleepers.length;
  }

  /** Moves time forward, waking each sleeper when its time comes, letting microtasks run. */
  async advance(ms: number): Promise<void> {
    const target = this.#now + ms;
    while (true) {
      await flushMicrotasks();
      const next = this.#sleepers.filter((s) => s.due <= target).sort((a, b) => a.due - b.due)[0];
      if (!next) break;
      this.#now = Math.max(this.#now, next.due);
      this.#sleepers = this.#sleepers.filter((s) => s !== next);
      next.resolve();
    }
    this.#now = target;
    await flushMicrotasks();
  }
}

/** Lets pending promise callbacks run. */
export async function flushMicrotasks(): Promise<void> {
  for (let i = 0; i < 20; i++) await Promise.resolve();
}

/**
 * A clock whose sleeps end at once, moving its time on by what was asked: code that polls with
 * backoff up to a bound on the clock runs through all its waits without any real waiting.
 */
export class SteppingClock implements Clock {
  #now: number;
  /** Every sleep asked for, in ms, in order. */
  slept: number[] = [];

  constructor(start = Date.UTC(2026, 10, 25, 12, 0, 0)) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  sleep(ms: number): Promise<void> {
    this.slept.push(ms);
    this.#now += Math.max(0, ms);
    return Promise.resolve();
  }
}

/**
 * The real clock, plus jumps: `jump(ms)` moves time forward at once and wakes every sleeper, so
 * a timeout fires exactly when a test says (after the processes it looks at have started), and
 * everything else (grace periods, polling) runs in real time.
 */
export class JumpClock implements Clock {
  #offset = 0;
  #wakers = new Set<() => void>();

  now(): number {
    return Date.now() + this.#offset;
  }

  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        this.#wakers.delete(done);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#wakers.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** Moves time forward by `ms` and wakes every sleeper (each looks at the time again). */
  jump(ms: number): void {
    this.#offset += ms;
    for (const wake of [...this.#wakers]) wake();
  }
}

/**
 * The instant, as an ISO string, when a clock on the wall of this machine's zone shows `text`
 * (`2026-11-25 12:00` or `2026-11-25 12:00:30`). Fixtures of renderers that show local times are
 * built with it, so what they expect holds in any `TZ`.
 */
export function local(text: string): string {
  const m = text.match(/^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d)(?::(\d\d))?$/);
  if (!m) throw new Error(`local() takes "YYYY-MM-DD HH:MM[:SS]", got "${text}"`);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  return new Date(y ?? 0, (mo ?? 1) - 1, d, h, mi, s).toISOString();
}
