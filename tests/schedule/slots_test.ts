/**
 * @module
 * Which slots a tick fires: catch-up policies, max age, zones, DST gaps and overlaps, a clock
 * that steps back.
 */

import assert from "node:assert/strict";
import {
  addMissed,
  MAX_RUN_ALL,
  MAX_SLOTS,
  planSlots,
  type SlotPolicy,
} from "../../lib/schedule/slots.ts";
import type { MissReason } from "../../lib/state/store/scheduler.ts";

const at = (iso: string) => new Date(iso);
const isos = (ds: Date[]) => ds.map((d) => d.toISOString());
const reasons = (p: { missed: { slot: Date; reason: MissReason }[] }) =>
  p.missed.map((m) => `${m.slot.toISOString().slice(11, 16)} ${m.reason}`);

function plan(policy: Partial<SlotPolicy>, after: string, now: string) {
  return planSlots(
    { expression: "0 8 * * *", timezone: "UTC", catchUp: "skip", ...policy },
    { after: at(after), now: at(now) },
  );
}

Deno.test("planSlots() fires a slot due since the last tick, once, and nothing when none is due", () => {
  const due = plan({}, "2026-11-26T07:59:00Z", "2026-11-26T08:00:20Z");
  assert.deepEqual(isos(due.fire), ["2026-11-26T08:00:00.000Z"]);
  assert.equal(due.late, 0);
  assert.equal(due.through.toISOString(), "2026-11-26T08:00:20.000Z");
  // The next tick starts where this one ended: the slot is not in its window.
  const again = plan({}, due.through.toISOString(), "2026-11-26T08:01:20Z");
  assert.deepEqual(again.fire, []);
  // A tick a few minutes late still runs the slot (cron or launchd may start late).
  assert.equal(plan({}, "2026-11-26T07:59:00Z", "2026-11-26T08:04:30Z").fire.length, 1);
});

Deno.test("planSlots() never fires again when the clock steps back", () => {
  const back = plan({}, "2026-11-26T08:00:20Z", "2026-11-26T07:30:00Z");
  assert.deepEqual(back.fire, []);
  assert.equal(back.through.toISOString(), "2026-11-26T08:00:20.000Z", "keeps what was handled");
});

Deno.test("planSlots() applies each catch-up policy to the slots missed while asleep", () => {
  // Asleep from Monday 07:00 to Thursday 09:30: three 08:00 slots missed, none on time.
  const after = "2026-11-23T07:00:00Z";
  const now = "2026-11-26T09:30:00Z";
  const skip = plan({ catchUp: "skip" }, after, now);
  assert.deepEqual(skip.fire, []);
  assert.deepEqual([skip.late, skip.caughtUp, skip.missed.length], [4, 0, 4]);

  const once = plan({ catchUp: "run_once" }, after, now);
  assert.deepEqual(isos(once.fire), ["2026-11-26T08:00:00.000Z"]);
  assert.deepEqual([once.late, once.caughtUp, once.missed.length], [4, 1, 3]);

  const all = plan({ catchUp: "run_all" }, after, now);
  assert.deepEqual(isos(all.fire), [
    "2026-11-23T08:00:00.000Z",
    "2026-11-24T08:00:00.000Z",
    "2026-11-25T08:00:00.000Z",
    "2026-11-26T08:00:00.000Z",
  ]);
  assert.deepEqual([all.late, all.caughtUp, all.missed.length], [4, 4, 0]);
  assert.deepEqual(skip.missed.map((m) => m.reason), Array(4).fill("catch_up_skip"));
  assert.deepEqual(once.missed.map((m) => m.reason), Array(3).fill("folded"));

  // catch_up_max_age: slots older than a day and a half are not caught up.
  const young = plan({ catchUp: "run_all", maxAgeMs: 36 * 3600_000 }, after, now);
  assert.deepEqual(isos(young.fire), ["2026-11-25T08:00:00.000Z", "2026-11-26T08:00:00.000Z"]);
  assert.deepEqual(young.missed.map((m) => m.reason), ["max_age", "max_age"]);
  const tooOld = plan({ catchUp: "run_once", maxAgeMs: 3600_000 }, after, now);
  assert.deepEqual(tooOld.fire, [], "the newest missed slot is 90 minutes old");
});

