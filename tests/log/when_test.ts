/**
 * @module
 * parseWhen(): the one reading of --since and --until. A fixed "now" and explicit zones: the
 * local forms are read in the zone passed, never the machine's.
 */

import assert from "node:assert/strict";
import { parseWhen, zonedInstant } from "../../lib/log/when.ts";
import { UsageError } from "../../lib/errors.ts";

// 2026-12-07 09:15 UTC: 10:15 in Paris (CET, UTC+1), 22:15 in Chatham (UTC+13:45).
const NOW = Date.UTC(2026, 11, 7, 9, 15);

Deno.test("parseWhen() reads durations ago, whatever the zone", () => {
  const cases: [string, number][] = [
    ["90s", NOW - 90_000],
    ["15m", NOW - 900_000],
    ["2h", NOW - 7_200_000],
    ["3d", NOW - 3 * 86_400_000],
    ["1w", NOW - 604_800_000],
  ];
  for (const [text, want] of cases) {
    for (const zone of ["UTC", "Europe/Paris", "Pacific/Chatham"]) {
      assert.equal(parseWhen(text, NOW, { zone }), want, `${text} in ${zone}`);
    }
  }
});

Deno.test("parseWhen() reads today, yesterday, dates and dates with times in the local zone", () => {
  const cases: [string, string, number][] = [
    ["today", "Europe/Paris", Date.UTC(2026, 11, 6, 23)],
    ["Today", "UTC", Date.UTC(2026, 11, 7)],
    ["yesterday", "Europe/Paris", Date.UTC(2026, 11, 5, 23)],
    // In Chatham it is already the 7th at 22:15: midnight there is 10:15 UTC on the 6th.
    ["today", "Pacific/Chatham", Date.UTC(2026, 11, 6, 10, 15)],
    ["2026-12-01", "Europe/Paris", Date.UTC(2026, 10, 30, 23)],
    ["2026-12-01", "UTC", Date.UTC(2026, 11, 1)],
    ["2026-12-01 08:00", "Europe/Paris", Date.UTC(2026, 11, 1, 7)],
    ["2026-12-01T08:00:30", "Europe/Paris", Date.UTC(2026, 11, 1, 7, 0, 30)],
    // Summer time: Paris is UTC+2 in July.
    ["2026-07-01 08:00", "Europe/Paris", Date.UTC(2026, 6, 1, 6)],
    ["2026-12-01T08:00:00Z", "Europe/Paris", Date.UTC(2026, 11, 1, 8)],
    ["2026-12-01T08:00:00+01:00", "UTC", Date.UTC(2026, 11, 1, 7)],
  ];
  for (const [text, zone, want] of cases) {
    assert.equal(
      new Date(parseWhen(text, NOW, { zone })).toISOString(),
      new Date(want).toISOString(),
      `${text} in ${zone}`,
    );
  }
});

Deno.test("parseWhen() refuses anything else, listing the forms it takes", () => {
  for (const text of ["yesterdayy", "last week", "2026-02-30", "2026-12-01 25:00", "2h ago", ""]) {
    assert.throws(
      () => parseWhen(text, NOW, { flag: "--until", zone: "UTC" }),
      (e) =>
        e instanceof UsageError &&
        e.message ===
          `Cannot read the --until value "${text}": expected a duration ago (90s, 15m, 2h, 3d, ` +
            "1w), today, yesterday, a date (2026-12-01), a date and time (2026-12-01 08:00) or " +
            "an ISO time (2026-12-01T08:00:00Z)" &&
        /--until 2h/.test(e.hint ?? ""),
      text,
    );
  }
});

Deno.test("zonedInstant() is undefined for a date that does not exist", () => {
  assert.equal(zonedInstant({ year: 2026, month: 2, day: 29 }, "UTC"), undefined);
  assert.equal(zonedInstant({ year: 2028, month: 2, day: 29 }, "UTC"), Date.UTC(2028, 1, 29));
});
