/**
 * @module
 * The cost page (`/cost?since=&task=`): the model of `clodputer cost` (lib/status/cost.ts) drawn
 * as a bar chart by day and one by month (lib/web/svg.ts) with the budget's lines, and its
 * tables by task, day and month with the numbers `cost` prints. Without `since` the by-day chart
 * and table show the last 30 days; the rest counts since the ledger began, as `cost` does.
 */

import { UsageError } from "../../errors.ts";
import { type BudgetLimits, budgetLimits } from "../../status/budget_limits.ts";
import { type CostRow, type CostView, parseSince, readCost } from "../../status/cost.ts";
import { costPlaces, formatCost, localDate } from "../../ui/duration.ts";
import { htmlResponse, type Route, type RouteContext } from "../context.ts";
import { href, html, type SafeHtml } from "../html.ts";
import { layout } from "../layout.ts";
import { barChart } from "../svg.ts";

/** Days the by-day chart shows when no `since` is given (today included). */
export const DEFAULT_DAYS = 30;

const DAY_MS = 86_400_000;

/** `day` (`YYYY-MM-DD`) moved by `n` calendar days. Pure. */
export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Calendar days from `a` to `b` (`YYYY-MM-DD`). Pure. */
export function daysBetween(a: string, b: string): number {
  const ms = (day: string) => {
    const [y, m, d] = day.split("-").map(Number) as [number, number, number];
    return Date.UTC(y, m - 1, d);
  };
  return Math.round((ms(b) - ms(a)) / DAY_MS);
}

/** Months from `a` to `b` (`YYYY-MM`). Pure. */
export function monthsBetween(a: string, b: string): number {
  const n = (month: string) => {
    const [y, m] = month.split("-").map(Number) as [number, number];
    return y * 12 + m - 1;
  };
  return n(b) - n(a);
}

/** `month` (`YYYY-MM`) moved by `n` months. Pure. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const total = y * 12 + m - 1 + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, "0")}`;
}

function runsWord(n: number): string {
  return `${n} run${n === 1 ? "" : "s"}`;
}

/** What the page shows: the view, the rows and span of the by-day chart, the budget. */
export interface CostPage {
  view: CostView;
  /** The by-day rows shown (the last 30 days without `since`, else all of them). */
  days: CostRow[];
  /** The by-day chart's first and last day. */
  from: string;
  to: string;
  /** The months' chart's first and last month. */
  firstMonth: string;
  lastMonth: string;
  /** null: none set; undefined: config.yaml cannot be read. */
  budget: BudgetLimits | null | undefined;
  places: 2 | 4;
}

/** The page's model from the view and today. Pure. */
export function costPage(
  view: CostView,
  options: { today: string; budget: BudgetLimits | null | undefined },
): CostPage {
  const lastDay = view.by_day.at(-1)?.key;
  const to = lastDay !== undefined && lastDay > options.today ? lastDay : options.today;
  const firstDay = view.by_day[0]?.key ?? to;
  // Without since: the last 30 days. With it: from since, but not before the first run nor
  // later than 30 days back (a since years ago starts at the first run).
  const recent = addDays(options.today, -(DEFAULT_DAYS - 1));
  let from = recent;
  if (view.since !== null) {
    const earliest = firstDay < recent ? firstDay : recent;
    from = view.since > earliest ? view.since : earliest;
  }
  if (from > to) from = to;
  const days = view.by_day.filter((r) => r.key >= from);
  const todayMonth = options.today.slice(0, 7);
  const lastMonthKey = view.by_month.at(-1)?.key;
  const lastMonth = lastMonthKey !== undefined && lastMonthKey > todayMonth
    ? lastMonthKey
    : todayMonth;
  const firstMonth = view.by_month[0]?.key ?? lastMonth;
  const t = view.total;
  // As `cost` rounds: the total and every row alike, so the rows add up to what the total says.
  const places = costPlaces(
    [t, ...view.by_task, ...view.by_day, ...view.by_month].map((r) => r.cost_usd),
  );
  return { view, days, from, to, firstMonth, lastMonth, budget: options.budget, places };
}