Deno.test("planSlots() with run_once and a slot due now runs once for all", () => {
  const p = plan({ catchUp: "run_once" }, "2026-11-24T07:00:00Z", "2026-11-26T08:00:30Z");
  assert.deepEqual(isos(p.fire), ["2026-11-26T08:00:00.000Z"]);
  assert.deepEqual([p.late, p.caughtUp], [2, 1]);
});

Deno.test("planSlots() bounds run_all and long windows", () => {
  const every = { expression: "* * * * *", catchUp: "run_all" as const };
  const p = plan(every, "2026-11-25T00:00:00Z", "2026-11-26T00:00:00Z");
  assert.equal(p.fire.length, MAX_RUN_ALL);
  assert.equal(p.fire.at(-1)?.toISOString(), "2026-11-26T00:00:00.000Z", "the most recent ones");
  assert.equal(p.lateMore, true);
  // The most recent MAX_SLOTS slots are looked at; 23:55 to 00:00 (six) are on time.
  assert.equal(p.late, MAX_SLOTS - 6);
  // Every slot looked at and not run is missed, for run_all's limit; the older ones are `more`.
  assert.equal(p.missed.length, MAX_SLOTS - MAX_RUN_ALL);
  assert.ok(p.missed.every((m) => m.reason === "run_all_limit"));
});

Deno.test("planSlots() uses the task's time zone", () => {
  const tokyo = plan({ timezone: "Asia/Tokyo" }, "2026-11-25T22:59:00Z", "2026-11-25T23:00:10Z");
  assert.deepEqual(isos(tokyo.fire), ["2026-11-25T23:00:00.000Z"], "08:00 in Tokyo is 23:00 UTC");
  const ny = plan({ timezone: "America/New_York" }, "2026-11-26T12:59:00Z", "2026-11-26T13:00:10Z");
  assert.deepEqual(isos(ny.fire), ["2026-11-26T13:00:00.000Z"]);
});

