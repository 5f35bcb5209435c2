/**
 * @module
 * The cost ledger: tallies kept by Store.finish, the build from older stores, the budget decision.
 */

import assert from "node:assert/strict";
import { budgetDecision, dayOf, tokensOf, totalsBy } from "../../lib/state/ledger.ts";
import { checkBudget } from "../../lib/state/budget.ts";
import { Store } from "../../lib/state/store.ts";
import type { RunSummary } from "../../lib/state/types.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { parseResult } from "../../lib/run/stream.ts";
import { FakeClock, local } from "../fakes/clock.ts";

function run(
  id: string,
  task: string,
  started: string,
  cost: number | null,
  extra: Partial<RunSummary> = {},
): RunSummary {
  return {
    id,
    task,
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "manual" },
    enqueued_at: started,
    started_at: started,
    ended_at: started,
    duration_ms: 1,
    cost_usd: cost,
    session_id: null,
    tokens: { input: 10, output: 5, cache_read: 100, cache_creation: 1 },
    ...extra,
  };
}

Deno.test("finish() adds each run to its day's and month's tally by task, once", async () => {
  using store = await Store.open(":memory:", systemClock);
  await store.finish(run("1", "a", local("2026-11-30 10:00:00"), 0.25));
  await store.finish(run("2", "a", local("2026-12-01 10:00:00"), 0.5));
  await store.finish(run("3", "b", local("2026-12-01 11:00:00"), 0.125));
  await store.finish(run("3", "b", local("2026-12-01 11:00:00"), 0.125)); // the same run again
  await store.finish(run("4", "b", local("2026-12-01 12:00:00"), null));
  await store.finish(
    run("5", "b", local("2026-12-01 13:00:00"), null, {
      status: "skipped",
      outcome: { kind: "skipped", reason: "budget" },
      tokens: null,
    }),
  );
  const days = await store.costs("day");
  assert.deepEqual(
    days.map((d) => [d.period, d.task, d.runs, d.cost_usd, d.tokens.input]),
    [
      ["2026-11-30", "a", 1, 0.25, 10],
      ["2026-12-01", "a", 1, 0.5, 10],
      ["2026-12-01", "b", 2, 0.125, 20],
    ],
  );
  const months = await store.costs("month");
  assert.deepEqual(months.map((m) => [m.period, m.task, m.runs, m.cost_usd]), [
    ["2026-11", "a", 1, 0.25],
    ["2026-12", "a", 1, 0.5],
    ["2026-12", "b", 2, 0.125],
  ]);
  const today = await store.costs("day", { from: "2026-12-01", to: "2026-12-01" });
  assert.deepEqual(totalsBy(today, () => "all").map((t) => t.tally.cost_usd), [0.625]);
  assert.deepEqual(
    (await store.costs("day", { to: "2026-11-30" })).map((d) => d.period),
    ["2026-11-30"],
  );
});

Deno.test("costs() builds the ledger from summaries kept before it existed, counting each once", async () => {
  const kv = await Deno.openKv(":memory:");
  // Summaries as an earlier version kept them: no tokens, no ledger.
  const old = run("1", "a", local("2026-10-05 10:00:00"), 1.5, {});
  delete old.tokens;
  await kv.set(["run", "1"], old);
  await kv.set(["run", "2"], run("2", "a", local("2026-10-05 11:00:00"), 0.5));
  using store = new Store(kv, systemClock);
  // The first run finished after the upgrade builds the ledger, then counts itself.
  await store.finish(run("3", "a", local("2026-10-06 09:00:00"), 2));
  assert.deepEqual(
    (await store.costs("day")).map((d) => [d.period, d.runs, d.cost_usd]),
    [["2026-10-05", 2, 2], ["2026-10-06", 1, 2]],
  );
  assert.deepEqual((await store.costs("month")).map((d) => [d.period, d.runs, d.cost_usd]), [
    ["2026-10", 3, 4],
  ]);
});

Deno.test("the ledger outlives pruned runs", async () => {
  using store = await Store.open(":memory:", systemClock);
  await store.finish(run("1", "a", local("2026-10-05 10:00:00"), 1));
  await store.finish(run("2", "a", local("2026-12-01 10:00:00"), 1));
  await store.prune({ keep: 1, before: local("2026-01-01 00:00:00") });
  assert.equal((await store.runs()).length, 1);
  assert.deepEqual((await store.costs("month")).map((m) => m.period), ["2026-10", "2026-12"]);
});

