/**
 * @module
 * `resumeAll()`: the pause ends, a hold is released and logged, the queue is counted; in a temp
 * home with a real KV file, at the fake clock's time.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { openStore } from "../../lib/state/open.ts";
import { pauseFor, readPause } from "../../lib/state/pause.ts";
import { resumeAll } from "../../lib/state/resume_queue.ts";
import type { Hold } from "../../lib/state/types.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { FakeClock } from "../fakes/clock.ts";

async function home() {
  const root = await Deno.makeTempDir({ prefix: "clodputer-resume-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.home, { recursive: true });
  const clock = new FakeClock();
  return {
    deps: { paths, clock, env: envFrom({}) },
    async logged(): Promise<Record<string, unknown>[]> {
      const text = await Deno.readTextFile(paths.log).catch(() => "");
      return text.split("\n").filter(Boolean).map((l) => JSON.parse(l));
    },
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("resumeAll(): nothing paused or held is nothing ended, and nothing logged", async () => {
  await using h = await home();
  assert.deepEqual(await resumeAll(h.deps, { by: "resume" }), {
    was: undefined,
    held: undefined,
    queued: 0,
  });
  assert.deepEqual(await h.logged(), []);
});

Deno.test("resumeAll(): ends the pause, releases the hold (logged) and counts the queue", async () => {
  await using h = await home();
  const { paths, clock } = h.deps;
  const at = new Date(clock.now()).toISOString();
  const pause = await pauseFor(paths, clock.now());
  const hold: Hold = {
    kind: "usage_limit",
    since: at,
    until: null,
    reason: "usage limit reached",
    run_id: "20261125-120000-000001",
    task: "a",
  };
  const { store } = await openStore(paths, clock);
  try {
    await store.setHold(hold);
    await store.enqueue(
      { id: "20261125-120000-000002", task: "b", priority: "normal", trigger: { type: "manual" } },
      at,
    );
  } finally {
    store.close();
  }
  await clock.advance(1000);

  const done = await resumeAll(h.deps, { by: "resume" });
  assert.deepEqual(done, { was: pause, held: hold, queued: 1 });
  assert.equal(await readPause(paths, clock.now()), undefined);
  const again = await openStore(paths, clock);
  try {
    assert.equal(await again.store.hold(), undefined);
  } finally {
    again.store.close();
  }
  assert.deepEqual(
    (await h.logged()).map((e) => [e.event, e.kind, e.by, e.run_id, e.task]),
    [["queue_released", "usage_limit", "resume", "20261125-120000-000001", "a"]],
  );
});
