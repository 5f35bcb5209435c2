/**
 * @module
 * How what was not run reads for a person, with the reason: slots of a schedule (in `status`
 * and `logs`), files the watcher cannot hand over (in `status` and `watch --status`). Pure.
 */

import type { MissReason } from "../state/store/scheduler.ts";
import type { WatcherInfo } from "../watch/daemon.ts";
import { localTime } from "./duration.ts";

const WORDS: Record<MissReason, string> = {
  catch_up_skip: "skipped late (catch_up: skip)",
  folded: "folded into the newest run",
  max_age: "older than catch_up_max_age",
  run_all_limit: "beyond the newest run_all queues",
};

/** What to say: the count (a lower bound when `more`), the reasons, the catch-up. */
export interface MissedCounts {
  missed: number;
  caught_up: number;
  more?: boolean | undefined;
  reasons?: Partial<Record<string, number>> | undefined;
}

/**
 * "missed 7 slots (2 skipped late (catch_up: skip), 5 folded into the newest run), caught up 0";
 * with `more`, "missed 200+ slots (...; older ones not counted)".
 */
export function describeMissed(m: MissedCounts): string {
  const parts: string[] = [];
  for (const [reason, words] of Object.entries(WORDS)) {
    const n = m.reasons?.[reason];
    if (n) parts.push(`${n} ${words}`);
  }
  // A reason a newer version wrote is still counted, by its name.
  for (const [reason, n] of Object.entries(m.reasons ?? {})) {
    if (!(reason in WORDS) && n) parts.push(`${n} ${reason}`);
  }
  if (m.more) parts.push("older ones not counted");
  const count = `${m.missed}${m.more ? "+" : ""}`;
  const plural = m.missed === 1 && !m.more ? "" : "s";
  return `missed ${count} slot${plural}${parts.length > 0 ? ` (${parts.join(", ")})` : ""}, ` +
    `caught up ${m.caught_up}`;
}

/**
 * "skipped 1 file it cannot hand over (see watcher.log)" and a line for each of the last ones.
 * Pure.
 */
export function skippedLines(skipped: WatcherInfo["skipped"]): string[] {
  if (!skipped || skipped.count === 0) return [];
  return [
    `skipped ${skipped.count} file${skipped.count === 1 ? "" : "s"} it cannot hand over` +
    " (watch_skipped in watcher.log and the execution log):",
    ...skipped.last.map((s) => `  ${localTime(s.at)} ${s.task}: ${s.path}: ${s.reason}`),
  ];
}
