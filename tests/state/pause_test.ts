/**
 * @module
 * `pauseFor()` and `togglePause()`: the pause written to `paused.json` in a temp home, at the
 * fake clock's time.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { pauseFor, readPause, togglePause } from "../../lib/state/pause.ts";
import { type Paths, pathsUnder } from "../../lib/sys/paths.ts";
import { FakeClock } from "../fakes/clock.ts";

async function tempPaths(): Promise<Paths & AsyncDisposable> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-pause-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.home, { recursive: true });
  return { ...paths, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

const iso = (ms: number) => new Date(ms).toISOString();

Deno.test("pauseFor() pauses from now until resumed, or for so many seconds", async (t) => {
  await using paths = await tempPaths();
  const clock = new FakeClock();
  const start = clock.now();

  await t.step("no seconds: until resume", async () => {
    const pause = await pauseFor(paths, start);
    assert.deepEqual(pause, { since: iso(start), until: null });
    assert.deepEqual(await readPause(paths, start), pause);
  });

  await t.step("a pause in force keeps its since; only its end changes", async () => {
    await clock.advance(60_000);
    const pause = await pauseFor(paths, clock.now(), { seconds: 7200 });
    assert.deepEqual(pause, { since: iso(start), until: iso(clock.now() + 7_200_000) });
    assert.deepEqual(await readPause(paths, clock.now()), pause);
  });

  await t.step("after a pause has ended, a new one starts now", async () => {
    await clock.advance(7_200_000);
    const pause = await pauseFor(paths, clock.now(), { seconds: 30 });
    assert.deepEqual(pause, { since: iso(clock.now()), until: iso(clock.now() + 30_000) });
  });
});

Deno.test("togglePause() pauses until resumed, then resumes", async () => {
  await using paths = await tempPaths();
  const clock = new FakeClock();
  const paused = await togglePause(paths, clock.now());
  assert.deepEqual(paused, { kind: "paused", pause: { since: iso(clock.now()), until: null } });
  await clock.advance(1000);
  const resumed = await togglePause(paths, clock.now());
  assert.deepEqual(resumed, { kind: "resumed", was: paused.kind === "paused" && paused.pause });
  assert.equal(await readPause(paths, clock.now()), undefined);
});

Deno.test("togglePause() pauses again when the pause in force has ended on its own", async () => {
  await using paths = await tempPaths();
  const clock = new FakeClock();
  await pauseFor(paths, clock.now(), { seconds: 60 });
  await clock.advance(60_000);
  assert.deepEqual(await togglePause(paths, clock.now()), {
    kind: "paused",
    pause: { since: iso(clock.now()), until: null },
  });
});
