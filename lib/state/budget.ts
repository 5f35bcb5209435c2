/**
 * @module
 * The global budget check the runner makes before it starts a queued item: today's and this
 * month's spending, read from the ledger's tallies, against config.yaml's `budget:`.
 */

import type { GlobalConfig } from "../config/types.ts";
import { type BudgetDecision, budgetDecision, dayOf, monthOf } from "./ledger.ts";
import type { Store } from "./store.ts";

/** Whether a run may start at `nowMs` under `budget` (always, when no limit is set). */
export async function checkBudget(
  store: Store,
  budget: GlobalConfig["budget"],
  nowMs: number,
): Promise<BudgetDecision> {
  if (budget?.daily_usd === undefined && budget?.monthly_usd === undefined) return { ok: true };
  const day = dayOf(new Date(nowMs).toISOString());
  const rows = await store.costs("day", { from: `${monthOf(day)}-01`, to: day });
  let dayUsd = 0;
  let monthUsd = 0;
  for (const row of rows) {
    monthUsd += row.cost_usd;
    if (row.period === day) dayUsd += row.cost_usd;
  }
  return budgetDecision(budget, { day, day_usd: dayUsd, month_usd: monthUsd });
}
