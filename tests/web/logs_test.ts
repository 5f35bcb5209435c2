/**
 * @module
 * The Logs page: reading the filter form (bad values are a message, not a crash), paging that
 * neither skips nor repeats events of the same millisecond, the rows in the words of `logs` with
 * outside text escaped, and the page and its fragment served in-process from a seeded home.
 */

import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import type { LogEvent } from "../../lib/log/writer.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import type { WebDeps } from "../../lib/web/context.ts";
import {
  eventClass,
  type LogPlan,
  logPlan,
  logQuery,
  logsHref,
  pageOf,
  renderLogs,
} from "../../lib/web/pages/logs.ts";
import { handler } from "../../lib/web/server.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeProc } from "../fakes/proc.ts";
import { HOSTILE, seedHome, TASKS } from "./fixture_home.ts";

const NOW = Date.UTC(2026, 10, 25, 15, 0, 0);

function query(search: string) {
  return logQuery(new URLSearchParams(search));
}

/** Each row's `data-event`, and its time's `datetime`, in order. */
function rows(page: string): { event: string; ts: string; task: string | null }[] {
  return [
    ...page.matchAll(
      /<tr data-event="([^"]+)"[^>]*>\s*<td[^>]*><time datetime="([^"]+)"[\s\S]*?<\/tr>/g,
    ),
  ]
    .map((m) => ({
      event: m[1] as string,
      ts: m[2] as string,
      task: /<a href="\/tasks\/([^"]+)">/.exec(m[0])?.[1] ?? null,
    }));
}

function olderHref(page: string): string | undefined {
  return /<a data-testid="older" href="([^"]+)">/.exec(page)?.[1]?.replaceAll("&amp;", "&");
}

Deno.test("logPlan() reads the form as logs reads its flags", () => {
  const plan = logPlan(
    query("task=inbox&event=failed&since=2h&until=2026-11-25T14:30:00Z&limit=10"),
    NOW,
  );
  assert.deepEqual(plan.filter, {
    task: "inbox",
    status: "failed",
    since: NOW - 2 * 3_600_000,
    until: Date.UTC(2026, 10, 25, 14, 30),
  });
  assert.equal(plan.limit, 10);
  assert.equal(plan.skip, 0);
  // Empty values are no filter; the event may be named by its log name too.
  const empty = logPlan(query("task=&event=&since=&until="), NOW);
  assert.deepEqual(empty.filter, {
    task: undefined,
    status: undefined,
    since: undefined,
    until: undefined,
  });
  assert.equal(empty.limit, 50);
  assert.equal(logPlan(query("event=task_timed_out"), NOW).filter.status, "timed_out");
});

Deno.test("logPlan() refuses a bad value with what is wrong and what to write", () => {
  const cases: [string, RegExp, RegExp][] = [
    [
      "since=last+tuesday",
      /Cannot read the since value "last tuesday": expected a duration ago/,
      /since 2h/,
    ],
    ["until=2026-02-30", /Cannot read the until value "2026-02-30"/, /until/],
    ["event=exploded", /Cannot filter by the event "exploded"/, /use one of: succeeded, failed/],
    [
      "limit=0",
      /Cannot read the limit value "0": expected a whole number from 1 to 500/,
      /limit=50/,
    ],
    ["limit=ten", /Cannot read the limit value "ten"/, /limit=50/],
    ["skip=-1", /Cannot read the skip value "-1"/, /skip=0/],
  ];
  for (const [search, message, hint] of cases) {
    assert.throws(() => logPlan(query(search), NOW), (e: unknown) => {
      assert.ok(e instanceof UsageError, search);
      assert.match(e.message, message, search);
      assert.match(e.hint ?? "", hint, search);
      return true;
    });
  }
});

function ev(ts: number, n: number): LogEvent {
  return { ts: new Date(ts).toISOString(), event: "task_started", task: "a", run_id: `r${n}` };
}

