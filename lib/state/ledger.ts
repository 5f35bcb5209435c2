/**
 * @module
 * The cost ledger's arithmetic: a run's tokens and cost, the per-day and per-month tallies the
 * store keeps beside the run summaries, each task's outcomes per day (the web dashboard's
 * calendar), and the global budget decision. Pure.
 */

import type { ClaudeResult } from "../run/stream.ts";
import type { RunSummary, Tokens } from "./types.ts";

/** What the ledger adds up per day (or month) and task. */
export interface Tally {
  /** Runs that started (a run skipped for the budget is not counted). */
  runs: number;
  cost_usd: number;
  tokens: Tokens;
}

/** A tally with its day or month and task, as `cost` lists them. */
export interface TallyRow extends Tally {
  /** `YYYY-MM-DD` for a day, `YYYY-MM` for a month. */
  period: string;
  task: string;
}

/** A tally of nothing. */
export function emptyTally(): Tally {
  return {
    runs: 0,
    cost_usd: 0,
    tokens: { input: 0, output: 0, cache_read: 0, cache_creation: 0 },
  };
}

function count(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0;
}

/** The tokens of claude's result (zeros where it says nothing); null without a result. */
export function tokensOf(claude: ClaudeResult | null): Tokens | null {
  const u = claude?.usage;
  if (!u) return null;
  return {
    input: count(u.input_tokens),
    output: count(u.output_tokens),
    cache_read: count(u.cache_read_input_tokens),
    cache_creation: count(u.cache_creation_input_tokens),
  };
}

/** Cents rounding noise away: costs are kept to a millionth of a dollar. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

/** `a` plus `b`. */
export function addTally(a: Tally, b: Tally): Tally {
  return {
    runs: a.runs + b.runs,
    cost_usd: roundUsd(a.cost_usd + b.cost_usd),
    tokens: {
      input: a.tokens.input + b.tokens.input,
      output: a.tokens.output + b.tokens.output,
      cache_read: a.tokens.cache_read + b.tokens.cache_read,
      cache_creation: a.tokens.cache_creation + b.tokens.cache_creation,
    },
  };
}

/** What one finished run adds to the ledger; undefined for a run that never started. */
export function tallyOf(summary: RunSummary): Tally | undefined {
  if (summary.status === "skipped") return undefined;
  return {
    runs: 1,
    cost_usd: roundUsd(summary.cost_usd ?? 0),
    tokens: summary.tokens ?? emptyTally().tokens,
  };
}

/**
 * A task's runs on one day by outcome, as the ledger keeps them: `failed` is every run that ended
 * otherwise than succeeded, skipped or deferred (a deferred run is queued again: not counted).
 */
export interface DayOutcomes {
  succeeded: number;
  failed: number;
  skipped: number;
}

/** No runs on a day. */
export function emptyOutcomes(): DayOutcomes {
  return { succeeded: 0, failed: 0, skipped: 0 };
}

/** Which count a finished run adds to; undefined for a deferred run. */
export function outcomeOf(status: RunSummary["status"]): keyof DayOutcomes | undefined {
  switch (status) {
    case "succeeded":
      return "succeeded";
    case "skipped":
      return "skipped";
    case "deferred":
      return undefined;
    case "failed":
    case "timed_out":
    case "cancelled":
    case "lost":
    case "over_budget":
    case "auth_failed":
      return "failed";
  }
}

/** `a` plus `b`. */
export function addOutcomes(a: DayOutcomes, b: DayOutcomes): DayOutcomes {
  return {
    succeeded: a.succeeded + b.succeeded,
    failed: a.failed + b.failed,
    skipped: a.skipped + b.skipped,
  };
}

/** What one finished run adds to its day's outcomes; undefined for a deferred run. */
export function outcomesOf(summary: RunSummary): DayOutcomes | undefined {
  const kind = outcomeOf(summary.status);
  if (kind === undefined) return undefined;
  return { ...emptyOutcomes(), [kind]: 1 };
}

/** The local calendar day (`YYYY-MM-DD`) of an ISO instant: the day a run is counted on. */
export function dayOf(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The month (`YYYY-MM`) of a day. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

/** Adds up rows by one of their fields, in that field's order. */
export function totalsBy(
  rows: readonly TallyRow[],
  key: (row: TallyRow) => string,
): { key: string; tally: Tally }[] {
  const out = new Map<string, Tally>();
  for (const row of rows) out.set(key(row), addTally(out.get(key(row)) ?? emptyTally(), row));
  return [...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, tally]) => ({
    key: k,
    tally,
  }));
}

/** The global `budget:` of config.yaml. */
export interface Budget {
  daily_usd?: number | undefined;
  monthly_usd?: number | undefined;
}

/** Whether a run may start under the global budget. */
export type BudgetDecision =
  | { ok: true }
  | {
    ok: false;
    period: "daily" | "monthly";
    /** The day or month that is spent (`YYYY-MM-DD` or `YYYY-MM`). */
    key: string;
    limit_usd: number;
    spent_usd: number;
    reason: string;
  };

/**
 * Decides whether a run may start: not once the day's (or the month's) spending has reached its
 * limit. A run's cost is known only when it ends, so the run that crosses a limit finishes; the
 * next one is not started.
 */
export function budgetDecision(
  budget: Budget | undefined,
  spent: { day: string; day_usd: number; month_usd: number },
): BudgetDecision {
  const checks: ["daily" | "monthly", number | undefined, number, string][] = [
    ["daily", budget?.daily_usd, spent.day_usd, spent.day],
    ["monthly", budget?.monthly_usd, spent.month_usd, monthOf(spent.day)],
  ];
  for (const [period, limit, used, key] of checks) {
    if (limit !== undefined && used >= limit) {
      return {
        ok: false,
        period,
        key,
        limit_usd: limit,
        spent_usd: roundUsd(used),
        reason: `the ${period} budget is spent: $${roundUsd(used)} of $${limit} on ${key} ` +
          `(budget.${period === "daily" ? "daily_usd" : "monthly_usd"} in config.yaml)`,
      };
    }
  }
  return { ok: true };
}
