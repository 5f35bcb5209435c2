/**
 * @module
 * A task's page (`/tasks/:name`): what it does, its trigger in words and next runs, Run now, its
 * runs (paged, live), the success rate and a calendar of the last 182 days drawn as SVG here.
 * The model is lib/status/task_page.ts (readTaskPage); this file only draws it.
 */

import { ago, compactSeconds } from "../../config/depends.ts";
import type { RunSummary } from "../../state/types.ts";
import { describeOutcome } from "../../run/describe.ts";
import {
  CALENDAR_DAYS,
  type CalendarDay,
  readTaskPage,
  readTaskSession,
  type TaskPage,
  type TaskRunsPage,
  taskRunsPage,
} from "../../status/task_page.ts";
import { withStore } from "../../state/open.ts";
import type { TaskSessionView } from "../../status/sessions.ts";
import { UsageError } from "../../errors.ts";
import { formatCost, formatDuration, localTime, localTimeWithZone } from "../../ui/duration.ts";
import { htmlResponse, type Route, type RouteContext } from "../context.ts";
import { href, html, type SafeHtml } from "../html.ts";
import { layout } from "../layout.ts";

/** A calendar cell's outcome, as its `data-outcome` and colour say it. */
export type DayOutcome = "none" | "ok" | "failed" | "mixed" | "skipped";

/**
 * A day's outcome: `mixed` when runs both succeeded and failed, `failed` when some failed and
 * none succeeded, `ok` when some succeeded and none failed, `skipped` when every run was
 * skipped, `none` without runs. Pure.
 */