Deno.test("pageOf() pages newest first; the older links skip and repeat nothing, whatever is written meanwhile", () => {
  // 12 events, five of them in the same millisecond and one stamped out of time order.
  const all: LogEvent[] = [];
  for (let i = 0; i < 12; i++) all.push(ev(NOW - 60_000 + (i >= 4 && i < 9 ? 5000 : i * 1000), i));
  all.push(ev(NOW - 59_000, 12));
  const before = [...all];
  // What readEvents gives for a filter: the last `tail` matching events before `until`.
  const read = (plan: LogPlan) =>
    all.filter((e) => plan.filter.until === undefined || Date.parse(e.ts) < plan.filter.until)
      .slice(-(plan.skip + plan.limit + 1));
  const seen: string[] = [];
  let q = query("limit=3");
  for (let pages = 0; pages < 10; pages++) {
    const plan = logPlan(q, NOW);
    const page = pageOf(read(plan), plan);
    seen.push(...page.events.map((e) => e.run_id as string));
    // Runs go on while someone reads: new events after the first page.
    all.push(ev(NOW + 1000 * (pages + 1), 100 + pages));
    if (page.older === null) break;
    q = page.older;
  }
  assert.deepEqual(seen, [...before].reverse().map((e) => e.run_id));
  // The first page of a short log has no older link.
  const plan = logPlan(query(""), NOW);
  assert.equal(pageOf(before, plan).older, null);
});

Deno.test("logsHref() leaves empty values out", () => {
  assert.equal(logsHref({ task: "", event: "" }), "/logs");
  assert.equal(
    logsHref({ task: "a b", since: "2h" }, "/fragments/logs"),
    "/fragments/logs?task=a+b&since=2h",
  );
});

Deno.test("renderLogs() shows a bad value's message with the form, and outside text escaped", () => {
  const q = query(`task=inbox&since=${encodeURIComponent(HOSTILE)}`);
  const bad = renderLogs({
    query: q,
    tasks: ["daily-review", "inbox"],
    result: {
      error: { message: `Cannot read the since value "${HOSTILE}"`, hint: "for example: since 2h" },
    },
  }).text;
  assert.match(
    bad,
    /<form class="filters" method="get" action="\/logs" data-testid="log-filters">/,
  );
  assert.match(bad, /data-testid="log-error"/);
  assert.match(bad, /<option value="inbox" selected>inbox<\/option>/);
  assert.ok(
    !bad.includes("<script>") && !bad.includes("<img"),
    "escaped in the message and the input",
  );
  const page = renderLogs({
    query: query(""),
    tasks: [],
    result: {
      page: {
        events: [{
          ts: new Date(NOW).toISOString(),
          event: "task_failed",
          task: "hostile",
          run_id: "r1",
          duration_ms: 1000,
          error: HOSTILE,
        }],
        older: null,
      },
    },
  }).text;
  assert.match(page, /data-live="\/fragments\/logs" data-live-on="run-started run-finished"/);
  assert.match(page, /<tr data-event="task_failed" data-run-id="r1">/);
  assert.match(page, /<span class="badge fail">task_failed<\/span>/);
  assert.match(page, /✗ hostile failed in 1\.0s/);
  assert.match(page, /<div class="error" data-testid="error">&lt;script&gt;/);
  assert.ok(!page.includes("<script>") && !page.includes("<img"));
  // A pinned page (until) is not live, and links back to the newest events.
  const pinned = renderLogs({
    query: query("until=2h"),
    tasks: [],
    result: { page: { events: [], older: null } },
  })
    .text;
  assert.doesNotMatch(pinned, /data-live=/);
  assert.match(pinned, /<a href="\/logs">← Newest events<\/a>/);
  assert.match(pinned, /No event matches these filters/);
});

Deno.test("eventClass() marks a success ok, the failures fail and what was not run warn", () => {
  assert.equal(eventClass("task_completed"), "ok");
  assert.equal(eventClass("task_failed"), "fail");
  assert.equal(eventClass("task_skipped"), "warn");
  assert.equal(eventClass("task_started"), "");
});

const PORT = 7998;
const TOKEN = "test-token";

