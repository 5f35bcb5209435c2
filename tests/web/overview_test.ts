/**
 * @module
 * The overview: the renderer (pure, from status views: idle, a new home, a busy one with hostile
 * text in outcome messages) and the page and its fragment served in-process from a seeded home,
 * with a run going on whose transcript gives the live progress.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { RunSummary } from "../../lib/state/types.ts";
import { Store } from "../../lib/state/store.ts";
import type { StatusView } from "../../lib/status/read.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import type { WebDeps } from "../../lib/web/context.ts";
import { outcomeClass, renderOverview } from "../../lib/web/pages/overview.ts";
import { handler } from "../../lib/web/server.ts";
import { APP_CSS, APP_JS } from "../../lib/web/assets.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeProc, proc } from "../fakes/proc.ts";
import { IDLE_STATUS } from "../fakes/status.ts";
import { HOSTILE, seedHome, TASKS } from "./fixture_home.ts";

const ESCAPED = HOSTILE.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
  .replaceAll('"', "&quot;");

/** The attributes of each `<tr data-run-id>`, in order. */
function runRows(page: string): { id: string; status: string }[] {
  return [...page.matchAll(/<tr data-run-id="([^"]+)" data-status="([^"]+)"/g)].map((m) => ({
    id: m[1] as string,
    status: m[2] as string,
  }));
}

function run(id: string, task: string, fields: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    task,
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "manual" },
    enqueued_at: "2026-11-25T08:00:00.000Z",
    started_at: "2026-11-25T08:00:00.000Z",
    ended_at: "2026-11-25T08:00:42.000Z",
    duration_ms: 42_000,
    cost_usd: 0.02,
    session_id: null,
    tokens: null,
    ...fields,
  } as RunSummary;
}

Deno.test("renderOverview() of an idle home: idle runner, empty queue, a Pause button, and what to do", () => {
  const page = renderOverview(IDLE_STATUS, { tasks: 0 }).text;
  assert.match(page, /data-testid="runner" data-state="idle"/);
  assert.match(page, /Nothing is running/);
  assert.match(page, /data-testid="queue"/);
  assert.match(
    page,
    /data-action="pause" data-post="\/api\/pause" data-body="\{&quot;for&quot;:&quot;1h&quot;\}"/,
  );
  assert.doesNotMatch(page, /data-action="resume"/, "nothing to resume");
  assert.doesNotMatch(page, /data-action="ack"/, "nothing to acknowledge");
  assert.match(page, /data-testid="recent"/);
  assert.deepEqual(runRows(page), []);
  assert.match(page, /No tasks yet\. Write one with <code>clodputer new &lt;name&gt;<\/code>/);
  assert.match(page, /None scheduled/);
  assert.match(page, /No budget set/);
  // A home with tasks that never ran says how to run one.
  const tasks = renderOverview(IDLE_STATUS, { tasks: 2 }).text;
  assert.match(tasks, /No runs yet\. .*<code>clodputer run &lt;task&gt;<\/code>/);
});

