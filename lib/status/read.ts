/**
 * @module
 * The status model: one read of the runner, the queue, the last runs, today's counts and cost,
 * the budget, the scheduler, the watcher daemon, the overdue tasks and the web dashboard. What
 * `status`, `status --json`, the dashboard and the menu bar show. Reading raises nothing: raising the overdue
 * alarms is its own step (`raiseOverdueAlarms`, lib/status/overdue_alarms.ts).
 */

import { readRunnerLease } from "../state/alive.ts";
import { dayOf, monthOf, roundUsd, type TallyRow } from "../state/ledger.ts";
import { withStore } from "../state/open.ts";
import { type Pause, readPause } from "../state/pause.ts";
import type { Attention, CanaryResult, Hold, QueueItem, RunSummary } from "../state/types.ts";
import { holdInForce, isDue, type Store } from "../state/store.ts";
import { describeRetry } from "../state/retry.ts";
import { readScheduler, type SchedulerView } from "../schedule/overview.ts";
import type { OverdueAlarm } from "../schedule/overdue_rules.ts";
import { checkOverdue, type OverdueCheck } from "../schedule/overdue_check.ts";
import type { SessionState } from "../run/session.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import { type WatcherState, watcherState } from "../watch/daemon.ts";
import { type BudgetLimits, budgetLimits, type BudgetSpent } from "./budget_limits.ts";
import { type RunningWeb, runningWeb } from "./web_marker.ts";

/** A run waiting for its time: a retry's backoff, or a run deferred by a usage limit. */
export interface WaitingItem {
  id: string;
  task: string;
  run_at: string;
  /** "retry 1/3" for a retry; null for a deferred run. */
  retry: string | null;
}

/** Everything `status` shows; also its `--json` form. */
export interface StatusView {
  runner:
    | { state: "idle" }
    | { state: "busy"; pid: number }
    | {
      state: "running";
      pid: number;
      task: string;
      run_id: string;
      elapsed_ms: number;
      claude_pid: number | null;
    }
    | { state: "dead"; pid: number; reason: string };
  queue: {
    queued: number;
    high: number;
    paused: Pause | null;
    /** The hold in force: claude's usage limit, or its lost login. */
    hold?: Hold | null;
    /** Items waiting for their time (a retry's backoff, a deferred run), soonest first. */
    waiting?: WaitingItem[];
  };
  /** Failed runs not acknowledged yet (`clodputer ack`). */
  attention: Attention | null;
  recent: RunSummary[];
  today: {
    date: string;
    succeeded: number;
    failed: number;
    /** Runs not started: a depends_on not met, or a global budget spent. */
    skipped: number;
    cost_usd: number;
  };
  /**
   * config.yaml's `budget:` and what is spent against it (today: since local midnight; this
   * month: since the 1st), from the cost ledger. null when no budget is set (or config.yaml
   * cannot be read: doctor says why).
   */
  budget: BudgetSpent | null;
  watcher: WatcherState;
  canary: CanaryResult | null;
  scheduler: SchedulerView;
  /** Scheduled tasks that did not run a slot they owed (the dead-man's switch). */
  overdue: OverdueAlarm[];
  /** The web dashboard (`clodputer web`) while one runs: its address, without the token. */
  web: RunningWeb | null;
  /**
   * The Claude sessions kept for tasks with `session: continue`, by task name: the session
   * their next run may continue (from the store; a task's settings may still start it afresh).
   */
  sessions?: Record<string, StatusSession>;
}

/** A task's kept Claude session as `status --json` shows it. */
export interface StatusSession {
  id: string;
  runs: number;
  started_at: string;
  last_at: string;
  last_run_id: string;
  /** How long ago the session began. */
  age_ms: number;
}

/** The seams reading the status needs. */
export interface StatusDeps {
  clock: Clock;
  proc: Proc;
  env: Env;
  paths: Paths;
  /** The operating system ("darwin", "linux"): which scheduler is installed. */
  os: string;
}

/**
 * Gathers the status, from `store` when given (else the store is opened and closed here).
 * Raises no alarm and sends nothing: overdue slots are shown, not raised. `overdue` is a check
 * just made (by raiseOverdueAlarms), reused instead of checking again.
 */
export async function readStatus(
  deps: StatusDeps,
  options: { store?: Store | undefined; overdue?: OverdueCheck | undefined } = {},
): Promise<StatusView> {
  if (options.store === undefined) {
    return await withStore(deps, (store) => readFrom(deps, store, options.overdue));
  }
  return await readFrom(deps, options.store, options.overdue);
}