export function dayOutcome(day: CalendarDay): DayOutcome {
  if (day.failed > 0) return day.succeeded > 0 ? "mixed" : "failed";
  if (day.succeeded > 0) return "ok";
  return day.skipped > 0 ? "skipped" : "none";
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const CELL = 11;
const STEP = 13;
const LEFT = 30;
const TOP = 16;

/** The weekday of a `YYYY-MM-DD` day, Monday 0 (the same in every zone). */
function weekday(day: string): number {
  return (new Date(`${day}T12:00:00Z`).getUTCDay() + 6) % 7;
}

function dayTitle(d: CalendarDay): string {
  const when = `${WEEKDAYS[weekday(d.day)]} ${d.day}`;
  if (d.succeeded + d.failed + d.skipped === 0) return `${when}: no runs`;
  return `${when}: ${d.succeeded} succeeded, ${d.failed} failed, ${d.skipped} skipped`;
}

/**
 * The calendar: one column per week (Monday on top), one cell per day coloured by its outcome,
 * each with a title giving the day and its counts, month names above the weeks they start. Pure.
 */
export function renderCalendar(days: readonly CalendarDay[]): SafeHtml {
  const offset = days[0] === undefined ? 0 : weekday(days[0].day);
  const weeks = Math.ceil((days.length + offset) / 7);
  const width = LEFT + weeks * STEP;
  const height = TOP + 7 * STEP;
  let lastMonth = "";
  let lastLabel = -3;
  const months: SafeHtml[] = [];
  const cells = days.map((d, i) => {
    const col = Math.floor((i + offset) / 7);
    const row = (i + offset) % 7;
    const month = d.day.slice(0, 7);
    // A month is named above the first week that starts in it (the first week: its own month),
    // when there is room after the name before.
    if (month !== lastMonth && (row === 0 || i === 0)) {
      lastMonth = month;
      const name = MONTHS[Number(d.day.slice(5, 7)) - 1] ?? "";
      if (col - lastLabel >= 3 && col < weeks - 1) {
        lastLabel = col;
        months.push(
          html`<text class="cal-month" x="${LEFT + col * STEP}" y="${TOP - 5}">${name}</text>`,
        );
      }
    }
    const outcome = dayOutcome(d);
    return html`
      <rect class="cal-${outcome}" data-day="${d.day}" data-outcome="${outcome}" x="${LEFT +
        col * STEP}"
        y="${TOP + row * STEP}" width="${CELL}" height="${CELL}" rx="2">
        <title>${dayTitle(d)}</title>
      </rect>
    `;
  });
  const labels = [0, 2, 4].map((r) =>
    html`<text class="cal-weekday" x="0" y="${TOP + r * STEP + CELL - 1}">${WEEKDAYS[r]}</text>`
  );
  return html`
    <svg data-testid="calendar" class="calendar" role="img" aria-label="${`Runs per day over the last ${days.length} days`}"
      viewBox="0 0 ${width} ${height}" width="${width}"
      height="${height}">${months}${labels}${cells}</svg>
  `;
}

function timeWithZone(iso: string, zone: string | null): string {
  return zone ? `${localTime(iso, zone)} ${zone}` : localTimeWithZone(iso);
}

function outcomeClass(status: RunSummary["status"]): string {
  switch (status) {
    case "succeeded":
      return "ok";
    case "skipped":
    case "deferred":
      return "muted";
    default:
      return "fail";
  }
}

/** The runs table with its paging links (the live region's content). Pure. */
export function renderRuns(name: string, page: TaskRunsPage, before?: string): SafeHtml {
  const rows = page.runs.map((r) =>
    html`
      <tr data-run-id="${r.id}" data-status="${r.status}">
        <td><a href="${href("runs", r.id)}">${localTimeWithZone(r.started_at)}</a></td>
        <td class="num">${formatDuration(r.duration_ms)}</td>
        <td class="num">${formatCost(r.cost_usd)}</td>
        <td class="${outcomeClass(r.status)}" title="${describeOutcome(r.outcome)}">${r.status}</td>
        <td><a class="mono" href="${href("runs", r.id)}">${r.id}</a></td>
      </tr>
    `
  );
  return html`
    <table data-testid="runs">
      <thead>
        <tr>
          <th>Started</th>
          <th class="num">Duration</th>
          <th class="num">Cost</th>
          <th>Outcome</th>
          <th>Run</th>
        </tr>
      </thead>
      <tbody>${rows.length > 0 ? rows : html`
        <tr>
          <td colspan="5" class="muted">${before === undefined
            ? "No runs yet"
            : "No older runs"}</td>
        </tr>
      `}</tbody>
    </table>
    <p class="paging">${before === undefined ? "" : html`
      <a data-testid="newest" href="${href("tasks", name)}">Newest runs</a>
    `}${page.next_before === null ? "" : html`
      <a data-testid="older" href="${href("tasks", name)}?before=${encodeURIComponent(
        page.next_before,
      )}">Older runs</a>
    `}</p>
  `;
}

function renderDefinition(page: TaskPage): SafeHtml {
  const task = page.task;
  if (!task.valid) {
    return html`
      <section class="problems" data-testid="problems">
        <p class="fail">This task file does not load, so it does not run:</p>
        <ul>${task.problems.map((p) =>
          html`
            <li><span class="mono">${p.where ?? page.file}</span>: ${p.message}${p.hint === null
              ? ""
              : html`<br><span class="hint">hint: ${p.hint}</span>`}</li>
          `
        )}</ul>
      </section>
    `;
  }
  const zone = task.timezone;
  return html`
    <p data-testid="task-description" class="${task.description === null
      ? "muted"
      : ""}">${task.description ?? "No description"}</p>
    <dl class="facts">
      <dt>Trigger</dt>
      <dd data-testid="trigger">${task.trigger}</dd>
      <dt>Next runs</dt>
      <dd>
        <ul data-testid="next-runs" class="plain">${task.next_runs.length === 0
          ? html`<li class="muted">${
            task.enabled ? "none scheduled" : "none: the task is disabled"
          }</li>`
          : task.next_runs.map((iso) =>
            html`<li><time datetime="${iso}">${timeWithZone(iso, zone)}</time></li>`
          )}</ul>
      </dd>
    </dl>
  `;
}

