/**
 * @module
 * The Logs page: the execution log (what `clodputer logs` prints), newest first, in the words of
 * `logs` (lib/ui/log_line.ts), with a GET form to filter by task, by how a run ended (`logs
 * --status`), and by time (`--since`, `--until`, read by `parseWhen` as the CLI reads them).
 * Paged: `limit` events a page, and an "older" link that pins `until` (so events written
 * meanwhile do not shift the pages) and skips the events already shown. A bad value is a 400 page that
 * says what is wrong, with the form to fix it. Without `until`, the rows are a live region.
 */

import { listTaskNames } from "../../config/names.ts";
import { UsageError } from "../../errors.ts";
import {
  type EventFilter,
  parseWhen,
  readEvents,
  STATUS_EVENTS,
  type StatusName,
} from "../../log/reader.ts";
import type { LogEvent } from "../../log/writer.ts";
import { shorten } from "../../run/describe.ts";
import { colors } from "../../ui/color.ts";
import { localTimeWithZone } from "../../ui/duration.ts";
import { eventText } from "../../ui/log_line.ts";
import { htmlResponse, type Route, type RouteContext } from "../context.ts";
import { href, html, type SafeHtml } from "../html.ts";
import { layout } from "../layout.ts";

/** Events a page shows unless `limit` says otherwise, and the most it may ask for. */
export const LOG_PAGE = 50;
const MAX_LIMIT = 500;

/** The events the live rows refresh on. */
export const LOGS_EVENTS = "run-started run-finished";

/** The form's values as given (text), so the page shows them back, bad ones too. */
export interface LogQuery {
  task: string;
  event: string;
  since: string;
  until: string;
  limit: string;
  skip: string;
}

/** A query read: the filter, the page, and the query itself. */
export interface LogPlan {
  query: LogQuery;
  filter: EventFilter;
  limit: number;
  /** The newest matching events left out (shown on a newer page). */
  skip: number;
  /** When the plan was made (epoch ms). */
  nowMs: number;
}

/** The form's values from a URL's search part (missing ones empty). Pure. */
export function logQuery(params: URLSearchParams): LogQuery {
  const get = (name: string) => (params.get(name) ?? "").trim();
  return {
    task: get("task"),
    event: get("event"),
    since: get("since"),
    until: get("until"),
    limit: get("limit"),
    skip: get("skip"),
  };
}

/** The status name an `event` value means: a status (`failed`) or its event (`task_failed`). */
function statusOf(event: string): StatusName | undefined {
  if (event in STATUS_EVENTS) return event as StatusName;
  const found = Object.entries(STATUS_EVENTS).find(([, name]) => name === event);
  return found?.[0] as StatusName | undefined;
}

function whole(text: string, name: string, range: { min: number; max: number }): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < range.min || n > range.max) {
    throw new UsageError(
      `Cannot read the ${name} value "${text}": expected a whole number from ${range.min} to ${range.max}`,
      { hint: `for example: ${name}=${range.min === 0 ? 0 : LOG_PAGE}` },
    );
  }
  return n;
}

/**
 * Reads the query into a filter and a page, as `logs` reads its flags (`parseWhen` for the
 * times, the names of `--status` for the event). Pure.
 * @throws {UsageError} for a bad value: what it is, and what to write.
 */
export function logPlan(query: LogQuery, nowMs: number): LogPlan {
  let status: StatusName | undefined;
  if (query.event !== "") {
    status = statusOf(query.event);
    if (status === undefined) {
      throw new UsageError(`Cannot filter by the event "${query.event}"`, {
        hint: `use one of: ${Object.keys(STATUS_EVENTS).join(", ")}`,
      });
    }
  }
  return {
    query,
    filter: {
      task: query.task === "" ? undefined : query.task,
      status,
      since: query.since === "" ? undefined : parseWhen(query.since, nowMs, { flag: "since" }),
      until: query.until === "" ? undefined : parseWhen(query.until, nowMs, { flag: "until" }),
    },
    limit: query.limit === "" ? LOG_PAGE : whole(query.limit, "limit", { min: 1, max: MAX_LIMIT }),
    skip: query.skip === "" ? 0 : whole(query.skip, "skip", { min: 0, max: 1_000_000 }),
    nowMs,
  };
}

/** One page of the log. */
export interface LogPage {
  /** Newest first. */
  events: LogEvent[];
  /** The next page's query (older events), or null when there is none. */
  older: LogQuery | null;
}

