/**
 * @module
 * The words of `status` for a person: the runner, the queue, today's counts and cost, the budget,
 * the watcher, the scheduler, the overdue tasks, the canary and the last runs. Pure.
 */

import type { StatusView } from "../status/read.ts";
import { isItRunning, type SchedulerView, TICK_STALE_MS } from "../schedule/overview.ts";
import type { Colors } from "./color.ts";
import { describeBudget } from "./budget.ts";
import { costPlaces, formatCost, formatDuration, localTime } from "./duration.ts";
import { holdLines } from "./hold.ts";
import { describeMissed, skippedLines } from "./missed.ts";
import { describePause } from "./pause.ts";
import { table } from "./table.ts";

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
  // Today's total and the runs under it round alike.
  const places = costPlaces([t.cost_usd, ...view.recent.map((r) => r.cost_usd)]);
  lines.push(
    `today:    ${c.green(`${t.succeeded} succeeded`)}, ${
      t.failed > 0 ? c.red(`${t.failed} failed`) : "0 failed"
    }${t.skipped > 0 ? `, ${c.yellow(`${t.skipped} skipped`)}` : ""} · ${
      formatCost(t.cost_usd, places)
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
  if (view.web) {
    lines.push(`web:      ${view.web.url} (pid ${view.web.pid}; clodputer web --open opens it)`);
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
        run.cost_usd === null ? "-" : formatCost(run.cost_usd, places),
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
    head = c.red(
      `${s.backend}, stale: ${s.stale.join("; ")} (run: clodputer install${
        s.backend === "systemd" ? " --systemd" : ""
      })`,
    );
  } else if (s.inactive) {
    head = c.red(`${s.backend}, ${s.inactive}`);
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
          `no tick for ${formatDuration(age)}: ${isItRunning(s.backend)}? is the entry there?`,
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
