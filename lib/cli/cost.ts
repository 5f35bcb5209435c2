/**
 * @module
 * `clodputer cost [--since <when>] [--task <t>] [--json]`: what runs cost, by task, by day and
 * by month (the model: lib/status/cost.ts).
 */

import { type CostRow, type CostView, parseSince, readCost } from "../status/cost.ts";
import type { Colors } from "../ui/color.ts";
import { costPlaces, formatCost } from "../ui/duration.ts";
import { table } from "../ui/table.ts";
import type { Deps } from "./deps.ts";

function tallyTable(first: string, list: CostRow[], places: 2 | 4): string[] {
  return table(
    [first, "RUNS", "COST", "INPUT", "OUTPUT", "CACHE READ", "CACHE WRITE"],
    list.map((r) => [
      r.key,
      String(r.runs),
      formatCost(r.cost_usd, places),
      String(r.tokens.input),
      String(r.tokens.output),
      String(r.tokens.cache_read),
      String(r.tokens.cache_creation),
    ]),
  ).map((l) => `  ${l}`);
}

/** Renders the view for a person. Pure. */
export function renderCost(view: CostView, c: Colors): string[] {
  const scope = [
    view.since === null ? "" : ` since ${view.since}`,
    view.task === null ? "" : ` for task ${view.task}`,
  ].join("");
  if (view.total.runs === 0) {
    return [`No cost recorded${scope} yet.`];
  }
  const t = view.total;
  // The total and every row round alike, so the rows add up to what the total says.
  const places = costPlaces(
    [t, ...view.by_task, ...view.by_day, ...view.by_month].map((r) => r.cost_usd),
  );
  const lines = [
    c.bold(
      `Cost${scope}: ${formatCost(t.cost_usd, places)} over ${t.runs} run${
        t.runs === 1 ? "" : "s"
      }`,
    ),
    `tokens: ${t.tokens.input} input, ${t.tokens.output} output, ${t.tokens.cache_read} cache read, ` +
    `${t.tokens.cache_creation} cache write`,
    "",
    "by task:",
    ...tallyTable("TASK", view.by_task, places),
    "",
    "by day:",
    ...tallyTable("DAY", view.by_day, places),
    "",
    "by month:",
    ...tallyTable("MONTH", view.by_month, places),
  ];
  return lines;
}

/** `cost`. */
export async function costCommand(
  deps: Deps,
  options: { since?: string | undefined; task?: string | undefined; json: boolean },
): Promise<number> {
  const since = options.since === undefined ? null : parseSince(options.since, deps.clock.now());
  const view = await readCost(deps, { since, task: options.task ?? null });
  if (options.json) deps.out.json(view);
  else for (const line of renderCost(view, deps.out.color)) deps.out.line(line);
  return 0;
}
