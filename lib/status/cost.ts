/**
 * @module
 * What runs cost, by task, by day and by month, read from the cost ledger's tallies (never from
 * every run): the model `cost`, `cost --json` and the web dashboard's cost page show.
 */

import { parseWhen } from "../log/when.ts";
import {
  addTally,
  dayOf,
  emptyTally,
  monthOf,
  type Tally,
  type TallyRow,
  totalsBy,
} from "../state/ledger.ts";
import { openStore } from "../state/open.ts";
import type { Clock } from "../sys/clock.ts";
import type { Paths } from "../sys/paths.ts";

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
export function parseSince(text: string, nowMs: number, flag = "--since"): string {
  return dayOf(new Date(parseWhen(text, nowMs, { flag })).toISOString());
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
  // Without a since the month tallies say the same as the days, in fewer rows.
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

/** Reads the ledger and builds the view: since the day `since` (`YYYY-MM-DD`), of one task. */
export async function readCost(
  deps: { paths: Paths; clock: Clock },
  options: { since: string | null; task: string | null },
): Promise<CostView> {
  const { store } = await openStore(deps.paths, deps.clock);
  let days: TallyRow[];
  let months: TallyRow[];
  try {
    days = await store.costs("day", options.since === null ? {} : { from: options.since });
    months = options.since === null ? await store.costs("month") : [];
  } finally {
    store.close();
  }
  return costView(days, months, options);
}
