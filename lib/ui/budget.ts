/**
 * @module
 * The words for the global budget and what is spent against it, shared by `status` and the menu
 * bar. Pure.
 */

import type { BudgetSpent } from "../status/budget_limits.ts";
import { formatCost } from "./duration.ts";

/** "$0.40 of $5 today · $3.10 of $100 this month" (the limits that are set). */
export function describeBudget(budget: BudgetSpent): string {
  const parts: string[] = [];
  if (budget.daily_usd !== null) {
    parts.push(`${formatCost(budget.today_usd)} of ${formatCost(budget.daily_usd)} today`);
  }
  if (budget.monthly_usd !== null) {
    parts.push(`${formatCost(budget.month_usd)} of ${formatCost(budget.monthly_usd)} this month`);
  }
  return parts.join(" · ");
}
