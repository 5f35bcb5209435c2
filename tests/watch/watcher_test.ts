/**
 * @module
 * The watcher loop in-process, on a clock the test moves: a file still settling is handed over
 * after its debounce even when the loop woke for something else in between.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../lib/state/store.ts";
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
  // A look can be made slow: time passes while it lists the folder (a busy machine).
  let lag = 0;
  let slowLookAt: number | undefined;
  let looks = 0;
  const watchFiles = store.watchFiles.bind(store);
  store.watchFiles = async (task) => {
    if (lag > 0) {
      await clock.advance(lag);
      lag = 0;
      slowLookAt = clock.now();
    }
    looks++;
    return await watchFiles(task);
  };
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
    /** The next look takes `ms` of watcher time; `slowLookAt` is when it read the folder. */
    slowNextLook(ms: number) {
      lag = ms;
    },
    get slowLookAt() {
      return slowLookAt;
    },
    /** How many looks the loop has made. */
    get looks() {
      return looks;
    },
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

Deno.test("runWatcher() looks again when the debounce ends as the look measures it, so a slow first look costs no second debounce", async () => {
  await using s = await scene();
  // The look that first sees the file takes 300 ms; the one after the debounce is quick. The
  // second look must come when the file has been unchanged for 1000 ms by the look's own clock
  // (not 1000 ms after the slow look began, a few ms short, which left it for one more debounce).
  // Written under a name the watch ignores, then renamed: one OS event, so one look sees it first.
  const before = s.looks;
  await Deno.writeTextFile(join(s.inbox, "a.tmp"), "x");
  // Events come in real time, the clock moves only when told: step until the loop has looked.
  await waitFor("a look after a.tmp", async () => s.looks > before || await s.step(10));
  s.slowNextLook(300);
  await Deno.rename(join(s.inbox, "a.tmp"), join(s.inbox, "a.txt"));
  await waitFor("the look that first sees a.txt", async () => s.slowLookAt ?? await s.step(10));
  // Steps shorter than the slow look, so a wake is never late by as much as the look took.
  for (let t = 0; t < 50_000 && s.queued() === 0; t += 100) await s.step(100);
  assert.equal(s.queued(), 1);
  const seen = s.slowLookAt;
  assert.ok(seen !== undefined, "the slow look happened");
  assert.ok(
    s.clock.now() - seen <= 1000 + 200,
    `queued ${s.clock.now() - seen} ms after it was first seen (debounce 1000 ms)`,
  );
});

Deno.test("runWatcher() looks at the first event after a quiet spell at once, with no wait for more events", async () => {
  await using s = await scene();
  await s.step(1000);
  const before = s.looks;
  const at = s.clock.now();
  await Deno.writeTextFile(join(s.inbox, "a.txt"), "x");
  // The clock does not move: the look must not wait for it (a file's debounce counts from here).
  await waitFor("a look, the clock standing still", () => s.looks > before || undefined, 10_000);
  assert.equal(s.clock.now(), at);
});

Deno.test("runWatcher() hands over a new file in a watched folder deleted and made again, though its name was seen before", async () => {
  await using s = await scene();
  const has = (event: string) => s.events.some((e) => e.event === event) || undefined;
  await Deno.writeTextFile(join(s.inbox, "a.txt"), "x");
  for (let t = 0; t < 50_000 && s.queued() === 0; t += 300) await s.step(300);
  assert.equal(s.queued(), 1);
  await Deno.remove(s.inbox, { recursive: true });
  // Seen on the OS event, or at the latest by the rescan (a minute of watcher time).
  for (let t = 0; t < 120_000 && !has("watch_folder_missing"); t += 300) await s.step(300);
  assert.ok(has("watch_folder_missing"), "the folder is reported gone");
  await Deno.mkdir(s.inbox);
  await Deno.writeTextFile(join(s.inbox, "a.txt"), "x");
  for (let t = 0; t < 120_000 && s.queued() === 1; t += 300) await s.step(300);
  assert.equal(s.queued(), 2, "a.txt of the new folder is handed over");
  assert.ok(has("watch_folder_back"));
});
