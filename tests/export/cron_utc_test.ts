/**
 * @module
 * A task's cron in its zone as crons in UTC (lib/export/cron_utc.ts): table tests over zones with
 * and without daylight saving time, the refusals, and a check against croner itself: over a year,
 * the UTC crons (each kept only while its offset is in force, as the GitHub guard keeps them)
 * fire at exactly the instants the zoned cron fires, but within a day of an offset change.
 */

import assert from "node:assert/strict";
import { nextRuns } from "../../lib/config/cron_expr.ts";
import {
  cronSets,
  expandField,
  fieldText,
  offsetAt,
  offsetsOver,
  offsetText,
  shortestGapMinutes,
  utcSchedules,
} from "../../lib/export/cron_utc.ts";
import { UsageError } from "../../lib/errors.ts";

/** A fixed instant: the conversion depends on the year it looks at, not on today. */
const FROM = Date.UTC(2026, 10, 25, 12, 0, 0);

Deno.test("expandField() reads numbers, ranges, lists, steps, names and Sunday as 7", () => {
  assert.deepEqual(expandField("*/15", 0, 59), [0, 15, 30, 45]);
  assert.deepEqual(expandField("1-5,10", 0, 59), [1, 2, 3, 4, 5, 10]);
  assert.deepEqual(expandField("5/20", 0, 59), [5, 25, 45]);
  assert.deepEqual(expandField("10-20/5", 0, 59), [10, 15, 20]);
  assert.deepEqual(
    expandField("MON-FRI", 0, 6, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]),
    [
      1,
      2,
      3,
      4,
      5,
    ],
  );
  assert.deepEqual(cronSets("0 0 * * 7").weekdays, [0]);
  assert.deepEqual(cronSets("0 0 * JAN,dec *").months, [1, 12]);
  for (const bad of ["60", "5-1", "*/0", "x", "1-"]) {
    assert.throws(() => expandField(bad, 0, 59), UsageError, bad);
  }
  assert.throws(() => cronSets("0 9 * *"), /five-field/);
});

Deno.test("fieldText() writes * for the whole range, runs as a-b, and lists", () => {
  assert.equal(fieldText([0, 1, 2, 3, 4, 5, 6], 0, 6), "*");
  assert.equal(fieldText([1, 2, 3, 5, 7, 8], 0, 6), "1-3,5,7,8");
  assert.equal(fieldText([9], 0, 23), "9");
});

Deno.test("offsets: Paris has two, Tokyo, Sao Paulo and UTC one; offsetText prints them", () => {
  assert.deepEqual(offsetsOver("Europe/Paris", FROM).sort(), [120, 60].sort());
  assert.deepEqual(offsetsOver("Asia/Tokyo", FROM), [540]);
  assert.deepEqual(offsetsOver("America/Sao_Paulo", FROM), [-180]);
  assert.deepEqual(offsetsOver("UTC", FROM), [0]);
  assert.equal(offsetAt(Date.UTC(2026, 6, 1), "Europe/Paris"), 120);
  assert.equal(offsetText(330), "+05:30");
  assert.equal(offsetText(-210), "-03:30");
  assert.equal(offsetText(0), "+00:00");
});

const TABLE: { cron: string; zone: string; want: { offset: number; crons: string[] }[] }[] = [
  { cron: "0 9 * * *", zone: "UTC", want: [{ offset: 0, crons: ["0 9 * * *"] }] },
  { cron: "0 8 * * 1-5", zone: "Asia/Tokyo", want: [{ offset: 540, crons: ["0 23 * * 0-4"] }] },
  { cron: "0 9 * * *", zone: "America/Sao_Paulo", want: [{ offset: -180, crons: ["0 12 * * *"] }] },
  {
    cron: "0 9 * * 1-5",
    zone: "Europe/Paris",
    want: [{ offset: 60, crons: ["0 8 * * 1-5"] }, { offset: 120, crons: ["0 7 * * 1-5"] }],
  },
  // Every day: the day does not move, and an hourly cron is the same at every offset.
  { cron: "@hourly", zone: "Europe/Paris", want: [{ offset: 60, crons: ["0 * * * *"] }] },
  {
    cron: "*/15 * * * *",
    zone: "Asia/Kolkata",
    want: [{ offset: 330, crons: ["0,15,30,45 * * * *"] }],
  },
  { cron: "30 2 * * *", zone: "Asia/Kolkata", want: [{ offset: 330, crons: ["0 21 * * *"] }] },
  // Late on Sunday in New York is early on Monday in UTC.
  {
    cron: "0 23 * * 0",
    zone: "America/New_York",
    want: [{ offset: -300, crons: ["0 4 * * 1"] }, { offset: -240, crons: ["0 3 * * 1"] }],
  },
  // A day of the month that does not move (09:00 Tokyo is 00:00 UTC the same day).
  { cron: "0 9 1 * *", zone: "Asia/Tokyo", want: [{ offset: 540, crons: ["0 0 1 * *"] }] },
];

