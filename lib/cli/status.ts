/**
 * @module
 * `clodputer status`: the runner, the queue, the last runs, today's counts and cost, the
 * scheduler (installed, current, last tick, next runs, missed slots) and the watcher daemon.
 */

import { leaseState } from "../queue/lease.ts";
import { monthOf, roundUsd, type TallyRow } from "../queue/ledger.ts";
import { openStore } from "../queue/open.ts";
import { type Pause, readPause } from "../queue/pause.ts";
import type { Attention, CanaryResult, Hold, QueueItem, RunSummary } from "../queue/types.ts";
import { holdInForce, isDue } from "../queue/store.ts";
import { describeRetry } from "../queue/retry.ts";
import { holdLines, type WaitingItem } from "../ui/hold.ts";
import { readScheduler, type SchedulerView, TICK_STALE_MS } from "../schedule/overview.ts";
import type { OverdueAlarm } from "../schedule/overdue.ts";
import {
  checkOverdue,
  notifyOverdue,
  type OverdueCheck,
  overdueEvent,
  type OverdueHook,
} from "../schedule/overdue_check.ts";
import { EventLog } from "../log/writer.ts";
import { secretEnvValues } from "../log/redact.ts";
import type { Colors } from "../ui/color.ts";
import { formatCost, formatDuration, localDate, localTime } from "../ui/duration.ts";
import { table } from "../ui/table.ts";
import { describePause } from "../ui/pause.ts";
import { describeMissed, skippedLines } from "../ui/missed.ts";
import { type WatcherState, watcherState } from "../watch/daemon.ts";
import { type BudgetLimits, budgetLimits } from "./budget_limits.ts";
import { type BudgetSpent, describeBudget } from "../ui/budget.ts";
import type { Deps } from "./deps.ts";
import { overdueNotifier } from "./overdue_notify.ts";

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
}

/** Options of readStatus and `status`. */
export interface StatusOptions {
  /** Told of each overdue slot when it is first raised (the notifications module). */
  onOverdue?: OverdueHook | undefined;
}

/**
 * Gathers the status. Also runs the dead-man's switch: a slot found overdue here for the first
 * time is raised (logged as `task_overdue`, handed to `onOverdue`), so a dead scheduler is
 * reported by whatever looks next.
 */
