/**
 * @module
 * `clodputer status`: the runner, the queue, the last runs, today's counts and cost, the
 * watcher daemon and the crontab.
 */

import { leaseState } from "../queue/lease.ts";
import { openStore } from "../queue/open.ts";
import type { CanaryResult, QueueItem, RunSummary } from "../queue/types.ts";
import { type CrontabState, readCrontab } from "../schedule/crontab.ts";
import type { Colors } from "../ui/color.ts";
import { formatCost, formatDuration, localDate, localTime } from "../ui/duration.ts";
import { table } from "../ui/table.ts";
import { type WatcherState, watcherState } from "../watch/daemon.ts";
import type { Deps } from "./deps.ts";

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
  queue: { queued: number; high: number };
  recent: RunSummary[];
  today: { date: string; succeeded: number; failed: number; cost_usd: number };
  watcher: WatcherState;
  canary: CanaryResult | null;
  crontab: CrontabState;
}

/** Gathers the status. */
export async function readStatus(deps: Deps): Promise<StatusView> {
  const { clock, proc } = deps;
  const now = clock.now();
  const { store } = await openStore(deps.paths, clock);
  let runner: StatusView["runner"] = { state: "idle" };
  let queued: QueueItem[];
  let runs: RunSummary[];
  let canary: CanaryResult | undefined;
  try {
    const lease = await store.lease();
    const running = await store.running();
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
    queued = await store.queued();
    runs = await store.runs();
    canary = await store.canary();
  } finally {
    store.close();
  }
  const today = localDate(now);
  const todays = runs.filter((r) => localDate(Date.parse(r.started_at)) === today);
  return {
    runner,
    queue: { queued: queued.length, high: queued.filter((q) => q.priority === "high").length },
    recent: runs.slice(0, 10),
    today: {
      date: today,
      succeeded: todays.filter((r) => r.status === "succeeded").length,
      failed: todays.filter((r) => r.status !== "succeeded").length,
      cost_usd: Math.round(todays.reduce((sum, r) => sum + (r.cost_usd ?? 0), 0) * 1e6) / 1e6,
    },
    watcher: await watcherState(deps.paths, deps.proc),
    canary: canary ?? null,
    crontab: await readCrontab(deps.proc, deps.env),
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
    }`,
  );
  const t = view.today;
  lines.push(
    `today:    ${c.green(`${t.succeeded} succeeded`)}, ${
      t.failed > 0 ? c.red(`${t.failed} failed`) : "0 failed"
    } · ${formatCost(t.cost_usd)} (${t.date})`,
  );
  const w = view.watcher;
  lines.push(
    `watcher:  ${
      w.state === "running"
        ? `running (pid ${w.pid})`
        : w.state === "stale"
        ? c.yellow(`not running (stale watcher.pid names ${w.pid})`)
        : "not running"
    }`,
  );
  const cr = view.crontab;
  lines.push(
    `crontab:  ${
      cr.state === "has entries"
        ? `${cr.entries} clodputer entr${cr.entries === 1 ? "y" : "ies"}`
        : cr.state === "no entries"
        ? "no clodputer entries"
        : c.yellow(`cannot be read (${cr.detail})`)
    }`,
  );
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
        run.status === "succeeded" ? c.green("✓") : c.red("✗"),
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

/** `status`. */
export async function statusCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const view = await readStatus(deps);
  if (options.json) deps.out.json(view);
  else for (const line of renderStatus(view, deps.out.color)) deps.out.line(line);
  return 0;
}
