/**
 * @module
 * The overview page: the status model (`readStatus`, what `status` and the terminal dashboard
 * show) rendered for reading: the runner and the running task's live progress, the queue and
 * what waits, holds and the pause, failed runs to acknowledge, today's counts and the budget,
 * the scheduler with its next runs and overdue slots, the watcher, and the last runs. One live
 * region (`/fragments/overview`) holds it all and is fetched again on every event.
 */

import { listTaskNames } from "../../config/names.ts";
import { describeOutcome, shorten } from "../../run/describe.ts";
import { type LiveRun, RunTail } from "../../run/live.ts";
import type { OverdueAlarm } from "../../schedule/overdue_rules.ts";
import { withStore } from "../../state/open.ts";
import type { QueueItem, RunSummary } from "../../state/types.ts";
import { readStatus, type StatusView } from "../../status/read.ts";
import { join } from "../../sys/posix_path.ts";
import { runDir } from "../../sys/paths.ts";
import { colors } from "../../ui/color.ts";
import {
  costPlaces,
  formatCost,
  formatDuration,
  formatTokens,
  localTime,
  localTimeWithZone,
} from "../../ui/duration.ts";
import { describeHold, shortTime } from "../../ui/hold.ts";
import { describeMissed, skippedLines } from "../../ui/missed.ts";
import { describePause } from "../../ui/pause.ts";
import { renderScheduler } from "../../ui/status.ts";
import { htmlResponse, type Route, type RouteContext } from "../context.ts";
import { href, html, type SafeHtml } from "../html.ts";
import { layout } from "../layout.ts";

/** What the overview shows besides the status model. */
export interface OverviewExtras {
  /** The queued items, in the order they start (as the terminal dashboard lists them). */
  queue?: readonly QueueItem[];
  /** The running run's progress from its stream-json, when one runs. */
  live?: LiveRun | null;
  /** How many tasks tasks/ holds (read only when there is no run yet, for the empty state). */
  tasks?: number | null;
}

const PLAIN = colors(false);

/** The events the overview's live region refreshes on. */
export const OVERVIEW_EVENTS = "run-started run-progress run-finished queue hold pause";

/** A time for people: local, to the second, with the machine's zone; ISO in `datetime`. */
function when(iso: string): SafeHtml {
  return html`<time datetime="${iso}">${localTimeWithZone(iso)}</time>`;
}

/** The class of a run's outcome: ok, fail, or skip (not started: skipped, deferred). */
export function outcomeClass(status: RunSummary["status"]): "ok" | "fail" | "skip" {
  if (status === "succeeded") return "ok";
  return status === "skipped" || status === "deferred" ? "skip" : "fail";
}

function taskLink(task: string): SafeHtml {
  return html`<a href="${href("tasks", task)}">${task}</a>`;
}

function runLink(id: string): SafeHtml {
  return html`<a class="mono" href="${href("runs", id)}">${id}</a>`;
}