for (const row of TABLE) {
  Deno.test(`utcSchedules("${row.cron}", ${row.zone})`, () => {
    const got = utcSchedules(row.cron, row.zone, FROM);
    assert.deepEqual(
      [...got].sort((a, b) => a.offset - b.offset),
      [...row.want].sort((a, b) => a.offset - b.offset),
    );
  });
}

Deno.test("the same crons in the same order whatever the season the export is made in", () => {
  const winter = utcSchedules("0 9 * * 1-5", "Europe/Paris", Date.UTC(2026, 0, 15));
  const summer = utcSchedules("0 9 * * 1-5", "Europe/Paris", Date.UTC(2026, 6, 15));
  assert.deepEqual(summer, winter);
  assert.deepEqual(winter.map((s) => s.offset), [60, 120]);
});

Deno.test("a day of the month or a month that would move across midnight is refused, with the reason", () => {
  assert.throws(
    () => utcSchedules("0 0 1 * *", "Asia/Tokyo", FROM),
    (e: unknown) =>
      e instanceof UsageError && /cannot be said in UTC: at \+09:00/.test(e.message) &&
      /day before/.test(e.message) && /days of the week/.test(e.hint ?? ""),
  );
  assert.throws(() => utcSchedules("0 23 * 6 *", "America/Sao_Paulo", FROM), /day after/);
});

Deno.test("shortestGapMinutes() finds the closest two firings, across midnight too", () => {
  assert.equal(shortestGapMinutes(cronSets("*/3 * * * *")), 3);
  assert.equal(shortestGapMinutes(cronSets("0 9 * * *")), 1440);
  assert.equal(shortestGapMinutes(cronSets("0,58 * * * *")), 2);
  assert.equal(shortestGapMinutes(cronSets("0 0,23 * * *")), 60);
});

/** The UTC instants of `crons` within [from, until), each as ms. */
function utcFirings(crons: string[], from: number, until: number): number[] {
  const out = new Set<number>();
  for (const cron of crons) {
    let cursor = new Date(from);
    while (true) {
      const [next] = nextRuns(cron, { timezone: "UTC", from: cursor, count: 1 });
      if (!next || next.getTime() >= until) break;
      out.add(next.getTime());
      cursor = next;
    }
  }
  return [...out].sort((a, b) => a - b);
}

Deno.test("against croner: over a year the UTC crons fire when the zoned cron fires (DST days aside)", () => {
  const until = FROM + 366 * 86_400_000;
  const cases: [string, string][] = [
    ["0 9 * * 1-5", "Europe/Paris"],
    ["30 7,19 * * *", "America/New_York"],
    ["45 22 * * 0,3", "Asia/Tokyo"],
    ["15 1 * * 1", "Asia/Kolkata"],
    ["0 6 * * *", "America/Sao_Paulo"],
    ["*/20 8-10 * * 6", "Europe/Paris"],
  ];
  for (const [cron, zone] of cases) {
    const want = new Set<number>();
    let cursor = new Date(FROM);
    while (true) {
      const [next] = nextRuns(cron, { timezone: zone, from: cursor, count: 1 });
      if (!next || next.getTime() >= until) break;
      want.add(next.getTime());
      cursor = next;
    }
    const got = new Set<number>();
    for (const s of utcSchedules(cron, zone, FROM)) {
      for (const t of utcFirings(s.crons, FROM, until)) {
        // The guard: a cron runs only while its offset is in force.
        if (offsetAt(t, zone) === s.offset) got.add(t);
      }
    }
    // Within a day of an offset change the two disagree by design (the hour that repeats or is
    // skipped): compare the rest.
    const nearChange = (t: number) =>
      offsetAt(t - 86_400_000, zone) !== offsetAt(t + 86_400_000, zone);
    const a = [...want].filter((t) => !nearChange(t)).sort((x, y) => x - y);
    const b = [...got].filter((t) => !nearChange(t)).sort((x, y) => x - y);
    assert.ok(a.length > 40, `${cron} ${zone}: fires often enough to compare (${a.length})`);
    assert.deepEqual(b, a, `${cron} in ${zone}`);
  }
});