function renderRunNow(page: TaskPage): SafeHtml {
  const post = href("api", "tasks", page.name, "run");
  if (page.run_now === "needs_file") {
    return html`
      <form class="run-now" data-testid="run-now">
        <label>File <input type="text" name="file" id="run-file" data-testid="run-file"
          placeholder="/path/to/a/file" size="40"></label>
        <button type="button" data-action="run-now" data-post="${post}"
          data-body-from="#run-file">Run now</button>
      </form>
    `;
  }
  return html`
    <div
      class="run-now"><button type="button" data-action="run-now" data-post="${post}">Run now</button></div>
  `;
}

function renderSuccess(page: TaskPage): SafeHtml {
  const { succeeded, failed, rate } = page.success;
  const what = `over the last ${CALENDAR_DAYS} days: ${succeeded} succeeded, ${failed} failed ` +
    "(skipped runs are not counted)";
  return html`
    <p data-testid="success-rate" data-rate="${rate === null ? "" : rate.toFixed(4)}">
      <strong>${rate === null ? "No runs" : `${Math.round(rate * 1000) / 10}% succeeded`}</strong>
      <span class="muted">${what}</span>
    </p>
  `;
}

function sessionFact(label: string, value: SafeHtml | string, testid: string): SafeHtml {
  return html`
    <dt>${label}</dt>
    <dd data-testid="${testid}">${value}</dd>
  `;
}

/** What the next run will do, in words. Pure. */
function nextRunWords(session: TaskSessionView): string {
  const next = session.next;
  if (next.kind === "continue") {
    return `continues session ${next.id} (run ${next.runs + 1} of the session)`;
  }
  return `starts a new session: ${next.reason}`;
}

/**
 * A `session: continue` task's session (the content of its live region): the session its next
 * run may continue (id, runs, when it began, its last run, its folders), what that run will do,
 * and the button that starts a new one. Pure but for `nowMs`, the time ages are counted from.
 */
export function renderSession(name: string, session: TaskSessionView, nowMs: number): SafeHtml {
  const current = session.session;
  const limits = `session_max_runs: ${session.session_max_runs}, session_max_age: ${
    compactSeconds(session.session_max_age)
  }`;
  const facts = current === null
    ? [
      sessionFact(
        "Session",
        session.reset_at === null
          ? "none yet: the next run starts one"
          : `none: reset at ${localTimeWithZone(session.reset_at)}`,
        "session-id",
      ),
    ]
    : [
      sessionFact("Session", html`<span class="mono">${current.id}</span>`, "session-id"),
      sessionFact(
        "Runs",
        `${current.runs} of at most ${session.session_max_runs}`,
        "session-runs",
      ),
      sessionFact(
        "Began",
        html`<time datetime="${current.started_at}">${
          localTimeWithZone(current.started_at)
        }</time> (${ago((nowMs - Date.parse(current.started_at)) / 1000)})`,
        "session-began",
      ),
      sessionFact(
        "Last run",
        html`<a href="${href("runs", current.last_run_id)}">${
          localTimeWithZone(current.last_at)
        }</a> <span class="mono muted">${current.last_run_id}</span>`,
        "session-last-run",
      ),
      sessionFact("Working folder", html`<code>${current.cwd}</code>`, "session-cwd"),
      sessionFact(
        "Claude config folder",
        html`<code>${current.config_dir}</code>`,
        "session-config-dir",
      ),
    ];
  return html`
    <h2>Session</h2>
    <p class="muted">This task continues its Claude session from run to run (session: continue;
      ${limits}).</p>
    <dl class="facts" data-session-id="${current?.id ?? ""}">
      ${facts}
      <dt>Next run</dt>
      <dd data-testid="session-next" data-next="${session.next.kind}">${nextRunWords(session)}</dd>
    </dl>
    ${session.working_directory !== null ? "" : html`
      <p class="hint" data-testid="session-cwd-hint">working_directory is not set: a run continues
        the session only when it starts in the same folder as the last one (here
        <code>${session.cwd}</code>). Set working_directory in the task file.</p>
    `}
    <p><button type="button" data-action="session-reset" data-post="${href(
      "api",
      "tasks",
      name,
      "session",
      "reset",
    )}" data-confirm="${`Start a new session for ${name}? Its next run will not remember the runs before it.`}"${current ===
        null
      ? html`
        disabled
      `
      : ""}>Start a new session</button></p>
  `;
}

