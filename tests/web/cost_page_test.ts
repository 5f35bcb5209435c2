/**
 * @module
 * The cost page, asked of the handler in process over a seeded home: a bar per day and month row
 * of the cost model (the last 30 days by default, all of them with since), the budget's lines
 * when config.yaml sets them, tables with the numbers `clodputer cost` prints, the filters, the
 * empty state and a bad since. And the chart functions as units.
 */

import assert from "node:assert/strict";
import { renderCost as renderCostLines } from "../../lib/cli/cost.ts";
import { type CostView, parseSince, readCost } from "../../lib/status/cost.ts";
import { colors } from "../../lib/ui/color.ts";
import { localDate } from "../../lib/ui/duration.ts";
import { escapeHtml } from "../../lib/web/html.ts";
import { addDays, addMonths, daysBetween, monthsBetween } from "../../lib/web/pages/cost.ts";
import { barChart, labelledSlots, niceTicks } from "../../lib/web/svg.ts";
import { TASKS } from "./fixture_home.ts";
import { type Scene, webScene } from "./scene.ts";

function scene(options: { days?: number } = {}): Promise<Scene> {
  return webScene({ days: options.days ?? 75, prefix: "clodputer-web-cost-" });
}

/** The `<svg data-testid=...>` element's markup. */
function svg(text: string, testid: string): string {
  const start = text.indexOf(`data-testid="${testid}"`);
  assert.ok(start >= 0, `svg ${testid}`);
  return text.slice(start, text.indexOf("</svg>", start));
}

function barKeys(markup: string): string[] {
  return [...markup.matchAll(/data-bar="" data-key="([^"]+)"/g)].map((m) => m[1] as string);
}

/** The keys of a table's rows. */
function tableKeys(text: string, testid: string): string[] {
  const start = text.indexOf(`data-testid="${testid}"`);
  assert.ok(start >= 0, `table ${testid}`);
  const table = text.slice(start, text.indexOf("</table>", start));
  return [...table.matchAll(/<tr data-key="([^"]+)"/g)].map((m) => m[1] as string);
}

function plain(lines: string[]): string {
  return lines.join("\n");
}

Deno.test("the cost page draws a bar per day of the last 30 days and per month, with cost's numbers", async () => {
  await using s = await scene();
  const view = await readCost(s.deps, { since: null, task: null });
  const recent = addDays(localDate(s.clock.now()), -29);
  const days = view.by_day.filter((r) => r.key >= recent);
  assert.ok(days.length > 15 && days.length < view.by_day.length, "the default cuts the days");
  const { status, text } = await s.get("/cost");
  assert.equal(status, 200);
  assert.match(
    text,
    /<form class="filters" method="get" action="\/cost" data-testid="cost-filters">/,
  );
  assert.deepEqual(barKeys(svg(text, "cost-by-day")), days.map((r) => r.key));
  assert.deepEqual(barKeys(svg(text, "cost-by-month")), view.by_month.map((r) => r.key));
  assert.ok(view.by_month.length >= 3);
  assert.deepEqual(barKeys(svg(text, "cost-by-task")), view.by_task.map((r) => r.key));
  assert.equal(view.by_task.length, 3, "a bar for each of the fixture's tasks");
  // Each bar says its day, cost and runs.
  const first = days[0];
  assert.ok(first);
  assert.match(
    svg(text, "cost-by-day"),
    new RegExp(`<title>${first.key}: \\$[0-9.]+ · ${first.runs} runs?</title>`),
  );
  // Ticks on the axes: values and days.
  assert.match(svg(text, "cost-by-day"), /class="tick"[^>]*>\$0</);
  assert.ok(svg(text, "cost-by-day").includes(`>${recent.slice(5)}</text>`));
  // No budget set: no lines.
  assert.doesNotMatch(text, /data-budget=/);
  assert.match(text, /No budget is set/);
  // The tables: the rows and numbers `clodputer cost` prints.
  assert.deepEqual(tableKeys(text, "cost-table-task"), view.by_task.map((r) => r.key));
  assert.deepEqual(tableKeys(text, "cost-table-month"), view.by_month.map((r) => r.key).reverse());
  assert.deepEqual(tableKeys(text, "cost-table-day"), days.map((r) => r.key).reverse());
  const cli = plain(renderCostLines(view, colors(false)));
  const headline = cli.split("\n")[0] as string;
  assert.ok(text.includes(escapeHtml(headline)), `the page says "${headline}"`);
  for (const row of view.by_task) {
    const line = cli.split("\n").find((l) => l.trim().startsWith(row.key)) as string;
    const cost = line.trim().split(/\s+/)[2] as string;
    assert.match(text, new RegExp(`<tr data-key="${row.key}">[\\s\\S]*?\\${cost}</td>`));
  }
});

