/**
 * @module
 * The status model: reading it raises nothing (no alarm recorded, no event logged, nothing
 * notified); raising the overdue alarms is its own step, which logs and notifies each slot once.
 */

import { dailyEntry } from "../fakes/schedule.ts";
import assert from "node:assert/strict";
import { openStore } from "../../lib/state/open.ts";
import { raiseOverdueAlarms } from "../../lib/status/overdue_alarms.ts";
import { readStatus, type StatusDeps } from "../../lib/status/read.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeProc } from "../fakes/proc.ts";

async function logged(deps: StatusDeps): Promise<string[]> {
  const text = await Deno.readTextFile(deps.paths.log).catch(() => "");
  return text.split("\n").filter((l) => l !== "").map((l) => JSON.parse(l).event);
}

Deno.test("readStatus() shows an overdue slot without raising it; raiseOverdueAlarms() raises it once", async () => {
  const home = await Deno.makeTempDir({ prefix: "clodputer-status-" });
  try {
    const deps: StatusDeps = {
      clock: new FakeClock(Date.parse("2026-11-26T09:00:00Z")),
      proc: new FakeProc([]),
      env: envFrom({}),
      paths: pathsUnder(home),
      os: "linux",
    };
    const { store } = await openStore(deps.paths, deps.clock);
    try {
      await store.setSchedulerSince("2026-11-26T07:00:00.000Z");
      await store.setScheduleCache("missed", dailyEntry());
    } finally {
      store.close();
    }
    const told: string[] = [];
    const notify = (alarm: { task: string }) => Promise.resolve(void told.push(alarm.task));

    for (let i = 0; i < 2; i++) {
      const view = await readStatus(deps);
      assert.deepEqual(view.overdue.map((o) => o.task), ["missed"]);
      assert.equal(view.runner.state, "idle");
    }
    assert.deepEqual(await logged(deps), [], "reading logs nothing");

    const raised = await raiseOverdueAlarms(deps, { notify });
    assert.deepEqual(raised.raised.map((o) => o.task), ["missed"]);
    const again = await raiseOverdueAlarms(deps, { notify });
    assert.deepEqual([again.overdue.length, again.raised.length], [1, 0]);
    assert.deepEqual(told, ["missed"], "notified once");
    // A read given the check just made shows it, and checks nothing again.
    const given = { overdue: [], raised: [] };
    assert.deepEqual((await readStatus(deps, { overdue: given })).overdue, []);
    assert.deepEqual(await logged(deps), ["task_overdue"], "logged once");
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("readStatus() lists the kept Claude sessions by task, with their age; a reset one is left out", async () => {
  const home = await Deno.makeTempDir({ prefix: "clodputer-status-" });
  try {
    const clock = new FakeClock(Date.parse("2026-11-26T09:00:00Z"));
    const deps: StatusDeps = {
      clock,
      proc: new FakeProc([]),
      env: envFrom({}),
      paths: pathsUnder(home),
      os: "linux",
    };
    const session = {
      id: "sess-1",
      cwd: "/w",
      config_dir: "/h/.claude",
      started_at: "2026-11-25T09:00:00.000Z",
      last_at: "2026-11-26T08:00:00.000Z",
      last_run_id: "20261126-080000-ab12cd",
      runs: 4,
    };
    const { store } = await openStore(deps.paths, deps.clock);
    try {
      await store.setSession("review", { session, reset_at: null });
      await store.setSession("reset", { session: null, reset_at: "2026-11-26T08:30:00.000Z" });
    } finally {
      store.close();
    }
    const view = await readStatus(deps);
    assert.deepEqual(view.sessions, {
      review: {
        id: "sess-1",
        runs: 4,
        started_at: "2026-11-25T09:00:00.000Z",
        last_at: "2026-11-26T08:00:00.000Z",
        last_run_id: "20261126-080000-ab12cd",
        age_ms: 86_400_000,
      },
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