/**
 * The page `plan` asks for, from `matching` (the last matching events, oldest first, at least
 * `skip + limit + 1` of them when the log has that many). Pure.
 */
export function pageOf(matching: readonly LogEvent[], plan: LogPlan): LogPage {
  const end = Math.max(0, matching.length - plan.skip);
  const start = Math.max(0, end - plan.limit);
  const events = matching.slice(start, end).reverse();
  if (start === 0 || events.length === 0) return { events, older: null };
  // The older pages count from the end of a log pinned by `until`, so events written meanwhile
  // do not move them. The log is in the order it was written, not always in time order (writers
  // stamp before they append), so the pin is past every event read and now, not the oldest shown.
  let until = plan.query.until;
  if (until === "") {
    const newest = matching.reduce((max, e) => {
      const ms = Date.parse(e.ts);
      return Number.isNaN(ms) ? max : Math.max(max, ms);
    }, plan.nowMs);
    until = new Date(newest + 1).toISOString();
  }
  return { events, older: { ...plan.query, until, skip: String(plan.skip + plan.limit) } };
}

/** The URL of the Logs page (or its fragment) for `query`, empty values left out. */
export function logsHref(query: Partial<LogQuery>, path = "/logs"): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const search = params.toString();
  return search === "" ? path : `${path}?${search}`;
}

const PLAIN = colors(false);

/** The look of an event: ok, fail, warn, or plain. */
export function eventClass(event: string): "ok" | "fail" | "warn" | "" {
  switch (event) {
    case "task_completed":
      return "ok";
    case "task_failed":
    case "task_timed_out":
    case "task_cancelled":
    case "task_lost":
    case "task_over_budget":
    case "task_auth_failed":
    case "task_overdue":
    case "action_failed":
    case "notify_failed":
    case "overdue_notify_failed":
      return "fail";
    case "task_skipped":
    case "task_deferred":
    case "budget_exceeded":
    case "queue_held":
    case "task_removed":
    case "schedule_missed":
    case "schedule_folded":
    case "watch_skipped":
      return "warn";
    default:
      return "";
  }
}

function row(e: LogEvent): SafeHtml {
  const kind = eventClass(e.event);
  const text = eventText(e, PLAIN, { run: false, error: false }).trim();
  return html`
    <tr data-event="${e.event}" ${e.run_id ? html`data-run-id="${e.run_id}"` : ""}>
      <td class="nowrap"><time datetime="${e.ts}">${localTimeWithZone(e.ts)}</time></td>
      <td>${e.task
        ? html`<a href="${href("tasks", e.task)}">${e.task}</a>`
        : html`<span class="muted">-</span>`}</td>
      <td><span class="badge ${kind}">${e.event}</span></td>
      <td>${text}${e.error
        ? html`<div class="error" data-testid="error">${shorten(e.error, 2000)}</div>`
        : ""}</td>
      <td>${e.run_id
        ? html`<a class="mono" href="${href("runs", e.run_id)}">${e.run_id}</a>`
        : ""}</td>
    </tr>
  `;
}

