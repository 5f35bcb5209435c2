/**
 * @module
 * Cron expressions: checks, next runs in time zones (DST included), descriptions.
 */

import assert from "node:assert/strict";
import { describeCron } from "../../lib/schedule/cron_describe.ts";
import { formatInZone, nextRuns, validateCron } from "../../lib/config/cron_expr.ts";

const iso = (ds: Date[]) => ds.map((d) => d.toISOString());

Deno.test("validateCron() accepts five fields and shortcuts, and explains the rest", () => {
  for (const ok of ["0 8 * * 1-5", "*/15 9-17 * * *", "@daily", "@hourly", "30 7 1,15 * *"]) {
    assert.deepEqual(validateCron(ok), { ok: true }, ok);
  }
  const cases: [string, string | undefined, RegExp][] = [
    [
      "61 * * * *",
      undefined,
      /^Cron expression "61 \* \* \* \*" is invalid: Invalid value for minute: 61$/,
    ],
    ["0 8 * *", undefined, /^Cron expression "0 8 \* \*" has 4 fields, expected 5$/],
    ["0 0 8 * * *", undefined, /has 6 fields, expected 5/],
    ["@sometimes", undefined, /^Unknown cron shortcut "@sometimes"$/],
    ["0 8 * * *", "Mars/Base", /^Unknown time zone "Mars\/Base"$/],
  ];
  for (const [expr, tz, message] of cases) {
    const r = validateCron(expr, tz);
    assert.equal(r.ok, false, expr);
    if (!r.ok) {
      assert.match(r.message, message);
      assert.ok(r.hint.length > 0);
    }
  }
});

Deno.test("nextRuns() follows the task's time zone", () => {
  const from = new Date("2026-11-25T12:00:00Z");
  assert.deepEqual(iso(nextRuns("0 8 * * 1-5", { timezone: "Europe/London", from, count: 3 })), [
    "2026-11-26T08:00:00.000Z",
    "2026-11-27T08:00:00.000Z",
    "2026-11-30T08:00:00.000Z",
  ]);
  assert.deepEqual(iso(nextRuns("0 8 * * *", { timezone: "America/New_York", from, count: 1 })), [
    "2026-11-25T13:00:00.000Z",
  ]);
  assert.deepEqual(iso(nextRuns("0 8 * * *", { timezone: "Australia/Sydney", from, count: 1 })), [
    "2026-11-25T21:00:00.000Z",
  ]);
});

Deno.test("nextRuns() across daylight saving changes", () => {
  // London springs forward on 2027-03-28: 08:00 local moves from 08:00Z to 07:00Z.
  assert.deepEqual(
    iso(
      nextRuns("0 8 * * *", {
        timezone: "Europe/London",
        from: new Date("2027-03-27T00:00:00Z"),
        count: 2,
      }),
    ),
    ["2027-03-27T08:00:00.000Z", "2027-03-28T07:00:00.000Z"],
  );
  // New York skips 02:00-03:00 on 2027-03-14: a 02:30 job still runs once that day.
  const ny = iso(
    nextRuns("30 2 * * *", {
      timezone: "America/New_York",
      from: new Date("2027-03-13T00:00:00Z"),
      count: 3,
    }),
  );
  assert.equal(ny.length, 3);
  assert.equal(ny.filter((d) => d.startsWith("2027-03-14")).length, 1);
});

Deno.test("nextRuns() never fires on Feb 30", () => {
  assert.deepEqual(
    nextRuns("0 0 30 2 *", { from: new Date("2026-11-25T00:00:00Z"), count: 3 }),
    [],
  );
});

Deno.test("describeCron() says it for people, in 24-hour time", () => {
  assert.equal(describeCron("0 8 * * 1-5"), "At 08:00, Monday through Friday");
  assert.equal(describeCron("@hourly"), "Every hour");
});

Deno.test("formatInZone() shows local time and the zone", () => {
  assert.equal(
    formatInZone(new Date("2026-11-26T08:00:00Z"), "Europe/London"),
    "2026-11-26 08:00 Europe/London",
  );
  assert.equal(
    formatInZone(new Date("2026-11-26T08:00:00Z"), "Asia/Tokyo"),
    "2026-11-26 17:00 Asia/Tokyo",
  );
  // Formatters are kept per zone: each zone still gets its own.
  assert.equal(
    formatInZone(new Date("2026-06-26T08:05:00Z"), "Europe/London"),
    "2026-06-26 09:05 Europe/London",
  );
  assert.equal(
    formatInZone(new Date("2026-06-26T08:05:00Z"), "Asia/Tokyo"),
    "2026-06-26 17:05 Asia/Tokyo",
  );
});
