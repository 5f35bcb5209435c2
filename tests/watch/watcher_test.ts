/**
 * @module
 * The watcher loop in-process, on a clock the test moves: a file still settling is handed over
 * after its debounce even when the loop woke for something else in between.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../lib/queue/store.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { runWatcher, type WatcherEvent } from "../../lib/watch/watcher.ts";
import { FakeClock } from "../fakes/clock.ts";
import { waitFor } from "../e2e/cli.ts";

async function scene() {
  const root = await Deno.makeTempDir({ prefix: "clodputer-watcher-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  const inbox = join(root, "Inbox");
  await Deno.mkdir(paths.tasks, { recursive: true });
  await Deno.mkdir(inbox);
  const clock = new FakeClock();
  const store = await Store.open(":memory:", systemClock);
  const events: WatcherEvent[] = [];
  const stop = new AbortController();
  let ready = false;
  const running = runWatcher({
    clock,
    env: envFrom({ HOME: root }),
    paths,
    store,
    loadTasks: () =>
      Promise.resolve({
        watches: [{
          task: "inbox",
          folder: inbox,
          pattern: "*.txt",
          event: "created" as const,
          debounce: 1000,
          recursive: false,
          ignore: [],
          priority: "normal" as const,
        }],
        intervals: [],
        errors: new Map(),
      }),
    startRunner: () => Promise.resolve(),
    report: (e) => events.push(e),
    ready: () => {
      ready = true;
      return Promise.resolve();
    },
  }, { signal: stop.signal, rescanMs: 60_000, checkMs: 300 });
  await waitFor("the watcher to be ready", () => ready || undefined);
  return {
    inbox,
    clock,
    events,
    queued: () => events.filter((e) => e.event === "task_queued").length,
    /** Moves the clock once the loop is asleep, so each step is one wake of the loop. */
    async step(ms: number) {
      await waitFor("the loop to sleep", () => clock.pending > 0 || undefined);
      await clock.advance(ms);
    },
    async [Symbol.asyncDispose]() {
      stop.abort();
      await running;
      store.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("runWatcher() hands a settling file over after its debounce, though it woke for a check", async () => {
  await using s = await scene();
  await Deno.writeTextFile(join(s.inbox, "a.txt"), "x");
  // The OS event makes the loop look: the file is seen once and settles.
  // Interval checks (every 300 ms) wake the loop several times between the look that first sees
  // the file (on its OS event) and the end of its 1000 ms debounce; the file must be looked at
  // again then, not left for the rescan a minute later. Up to 50 s of watcher time are given,
  // however late the event comes in real time.
  for (let t = 0; t < 50_000 && s.queued() === 0; t += 300) await s.step(300);
  assert.equal(s.queued(), 1, "queued before the rescan");
});
