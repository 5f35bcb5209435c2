/**
 * @module
 * The cost ledger's keys: `["cost_day", day, task]` and `["cost_month", month, task]` (tallies),
 * `["ledger","ready"]` (built from the summaries kept), `["ledger","dirty"]` (a run finished
 * while it was not), `["budget_notified", period]` (the period whose spent budget was told), and
 * each task's outcomes per local day, `["run_day", task, day]` (the web dashboard's calendar;
 * built from the summaries kept once, `["ledger","days_ready"]`, `["ledger","days_dirty"]`). Like
 * the cost tallies, the outcomes outlive pruned summaries. The tallies (pure) are in
 * lib/state/ledger.ts.
 */

import { LockError } from "../../errors.ts";
import {
  addOutcomes,
  addTally,
  dayOf,
  type DayOutcomes,
  emptyOutcomes,
  emptyTally,
  monthOf,
  outcomesOf,
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

/** A family of tallies built once from the summaries kept, then kept by each finish. */
interface TallyFamily<T> {
  what: string;
  ready: Deno.KvKey;
  dirty: Deno.KvKey;
  /** The keys and tallies one run adds to. */
  tallies(run: RunSummary): { key: Deno.KvKey; tally: T }[];
  add(a: T, b: T): T;
}

const COSTS: TallyFamily<Tally> = {
  what: "the cost ledger",
  ready: ["ledger", "ready"],
  dirty: ["ledger", "dirty"],
  tallies(run) {
    const tally = tallyOf(run);
    if (!tally) return [];
    const day = dayOf(run.started_at);
    return [
      { key: ["cost_day", day, run.task], tally },
      { key: ["cost_month", monthOf(day), run.task], tally },
    ];
  },
  add: addTally,
};

const DAYS: TallyFamily<DayOutcomes> = {
  what: "the runs by day",
  ready: ["ledger", "days_ready"],
  dirty: ["ledger", "days_dirty"],
  tallies(run) {
    const tally = outcomesOf(run);
    return tally ? [{ key: runDayKey(run.task, dayOf(run.started_at)), tally }] : [];
  },
  add: addOutcomes,
};

/** The key of `task`'s outcomes on local `day` (`YYYY-MM-DD`). */
export function runDayKey(task: string, day: string): Deno.KvKey {
  return ["run_day", task, day];
}

/**
 * Builds a family of tallies from the run summaries kept, once (a store from before it, or a
 * new one). Each batch is checked against the family's state, so a run finished meanwhile
 * makes it start over instead of being missed or counted twice.
 */
async function buildOnce<T>(core: KvCore, family: TallyFamily<T>): Promise<void> {
  for (let i = 0; i < CONFLICT_RETRIES; i++) {
    const [ready, dirty] = await core.retry(
      `read ${family.what}`,
      () => core.kv.getMany<[number, string]>([family.ready, family.dirty]),
    );
    if (ready.value !== null) return;
    const tallies = new Map<string, { key: Deno.KvKey; tally: T }>();
    for (const run of await runs(core)) {
      for (const { key, tally } of family.tallies(run)) {
        const id = JSON.stringify(key);
        const before = tallies.get(id)?.tally;
        tallies.set(id, { key, tally: before === undefined ? tally : family.add(before, tally) });
      }
    }
    const all = [...tallies.values()];
    let ok = true;
    for (let b = 0; ok && b < all.length; b += LEDGER_BATCH) {
      const op = core.kv.atomic().check(ready, dirty);
      for (const t of all.slice(b, b + LEDGER_BATCH)) op.set(t.key, t.tally);
      ok = (await core.retry(`build ${family.what}`, () => op.commit())).ok;
    }
    if (
      ok && (await core.retry(
        `build ${family.what}`,
        () => core.kv.atomic().check(ready, dirty).set(family.ready, 1).commit(),
      )).ok
    ) return;
    await core.backoff(i);
  }
  throw new LockError(`Cannot build ${family.what}: too many concurrent changes`, {
    hint: "try again; if it keeps happening, run clodputer doctor",
  });
}

/** Builds the cost ledger from the run summaries kept, once: see buildOnce. */
export function ledgerReady(core: KvCore): Promise<void> {
  return buildOnce(core, COSTS);
}

/** Builds each task's outcomes per day from the run summaries kept, once: see buildOnce. */
export function daysReady(core: KvCore): Promise<void> {
  return buildOnce(core, DAYS);
}

/**
 * Adds `summary`'s outcome to its task's day in `op` (checked, as addToLedger). False when the
 * days are not built yet: the run is left to the build, which `op` tells to start over.
 */
export async function addToDays(
  core: KvCore,
  op: Deno.AtomicOperation,
  summary: RunSummary,
): Promise<boolean> {
  const [ready, before] = await core.kv.getMany<[number, RunSummary]>([
    DAYS.ready,
    runKey(summary.id),
  ]);
  op.check(ready, before);
  if (ready.value === null) {
    op.set(DAYS.dirty, summary.id);
    return false;
  }
  const [add] = DAYS.tallies(summary);
  if (add === undefined || before.value !== null) return true;
  const day = await core.kv.get<DayOutcomes>(add.key);
  op.check(day).set(add.key, addOutcomes(day.value ?? emptyOutcomes(), add.tally));
  return true;
}

/** A task's outcomes on one local day. */
export interface DayRow extends DayOutcomes {
  /** `YYYY-MM-DD`. */
  day: string;
}

/** `task`'s outcomes per local day from `from` (`YYYY-MM-DD`, included) on; days without runs left out. */
export async function taskDays(
  core: KvCore,
  task: string,
  options: { from: string },
): Promise<DayRow[]> {
  await daysReady(core);
  const entries = await core.retry(
    "read the runs by day",
    () =>
      Array.fromAsync(core.kv.list<DayOutcomes>({
        prefix: ["run_day", task],
        start: runDayKey(task, options.from),
      })),
  );
  return entries.map((e) => ({ ...emptyOutcomes(), ...e.value, day: String(e.key[2]) }));
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