function liveRunsPath(name: string, before: string | undefined): string {
  const path = href("fragments", "tasks", name, "runs");
  return before === undefined ? path : `${path}?before=${encodeURIComponent(before)}`;
}

function sessionRegion(page: TaskPage, nowMs: number): SafeHtml | "" {
  if (page.session === null) return "";
  return html`
    <section class="session" data-testid="session" data-live="${href(
      "fragments",
      "tasks",
      page.name,
      "session",
    )}"
      data-live-on="run-finished">${renderSession(page.name, page.session, nowMs)}</section>
  `;
}

/**
 * The whole page's body. Pure (times are shown in the machine's zone; ages are counted from
 * `nowMs`).
 */
export function renderTaskPage(page: TaskPage, before?: string, nowMs = 0): SafeHtml {
  const state = !page.task.valid ? "invalid" : page.task.enabled ? "enabled" : "disabled";
  return html`
    <header class="task-head">
      <h1>${page
        .name} <span class="badge" data-testid="task-state" data-state="${state}">${state}</span></h1>
      ${renderRunNow(page)}
    </header>
    ${renderDefinition(page)}
    ${sessionRegion(page, nowMs)}
    <h2>Last ${CALENDAR_DAYS} days</h2>
    ${renderSuccess(page)}
    ${renderCalendar(page.calendar)}
    <p class="cal-legend muted">
      <span class="cal-key cal-ok"></span> succeeded <span class="cal-key cal-mixed"></span> some failed
      <span class="cal-key cal-failed"></span> failed <span class="cal-key cal-skipped"></span> skipped
      <span class="cal-key cal-none"></span> no runs
    </p>
    <h2>Runs</h2>
    <div data-live="${liveRunsPath(
      page.name,
      before,
    )}" data-live-on="run-started run-finished">${renderRuns(page.name, page, before)}</div>
  `;
}

/** The page's `?before=` and `?limit=` (1 to 200). @throws {UsageError} for a bad limit. */
function pageQuery(url: URL): { before: string | undefined; limit: number | undefined } {
  const before = url.searchParams.get("before") || undefined;
  const text = url.searchParams.get("limit");
  if (text === null || text === "") return { before, limit: undefined };
  const limit = Number(text);
  if (!Number.isInteger(limit) || limit < 1 || limit > 200) {
    throw new UsageError(
      `Cannot list the runs: "limit" must be a whole number from 1 to 200, got "${text}"`,
      {
        hint: "leave it out for 25 runs a page",
      },
    );
  }
  return { before, limit };
}

async function taskPage(context: RouteContext): Promise<Response> {
  const name = context.params.name as string;
  const query = pageQuery(context.url);
  const page = await readTaskPage(context.deps, name, query);
  return htmlResponse(layout({
    title: name,
    section: "task",
    token: context.token,
    body: renderTaskPage(page, query.before, context.deps.clock.now()),
  }));
}

async function runsFragment(context: RouteContext): Promise<Response> {
  const name = context.params.name as string;
  const query = pageQuery(context.url);
  const page = await withStore(context.deps, (store) => taskRunsPage(store, name, query));
  return htmlResponse(renderRuns(name, page, query.before));
}

async function sessionFragment(context: RouteContext): Promise<Response> {
  const name = context.params.name as string;
  const session = await readTaskSession(context.deps, name);
  if (session === null) {
    return htmlResponse(
      html`<p class="muted">${name} does not continue a session (session: new).</p>`,
    );
  }
  return htmlResponse(renderSession(name, session, context.deps.clock.now()));
}

/** The task page's routes: the page, and its runs table's and session's live fragments. */
export function taskRoutes(): Route[] {
  return [
    { method: "GET", path: "/tasks/:name", handle: taskPage },
    { method: "GET", path: "/fragments/tasks/:name/runs", handle: runsFragment },
    { method: "GET", path: "/fragments/tasks/:name/session", handle: sessionFragment },
  ];
}