Deno.test("planSlots() across DST: a slot in the spring gap fires once, one in the autumn overlap once", () => {
  const berlin = {
    expression: "30 2 * * *",
    timezone: "Europe/Berlin",
    catchUp: "run_all" as const,
  };
  // 2026-03-29 02:30 does not exist in Berlin (02:00 -> 03:00): it runs once, at 03:00 CEST.
  const spring = plan(berlin, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z");
  assert.deepEqual(isos(spring.fire), ["2026-03-29T01:00:00.000Z"]);
  // 2026-10-25 02:30 happens twice (CEST, then CET): it runs once, at the first.
  const autumn = plan(berlin, "2026-10-24T12:00:00Z", "2026-10-25T12:00:00Z");
  assert.deepEqual(isos(autumn.fire), ["2026-10-25T00:30:00.000Z"]);
  // Tick by tick through the overlap, the repeated hour fires nothing more.
  let after = "2026-10-25T00:00:00Z";
  const fired: string[] = [];
  for (let m = 1; m <= 180; m++) {
    const now = new Date(Date.parse("2026-10-25T00:00:00Z") + m * 60_000).toISOString();
    const p = plan(berlin, after, now);
    fired.push(...isos(p.fire));
    after = p.through.toISOString();
  }
  assert.deepEqual(fired, ["2026-10-25T00:30:00.000Z"]);
});

Deno.test("planSlots() gives every slot of an every-minute task that does not run, with its reason", () => {
  const every = { expression: "* * * * *" };
  const folded = (...mins: string[]) => mins.map((m) => `08:${m} folded`);
  const skipped = (...mins: string[]) => mins.map((m) => `08:${m} catch_up_skip`);
  // Ticks at 08:00:30 and then 3 or 8 minutes later; a slot more than 5 minutes old is late.
  const cases: [string, Partial<SlotPolicy>, string, string[], string[], number][] = [
    ["3 min, skip", { catchUp: "skip" }, "08:03:30", ["08:03"], folded("01", "02"), 0],
    ["3 min, run_once", { catchUp: "run_once" }, "08:03:30", ["08:03"], folded("01", "02"), 0],
    ["3 min, run_all", { catchUp: "run_all" }, "08:03:30", ["08:01", "08:02", "08:03"], [], 0],
    ["8 min, skip", { catchUp: "skip" }, "08:08:30", ["08:08"], [
      ...skipped("01", "02", "03"),
      ...folded("04", "05", "06", "07"),
    ], 3],
    ["8 min, skip, max age", { catchUp: "skip", maxAgeMs: 7 * 60_000 }, "08:08:30", ["08:08"], [
      ...skipped("01", "02", "03"),
      ...folded("04", "05", "06", "07"),
    ], 3],
    [
      "8 min, run_once",
      { catchUp: "run_once" },
      "08:08:30",
      ["08:08"],
      folded("01", "02", "03", "04", "05", "06", "07"),
      3,
    ],
    [
      "8 min, run_once, max age 7 min",
      {
        catchUp: "run_once",
        maxAgeMs: 7 * 60_000,
      },
      "08:08:30",
      ["08:08"],
      [
        "08:01 max_age",
        ...folded("02", "03", "04", "05", "06", "07"),
      ],
      3,
    ],
    [
      "8 min, run_all",
      { catchUp: "run_all" },
      "08:08:30",
      [
        "08:01",
        "08:02",
        "08:03",
        "08:04",
        "08:05",
        "08:06",
        "08:07",
        "08:08",
      ],
      [],
      3,
    ],
    [
      "8 min, run_all, max age 7 min",
      {
        catchUp: "run_all",
        maxAgeMs: 7 * 60_000,
      },
      "08:08:30",
      ["08:02", "08:03", "08:04", "08:05", "08:06", "08:07", "08:08"],
      [
        "08:01 max_age",
      ],
      3,
    ],
  ];
  for (const [name, policy, now, fire, missed, late] of cases) {
    const p = plan({ ...every, ...policy }, "2026-11-26T08:00:30Z", `2026-11-26T${now}Z`);
    assert.deepEqual(isos(p.fire).map((d) => d.slice(11, 16)), fire, name);
    assert.deepEqual(reasons(p), missed, name);
    assert.equal(p.late, late, name);
    assert.equal(p.fire.length + p.missed.length, now === "08:03:30" ? 3 : 8, `${name}: all`);
  }
});

Deno.test("addMissed() adds up a day of missed slots by reason, then starts afresh", () => {
  const every = { expression: "* * * * *", catchUp: "skip" as const };
  const first = plan(every, "2026-11-26T08:00:30Z", "2026-11-26T08:03:30Z");
  const second = plan(every, "2026-11-26T08:03:30Z", "2026-11-26T08:11:30Z");
  const one = addMissed(null, first, at("2026-11-26T08:03:30Z"));
  assert.deepEqual(one, {
    at: "2026-11-26T08:03:30.000Z",
    since: "2026-11-26T08:03:30.000Z",
    missed: 2,
    caught_up: 0,
    reasons: { folded: 2 },
    more: false,
  });
  const two = addMissed(one, second, at("2026-11-26T08:11:30Z"));
  assert.deepEqual(two, {
    at: "2026-11-26T08:11:30.000Z",
    since: "2026-11-26T08:03:30.000Z",
    missed: 9,
    caught_up: 0,
    reasons: { folded: 6, catch_up_skip: 3 },
    more: false,
  });
  const nextDay = addMissed(two, first, at("2026-11-27T08:03:30Z"));
  assert.equal(nextDay.since, "2026-11-27T08:03:30.000Z", "a day later: afresh");
  assert.equal(nextDay.missed, 2);
  // A record written before reasons were kept is added to as well.
  const legacy = addMissed(
    { at: "2026-11-26T08:00:00.000Z", missed: 4, caught_up: 1 },
    first,
    at("2026-11-26T08:03:30Z"),
  );
  assert.deepEqual([legacy.since, legacy.missed, legacy.reasons], [
    "2026-11-26T08:00:00.000Z",
    6,
    { folded: 2 },
  ]);
});
