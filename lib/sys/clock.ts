/**
 * @module
 * The clock seam: the only place that reads the time or waits on a timer.
 */

/** Time as Clodputer sees it; tests pass a fake that advances by hand. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Resolves after `ms`, or at once (without rejecting) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      if (signal?.aborted) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      signal?.addEventListener("abort", done, { once: true });
    });
  },
};

/**
 * A clock that starts at `startMs` and runs at real speed: the real clock shifted. Used when
 * `CLODPUTER_FAKE_TIME` is set (a testing aid: end-to-end tests of the scheduler run a tick "at
 * 08:00" without waiting for it).
 */
export function shiftedClock(startMs: number, base: Clock = systemClock): Clock {
  const offset = startMs - base.now();
  return { now: () => base.now() + offset, sleep: (ms, signal) => base.sleep(ms, signal) };
}
