/**
 * @module
 * `depends_on`: whether a dependency is met by the other task's last run, and finding a cycle
 * among the tasks' dependencies. Pure.
 */

import type { Dependency } from "./types.ts";

/** What a dependency needs to know of the other task's last run. */
export interface LastRun {
  /** The run's final status: succeeded, failed, timed_out, cancelled, lost or skipped. */
  status: string;
  /** When it ended (ISO time). */
  ended_at: string;
}

/** Whether a dependency is met, and if not, why, in words for a person. */
export type DependencyVerdict = { met: true } | { met: false; reason: string };

/** Statuses that count as "complete": the run ran to its end, whatever it said. */
const COMPLETE: ReadonlySet<string> = new Set(["succeeded", "failed", "timed_out"]);

/**
 * Decides one dependency against the other task's last run (undefined: it never ran).
 * `success` needs that run to have succeeded, `complete` to have run to its end (succeeded,
 * failed or timed out), `always` nothing; `max_age` (seconds) bounds how long ago it ended.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { dependencyVerdict } from "./depends.ts";
 * const now = Date.parse("2026-01-04T00:00:00Z");
 * assert.deepEqual(
 *   dependencyVerdict(
 *     { task: "backup", condition: "success", max_age: 86_400 },
 *     { status: "succeeded", ended_at: "2026-01-01T00:00:00Z" },
 *     now,
 *   ),
 *   { met: false, reason: '"backup" last succeeded 3 days ago, max_age 1d' },
 * );
 * ```
 */
export function dependencyVerdict(
  dep: Dependency,
  lastRun: LastRun | undefined,
  nowMs: number,
): DependencyVerdict {
  if (dep.condition === "always") return { met: true };
  const needs = dep.condition === "success" ? "to succeed" : "to complete";
  if (lastRun === undefined) {
    return { met: false, reason: `"${dep.task}" has never run (depends_on needs it ${needs})` };
  }
  const endedMs = Date.parse(lastRun.ended_at);
  const ageSeconds = Number.isNaN(endedMs) ? Infinity : Math.max(0, (nowMs - endedMs) / 1000);
  const ok = dep.condition === "success"
    ? lastRun.status === "succeeded"
    : COMPLETE.has(lastRun.status);
  if (!ok) {
    return {
      met: false,
      reason: `"${dep.task}" last run ${describeStatus(lastRun.status)} ${ago(ageSeconds)} ` +
        `(depends_on needs it ${needs})`,
    };
  }
  if (dep.max_age !== undefined && ageSeconds > dep.max_age) {
    const verb = lastRun.status === "succeeded" ? "succeeded" : "completed";
    return {
      met: false,
      reason: `"${dep.task}" last ${verb} ${ago(ageSeconds)}, max_age ${
        compactSeconds(dep.max_age)
      }`,
    };
  }
  return { met: true };
}

function describeStatus(status: string): string {
  switch (status) {
    case "timed_out":
      return "timed out";
    case "lost":
      return "was lost";
    case "skipped":
      return "was skipped";
    default:
      return status;
  }
}

/** "3 days ago", "6 hours ago", "less than a second ago". */
export function ago(seconds: number): string {
  if (!Number.isFinite(seconds)) return "at an unknown time";
  const units: [number, string][] = [[86_400, "day"], [3600, "hour"], [60, "minute"], [
    1,
    "second",
  ]];
  for (const [size, name] of units) {
    const n = Math.floor(seconds / size);
    if (n >= 1) return `${n} ${name}${n === 1 ? "" : "s"} ago`;
  }
  return "less than a second ago";
}

/** Seconds in the shortest exact unit: 86400 -> "1d", 21600 -> "6h", 90 -> "90s". */
export function compactSeconds(seconds: number): string {
  for (const [size, unit] of [[86_400, "d"], [3600, "h"], [60, "m"]] as const) {
    if (seconds >= size && seconds % size === 0) return `${seconds / size}${unit}`;
  }
  return `${seconds}s`;
}

/**
 * The first dependency cycle through `start`, as the task names around it
 * (`["a", "b", "a"]`), or undefined. `dependsOn` gives a task's dependencies (empty for a task
 * that does not exist or cannot be read); it is called at most once per task reached.
 */
export async function findCycle(
  start: string,
  dependsOn: (task: string) => Promise<readonly string[]>,
): Promise<string[] | undefined> {
  const cache = new Map<string, readonly string[]>();
  const done = new Set<string>();
  const path: string[] = [];
  const visit = async (task: string): Promise<string[] | undefined> => {
    const at = path.indexOf(task);
    if (at >= 0) return [...path.slice(at), task];
    if (done.has(task)) return undefined;
    path.push(task);
    let next = cache.get(task);
    if (next === undefined) {
      next = await dependsOn(task);
      cache.set(task, next);
    }
    for (const dep of next) {
      const cycle = await visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(task);
    return undefined;
  };
  const cycle = await visit(start);
  // Report only cycles this task is part of; a cycle further down belongs to those tasks.
  return cycle && cycle[0] === start ? cycle : cycle?.includes(start) ? cycle : undefined;
}