function dayChart(page: CostPage): SafeHtml {
  const daily = page.budget?.daily_usd ?? null;
  return barChart({
    testid: "cost-by-day",
    label: `Cost by day from ${page.from} to ${page.to}`,
    slots: daysBetween(page.from, page.to) + 1,
    bars: page.days.map((row) => ({
      key: row.key,
      slot: daysBetween(page.from, row.key),
      value: row.cost_usd,
      title: `${row.key}: ${formatCost(row.cost_usd, page.places)} · ${runsWord(row.runs)}`,
      over: daily !== null && row.cost_usd > daily,
    })),
    lines: daily === null
      ? []
      : [{ name: "daily", value: daily, label: `daily budget ${formatCost(daily)}` }],
    formatValue: (v) => formatCost(v, v !== 0 && v < 0.01 ? 4 : 2),
    slotLabel: (slot) => addDays(page.from, slot).slice(5),
  });
}

function monthChart(page: CostPage): SafeHtml {
  const monthly = page.budget?.monthly_usd ?? null;
  return barChart({
    testid: "cost-by-month",
    label: `Cost by month from ${page.firstMonth} to ${page.lastMonth}`,
    slots: monthsBetween(page.firstMonth, page.lastMonth) + 1,
    bars: page.view.by_month.map((row) => ({
      key: row.key,
      slot: monthsBetween(page.firstMonth, row.key),
      value: row.cost_usd,
      title: `${row.key}: ${formatCost(row.cost_usd, page.places)} · ${runsWord(row.runs)}`,
      over: monthly !== null && row.cost_usd > monthly,
    })),
    lines: monthly === null
      ? []
      : [{ name: "monthly", value: monthly, label: `monthly budget ${formatCost(monthly)}` }],
    formatValue: (v) => formatCost(v, v !== 0 && v < 0.01 ? 4 : 2),
    slotLabel: (slot) => addMonths(page.firstMonth, slot),
  });
}

function taskChart(page: CostPage): SafeHtml {
  const rows = page.view.by_task;
  return barChart({
    testid: "cost-by-task",
    label: `Cost by task${scopeWords(page.view)}`,
    slots: rows.length,
    bars: rows.map((row, slot) => ({
      key: row.key,
      slot,
      value: row.cost_usd,
      title: `${row.key}: ${formatCost(row.cost_usd, page.places)} · ${runsWord(row.runs)}`,
      over: false,
    })),
    lines: [],
    formatValue: (v) => formatCost(v, v !== 0 && v < 0.01 ? 4 : 2),
    slotLabel: (slot) => rows[slot]?.key ?? "",
  });
}

function tallyTable(
  testid: string,
  first: string,
  rows: CostRow[],
  options: { places: 2 | 4; link?: (key: string) => string },
): SafeHtml {
  return html`
    <table data-testid="${testid}">
      <thead>
        <tr>
          <th>${first}</th>
          <th class="num">Runs</th>
          <th class="num">Cost</th>
          <th class="num">Input</th>
          <th class="num">Output</th>
          <th class="num">Cache read</th>
          <th class="num">Cache write</th>
        </tr>
      </thead>
      <tbody>${rows.map((r) =>
        html`
          <tr data-key="${r.key}">
            <td>${options.link ? html`<a href="${options.link(r.key)}">${r.key}</a>` : r.key}</td>
            <td class="num">${r.runs}</td>
            <td class="num">${formatCost(r.cost_usd, options.places)}</td>
            <td class="num">${r.tokens.input}</td>
            <td class="num">${r.tokens.output}</td>
            <td class="num">${r.tokens.cache_read}</td>
            <td class="num">${r.tokens.cache_creation}</td>
          </tr>
        `
      )}</tbody>
    </table>
  `;
}

function scopeWords(view: { since: string | null; task: string | null }): string {
  return [
    view.since === null ? "" : ` since ${view.since}`,
    view.task === null ? "" : ` for task ${view.task}`,
  ].join("");
}

