/**
 * @module
 * The cost ledger and budgets end to end: `cost` tables and JSON from real runs of the stand-in
 * claude (each `hi` run costs $0.000188, 12 input and 7 output tokens), status's today cost, a
 * run skipped for the global budget (record, events, one notification per period), and a run
 * stopped for its max_cost_usd.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { logEvents, pidAlive, pidsIn, runCli, tempHome } from "./cli.ts";

function taskYaml(name: string, extra = ""): string {
  return `name: ${name}\ntask:\n  prompt: "run ${name}"\n  timeout: 60\n${extra}`;
}

Deno.test("cost shows totals by task, day and month; --task, --since and --json; status today's", async () => {
  await using home = await tempHome();
  // One clock for the whole test: a fake "now" half a day from midnight in UTC (and at least half
  // an hour from it in any zone), so "today" and "by day" hold however long the test takes.
  const env = { CLODPUTER_FAKE_TIME: "2026-11-26T12:30:00Z" };
  await home.writeTask("a", taskYaml("a"));
  await home.writeTask("b", taskYaml("b"));
  for (const task of ["a", "a", "b"]) {
    const r = await runCli(home, ["run", task], { env });
    assert.equal(r.code, 0, r.stderr);
  }

  const text = await runCli(home, ["cost"], { env });
  assert.equal(text.code, 0, text.stderr);
  assert.equal(text.stderr, "");
  const lines = text.stdout.split("\n");
  assert.equal(lines[0], "Cost: $0.0006 over 3 runs");
  assert.equal(lines[1], "tokens: 36 input, 21 output, 0 cache read, 0 cache write");
  assert.match(
    text.stdout,
    /^by task:\n {2}TASK +RUNS +COST +INPUT +OUTPUT +CACHE READ +CACHE WRITE$/m,
  );
  assert.match(text.stdout, /^ {2}a +2 +\$0\.0004 +24 +14 +0 +0$/m);
  assert.match(text.stdout, /^ {2}b +1 +\$0\.0002 +12 +7 +0 +0$/m);
  assert.match(text.stdout, /^by day:\n {2}DAY .*\n {2}\d{4}-\d{2}-\d{2} +3 +\$0\.0006 +36 +21/m);
  assert.match(text.stdout, /^by month:\n {2}MONTH .*\n {2}\d{4}-\d{2} +3 +\$0\.0006 +36 +21/m);

  const json = JSON.parse((await runCli(home, ["cost", "--json"], { env })).stdout);
  assert.equal(json.total.runs, 3);
  assert.equal(json.total.cost_usd, 0.000564);
  assert.deepEqual(json.by_task.map((t: { key: string; runs: number }) => [t.key, t.runs]), [
    ["a", 2],
    ["b", 1],
  ]);

  const onlyB = JSON.parse(
    (await runCli(home, ["cost", "--task", "b", "--since", "7d", "--json"], { env })).stdout,
  );
  assert.equal(onlyB.task, "b");
  assert.match(onlyB.since, /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(onlyB.total.cost_usd, 0.000188);
  assert.equal(onlyB.by_day.length, 1);

  const future = await runCli(home, ["cost", "--since", "2999-01-01"], { env });
  assert.equal(future.stdout, "No cost recorded since 2999-01-01 yet.\n");

  // --since takes the forms of logs too, read in the local zone: 2h before 12:30 UTC is
  // 02:15 on the 27th in Chatham (UTC+13:45), 11:30 on the 26th in Paris.
  const zones: [string, string][] = [["Pacific/Chatham", "2026-11-27"], [
    "Europe/Paris",
    "2026-11-26",
  ]];
  for (const [tz, day] of zones) {
    for (const since of ["2h", "today", `${day} 00:30`]) {
      const r = await runCli(home, ["cost", "--since", since, "--json"], {
        env: { ...env, TZ: tz },
      });
      assert.equal(r.code, 0, `${since} in ${tz}: ${r.stderr}`);
      assert.equal(JSON.parse(r.stdout).since, day, `${since} in ${tz}`);
    }
  }

  const bad = await runCli(home, ["cost", "--since", "last week"], { env });
  assert.equal(bad.code, 2);
  assert.match(
    bad.stderr,
    /Cannot read the --since value "last week": expected a duration ago \(90s, 15m, 2h, 3d, 1w\), today, yesterday, a date \(2026-12-01\), a date and time \(2026-12-01 08:00\)/,
  );

  const status = JSON.parse((await runCli(home, ["status", "--json"], { env })).stdout);
  assert.equal(status.today.cost_usd, 0.000564);
  const shown = await runCli(home, ["status"], { env });
  assert.match(shown.stdout, /^today: {4}3 succeeded, 0 failed · \$0\.0006 /m);

  // The run summaries keep tokens and modelUsage.
  const run = status.recent[0];
  assert.deepEqual(run.tokens, { input: 12, output: 7, cache_read: 0, cache_creation: 0 });
  assert.equal(run.model_usage["claude-opus-5-5"].costUSD, 0.000188);
});

Deno.test("a run that would start over the global budget is skipped, recorded and notified once per period", async () => {
  await using home = await tempHome();
  await home.writeTask("a", taskYaml("a"));
  const notes = join(home.root, "notes");
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    `budget:\n  daily_usd: 0.0001\nnotify:\n  command: ["sh", "-c", "cat >> ${notes}"]\n`,
  );
  const first = await runCli(home, ["run", "a", "--wait"]);
  assert.equal(first.code, 0, first.stderr);

  const second = await runCli(home, ["run", "a", "--wait"]);
  assert.equal(second.code, 1);
  assert.match(
    second.stdout,
    /a skipped: the daily budget is spent: \$0\.000188 of \$0\.0001 on \d{4}-\d{2}-\d{2} \(budget\.daily_usd in config\.yaml\)/,
  );
  const third = await runCli(home, ["run", "a", "--wait"]);
  assert.equal(third.code, 1);

  const events = await logEvents(home);
  const exceeded = events.filter((e) => e.event === "budget_exceeded");
  assert.equal(exceeded.length, 2);
  assert.deepEqual(exceeded.map((e) => [e.period, e.limit_usd, e.spent_usd, e.notify]), [
    ["daily", 0.0001, 0.000188, true],
    ["daily", 0.0001, 0.000188, false],
  ]);
  assert.equal(events.filter((e) => e.event === "task_skipped").length, 2);
  assert.equal(events.filter((e) => e.event === "task_started").length, 1, "only the first ran");

  // One notification for the day, whatever the task's policy (manual runs are not notified).
  const sent = (await Deno.readTextFile(notes)).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(sent.length, 1);
  assert.equal(sent[0].status, "skipped");

  const status = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.deepEqual(status.recent.map((r: { status: string }) => r.status), [
    "skipped",
    "skipped",
    "succeeded",
  ]);
  assert.equal(status.recent[0].outcome.kind, "skipped");
  assert.equal(status.today.skipped, 2);
  assert.equal(status.attention, null, "a budget skip is not a failure to acknowledge");
  assert.deepEqual(status.budget, {
    daily_usd: 0.0001,
    monthly_usd: null,
    today_usd: 0.000188,
    month_usd: 0.000188,
  });
  const shown = await runCli(home, ["status"]);
  assert.match(shown.stdout, /^today: {4}1 succeeded, 0 failed, 2 skipped · /m);
  assert.match(shown.stdout, /^budget: {3}\$0\.0002 of \$0\.0001 today$/m);

  const logs = await runCli(home, ["logs", "--status", "skipped"]);
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(logs.stdout, /⊘ a skipped: the daily budget is spent/);

  const show = await runCli(home, ["show", status.recent[0].id]);
  assert.match(show.stdout, /a skipped: the daily budget is spent/);
  // Skipped runs cost nothing and are not counted as runs.
  const cost = JSON.parse((await runCli(home, ["cost", "--json"])).stdout);
  assert.equal(cost.total.runs, 1);
});

Deno.test("status shows the budget as config.yaml says it now: none, a change, a broken file", async () => {
  await using home = await tempHome();
  const config = join(home.clodputerHome, "config.yaml");
  const budgetOf = async () => JSON.parse((await runCli(home, ["status", "--json"])).stdout).budget;
  assert.equal(await budgetOf(), null, "no config.yaml");
  await Deno.writeTextFile(config, "grace_period: 5\n");
  assert.equal(await budgetOf(), null, "no budget: set");
  await Deno.writeTextFile(config, "budget:\n  daily_usd: 5\n");
  assert.deepEqual(await budgetOf(), {
    daily_usd: 5,
    monthly_usd: null,
    today_usd: 0,
    month_usd: 0,
  });
  assert.deepEqual(await budgetOf(), {
    daily_usd: 5,
    monthly_usd: null,
    today_usd: 0,
    month_usd: 0,
  }, "again, from the cache");
  // An edit (the stamp changes even within the same second: size and ctime) is read again.
  await Deno.writeTextFile(config, "budget:\n  daily_usd: 5\n  monthly_usd: 100\n");
  assert.equal((await budgetOf()).monthly_usd, 100);
  const shown = await runCli(home, ["status"]);
  assert.match(shown.stdout, /^budget: {3}\$0 of \$5\.00 today · \$0 of \$100\.00 this month$/m);
  await Deno.writeTextFile(config, "budget:\n  daily_usd: -1\n");
  const broken = await runCli(home, ["status", "--json"]);
  assert.equal(broken.code, 0, "status still answers");
  assert.equal(JSON.parse(broken.stdout).budget, null);
});

Deno.test("budget: in config.yaml is checked: a bad value is a clear error", async () => {
  await using home = await tempHome();
  await home.writeTask("a", taskYaml("a"));
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "budget:\n  daily_usd: -1\n");
  const r = await runCli(home, ["run", "a"]);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /config\.yaml:2:\d+/);
  assert.match(r.stderr, /daily_usd/);
});

Deno.test("max_cost_usd goes to claude as --max-budget-usd; claude's own stop is recorded as over_budget", async () => {
  await using home = await tempHome();
  await home.writeTask("pricey", taskYaml("pricey", "  max_cost_usd: 0.0001\n"));
  const log = join(home.root, "argv");
  const r = await runCli(home, ["run", "pricey", "--now"], {
    env: { FAKE_CLAUDE_SCENARIO: "error-max-budget", FAKE_CLAUDE_LOG: log },
  });
  assert.equal(r.code, 1);
  const argv = (await Deno.readTextFile(log)).split("\0");
  assert.deepEqual(
    argv.slice(argv.indexOf("--max-budget-usd"), argv.indexOf("--max-budget-usd") + 2),
    [
      "--max-budget-usd",
      "0.0001",
    ],
  );
  assert.match(r.stdout, /pricey stopped over budget: Reached maximum budget \(\$1e-7\)/);
  const record = JSON.parse((await runCli(home, ["show", "pricey", "--json"])).stdout);
  assert.equal(record.status, "over_budget");
  assert.deepEqual(record.outcome, {
    kind: "over_budget",
    message: "Reached maximum budget ($1e-7)",
    cost_usd: 0.00028000000000000003,
  });
  const events = await logEvents(home);
  assert.equal(events.filter((e) => e.event === "task_over_budget").length, 1);
  // What it cost is in the ledger like any run's.
  const cost = JSON.parse((await runCli(home, ["cost", "--json"])).stdout);
  assert.equal(cost.total.cost_usd, 0.00028);
});

Deno.test("a claude that goes on past max_cost_usd is stopped by Clodputer with the full cleanup", async () => {
  await using home = await tempHome();
  await home.writeTask("pricey", taskYaml("pricey", "  max_cost_usd: 0.0001\n"));
  // background-task reports $0.000376 in its first result, then (held here) runs another turn.
  const r = await runCli(home, ["run", "pricey", "--now"], {
    env: {
      FAKE_CLAUDE_SCENARIO: "background-task",
      FAKE_CLAUDE_DELAY: "300",
      FAKE_CLAUDE_SPAWN: "child,escapee",
    },
  });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(
    r.stdout,
    /pricey stopped over budget: the run cost \$0\.000376 so far, over max_cost_usd \$0\.0001: Clodputer stopped it/,
  );
  const record = JSON.parse((await runCli(home, ["show", "pricey", "--json"])).stdout);
  assert.equal(record.status, "over_budget");
  assert.equal(record.outcome.cost_usd, 0.000376);
  const pids = await pidsIn(home.pidsFile);
  const alive = [...pids].filter(([, pid]) => pidAlive(pid));
  assert.deepEqual(alive, [], `left alive: ${JSON.stringify(alive)}`);
  const events = await logEvents(home);
  assert.deepEqual(events.filter((e) => e.event === "task_over_budget").map((e) => e.run_id), [
    record.id,
  ]);
  assert.equal(events.filter((e) => e.event === "cleanup").length, 1);
});
