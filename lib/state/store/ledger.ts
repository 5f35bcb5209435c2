/**
 * @module
 * The cost ledger's keys: `["cost_day", day, task]` and `["cost_month", month, task]` (tallies),
 * `["ledger","ready"]` (built from the summaries kept), `["ledger","dirty"]` (a run finished
 * while it was not), and `["budget_notified", period]` (the period whose spent budget was told).
 * The tallies (pure) are in lib/state/ledger.ts.
 */

import { LockError } from "../../errors.ts";
import {
  addTally,
  dayOf,
  emptyTally,
  monthOf,
  type Tally,
  tallyOf,
  type TallyRow,
} from "../ledger.ts";
import type { RunSummary } from "../types.ts";
import { CONFLICT_RETRIES, type KvCore } from "./core.ts";
import { runKey, runs } from "./runs.ts";

/** Tallies written per atomic step when the ledger is built from the summaries kept. */
const LEDGER_BATCH = 400;

/**
 * Adds `summary`'s tally to `op` (checked, so the step fails if another run changed them).
 * A run kept before is not counted again. False when the ledger is not built yet: then the
 * run is left to the build, which `op` tells it to start over.
 */
export async function addToLedger(
  core: KvCore,
  op: Deno.AtomicOperation,
  summary: RunSummary,
): Promise<boolean> {
  const tally = tallyOf(summary);
  const day = dayOf(summary.started_at);
  const [ready, before, byDay, byMonth] = await core.kv.getMany<
    [number, RunSummary, Tally, Tally]
  >([
    ["ledger", "ready"],
    runKey(summary.id),
    ["cost_day", day, summary.task],
    ["cost_month", monthOf(day), summary.task],
  ]);
  op.check(ready, before);
  if (ready.value === null) {
    op.set(["ledger", "dirty"], summary.id);
    return false;
  }
  if (tally === undefined || before.value !== null) return true;
  op.check(byDay, byMonth)
    .set(byDay.key, addTally(byDay.value ?? emptyTally(), tally))
    .set(byMonth.key, addTally(byMonth.value ?? emptyTally(), tally));
  return true;
}

/**
 * Builds the ledger from the run summaries kept, once (a store from before the ledger, or a
 * new one). Each batch is checked against the ledger's state, so a run finished meanwhile
 * makes it start over instead of being missed or counted twice.
 */
export async function ledgerReady(core: KvCore): Promise<void> {
  for (let i = 0; i < CONFLICT_RETRIES; i++) {
    const [ready, dirty] = await core.retry(
      "read the cost ledger",
      () => core.kv.getMany<[number, string]>([["ledger", "ready"], ["ledger", "dirty"]]),
    );
    if (ready.value !== null) return;
    const tallies = new Map<string, { key: Deno.KvKey; tally: Tally }>();
    for (const run of await runs(core)) {
      const tally = tallyOf(run);
      if (!tally) continue;
      const day = dayOf(run.started_at);
      for (const key of [["cost_day", day, run.task], ["cost_month", monthOf(day), run.task]]) {
        const id = JSON.stringify(key);
        tallies.set(id, { key, tally: addTally(tallies.get(id)?.tally ?? emptyTally(), tally) });
      }
    }
    const all = [...tallies.values()];
    let ok = true;
    for (let b = 0; ok && b < all.length; b += LEDGER_BATCH) {
      const op = core.kv.atomic().check(ready, dirty);
      for (const t of all.slice(b, b + LEDGER_BATCH)) op.set(t.key, t.tally);
      ok = (await core.retry("build the cost ledger", () => op.commit())).ok;
    }
    if (
      ok && (await core.retry(
        "build the cost ledger",
        () => core.kv.atomic().check(ready, dirty).set(["ledger", "ready"], 1).commit(),
      )).ok
    ) return;
    await core.backoff(i);
  }
  throw new LockError("Cannot build the cost ledger: too many concurrent changes", {
    hint: "try again; if it keeps happening, run clodputer doctor",
  });
}

/**
 * The ledger's tallies by day (`YYYY-MM-DD`) or month (`YYYY-MM`) and task, for the periods
 * from `from` to `to` (both included; either may be left open). Reads only the tallies.
 */
export async function costs(
  core: KvCore,
  by: "day" | "month",
  options: { from?: string | undefined; to?: string | undefined } = {},
): Promise<TallyRow[]> {
  await ledgerReady(core);
  const prefix = by === "day" ? "cost_day" : "cost_month";
  const entries = await core.retry(
    "read the cost ledger",
    () =>
      Array.fromAsync(core.kv.list<Tally>({
        start: [prefix, options.from ?? ""],
        end: [prefix, `${options.to ?? "\uffff"}\uffff`],
      })),
  );
  return entries.map((e) => ({ ...e.value, period: String(e.key[1]), task: String(e.key[2]) }));
}

/**
 * Records that the budget of `period` was found spent for `key` (a day or a month), unless it
 * already was: true for the one caller that should tell a person (once per period).
 */
export function raiseBudget(
  core: KvCore,
  period: "daily" | "monthly",
  key: string,
): Promise<boolean> {
  return core.transact(`record the ${period} budget`, async () => {
    const entry = await core.kv.get<string>(["budget_notified", period]);
    if (entry.value === key) return false;
    const res = await core.kv.atomic().check(entry).set(["budget_notified", period], key)
      .commit();
    return res.ok ? true : undefined;
  });
}