export async function readStatus(deps: Deps, options: StatusOptions = {}): Promise<StatusView> {
  const { clock, proc } = deps;
  const now = clock.now();
  const { store } = await openStore(deps.paths, clock);
  let runner: StatusView["runner"] = { state: "idle" };
  let queued: QueueItem[];
  let recent: RunSummary[];
  let todays: RunSummary[];
  let canary: CanaryResult | undefined;
  let scheduler: SchedulerView;
  let watcher: WatcherState;
  let paused: Pause | undefined;
  let attention: Attention | undefined;
  let overdue: OverdueCheck;
  let monthCost: TallyRow[];
  let hold: Hold | undefined;
  let limits: BudgetLimits | null | undefined;
  const today = localDate(now);
  try {
    // Today's runs: from local midnight (a run started before it and ended after is yesterday's).
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    // Every read at once: each is a round trip to the store's thread.
    const read = await Promise.all([
      store.lease(),
      store.running(),
      store.queued(),
      store.recentRuns({ limit: 10 }),
      store.recentRuns({ since: midnight.toISOString() }),
      store.canary(),
      readScheduler(deps, store, now, { live: false }),
      watcherState(deps.paths, deps.proc, now),
      readPause(deps.paths, now),
      store.attention(),
      checkOverdue(store, { nowMs: now, raise: true }),
      // This month's cost by day from the ledger's tally (a run counts on the day it started).
      store.costs("day", { from: `${monthOf(today)}-01`, to: today }),
      store.hold(),
      budgetLimits(deps),
    ]);
    const [lease, running] = read;
    [
      ,
      ,
      queued,
      recent,
      todays,
      canary,
      scheduler,
      watcher,
      paused,
      attention,
      overdue,
      monthCost,
      hold,
      limits,
    ] = read;
    if (lease) {
      const state = leaseState(lease.lease, await proc.info(lease.lease.pid), now);
      if (!state.live) {
        runner = { state: "dead", pid: lease.lease.pid, reason: state.reason };
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
  } finally {
    store.close();
  }
  if (overdue.raised.length > 0) {
    // Rare (once per overdue slot): the log's default limits, no global config to load.
    const log = new EventLog(deps.paths, clock, {
      maxBytes: 10 * 1024 * 1024,
      keepMonths: 6,
    }, secretEnvValues(deps.env.toObject()));
    const events = [
      ...overdue.raised.map(overdueEvent),
      ...await notifyOverdue(overdue.raised, options.onOverdue ?? overdueNotifier(deps)),
    ];
    for (const e of events) await log.append(e).catch(() => {});
  }
  const todayUsd = roundUsd(sumUsd(monthCost.filter((r) => r.period === today)));
  return {
    runner,
    queue: {
      queued: queued.length,
      high: queued.filter((q) => q.priority === "high").length,
      paused: paused ?? null,
      hold: holdInForce(hold, now) ?? null,
      waiting: queued.filter((q) => !isDue(q, now) && q.run_at !== undefined)
        .map((q) => ({
          id: q.id,
          task: q.task,
          run_at: q.run_at as string,
          retry: describeRetry(q.trigger) ?? null,
        }))
        .sort((a, b) => a.run_at < b.run_at ? -1 : 1),
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
  };
}

/** Renders the status for a person. Pure. */
export function renderStatus(view: StatusView, c: Colors): string[] {
  const lines: string[] = [];
  const r = view.runner;
  switch (r.state) {
    case "idle":
      lines.push("runner:   idle");
      break;
    case "busy":
      lines.push(`runner:   between tasks (pid ${r.pid})`);
      break;
    case "running":
      lines.push(
        `runner:   running ${r.task} for ${
          formatDuration(r.elapsed_ms)
        } (run ${r.run_id}, claude pid ${r.claude_pid ?? "?"}, runner pid ${r.pid})`,
      );
      break;
    case "dead":
      lines.push(
        c.red(`runner:   dead (pid ${r.pid}): ${r.reason}; the next clodputer run recovers`),
      );
      break;
  }
  const q = view.queue;
  lines.push(
    `queue:    ${
      q.queued === 0 ? "empty" : `${q.queued} queued${q.high > 0 ? ` (${q.high} high)` : ""}`
    }${q.paused ? c.yellow(` · ${describePause(q.paused)}`) : ""}`,
  );
  for (const h of holdLines(q, view.today.date)) {
    const line = `${`${h.label}:`.padEnd(10)}${h.text}`;
    lines.push(h.label !== "held" ? line : h.auth ? c.red(line) : c.yellow(line));
  }
  const a = view.attention;
  if (a) {
    lines.push(
      c.red(
        `failed:   ${a.failed} run${a.failed === 1 ? "" : "s"} since ${
          localTime(a.since)
        }, the last ${a.last.task} (run ${a.last.id}); clodputer ack when seen`,
      ),
    );
  }
  const t = view.today;
  lines.push(
    `today:    ${c.green(`${t.succeeded} succeeded`)}, ${
      t.failed > 0 ? c.red(`${t.failed} failed`) : "0 failed"
    }${t.skipped > 0 ? `, ${c.yellow(`${t.skipped} skipped`)}` : ""} · ${
      formatCost(t.cost_usd)
    } (${t.date})`,
  );
  if (view.budget) lines.push(`budget:   ${describeBudget(view.budget)}`);
  const w = view.watcher;
  lines.push(
    `watcher:  ${
      w.state === "running"
        ? `running (pid ${w.pid}${w.info ? `, since ${localTime(w.info.since)}` : ""}${
          w.info ? `, ${w.info.folders.length} folder(s)` : ""
        })`
        : w.state === "stale"
        ? c.yellow(`not running (stale watcher.pid names ${w.pid})`)
        : "not running"
    }`,
  );
  if (w.state === "running") {
    for (const line of skippedLines(w.info?.skipped)) lines.push(c.yellow(`          ${line}`));
  }
  lines.push(...renderScheduler(view.scheduler, c));
  for (const o of view.overdue) lines.push(c.red(`overdue:  ${o.message}`));
  if (view.canary) {
    const k = view.canary;
    lines.push(
      `canary:   ${k.ok ? c.green("ok") : c.red("failed")} at ${localTime(k.at)}: ${k.message}`,
    );
  }
  lines.push("");
  if (view.recent.length === 0) {
    lines.push("last runs: none yet (run a task with: clodputer run <task>)");
    return lines;
  }
  lines.push("last runs:");
  lines.push(
    ...table(
      ["", "TASK", "STARTED", "DURATION", "COST", "STATUS", "RUN"],
      view.recent.map((run) => [
        run.status === "succeeded"
          ? c.green("✓")
          : run.status === "skipped"
          ? c.yellow("⊘")
          : c.red("✗"),
        run.task,
        localTime(run.started_at),
        formatDuration(run.duration_ms),
        run.cost_usd === null ? "-" : formatCost(run.cost_usd),
        run.status,
        run.id,
      ]),
    ).map((l) => `  ${l}`),
  );
  return lines;
}

function ago(ms: number): string {
  return ms < 60_000 ? `${Math.max(0, Math.round(ms / 1000))} s` : formatDuration(ms);
}

/** The scheduler's lines of `status`. Pure. */
export function renderScheduler(s: SchedulerView, c: Colors): string[] {
  const lines: string[] = [];
  let head: string;
  if (s.backend === null) {
    head = s.unavailable
      ? c.yellow(`not installed (the crontab cannot be read: ${s.unavailable})`)
      : s.scheduled > 0
      ? c.yellow(`not installed: ${s.scheduled} scheduled task(s) wait (run: clodputer install)`)
      : "not installed (clodputer install schedules tasks that have a schedule:)";
  } else if (s.stale.length > 0) {
    head = c.red(`${s.backend}, stale: ${s.stale.join("; ")} (run: clodputer install)`);
  } else {
    head = `${s.backend}, current`;
  }
  const tick = s.last_tick;
  if (s.backend !== null || tick) {
    const age = s.tick_age_ms ?? 0;
    if (!tick) {
      head += " · no tick yet";
    } else if (age > TICK_STALE_MS) {
      head += " · " +
        c.red(
          `no tick for ${formatDuration(age)}: is ${
            s.backend === "launchd" ? "the LaunchAgent loaded" : "cron running"
          }? is the entry there?`,
        );
    } else {
      head += ` · last tick ${ago(age)} ago${tick.ok ? "" : c.red(` (failed: ${tick.message})`)}`;
    }
  }
  lines.push(`schedule: ${head}`);
  if (s.others > 0) {
    lines.push(
      c.yellow(
        `          ${s.others} other crontab line(s) call clodputer (an older install?): check crontab -l`,
      ),
    );
  }
  for (const n of s.next) {
    lines.push(
      `          next: ${n.task} at ${localTime(n.at, n.timezone ?? undefined)}${
        n.timezone ? ` (${n.timezone})` : ""
      }`,
    );
  }
  for (const l of s.late) {
    const since = l.since !== undefined && l.since !== l.at ? `${localTime(l.since)} to ` : "";
    lines.push(
      c.yellow(`          ${l.task}: ${describeMissed(l)} (${since}${localTime(l.at)})`),
    );
  }
  return lines;
}

/** `status`. */
export async function statusCommand(
  deps: Deps,
  options: { json: boolean } & StatusOptions,
): Promise<number> {
  const view = await readStatus(deps, options);
  if (options.json) deps.out.json(view);
  else for (const line of renderStatus(view, deps.out.color)) deps.out.line(line);
  return 0;
}

function sumUsd(rows: readonly TallyRow[]): number {
  return rows.reduce((sum, r) => sum + r.cost_usd, 0);
}
