/**
 * @module
 * The scheduler as `status` and `doctor` show it: installed or not, by which backend, current or
 * stale, when it last ticked, what is due next and what was missed. Reads no task file: the
 * schedules come from what the last tick kept.
 */

import type { Store } from "../state/store.ts";
import type { MissedRecord, TickBeat } from "../state/store/scheduler.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import { lazy } from "../lazy.ts";
import { type Backend, readInstall, readInstallRecorded } from "./install_state.ts";

/** What to ask when the backend's ticks stopped: is it running at all? */
export function isItRunning(backend: Backend | null): string {
  switch (backend) {
    case "launchd":
      return "is the LaunchAgent loaded";
    case "systemd":
      return `is the timer active (systemctl --user status clodputer-tick.timer)`;
    default:
      return "is cron running";
  }
}

/** Ticks older than this mean the scheduler is not running. */
export const TICK_STALE_MS = 3 * 60_000;

/** Missed slots are shown for this long after they were found. */
export const LATE_SHOWN_MS = 24 * 3600_000;

/** The scheduler's state; also part of `status --json`. */
export interface SchedulerView {
  backend: Backend | null;
  /** Why the installed entry would not work now; empty when it is current. */
  stale: string[];
  /** Why the crontab could not be read. */
  unavailable: string | null;
  /** Crontab lines outside the section that call clodputer. */
  others: number;
  /** systemd: why the timer does not run (not enabled, not active); null when it runs. */
  inactive: string | null;
  last_tick: TickBeat | null;
  /** Milliseconds since the last tick. */
  tick_age_ms: number | null;
  /** Enabled scheduled tasks the tick knows. */
  scheduled: number;
  /** The next few runs, soonest first. */
  next: { task: string; at: string; timezone: string | null }[];
  /**
   * Per task, the slots that did not run (`missed`, by `reasons`) and the late ones caught up,
   * added up from `since` (for a day), last found `at`.
   */
  late: ({ task: string } & MissedRecord)[];
}

/**
 * Gathers the scheduler's state. `live` reads the crontab itself (doctor); otherwise what the last
 * read of it kept (status: see lib/schedule/install_state.ts).
 */
export async function readScheduler(
  deps: { proc: Proc; env: Env; paths: Paths; os: string },
  store: Store,
  nowMs: number,
  { live }: { live: boolean },
): Promise<SchedulerView> {
  const [install, beat, cache, states] = await Promise.all([
    live ? readInstall(deps) : readInstallRecorded(deps, nowMs),
    store.tickBeat(),
    store.scheduleCache(),
    store.scheduleStates(),
  ]);
  const next: SchedulerView["next"] = [];
  let scheduled = 0;
  for (const [task, entry] of cache) {
    const s = entry.schedule;
    if (!s || !s.enabled) continue;
    scheduled++;
    // The tick keeps each schedule's next slot; compute it (croner) only for one it has not seen.
    const kept = states.get(task)?.value;
    const at = kept?.enabled && kept.next !== undefined && kept.next !== null &&
        Date.parse(kept.next) > nowMs
      ? new Date(kept.next)
      : (await lazy<typeof import("../config/cron_expr.ts")>("lib/config/cron_expr.ts")).nextRuns(
        s.expression,
        {
          timezone: s.timezone ?? undefined,
          from: new Date(nowMs),
          count: 1,
        },
      )[0];
    if (at) next.push({ task, at: at.toISOString(), timezone: s.timezone });
  }
  next.sort((a, b) => (a.at < b.at ? -1 : 1));
  const late: SchedulerView["late"] = [];
  for (const [task, { value: state }] of states) {
    const c = state?.last_catch_up;
    if (c && nowMs - Date.parse(c.at) <= LATE_SHOWN_MS) late.push({ task, ...c });
  }
  return {
    backend: install.backend,
    stale: install.stale,
    unavailable: install.unavailable,
    others: install.others,
    inactive: install.inactive,
    last_tick: beat ?? null,
    tick_age_ms: beat ? nowMs - Date.parse(beat.at) : null,
    scheduled,
    next: next.slice(0, 3),
    late,
  };
}