Deno.test("renderOverview() of a busy home: live progress, holds, failures to acknowledge, budget, schedule, last runs, hostile text escaped", () => {
  const view: StatusView = {
    ...IDLE_STATUS,
    runner: {
      state: "running",
      pid: 100,
      task: "daily-review",
      run_id: "20261125-100000-000001",
      elapsed_ms: 125_000,
      claude_pid: 101,
    },
    queue: {
      queued: 2,
      high: 1,
      paused: { since: "2026-11-25T09:00:00.000Z", until: null },
      hold: {
        kind: "usage_limit",
        since: "2026-11-25T09:00:00.000Z",
        until: "2026-11-25T13:00:00.000Z",
        reason: "limit reached",
        run_id: "r-held",
        task: "inbox",
      },
      waiting: [{
        id: "r-wait",
        task: "inbox",
        run_at: "2026-11-25T13:00:00.000Z",
        retry: "retry 1/3",
      }],
    },
    attention: {
      failed: 2,
      since: "2026-11-25T07:00:00.000Z",
      last: {
        id: "r-bad",
        task: "hostile",
        status: "failed",
        ended_at: "2026-11-25T07:01:00.000Z",
      },
    },
    overdue: [{
      task: "daily-review",
      slot: "2026-11-25T09:00:00.000Z",
      timezone: null,
      last_tick: null,
      message: `daily-review did not run at 09:00 ${HOSTILE}`,
    }],
    today: { date: "2026-11-25", succeeded: 3, failed: 1, skipped: 1, cost_usd: 0.07 },
    budget: { daily_usd: 5, monthly_usd: 100, today_usd: 0.07, month_usd: 3.1 },
    scheduler: {
      ...IDLE_STATUS.scheduler,
      backend: "crontab",
      scheduled: 1,
      next: [{ task: "daily-review", at: "2026-11-26T09:00:00.000Z", timezone: "Europe/Paris" }],
    },
    recent: [
      run("r-bad", "hostile", {
        status: "failed",
        outcome: { kind: "exit_error", code: 1, message: HOSTILE },
      }),
      run("r-skip", "inbox", {
        status: "skipped",
        outcome: { kind: "skipped", reason: "depends_on daily-review: it failed" },
        cost_usd: null,
      }),
      run("r-ok", "daily-review"),
    ],
  };
  const page = renderOverview(view, {
    live: {
      run_id: "20261125-100000-000001",
      turns: 3,
      activity: `Bash: ls ${HOSTILE}`,
      tokens_in: 12_400,
      tokens_out: 310,
      cost_usd: null,
    },
    queue: [{
      id: "r-next",
      task: "inbox",
      priority: "high",
      trigger: { type: "file_watch" },
      enqueued_at: "2026-11-25T09:30:00.000Z",
      seq: 1,
    }, {
      id: "r-wait",
      task: "inbox",
      priority: "normal",
      trigger: { type: "retry" },
      enqueued_at: "2026-11-25T09:30:00.000Z",
      seq: 2,
      run_at: "2026-11-25T13:00:00.000Z",
    }],
  }).text;
  // The runner and its live progress.
  assert.match(page, /data-testid="runner" data-state="running"/);
  assert.match(
    page,
    /<a href="\/tasks\/daily-review">daily-review<\/a> for <span data-testid="elapsed">2m05s<\/span>/,
  );
  assert.match(page, /<progress class="running"/);
  assert.match(page, /turn 3 · Bash: ls /);
  assert.match(page, /12\.4k in, 310 out/);
  assert.match(page, /not reported until the result/);
  assert.match(
    page,
    /data-action="cancel" data-post="\/api\/runs\/20261125-100000-000001\/cancel"/,
  );
  // The queue: counts, the pause (Resume, no Pause), the hold, the due item, the waiting one.
  assert.match(page, /2 queued \(1 high\)/);
  assert.match(page, /paused since .* until clodputer resume/);
  assert.match(page, /data-action="resume" data-post="\/api\/resume"/);
  assert.doesNotMatch(page, /data-action="pause"/);
  assert.match(page, /deferred by usage limit until/);
  assert.match(page, /<tr data-queue-id="r-next">/);
  assert.doesNotMatch(page, /<tr data-queue-id="r-wait">/, "a waiting item is listed as waiting");
  assert.match(page, /inbox<\/a>: retry 1\/3 at/);
  // Failed runs to acknowledge, overdue slots.
  assert.match(page, /2 runs failed since/);
  assert.match(page, /data-action="ack" data-post="\/api\/ack"/);
  assert.match(page, /data-testid="overdue"/);
  // Today and the budget against its limits.
  assert.match(page, /3 succeeded/);
  assert.match(page, /1 skipped/);
  assert.match(page, /\$0\.07 of \$5\.00 today/);
  assert.match(page, /\$3\.10 of \$100\.00 this month/);
  assert.match(page, /<meter min="0" max="5" value="0\.07"/);
  // The scheduler and its next run in its zone.
  assert.match(page, /data-testid="scheduler" class="">crontab, current/);
  assert.match(page, /2026-11-26 10:00:00 \(Europe\/Paris\)/);
  // The last runs: one row each, the outcome word with its class, links to the task and the run.
  assert.deepEqual(runRows(page), [
    { id: "r-bad", status: "failed" },
    { id: "r-skip", status: "skipped" },
    { id: "r-ok", status: "succeeded" },
  ]);
  assert.match(page, /<span class="badge fail" data-outcome="fail">failed<\/span>/);
  assert.match(page, /<span class="badge ok" data-outcome="ok">succeeded<\/span>/);
  assert.match(page, /<a class="mono" href="\/runs\/r-ok">r-ok<\/a>/);
  // Outside text is text.
  assert.ok(!page.includes("<script>"), "no script tag from outside text");
  assert.ok(!page.includes("<img"), "no img tag from outside text");
  assert.ok(page.includes(ESCAPED.slice(0, 40)), "the hostile text shows, escaped");
});

Deno.test("outcomeClass() marks success ok, runs not started skip, and the rest fail", () => {
  assert.equal(outcomeClass("succeeded"), "ok");
  assert.equal(outcomeClass("skipped"), "skip");
  assert.equal(outcomeClass("deferred"), "skip");
  for (
    const s of ["failed", "timed_out", "cancelled", "lost", "over_budget", "auth_failed"] as const
  ) {
    assert.equal(outcomeClass(s), "fail", s);
  }
});

const PORT = 7999;
const TOKEN = "test-token";
const RUNNER_PID = 4321;
const STARTED = "Wed Nov 25 01:00:00 2026";