function budgetNote(budget: BudgetLimits | null | undefined): SafeHtml {
  if (budget === undefined) {
    return html`
      <p class="warn" data-testid="budget">
        config.yaml cannot be read, so no budget lines are drawn (clodputer doctor says why).
      </p>
    `;
  }
  if (budget === null) {
    return html`
      <p class="muted"
        data-testid="budget">No budget is set (config.yaml's budget: daily_usd, monthly_usd).</p>
    `;
  }
  const parts = [
    budget.daily_usd === null ? "" : `${formatCost(budget.daily_usd)} a day`,
    budget.monthly_usd === null ? "" : `${formatCost(budget.monthly_usd)} a month`,
  ].filter((p) => p !== "");
  return html`<p class="muted" data-testid="budget">Budget: ${parts.join(", ")}.</p>`;
}

/** The page's body. Pure. */
export function renderCost(page: CostPage): SafeHtml {
  const view = page.view;
  const scope = scopeWords(view);
  if (view.total.runs === 0) {
    return html`<p class="empty" data-testid="cost-empty">No cost recorded${scope} yet.</p>`;
  }
  const t = view.total;
  return html`
    <p class="total"
      data-testid="cost-total"><strong>Cost${scope}: ${formatCost(
        t.cost_usd,
        page.places,
      )} over ${runsWord(t.runs)}</strong><br>
      <span class="muted">tokens: ${t.tokens.input} input, ${t.tokens.output} output, ${t.tokens
        .cache_read} cache read, ${t.tokens.cache_creation} cache write</span></p>
    ${budgetNote(page.budget)}
    <h2>By day</h2>
    <p class="muted">${view.since === null
      ? `The last ${DEFAULT_DAYS} days (${page.from} to ${page.to}); set since for more.`
      : `${page.from} to ${page.to}.`}</p>
    ${page.days.length === 0
      ? html`<p class="empty" data-testid="cost-by-day-empty">No runs in these days.</p>`
      : dayChart(page)}
    <h2>By month</h2>
    ${monthChart(page)}
    <h2>By task</h2>
    ${taskChart(page)}
    ${tallyTable("cost-table-task", "Task", view.by_task, {
      places: page.places,
      link: (key) => href("tasks", key),
    })}
    <h2>By day</h2>
    ${tallyTable("cost-table-day", "Day", [...page.days].reverse(), { places: page.places })}
    <h2>By month</h2>
    ${tallyTable("cost-table-month", "Month", [...view.by_month].reverse(), {
      places: page.places,
    })}
  `;
}

function filters(since: string, task: string, tasks: string[]): SafeHtml {
  return html`
    <form class="filters" method="get" action="/cost" data-testid="cost-filters">
      <label>Since <input name="since" value="${since}" placeholder="30d, 2026-11-01, today"></label>
      <label>Task <input name="task" value="${task}" list="cost-tasks" placeholder="every task"></label>
      <datalist id="cost-tasks">${tasks.map((t) => html`<option value="${t}"></option>`)}</datalist>
      <button type="submit">Show</button>
      <a href="/cost">Reset</a>
    </form>
  `;
}

async function page(context: RouteContext): Promise<Response> {
  const { deps, url } = context;
  const sinceText = (url.searchParams.get("since") ?? "").trim();
  const taskText = (url.searchParams.get("task") ?? "").trim();
  const now = deps.clock.now();
  let since: string | null = null;
  let problem: UsageError | undefined;
  if (sinceText !== "") {
    try {
      since = parseSince(sinceText, now, "since");
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      problem = error;
    }
  }
  let body: SafeHtml;
  let tasks: string[] = [];
  if (problem) {
    body = html`
      <p class="fail" data-testid="cost-error">${problem.message}${problem.hint
        ? html`<br><span class="hint">${problem.hint}</span>`
        : ""}</p>
    `;
  } else {
    const view = await readCost(deps, { since, task: taskText === "" ? null : taskText });
    tasks = view.by_task.map((r) => r.key);
    body = renderCost(
      costPage(view, { today: localDate(now), budget: await budgetLimits(deps) }),
    );
  }
  return htmlResponse(
    layout({
      title: "Cost",
      section: "cost",
      token: context.token,
      body: html`
        <h1>Cost</h1>
        ${filters(sinceText, taskText, tasks)}
        ${body}
      `,
    }),
    problem ? 400 : 200,
  );
}

/** The cost page's route. */
export function costRoutes(): Route[] {
  return [{ method: "GET", path: "/cost", handle: page }];
}