Deno.test("the cost page with since and task draws the rows of cost --since --task", async () => {
  await using s = await scene();
  const all = await readCost(s.deps, {
    since: parseSince("2000-01-01", s.clock.now()),
    task: null,
  });
  const page = await s.get("/cost?since=2000-01-01");
  assert.deepEqual(barKeys(svg(page.text, "cost-by-day")), all.by_day.map((r) => r.key));
  assert.equal(all.by_day.length > 60, true);

  const since = parseSince("7d", s.clock.now());
  const one: CostView = await readCost(s.deps, { since, task: TASKS.watch });
  const filtered = await s.get(`/cost?since=7d&task=${TASKS.watch}`);
  assert.equal(filtered.status, 200);
  assert.deepEqual(barKeys(svg(filtered.text, "cost-by-day")), one.by_day.map((r) => r.key));
  assert.deepEqual(barKeys(svg(filtered.text, "cost-by-month")), one.by_month.map((r) => r.key));
  assert.deepEqual(barKeys(svg(filtered.text, "cost-by-task")), [TASKS.watch]);
  assert.match(filtered.text, new RegExp(`Cost since ${since} for task ${TASKS.watch}: `));
  assert.match(filtered.text, /name="since" value="7d"/);
  assert.match(filtered.text, new RegExp(`name="task" value="${TASKS.watch}"`));
});

Deno.test("the cost page draws the budget's lines from config.yaml", async () => {
  await using s = await scene();
  await Deno.writeTextFile(s.deps.paths.config, "budget:\n  daily_usd: 0.05\n  monthly_usd: 2\n");
  const { text } = await s.get("/cost");
  assert.match(svg(text, "cost-by-day"), /<g class="budget" data-budget="daily">/);
  assert.match(svg(text, "cost-by-month"), /<g class="budget" data-budget="monthly">/);
  assert.match(text, /Budget: \$0\.05 a day, \$2\.00 a month\./);
  // A month over its budget is marked.
  const view = await readCost(s.deps, { since: null, task: null });
  const over = view.by_month.filter((r) => r.cost_usd > 2).length;
  assert.equal(svg(text, "cost-by-month").match(/class="bar over"/g)?.length ?? 0, over);
});

Deno.test("the cost page's empty state, and a bad since as a clear 400", async () => {
  await using s = await scene({ days: 3 });
  const none = await s.get("/cost?task=no-such-task");
  assert.equal(none.status, 200);
  assert.match(none.text, /No cost recorded for task no-such-task yet\./);
  assert.doesNotMatch(none.text, /<svg/);
  const bad = await s.get("/cost?since=whenever");
  assert.equal(bad.status, 400);
  assert.match(bad.text, /data-testid="cost-error">[^<]*since/);
  assert.match(bad.text, /data-testid="cost-filters"/);
});

Deno.test("niceTicks() gives round steps up to the largest value", () => {
  assert.deepEqual(niceTicks(0), [0, 1]);
  assert.deepEqual(niceTicks(0.04), [0, 0.01, 0.02, 0.03, 0.04]);
  assert.deepEqual(niceTicks(0.07), [0, 0.02, 0.04, 0.06, 0.08]);
  assert.deepEqual(niceTicks(5), [0, 2, 4, 6]);
  assert.deepEqual(niceTicks(130), [0, 50, 100, 150]);
  for (const max of [0.0003, 0.9, 3.3, 17, 999]) {
    const ticks = niceTicks(max);
    assert.ok((ticks.at(-1) as number) >= max, `${max}: ${ticks}`);
    assert.ok(ticks.length <= 7, `${max}: ${ticks}`);
  }
});

Deno.test("labelledSlots() labels the first, the last and a few between", () => {
  assert.deepEqual(labelledSlots(0), []);
  assert.deepEqual(labelledSlots(3), [0, 1, 2]);
  assert.deepEqual(labelledSlots(30), [0, 6, 12, 17, 23, 29]);
});

Deno.test("calendar arithmetic on day and month keys", () => {
  assert.equal(addDays("2026-03-01", -1), "2026-02-28");
  assert.equal(addDays("2024-12-31", 1), "2025-01-01");
  assert.equal(daysBetween("2026-10-20", "2026-11-20"), 31);
  assert.equal(monthsBetween("2025-11", "2026-02"), 3);
  assert.equal(addMonths("2025-11", 3), "2026-02");
  assert.equal(addMonths("2026-01", -1), "2025-12");
});

Deno.test("barChart() escapes its text and places bars by slot", () => {
  const markup = barChart({
    testid: "t",
    label: "<b>",
    slots: 4,
    bars: [
      { key: "a", slot: 0, value: 1, title: "<script>x</script>" },
      { key: "b", slot: 3, value: 2, title: "b", over: true },
    ],
    lines: [{ name: "daily", value: 1.5, label: "limit <1.5>" }],
    formatValue: (v) => `$${v}`,
    slotLabel: (s) => `<${s}>`,
  }).text;
  assert.doesNotMatch(markup, /<script|<b>|<0>/);
  assert.match(markup, /&lt;script&gt;x&lt;\/script&gt;/);
  assert.deepEqual(barKeys(markup), ["a", "b"]);
  assert.match(markup, /class="bar over" data-bar="" data-key="b"/);
  const xs = [...markup.matchAll(/data-value="[^"]*"\s+x="([0-9.]+)"/g)].map((m) => Number(m[1]));
  assert.ok((xs[1] as number) > (xs[0] as number), "the later slot stands further right");
  assert.match(markup, /data-budget="daily"/);
});