function get(serve: (r: Request) => Promise<Response>, path: string, token = TOKEN) {
  return serve(
    new Request(`http://127.0.0.1:${PORT}${path}`, {
      headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${token}` },
    }),
  );
}

Deno.test("GET / and /fragments/overview serve a seeded home: the last runs, the running task's live progress", async () => {
  const home = await Deno.makeTempDir({ prefix: "clodputer-web-overview-" });
  try {
    const clock = new FakeClock(Date.UTC(2026, 10, 25, 15, 0, 0));
    const seeded = await seedHome(home, { nowMs: clock.now(), days: 30 });
    const paths = pathsUnder(home);
    // A run going on: the runner holds the lease and has taken a queued run of the daily task.
    const runId = "20261125-145900-0000ff";
    const now = new Date(clock.now()).toISOString();
    {
      using store = await Store.open(paths.state, clock);
      const lease = { pid: RUNNER_PID, started: STARTED, acquired_at: now, heartbeat_at: now };
      assert.ok(await store.acquireLease(lease, null), "lease taken");
      await store.enqueue(
        { id: runId, task: TASKS.daily, priority: "normal", trigger: { type: "manual" } },
        now,
      );
      assert.equal((await store.takeNext(lease, now))?.id, runId);
      await store.enqueue(
        {
          id: "20261125-150000-000100",
          task: TASKS.hostile,
          priority: "normal",
          trigger: { type: "manual" },
        },
        now,
      );
    }
    await Deno.mkdir(join(paths.runs, runId), { recursive: true });
    await Deno.copyFile(
      new URL("../fixtures/claude-samples/stream-json-bash-tool.jsonl", import.meta.url),
      join(paths.runs, runId, "stdout"),
    );
    await clock.advance(65_000);
    const deps: WebDeps = {
      clock,
      proc: new FakeProc([proc(RUNNER_PID, 1, { started: STARTED })]),
      env: envFrom({ HOME: home }),
      paths,
      os: "linux",
      selfPid: Deno.pid,
    };
    const serve = handler(deps, { port: PORT, token: TOKEN });

    const refused = await get(serve, "/", "wrong");
    assert.equal(refused.status, 401);
    await refused.body?.cancel();

    const res = await get(serve, "/");
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(
      page,
      /<div id="overview" data-live="\/fragments\/overview" data-live-on="run-started run-progress run-finished queue hold pause">/,
    );
    assert.match(page, /data-testid="runner" data-state="running"/);
    assert.match(page, /for <span data-testid="elapsed">1m05s<\/span>/);
    // The transcript's Bash call and its result are folded in, as the terminal dashboard does.
    assert.match(page, /data-testid="activity">turn \d+ · /);
    assert.match(page, /data-testid="live-cost">\$\d/);
    assert.match(page, /1 queued/);
    assert.match(page, /<tr data-queue-id="20261125-150000-000100">/);
    // The last ten runs, newest first, as `status` lists them.
    const newestTen = [...seeded.runs].sort((a, b) => (a.id < b.id ? 1 : -1)).slice(0, 10);
    const rows = runRows(page);
    assert.equal(rows.length, 10);
    assert.deepEqual(new Set(rows.map((r) => r.id)), new Set(newestTen.map((r) => r.id)));
    for (const r of rows) {
      assert.equal(r.status, seeded.runs.find((s) => s.id === r.id)?.status, r.id);
    }
    assert.ok(!page.includes("<script>window"), "hostile text never becomes a script");

    const fragment = await get(serve, "/fragments/overview");
    assert.equal(fragment.status, 200);
    const body = await fragment.text();
    assert.doesNotMatch(body, /<html/, "a fragment, not a page");
    assert.equal(runRows(body).length, 10);
    assert.match(body, /data-testid="runner" data-state="running"/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("GET / of a new home says how to write a first task", async () => {
  const home = await Deno.makeTempDir({ prefix: "clodputer-web-overview-" });
  try {
    const clock = new FakeClock(Date.UTC(2026, 10, 25, 15, 0, 0));
    const deps: WebDeps = {
      clock,
      proc: new FakeProc([]),
      env: envFrom({ HOME: home }),
      paths: pathsUnder(join(home, ".clodputer")),
      os: "linux",
      selfPid: Deno.pid,
    };
    const res = await get(handler(deps, { port: PORT, token: TOKEN }), "/");
    assert.equal(res.status, 200);
    const page = await res.text();
    assert.match(page, /No tasks yet\. Write one with <code>clodputer new &lt;name&gt;<\/code>/);
    assert.match(page, /data-testid="runner" data-state="idle"/);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("APP_JS parses, and puts only fetched fragments into innerHTML; APP_CSS is served with its type", async () => {
  // Syntax only: a module with no import or export parses as a function body.
  new Function(APP_JS);
  assert.deepEqual([...APP_JS.matchAll(/\.innerHTML\s*=\s*(\w+)/g)].map((m) => m[1]), ["text"]);
  assert.match(APP_JS, /data-post|dataset\.post/);
  assert.match(APP_CSS, /prefers-color-scheme: dark/);
  const home = await Deno.makeTempDir({ prefix: "clodputer-web-assets-" });
  try {
    const deps: WebDeps = {
      clock: new FakeClock(),
      proc: new FakeProc([]),
      env: envFrom({ HOME: home }),
      paths: pathsUnder(home),
      os: "linux",
      selfPid: Deno.pid,
    };
    const res = await get(handler(deps, { port: PORT, token: TOKEN }), "/assets/app.css");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/css; charset=utf-8");
    assert.equal(await res.text(), APP_CSS);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});
