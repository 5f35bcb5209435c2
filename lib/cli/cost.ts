/**
 * @module
 * `clodputer cost [--since <when>] [--task <t>] [--json]`: what runs cost, by task, by day and
 * by month, read from the ledger's tallies (never from every run).
 */

import { parseWhen } from "../log/when.ts";
import {
  addTally,
  emptyTally,
  monthOf,
  type Tally,
  type TallyRow,
  totalsBy,
} from "../state/ledger.ts";
import { openStore } from "../state/open.ts";
import type { Colors } from "../ui/color.ts";
import { costPlaces, formatCost, localDate } from "../ui/duration.ts";
import { table } from "../ui/table.ts";
import type { Deps } from "./deps.ts";

/** A tally and what it is of: a task, a day (`YYYY-MM-DD`) or a month (`YYYY-MM`). */
export type CostRow = { key: string } & Tally;

/** Everything `cost` shows; also its `--json` form. */
export interface CostView {
  /** The first day counted (`YYYY-MM-DD`); null: since the ledger began. */
  since: string | null;
  /** The one task counted; null: every task. */
  task: string | null;
  total: Tally;
  by_task: CostRow[];
  by_day: CostRow[];
  by_month: CostRow[];
}

/**
 * The first day `--since` names: the local day its time falls on. It takes the forms every
 * `--since` takes (lib/log/when.ts): `2h`, `7d`, `today`, `2026-11-01`, `2026-11-01 08:00`, ISO.
 * @throws {UsageError} for anything else.
 */
export function parseSince(text: string, nowMs: number): string {
  return localDate(parseWhen(text, nowMs, { flag: "--since" }));
}

function rows(totals: { key: string; tally: Tally }[]): CostRow[] {
  return totals.map((t) => ({ key: t.key, ...t.tally }));
}

/** Builds the view from the ledger's tallies. Pure. */
export function costView(
  days: readonly TallyRow[],
  months: readonly TallyRow[],
  options: { since: string | null; task: string | null },
): CostView {
  const keep = (r: TallyRow) => options.task === null || r.task === options.task;
  const d = days.filter(keep);
  // Without --since the month tallies say the same as the days, in fewer rows.
  const m = options.since === null
    ? months.filter(keep)
    : d.map((r) => ({ ...r, period: monthOf(r.period) }));
  return {
    since: options.since,
    task: options.task,
    total: m.reduce<Tally>((sum, r) => addTally(sum, r), emptyTally()),
    by_task: rows(totalsBy(m, (r) => r.task)),
    by_day: rows(totalsBy(d, (r) => r.period)),
    by_month: rows(totalsBy(m, (r) => r.period)),
  };
}

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
  const { store } = await openStore(deps.paths, deps.clock);
  let days: TallyRow[];
  let months: TallyRow[];
  try {
    days = await store.costs("day", since === null ? {} : { from: since });
    months = since === null ? await store.costs("month") : [];
  } finally {
    store.close();
  }
  const view = costView(days, months, { since, task: options.task ?? null });
  if (options.json) deps.out.json(view);
  else for (const line of renderCost(view, deps.out.color)) deps.out.line(line);
  return 0;
}