Deno.test("raiseBudget() is true once per period key", async () => {
  using store = await Store.open(":memory:", systemClock);
  assert.equal(await store.raiseBudget("daily", "2026-12-01"), true);
  assert.equal(await store.raiseBudget("daily", "2026-12-01"), false);
  assert.equal(await store.raiseBudget("monthly", "2026-12"), true);
  assert.equal(await store.raiseBudget("daily", "2026-12-02"), true);
});

Deno.test("tokensOf() reads claude's usage", () => {
  const result = parseResult({
    type: "result",
    usage: {
      input_tokens: 12,
      output_tokens: 7,
      cache_read_input_tokens: 3,
      cache_creation_input_tokens: 2,
    },
  });
  assert.deepEqual(tokensOf(result), { input: 12, output: 7, cache_read: 3, cache_creation: 2 });
  assert.equal(tokensOf(null), null);
});

Deno.test("dayOf() counts a run on its local day", () => {
  // The day of the machine's zone: the clock-shifted CI pass runs this in Pacific/Chatham.
  assert.equal(dayOf(local("2026-12-01 23:59:59")), "2026-12-01");
  assert.equal(dayOf(local("2026-12-02 00:00:00")), "2026-12-02");
});

Deno.test("budgetDecision() stops a run once the day's or the month's limit is reached", () => {
  const cases: {
    budget: { daily_usd?: number; monthly_usd?: number } | undefined;
    day: number;
    month: number;
    want: string;
  }[] = [
    { budget: undefined, day: 100, month: 100, want: "ok" },
    { budget: { daily_usd: 1 }, day: 0.99, month: 50, want: "ok" },
    { budget: { daily_usd: 1 }, day: 1, month: 1, want: "daily 2026-12-01" },
    { budget: { monthly_usd: 10 }, day: 0, month: 10.5, want: "monthly 2026-12" },
    { budget: { daily_usd: 5, monthly_usd: 10 }, day: 6, month: 11, want: "daily 2026-12-01" },
    { budget: { daily_usd: 5, monthly_usd: 10 }, day: 1, month: 11, want: "monthly 2026-12" },
  ];
  for (const c of cases) {
    const d = budgetDecision(c.budget, { day: "2026-12-01", day_usd: c.day, month_usd: c.month });
    assert.equal(d.ok ? "ok" : `${d.period} ${d.key}`, c.want, JSON.stringify(c));
  }
  const spent = budgetDecision({ daily_usd: 1 }, {
    day: "2026-12-01",
    day_usd: 1.25,
    month_usd: 1.25,
  });
  assert.ok(!spent.ok);
  assert.equal(
    spent.reason,
    "the daily budget is spent: $1.25 of $1 on 2026-12-01 (budget.daily_usd in config.yaml)",
  );
});

Deno.test("checkBudget() reads today's and this month's tallies at the clock's time", async () => {
  const clock = new FakeClock(Date.parse(local("2026-11-29 20:00:00")));
  using store = await Store.open(":memory:", clock);
  await store.finish(run("1", "a", local("2026-11-02 10:00:00"), 6));
  await store.finish(run("2", "b", local("2026-11-29 10:00:00"), 3));
  await store.finish(run("3", "a", local("2026-11-29 11:00:00"), 2));
  const budget = { daily_usd: 5, monthly_usd: 20 };
  const today = await checkBudget(store, budget, clock.now());
  assert.ok(!today.ok);
  assert.deepEqual([today.period, today.key, today.spent_usd], ["daily", "2026-11-29", 5]);

  await clock.advance(86_400_000); // the next day: the daily budget is fresh, the month has $11
  assert.deepEqual(await checkBudget(store, budget, clock.now()), { ok: true });
  const tight = await checkBudget(store, { monthly_usd: 11 }, clock.now());
  assert.ok(!tight.ok);
  assert.deepEqual([tight.period, tight.key, tight.spent_usd], ["monthly", "2026-11", 11]);

  await clock.advance(86_400_000); // December: a new month
  assert.deepEqual(await checkBudget(store, { monthly_usd: 11 }, clock.now()), { ok: true });
  assert.deepEqual(await checkBudget(store, undefined, clock.now()), { ok: true });
});