/** The rows of a page, the older link, or a sentence when nothing matches. Pure. */
export function renderLogRows(page: LogPage, filtered: boolean): SafeHtml {
  if (page.events.length === 0) {
    return html`<p class="empty" data-testid="no-events">${
      filtered
        ? "No event matches these filters. Widen them, or clear them to see the whole log."
        : "The execution log is empty. Every run writes to it: run a task (Run now on its page, or clodputer run <task>) and its events show here."
    }</p>`;
  }
  return html`
    <table class="log">
      <thead>
        <tr>
          <th>Time</th>
          <th>Task</th>
          <th>Event</th>
          <th>What happened</th>
          <th>Run</th>
        </tr>
      </thead>
      <tbody>${page.events.map(row)}</tbody>
    </table>
    ${page.older
      ? html`<p class="pager"><a data-testid="older" href="${
        logsHref(page.older)
      }">Older events →</a></p>`
      : ""}
  `;
}

/** The filter form, showing `query`'s values; `tasks` are the task select's choices. Pure. */
export function renderLogForm(query: LogQuery, tasks: readonly string[]): SafeHtml {
  const names = query.task !== "" && !tasks.includes(query.task) ? [...tasks, query.task] : tasks;
  const status = statusOf(query.event) ?? query.event;
  return html`
    <form class="filters" method="get" action="/logs" data-testid="log-filters">
      <label>Task
        <select name="task">
          <option value="">every task</option>
          ${names.map((n) =>
            html`<option value="${n}" ${n === query.task ? html`selected` : ""}>${n}</option>`
          )}
        </select>
      </label>
      <label>Ended as
        <select name="event">
          <option value="">every event</option>
          ${Object.entries(STATUS_EVENTS).map(([s, e]) =>
            html`<option value="${s}" ${s === status ? html`selected` : ""}>${
              s.replace("_", " ")
            } (${e})</option>`
          )}
          ${status !== "" && !(status in STATUS_EVENTS)
            ? html`<option value="${status}" selected>${status}</option>`
            : ""}
        </select>
      </label>
      <label>Since <input name="since" value="${query
        .since}" placeholder="2h, today, 2026-12-01"></label>
      <label>Until <input name="until" value="${query
        .until}" placeholder="yesterday, 2026-12-01 08:00"></label>
      ${query.limit !== "" ? html`<input type="hidden" name="limit" value="${query.limit}">` : ""}
      <button type="submit">Show</button>
      <a href="/logs">Clear</a>
    </form>
  `;
}

/** What the Logs page shows: the form, a bad value's message, or the rows. */
export interface LogsView {
  query: LogQuery;
  tasks: readonly string[];
  /** The page, or the error a bad value made. */
  result: { page: LogPage } | { error: { message: string; hint?: string | undefined } };
}

function filtered(query: LogQuery): boolean {
  return query.task !== "" || query.event !== "" || query.since !== "" || query.until !== "";
}

/** The Logs page's body. Pure. */
export function renderLogs(view: LogsView): SafeHtml {
  const { query, result } = view;
  let rows: SafeHtml;
  if ("error" in result) {
    rows = html`
      <div class="notice fail block" role="alert" data-testid="log-error">
        <p>${result.error.message}</p>
        ${result.error.hint ? html`<p class="hint">${result.error.hint}</p>` : ""}
      </div>
    `;
  } else if (query.until === "" && query.skip === "") {
    rows = html`<div data-live="${
      logsHref(query, "/fragments/logs")
    }" data-live-on="${LOGS_EVENTS}">${renderLogRows(result.page, filtered(query))}</div>`;
  } else {
    rows = html`${renderLogRows(result.page, filtered(query))}<p><a href="${
      logsHref({
        ...query,
        until: "",
        skip: "",
      })
    }">← Newest events</a></p>`;
  }
  return html`
    <h1>Logs</h1>
    <p
      class="muted">The execution log, newest first: what <code>clodputer logs</code> prints. Times are this machine's.</p>
    ${renderLogForm(query, view.tasks)}
    ${rows}
  `;
}

/** Reads the page `query` asks for. @throws {UsageError} for a bad value. */
async function readPage(context: RouteContext, query: LogQuery): Promise<LogPage> {
  const plan = logPlan(query, context.deps.clock.now());
  const matching = await readEvents(context.deps.paths, plan.filter, {
    tail: plan.skip + plan.limit + 1,
  });
  return pageOf(matching, plan);
}

async function readView(context: RouteContext): Promise<{ view: LogsView; status: number }> {
  const query = logQuery(context.url.searchParams);
  const tasks = await listTaskNames(context.deps.paths).catch(() => [] as string[]);
  try {
    return {
      view: { query, tasks, result: { page: await readPage(context, query) } },
      status: 200,
    };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return {
      view: { query, tasks, result: { error: { message: error.message, hint: error.hint } } },
      status: 400,
    };
  }
}

/** The Logs page's routes: the page and its live rows. */
export function logsRoutes(): Route[] {
  return [
    {
      method: "GET",
      path: "/logs",
      handle: async (context) => {
        const { view, status } = await readView(context);
        return htmlResponse(
          layout({ title: "Logs", section: "logs", token: context.token, body: renderLogs(view) }),
          status,
        );
      },
    },
    {
      method: "GET",
      path: "/fragments/logs",
      handle: async (context) => {
        const query = logQuery(context.url.searchParams);
        // A bad value throws: the server answers 400 and the page keeps its rows.
        return htmlResponse(renderLogRows(await readPage(context, query), filtered(query)));
      },
    },
  ];
}
