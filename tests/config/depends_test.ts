/**
 * @module
 * depends_on: the verdict for one dependency against the other task's last run, and cycles.
 */

import assert from "node:assert/strict";
import {
  ago,
  compactSeconds,
  dependencyVerdict,
  findCycle,
  type LastRun,
} from "../../lib/config/depends.ts";
import type { Dependency } from "../../lib/config/types.ts";

const NOW = Date.parse("2026-01-04T00:00:00Z");
const HOUR = 3600;
const DAY = 86_400;

function ran(status: string, hoursAgo: number): LastRun {
  return { status, ended_at: new Date(NOW - hoursAgo * HOUR * 1000).toISOString() };
}

Deno.test("dependencyVerdict() decides success, complete, always and max_age", () => {
  const cases: [string, Dependency, LastRun | undefined, string | true][] = [
    ["success, succeeded", { task: "backup", condition: "success" }, ran("succeeded", 1), true],
    [
      "success, failed",
      { task: "backup", condition: "success" },
      ran("failed", 2),
      '"backup" last run failed 2 hours ago (depends_on needs it to succeed)',
    ],
    [
      "success, timed out",
      { task: "backup", condition: "success" },
      ran("timed_out", 0.5),
      '"backup" last run timed out 30 minutes ago (depends_on needs it to succeed)',
    ],
    [
      "success, never ran",
      { task: "backup", condition: "success" },
      undefined,
      '"backup" has never run (depends_on needs it to succeed)',
    ],
    ["complete, failed", { task: "backup", condition: "complete" }, ran("failed", 1), true],
    ["complete, timed out", { task: "backup", condition: "complete" }, ran("timed_out", 1), true],
    [
      "complete, cancelled",
      { task: "backup", condition: "complete" },
      ran("cancelled", 1),
      '"backup" last run cancelled 1 hour ago (depends_on needs it to complete)',
    ],
    [
      "complete, skipped",
      { task: "backup", condition: "complete" },
      ran("skipped", 1),
      '"backup" last run was skipped 1 hour ago (depends_on needs it to complete)',
    ],
    [
      "complete, never ran",
      { task: "backup", condition: "complete" },
      undefined,
      '"backup" has never run (depends_on needs it to complete)',
    ],
    ["always, never ran", { task: "backup", condition: "always" }, undefined, true],
    ["always, failed", { task: "backup", condition: "always" }, ran("failed", 1), true],
    [
      "always ignores max_age",
      { task: "backup", condition: "always", max_age: HOUR },
      ran("failed", 72),
      true,
    ],
    [
      "success within max_age 1d",
      { task: "backup", condition: "success", max_age: DAY },
      ran("succeeded", 23),
      true,
    ],
    [
      "success older than max_age 1d",
      { task: "backup", condition: "success", max_age: DAY },
      ran("succeeded", 72),
      '"backup" last succeeded 3 days ago, max_age 1d',
    ],
    [
      "complete older than max_age 6h",
      { task: "backup", condition: "complete", max_age: 6 * HOUR },
      ran("failed", 7),
      '"backup" last completed 7 hours ago, max_age 6h',
    ],
    [
      "max_age exactly reached is met",
      { task: "backup", condition: "success", max_age: 6 * HOUR },
      ran("succeeded", 6),
      true,
    ],
  ];
  for (const [label, dep, last, expected] of cases) {
    const verdict = dependencyVerdict(dep, last, NOW);
    assert.deepEqual(
      verdict,
      expected === true ? { met: true } : { met: false, reason: expected },
      label,
    );
  }
});

Deno.test("ago() and compactSeconds() word times", () => {
  assert.equal(ago(0), "less than a second ago");
  assert.equal(ago(1), "1 second ago");
  assert.equal(ago(3 * DAY + 5), "3 days ago");
  assert.equal(ago(Infinity), "at an unknown time");
  assert.equal(compactSeconds(DAY), "1d");
  assert.equal(compactSeconds(6 * HOUR), "6h");
  assert.equal(compactSeconds(90), "90s");
  assert.equal(compactSeconds(1800), "30m");
});

Deno.test("findCycle() names a cycle through the task, reading each task once", async () => {
  const graph: Record<string, string[]> = {
    a: ["b"],
    b: ["c", "d"],
    c: ["a"],
    d: [],
    self: ["self"],
    x: ["y"],
    y: ["z"],
    z: ["y"],
    ok: ["d", "missing"],
  };
  const reads: string[] = [];
  const lookup = (task: string) => {
    reads.push(task);
    return Promise.resolve(graph[task] ?? []);
  };
  assert.deepEqual(await findCycle("a", lookup), ["a", "b", "c", "a"]);
  assert.equal(new Set(reads).size, reads.length);
  assert.deepEqual(await findCycle("self", lookup), ["self", "self"]);
  // A cycle further down belongs to those tasks: x itself loads.
  assert.equal(await findCycle("x", lookup), undefined);
  assert.equal(await findCycle("ok", lookup), undefined);
});