async function readFrom(
  deps: StatusDeps,
  store: Store,
  checked: OverdueCheck | undefined,
): Promise<StatusView> {
  const { clock, proc } = deps;
  const now = clock.now();
  const today = dayOf(new Date(now).toISOString());
  // Today's runs: from local midnight (a run started before it and ended after is yesterday's).
  const midnight = new Date(now);
  midnight.setHours(0, 0, 0, 0);
  // Every read at once: each is a round trip to the store's thread.
  const read = await Promise.all([
    readRunnerLease(store, proc, clock),
    store.running(),
    store.queued(),
    store.recentRuns({ limit: 10 }),
    store.recentRuns({ since: midnight.toISOString() }),
    store.canary(),
    readScheduler(deps, store, now, { live: false }),
    watcherState(deps.paths, deps.proc, now),
    readPause(deps.paths, now),
    store.attention(),
    checked ?? checkOverdue(store, { nowMs: now, raise: false }),
    // This month's cost by day from the ledger's tally (a run counts on the day it started).
    store.costs("day", { from: `${monthOf(today)}-01`, to: today }),
    store.hold(),
    budgetLimits(deps),
    runningWeb(deps),
    store.sessions(),
  ]);
  const [lease, running] = read;
  const queued: QueueItem[] = read[2];
  const recent: RunSummary[] = read[3];
  const todays: RunSummary[] = read[4];
  const canary: CanaryResult | undefined = read[5];
  const scheduler: SchedulerView = read[6];
  const watcher: WatcherState = read[7];
  const paused: Pause | undefined = read[8];
  const attention: Attention | undefined = read[9];
  const overdue: OverdueCheck = read[10];
  const monthCost: TallyRow[] = read[11];
  const hold: Hold | undefined = read[12];
  const limits: BudgetLimits | null | undefined = read[13];
  const web: RunningWeb | null = read[14];
  const sessions: Map<string, SessionState> = read[15];

  let runner: StatusView["runner"] = { state: "idle" };
  if (lease) {
    if (!lease.live) {
      runner = { state: "dead", pid: lease.lease.pid, reason: lease.reason };
    } else if (running) {
      runner = {
        state: "running",
        pid: lease.lease.pid,
        task: running.task,
        run_id: running.id,
        elapsed_ms: now - Date.parse(running.started_at),
        claude_pid: running.claude_pid,
      };
    } else {
      runner = { state: "busy", pid: lease.lease.pid };
    }
  } else if (running) {
    runner = { state: "dead", pid: running.runner_pid, reason: "no runner holds the lease" };
  }
  const todayUsd = roundUsd(sumUsd(monthCost.filter((r) => r.period === today)));
  return {
    runner,
    queue: {
      ...queueCounts(queued, now),
      paused: paused ?? null,
      hold: holdInForce(hold, now) ?? null,
    },
    attention: attention ?? null,
    recent,
    today: {
      date: today,
      succeeded: todays.filter((r) => r.status === "succeeded").length,
      failed: todays.filter((r) => r.status !== "succeeded" && r.status !== "skipped").length,
      skipped: todays.filter((r) => r.status === "skipped").length,
      cost_usd: todayUsd,
    },
    budget: limits
      ? { ...limits, today_usd: todayUsd, month_usd: roundUsd(sumUsd(monthCost)) }
      : null,
    watcher,
    canary: canary ?? null,
    scheduler,
    overdue: overdue.overdue,
    web,
    sessions: statusSessions(sessions, now),
  };
}

/** The queue's counts as the status shows them: queued, high priority, waiting for their time. */
export function queueCounts(
  queued: readonly QueueItem[],
  nowMs: number,
): { queued: number; high: number; waiting: WaitingItem[] } {
  return {
    queued: queued.length,
    high: queued.filter((q) => q.priority === "high").length,
    waiting: queued.filter((q) => !isDue(q, nowMs) && q.run_at !== undefined)
      .map((q) => ({
        id: q.id,
        task: q.task,
        run_at: q.run_at as string,
        retry: describeRetry(q.trigger) ?? null,
      }))
      .sort((a, b) => a.run_at < b.run_at ? -1 : 1),
  };
}

/** The kept sessions by task name (tasks reset since their last session have none). Pure. */
export function statusSessions(
  states: ReadonlyMap<string, SessionState>,
  nowMs: number,
): Record<string, StatusSession> {
  const out: Record<string, StatusSession> = {};
  for (const [task, state] of [...states].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)) {
    const s = state.session;
    if (s === null) continue;
    out[task] = {
      id: s.id,
      runs: s.runs,
      started_at: s.started_at,
      last_at: s.last_at,
      last_run_id: s.last_run_id,
      age_ms: Math.max(0, nowMs - Date.parse(s.started_at)),
    };
  }
  return out;
}

function sumUsd(rows: readonly TallyRow[]): number {
  return rows.reduce((sum, r) => sum + r.cost_usd, 0);
}