function runnerSection(view: StatusView, live: LiveRun | null): SafeHtml {
  const r = view.runner;
  let body: SafeHtml;
  switch (r.state) {
    case "idle":
      body = html`<p><span class="badge">idle</span> Nothing is running.</p>`;
      break;
    case "busy":
      body = html`<p><span class="badge">busy</span> Between tasks (runner pid ${r.pid}).</p>`;
      break;
    case "running": {
      const progress = live?.run_id === r.run_id ? live : null;
      body = html`
        <p><span class="badge run">running</span> ${taskLink(
          r.task,
        )} for <span data-testid="elapsed">${formatDuration(
          r.elapsed_ms,
        )}</span> · run ${runLink(r.run_id)}</p>
        <progress class="running" aria-label="running"></progress>
        ${progress
          ? html`
            <dl class="facts" data-testid="live">
              <dt>Activity</dt>
              <dd data-testid="activity">turn ${progress.turns} · ${progress.activity}</dd>
              <dt>Tokens</dt>
              <dd data-testid="live-tokens">${formatTokens(progress.tokens_in)} in, ${formatTokens(
                progress.tokens_out,
              )} out</dd>
              <dt>Cost so far</dt>
              <dd data-testid="live-cost">${progress.cost_usd === null
                ? "not reported until the result"
                : formatCost(progress.cost_usd)}</dd>
            </dl>
          `
          : html`<p class="muted">Waiting for claude's first output.</p>`}
        <p class="muted">claude pid ${r.claude_pid ?? "?"} · runner pid ${r.pid}</p>
        <button type="button" class="danger" data-action="cancel" data-post="${href(
          "api",
          "runs",
          r.run_id,
          "cancel",
        )}"
          data-confirm="${`Cancel ${r.task} (run ${r.run_id})?`}">Cancel</button>
      `;
      break;
    }
    case "dead":
      body = html`
        <p
          class="fail"><span class="badge fail">dead</span> The runner (pid ${r.pid}) is dead: ${r
            .reason}. The next clodputer run recovers.</p>
      `;
      break;
  }
  return html`
    <section class="card" data-testid="runner" data-state="${r.state}">
      <h2>Runner</h2>
      ${body}
    </section>
  `;
}

function queueSection(view: StatusView, queue: readonly QueueItem[]): SafeHtml {
  const q = view.queue;
  const waiting = q.waiting ?? [];
  const waitingIds = new Set(waiting.map((w) => w.id));
  const due = queue.filter((item) => !waitingIds.has(item.id));
  const held = q.hold ?? null;
  return html`
    <section class="card" data-testid="queue">
      <h2>Queue</h2>
      <p>${q.queued === 0
        ? "Empty."
        : `${q.queued} queued${q.high > 0 ? ` (${q.high} high)` : ""}.`}
        ${q.paused
          ? html`<span class="badge warn" data-testid="paused">${describePause(q.paused)}</span>`
          : ""}</p>
      ${held
        ? html`<p class="${held.kind === "auth" ? "fail" : "warn"}" data-testid="hold">Held: ${
          describeHold(
            held,
            view.today.date,
          )
        }</p>`
        : ""}
      <p class="actions">
        ${q.paused || held
          ? html`<button type="button" data-action="resume" data-post="/api/resume">Resume</button>`
          : ""}
        ${q.paused ? "" : html`
          <button type="button" data-action="pause" data-post="/api/pause" data-body="${JSON
            .stringify({
              for: "1h",
            })}"
            title="No task starts for an hour; runs stay queued">Pause 1 h</button>
        `}
      </p>
      ${due.length > 0
        ? html`
          <table class="compact">
            <thead>
              <tr>
                <th>#</th>
                <th>Task</th>
                <th>Priority</th>
                <th>Trigger</th>
                <th>Queued</th>
              </tr>
            </thead>
            <tbody>${due.slice(0, 10).map((item, i) =>
              html`
                <tr data-queue-id="${item.id}">
                  <td class="num">${i + 1}</td>
                  <td>${taskLink(
                    item.task,
                  )}</td>
                  <td>${item.priority}</td>
                  <td>${item.trigger.type}</td>
                  <td>${when(item.enqueued_at)}</td>
                </tr>
              `
            )}</tbody>
          </table>
          ${due.length > 10 ? html`<p class="muted">… and ${due.length - 10} more.</p>` : ""}
        `
        : ""}
      ${waiting.length > 0
        ? html`
          <h3>Waiting for their time</h3>
          <ul class="plain" data-testid="waiting">${waiting.map((w) =>
            html`<li>${taskLink(w.task)}: ${w.retry ?? "deferred"} at ${
              shortTime(
                w.run_at,
                view.today.date,
              )
            } (run ${runLink(w.id)})</li>`
          )}</ul>
        `
        : ""}
    </section>
  `;
}

function attentionSection(view: StatusView): SafeHtml | "" {
  const a = view.attention;
  if (!a) return "";
  return html`
    <section class="notice fail" data-testid="attention">
      <p>${a.failed} run${a.failed === 1 ? "" : "s"} failed since ${when(
        a.since,
      )}, the last ${taskLink(
        a.last.task,
      )} (run ${runLink(a.last.id)}).</p>
      <button type="button" data-action="ack" data-post="/api/ack">Acknowledge</button>
    </section>
  `;
}

function overdueSection(overdue: readonly OverdueAlarm[]): SafeHtml | "" {
  if (overdue.length === 0) return "";
  return html`
    <section class="notice fail" data-testid="overdue">
      <p>Overdue (clodputer doctor says why):</p>
      <ul class="plain">${overdue.map((o) => html`<li>${taskLink(o.task)}: ${o.message}</li>`)}</ul>
    </section>
  `;
}

function todaySection(view: StatusView): SafeHtml {
  const t = view.today;
  const places = costPlaces([t.cost_usd, ...view.recent.map((r) => r.cost_usd)]);
  const b = view.budget;
  const meter = (spent: number, limit: number, label: string, key: string) =>
    html`
      <div class="budget" data-budget="${key}">
        <span>${formatCost(spent)} of ${formatCost(limit)} ${label}</span>
        <meter min="0" max="${limit}" value="${Math.min(spent, limit)}" low="${limit *
          0.5}" high="${limit *
          0.8}"
          optimum="0"></meter>
      </div>
    `;
  return html`
    <section class="card" data-testid="today">
      <h2>Today <span class="muted">${t.date}</span></h2>
      <p class="counts">
        <span class="ok">${t.succeeded} succeeded</span> ·
        <span class="${t.failed > 0 ? "fail" : ""}">${t.failed} failed</span>${t.skipped > 0
          ? html`
            · <span class="skip">${t.skipped} skipped</span>
          `
          : ""} · <span data-testid="today-cost">${formatCost(t.cost_usd, places)}</span>
      </p>
      ${b
        ? html`${b.daily_usd !== null ? meter(b.today_usd, b.daily_usd, "today", "daily") : ""}${
          b.monthly_usd !== null ? meter(b.month_usd, b.monthly_usd, "this month", "monthly") : ""
        }`
        : html`<p class="muted">No budget set (budget: in config.yaml limits the spend per day or month).</p>`}
    </section>
  `;
}

function scheduleSection(view: StatusView): SafeHtml {
  const s = view.scheduler;
  // The scheduler's state in the words of `status` (its first line, without the label).
  const head = (renderScheduler(s, PLAIN)[0] ?? "").replace(/^schedule:\s*/, "");
  const w = view.watcher;
  const watcher = w.state === "running"
    ? `running (pid ${w.pid}${w.info ? `, since ${localTime(w.info.since)}` : ""}${
      w.info ? `, ${w.info.folders.length} folder(s)` : ""
    })`
    : w.state === "stale"
    ? `not running (stale watcher.pid names ${w.pid})`
    : "not running";
  const healthy = s.backend !== null && s.stale.length === 0 && !s.inactive;
  return html`
    <section class="card" data-testid="schedule">
      <h2>Scheduler</h2>
      <p data-testid="scheduler" class="${healthy
        ? ""
        : s.scheduled > 0
        ? "warn"
        : "muted"}">${head}</p>
      ${s.others > 0
        ? html`
          <p
            class="warn">${s
              .others} other crontab line(s) call clodputer (an older install?): check crontab -l</p>
        `
        : ""}
      <h3>Next runs</h3>
      ${s.next.length === 0
        ? html`
          <p class="muted"
            data-testid="next-runs">None scheduled. Give a task a schedule: and run clodputer install.</p>
        `
        : html`<ul class="plain" data-testid="next-runs">${
          s.next.map((n) =>
            html`<li>${taskLink(n.task)} at <time datetime="${n.at}">${
              n.timezone
                ? `${localTime(n.at, n.timezone)} (${n.timezone})`
                : localTimeWithZone(n.at)
            }</time></li>`
          )
        }</ul>`}
      ${s.late.length > 0
        ? html`<ul class="plain warn" data-testid="late">${
          s.late.map((l) =>
            html`<li>${taskLink(l.task)}: ${describeMissed(l)} (${
              l.since !== undefined && l.since !== l.at ? `${localTime(l.since)} to ` : ""
            }${localTime(l.at)})</li>`
          )
        }</ul>`
        : ""}
      <h3>Watcher</h3>
      <p data-testid="watcher" class="${w.state === "stale" ? "warn" : ""}">${watcher}</p>
      ${w.state === "running"
        ? html`<ul class="plain warn">${
          skippedLines(w.info?.skipped).map((l) => html`<li>${l}</li>`)
        }</ul>`
        : ""}
      ${view.canary
        ? html`
          <h3>Canary</h3>
          <p class="${view.canary.ok ? "ok" : "fail"}">${view.canary.ok
            ? "ok"
            : "failed"} at ${when(view.canary.at)}: ${view.canary.message}</p>
        `
        : ""}
    </section>
  `;
}

function recentSection(view: StatusView, tasks: number | null | undefined): SafeHtml {
  const places = costPlaces([view.today.cost_usd, ...view.recent.map((r) => r.cost_usd)]);
  if (view.recent.length === 0) {
    return html`
      <section data-testid="recent">
        <h2>Last runs</h2>
        <p class="empty">${tasks === 0
          ? html`No tasks yet. Write one with <code>clodputer new &lt;name&gt;</code>, or pick an example from <code>clodputer new --list</code>; its runs show up here.`
          : html`No runs yet. Open a task and press Run now, or run one with <code>clodputer run &lt;task&gt;</code>.`}</p>
      </section>
    `;
  }
  return html`
    <section data-testid="recent">
      <h2>Last runs</h2>
      <table>
        <thead>
          <tr>
            <th>Task</th>
            <th>Started</th>
            <th class="num">Duration</th>
            <th class="num">Cost</th>
            <th>Outcome</th>
            <th>Run</th>
          </tr>
        </thead>
        <tbody>${view.recent.map((r) => {
          const kind = outcomeClass(r.status);
          return html`
            <tr data-run-id="${r.id}" data-status="${r.status}">
              <td>${taskLink(r.task)}</td>
              <td class="nowrap">${when(r.started_at)}</td>
              <td class="num">${formatDuration(r.duration_ms)}</td>
              <td class="num">${r.cost_usd === null ? "-" : formatCost(r.cost_usd, places)}</td>
              <td><span class="badge ${kind}" data-outcome="${kind}">${r.status.replace(
                "_",
                " ",
              )}</span>${r.status ===
                  "succeeded"
                ? ""
                : html`
                  <span class="detail">${shorten(
                    describeOutcome(r.outcome).replace(/^failed: /, ""),
                    200,
                  )}</span>
                `}</td>
              <td class="nowrap">${runLink(r.id)}</td>
            </tr>
          `;
        })}</tbody>
      </table>
      <p class="muted">The execution log has every event: <a href="/logs">Logs</a>.</p>
    </section>
  `;
}

/** The overview's live part, from the status model and what goes with it. Pure. */
export function renderOverview(view: StatusView, extras: OverviewExtras = {}): SafeHtml {
  return html`
    ${attentionSection(view)}
    ${overdueSection(view.overdue)}
    <div class="cards">
      ${runnerSection(view, extras.live ?? null)}
      ${queueSection(view, extras.queue ?? [])}
      ${todaySection(view)}
      ${scheduleSection(view)}
    </div>
    ${recentSection(view, extras.tasks)}
  `;
}

/**
 * The running run's progress: one tail kept per server, so each refresh reads only what the run
 * wrote since (as the terminal dashboard does). Reads are chained: two at once would fold twice.
 */
class LiveTails {
  #tail: RunTail | undefined;
  #last: Promise<LiveRun | null> = Promise.resolve(null);

  read(paths: RouteContext["deps"]["paths"], runId: string | undefined): Promise<LiveRun | null> {
    const next = this.#last.catch(() => null).then(() => {
      if (runId === undefined) {
        this.#tail = undefined;
        return null;
      }
      if (this.#tail?.runId !== runId) {
        this.#tail = new RunTail(runId, join(runDir(paths, runId), "stdout"));
      }
      return this.#tail.read();
    });
    this.#last = next;
    return next;
  }
}

async function overview(context: RouteContext, tails: LiveTails): Promise<SafeHtml> {
  const { deps } = context;
  const [status, queue] = await withStore(
    deps,
    (store) => Promise.all([readStatus(deps, { store }), store.queued()]),
  );
  const runId = status.runner.state === "running" ? status.runner.run_id : undefined;
  const live = await tails.read(deps.paths, runId);
  // The empty state tells a new home (no task yet) from a home whose tasks have not run.
  const tasks = status.recent.length > 0
    ? null
    : await listTaskNames(deps.paths).then((names) => names.length, () => null);
  return renderOverview(status, { queue, live, tasks });
}

/** The overview's routes: the page, and its live fragment. */
export function overviewRoutes(): Route[] {
  const tails = new LiveTails();
  return [
    {
      method: "GET",
      path: "/",
      handle: async (context) =>
        htmlResponse(
          layout({
            title: "Overview",
            section: "overview",
            token: context.token,
            body: html`
              <h1>Overview</h1>
              <div id="overview" data-live="/fragments/overview" data-live-on="${OVERVIEW_EVENTS}">${await overview(
                context,
                tails,
              )}</div>
            `,
          }),
        ),
    },
    {
      method: "GET",
      path: "/fragments/overview",
      handle: async (context) => htmlResponse(await overview(context, tails)),
    },
  ];
}
