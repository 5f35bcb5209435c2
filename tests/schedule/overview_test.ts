/**
 * @module
 * readScheduler(): the next runs come from the slots the tick kept, and are computed for a
 * schedule the tick has not kept a slot for yet.
 */

import assert from "node:assert/strict";
import { Store } from "../../lib/state/store.ts";
import { readScheduler } from "../../lib/schedule/overview.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";
import { FakeClock } from "../fakes/clock.ts";

const schedule = (expression: string) => ({
  enabled: true,
  expression,
  timezone: "UTC",
  catch_up: "skip" as const,
  catch_up_max_age_ms: null,
  priority: "normal" as const,
});

Deno.test("readScheduler() takes kept next slots, and computes one the tick has not kept", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-overview-" });
  const now = Date.parse("2026-11-26T07:00:00Z");
  const store = await Store.open(":memory:", new FakeClock(now));
  try {
    await store.setScheduleCache("kept", {
      mtime: 1,
      size: 1,
      schedule: schedule("0 8 * * *"),
      error: null,
    });
    await store.setScheduleCache("new", {
      mtime: 1,
      size: 1,
      schedule: schedule("30 7 * * *"),
      error: null,
    });
    const { versionstamp } = await store.scheduleState("kept");
    const claimed = await store.claimSlots(
      "kept",
      versionstamp,
      {
        fingerprint: "f",
        enabled: true,
        through: "2026-11-26T07:00:00.000Z",
        next: "2026-11-26T09:15:00.000Z",
        last_fired: null,
        last_catch_up: null,
      },
      [],
      "2026-11-26T07:00:00.000Z",
    );
    assert.ok(claimed);
    const view = await readScheduler(
      {
        proc: systemProc(),
        env: envFrom({ HOME: root, PATH: `${FIXTURE_BIN}:/usr/bin:/bin` }),
        paths: pathsUnder(`${root}/home`),
        os: "linux",
      },
      store,
      now,
      { live: false },
    );
    assert.equal(view.scheduled, 2);
    assert.deepEqual(view.next, [
      { task: "new", at: "2026-11-26T07:30:00.000Z", timezone: "UTC" },
      { task: "kept", at: "2026-11-26T09:15:00.000Z", timezone: "UTC" },
    ], "the kept slot (not the expression's 08:00) and a computed one");
  } finally {
    store.close();
    await Deno.remove(root, { recursive: true });
  }
});