function get(serve: (r: Request) => Promise<Response>, path: string) {
  return serve(
    new Request(`http://127.0.0.1:${PORT}${path}`, {
      headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}` },
    }),
  );
}

Deno.test("GET /logs serves the execution log of a seeded home: newest first, filtered, paged, bad values a 400 page", async () => {
  const home = await Deno.makeTempDir({ prefix: "clodputer-web-logs-" });
  try {
    const clock = new FakeClock(NOW);
    await seedHome(home, { nowMs: clock.now(), days: 30 });
    const paths = pathsUnder(home);
    // A failure whose error holds markup, as a prompt-injected result would.
    const hostileTs = new Date(NOW - 1000).toISOString();
    await Deno.writeTextFile(
      paths.log,
      JSON.stringify({
        ts: hostileTs,
        event: "task_failed",
        task: TASKS.hostile,
        run_id: "r-hostile",
        error: HOSTILE,
      }) +
        "\n",
      { append: true },
    );
    const all = (await Deno.readTextFile(paths.log)).trim().split("\n").map((l) =>
      JSON.parse(l) as LogEvent
    );
    const deps: WebDeps = {
      clock,
      proc: new FakeProc([]),
      env: envFrom({ HOME: home }),
      paths,
      os: "linux",
      selfPid: Deno.pid,
    };
    const serve = handler(deps, { port: PORT, token: TOKEN });

    await t("every event, newest first", async () => {
      const res = await get(serve, "/logs");
      assert.equal(res.status, 200);
      const page = await res.text();
      assert.match(
        page,
        /<form class="filters" method="get" action="\/logs" data-testid="log-filters">/,
      );
      for (const task of Object.values(TASKS)) {
        assert.match(page, new RegExp(`<option value="${task}"`));
      }
      const got = rows(page);
      assert.equal(got.length, all.length);
      assert.deepEqual(got.map((r) => r.ts), all.map((e) => e.ts).reverse());
      assert.equal(got[0]?.event, "task_failed");
      assert.ok(
        !page.includes("<script>window") && !page.includes("<img src=x"),
        "hostile error escaped",
      );
      assert.match(page, /data-live="\/fragments\/logs"/);
      assert.equal(olderHref(page), undefined, "one page");
    });

    await t("by task and by how runs ended", async () => {
      const inbox = rows(await (await get(serve, "/logs?task=inbox")).text());
      assert.ok(inbox.length > 0);
      assert.deepEqual(new Set(inbox.map((r) => r.task)), new Set([TASKS.watch]));
      const failed = rows(await (await get(serve, "/logs?event=failed")).text());
      assert.deepEqual(
        failed.map((r) => r.ts),
        all.filter((e) => e.event === "task_failed").map((e) => e.ts).reverse(),
      );
      const since = rows(
        await (await get(
          serve,
          `/logs?since=${encodeURIComponent(new Date(NOW - 2000).toISOString())}`,
        )).text(),
      );
      assert.deepEqual(since.map((r) => r.ts), [hostileTs]);
    });

    await t("paged by limit, the older link reaching every event once", async () => {
      const seen: string[] = [];
      let path: string | undefined = "/logs?limit=3";
      let pages = 0;
      while (path !== undefined && pages < 50) {
        const page: string = await (await get(serve, path)).text();
        const got = rows(page);
        assert.ok(got.length <= 3);
        seen.push(...got.map((r) => `${r.ts} ${r.event}`));
        if (pages > 0) assert.doesNotMatch(page, /data-live=/, "an older page is not live");
        path = olderHref(page);
        pages++;
      }
      assert.deepEqual(seen, all.map((e) => `${e.ts} ${e.event}`).reverse());
      assert.ok(pages > 1);
    });

    await t("a bad value is a 400 page with the message and the form", async () => {
      const res = await get(serve, "/logs?since=someday");
      assert.equal(res.status, 400);
      const page = await res.text();
      assert.match(page, /data-testid="log-error"/);
      assert.match(page, /Cannot read the since value &quot;someday&quot;/);
      assert.match(page, /data-testid="log-filters"/);
      assert.match(page, /<input name="since" value="someday"/);
      assert.deepEqual(rows(page), []);
    });

    await t("the fragment: the rows only", async () => {
      const res = await get(serve, "/fragments/logs?task=hostile");
      assert.equal(res.status, 200);
      const body = await res.text();
      assert.doesNotMatch(body, /<html|<form/);
      assert.ok(rows(body).length > 0);
      assert.deepEqual(new Set(rows(body).map((r) => r.task)), new Set([TASKS.hostile]));
      const bad = await get(serve, "/fragments/logs?event=nope");
      assert.equal(bad.status, 400);
      await bad.body?.cancel();
    });
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

/** A named step, so a failure says which. */
async function t(name: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    throw new Error(`step "${name}" failed`, { cause: error });
  }
}
