/**
 * @module
 * The task page through the in-process handler, on a seeded home (fixture_home.ts) with a
 * FakeClock: the task in words, Run now, the runs table and its paging, the success rate, the
 * calendar's 182 cells against the seeded runs, hostile text shown as text, the live fragment,
 * an unknown task's 404. And the calendar's drawing (renderCalendar, dayOutcome).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { escapeHtml } from "../../lib/web/html.ts";
import { dayOutcome, renderCalendar } from "../../lib/web/pages/task.ts";
import { HOSTILE, type Seeded, TASKS } from "./fixture_home.ts";
import { webScene } from "./scene.ts";

async function seededServer() {
  const scene = await webScene({ prefix: "clodputer-web-task-" });
  return {
    seed: scene.seeded,
    clock: scene.clock,
    async get(path: string): Promise<{ status: number; body: string; type: string }> {
      const { status, text, type } = await scene.get(path);
      return { status, body: text, type };
    },
    [Symbol.asyncDispose]: () => scene[Symbol.asyncDispose](),
  };
}

/** The attributes of each element matching `tag[attr...]` in `body`, as maps. */
function elements(body: string, tag: string, must: string): Record<string, string>[] {
  const out: Record<string, string>[] = [];
  for (const m of body.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? "").matchAll(/([\w-]+)="([^"]*)"/g)) {
      attrs[a[1] as string] = a[2] ?? "";
    }
    if (must in attrs) out.push(attrs);
  }
  return out;
}

function runIds(body: string): string[] {
  return elements(body, "tr", "data-run-id").map((a) => a["data-run-id"] as string);
}

/** The outcome a seeded day should show. */
function expectedOutcome(seed: Seeded, task: string, day: string): string {
  const of = seed.runs.filter((r) => r.task === task && r.day === day);
  const ok = of.some((r) => r.status === "succeeded");
  const failed = of.some((r) => r.status !== "succeeded" && r.status !== "skipped");
  if (failed) return ok ? "mixed" : "failed";
  if (ok) return "ok";
  return of.length > 0 ? "skipped" : "none";
}

Deno.test("GET /tasks/:name shows the task, its runs paged, its success rate and calendar", async (t) => {
  await using s = await seededServer();

  await t.step("the page: description, trigger, next runs, Run now, success rate", async () => {
    const { status, body, type } = await s.get(`/tasks/${TASKS.daily}`);
    assert.equal(status, 200);
    assert.match(type, /^text\/html/);
    assert.match(
      body,
      /data-testid="task-description"[^>]*>Review yesterday&#39;s notes and flag what needs an answer</,
    );
    assert.match(body, /data-testid="trigger">cron &quot;0 9 \* \* \*&quot; \(/);
    const next = body.match(/data-testid="next-runs"[^>]*>([\s\S]*?)<\/ul>/)?.[1] ?? "";
    assert.equal([...next.matchAll(/<li>/g)].length, 5, next);
    assert.match(next, /09:00:00 UTC|09:00:00 /);
    const [button] = elements(body, "button", "data-action");
    assert.equal(button?.["data-action"], "run-now");
    assert.equal(button?.["data-post"], `/api/tasks/${TASKS.daily}/run`);
    assert.equal(button?.["data-body-from"], undefined, "a cron task needs no file");
    const mine = s.seed.runs.filter((r) => r.task === TASKS.daily);
    const ok = mine.filter((r) => r.status === "succeeded").length;
    const failed = mine.filter((r) => r.status === "failed").length;
    const [rate] = elements(body, "p", "data-rate");
    assert.equal(rate?.["data-testid"], "success-rate");
    assert.equal(rate?.["data-rate"], (ok / (ok + failed)).toFixed(4));
    assert.match(body, new RegExp(`${ok} succeeded, ${failed} failed`));
    assert.match(body, /data-live="\/fragments\/tasks\/daily-review\/runs"/);
    assert.match(body, /data-live-on="run-started run-finished"/);
  });

  await t.step("the calendar: 182 cells, each day's outcome as the seeded runs say", async () => {
    for (const task of [TASKS.daily, TASKS.hostile]) {
      const { body } = await s.get(`/tasks/${task}`);
      assert.equal([...body.matchAll(/<svg data-testid="calendar"/g)].length, 1);
      const cells = elements(body, "rect", "data-day");
      assert.equal(cells.length, 182);
      const outcomes = new Set<string>();
      for (const c of cells) {
        const want = expectedOutcome(s.seed, task, c["data-day"] as string);
        assert.equal(c["data-outcome"], want, `${task} ${c["data-day"]}`);
        assert.equal(c.class, `cal-${want}`);
        outcomes.add(want);
      }
      assert.deepEqual([...outcomes].sort(), ["failed", "none", "ok", "skipped"]);
      // Every cell has a title for hover: the day and its counts.
      assert.equal([...body.matchAll(/<title>\w{3} \d{4}-\d\d-\d\d: /g)].length, 182);
    }
  });

  await t.step("the runs: newest first, 25 a page, older pages through ?before=", async () => {
    const want = s.seed.runs.filter((r) => r.task === TASKS.daily).map((r) => r.id).sort()
      .reverse();
    const seen: string[] = [];
    let path = `/tasks/${TASKS.daily}`;
    for (let i = 0; i < 20; i++) {
      const { status, body } = await s.get(path);
      assert.equal(status, 200);
      const rows = elements(body, "tr", "data-run-id");
      assert.ok(rows.length <= 25);
      for (const r of rows) {
        const seeded = s.seed.runs.find((x) => x.id === r["data-run-id"]);
        assert.equal(r["data-status"], seeded?.status);
      }
      seen.push(...runIds(body));
      const older = elements(body, "a", "data-testid").find((a) => a["data-testid"] === "older");
      if (!older) break;
      path = (older.href as string).replaceAll("&amp;", "&");
      assert.match(path, /^\/tasks\/daily-review\?before=\d{8}-\d{6}-/);
    }
    assert.deepEqual(seen, want);
    const { body } = await s.get(`/tasks/${TASKS.daily}`);
    assert.match(body, new RegExp(`href="/runs/${want[0]}"`));
  });

  await t.step("the live fragment is the runs table, paged the same way", async () => {
    const first = await s.get(`/fragments/tasks/${TASKS.daily}/runs`);
    assert.equal(first.status, 200);
    assert.ok(!first.body.includes("<html"), "a fragment, not a page");
    const ids = runIds(first.body);
    assert.equal(ids.length, 25);
    const second = await s.get(`/fragments/tasks/${TASKS.daily}/runs?before=${ids.at(-1)}`);
    assert.ok((runIds(second.body)[0] ?? "") < (ids.at(-1) as string));
    const bad = await s.get(`/tasks/${TASKS.daily}?limit=0`);
    assert.equal(bad.status, 400);
    assert.match(bad.body, /&quot;limit&quot; must be a whole number/);
  });

  await t.step("a folder-watch task asks for the file its run needs", async () => {
    const { body } = await s.get(`/tasks/${TASKS.watch}`);
    const [input] = elements(body, "input", "data-testid");
    assert.equal(input?.["data-testid"], "run-file");
    assert.equal(input?.name, "file");
    const [button] = elements(body, "button", "data-action");
    assert.equal(button?.["data-body-from"], "#run-file");
    assert.equal(button?.["data-post"], `/api/tasks/${TASKS.watch}/run`);
  });

  await t.step("the hostile task's description and outcome show as text", async () => {
    const { status, body } = await s.get(`/tasks/${TASKS.hostile}`);
    assert.equal(status, 200);
    assert.ok(!body.includes("<script>window"), "no script from the task");
    assert.ok(!body.includes("<img src=x"), "no img from the task");
    assert.ok(body.includes(escapeHtml(HOSTILE)), "the description, escaped whole");
    assert.match(body, /data-testid="task-description"[^>]*>&lt;script&gt;/);
    assert.ok(runIds(body).length > 0);
  });

  await t.step("an invalid task file shows its problem with file:line", async () => {
    await Deno.writeTextFile(
      join(s.seed.home, "tasks", "broken.yaml"),
      "name: broken\ntask:\n  prompt: hi\n  timeout: ten\n",
    );
    const { status, body } = await s.get("/tasks/broken");
    assert.equal(status, 200);
    assert.match(body, /data-testid="problems"/);
    assert.match(body, /broken\.yaml:4:\d+<\/span>: /);
    assert.match(body, /data-state="invalid"/);
  });

  await t.step("an unknown task is a 404 with the CLI's hint", async () => {
    const { status, body } = await s.get("/tasks/daily-reveiw");
    assert.equal(status, 404);
    assert.match(body, /daily-review/);
  });
});

Deno.test("renderCalendar() puts weeks in columns, Monday on top, months above", () => {
  // 2026-11-02 is a Monday; 2026-11-04 a Wednesday.
  const days = Array.from({ length: 50 }, (_, i) => {
    const d = new Date(Date.UTC(2026, 10, 4 + i));
    return {
      day: d.toISOString().slice(0, 10),
      succeeded: i % 2,
      failed: i % 3 === 0 ? 1 : 0,
      skipped: 0,
    };
  });
  const svg = renderCalendar(days).text;
  const cells = elements(svg, "rect", "data-day");
  assert.equal(cells.length, 50);
  assert.deepEqual([cells[0]?.x, cells[0]?.y], ["30", String(16 + 2 * 13)], "Wednesday, week 1");
  assert.deepEqual([cells[5]?.x, cells[5]?.y], ["43", "16"], "the next Monday, week 2");
  assert.match(svg, /<text class="cal-month" x="30" y="11">Nov<\/text>/);
  assert.match(svg, />Dec<\/text>/);
  assert.equal(dayOutcome({ day: "x", succeeded: 1, failed: 1, skipped: 0 }), "mixed");
  assert.equal(dayOutcome({ day: "x", succeeded: 0, failed: 1, skipped: 3 }), "failed");
  assert.equal(dayOutcome({ day: "x", succeeded: 2, failed: 0, skipped: 1 }), "ok");
  assert.equal(dayOutcome({ day: "x", succeeded: 0, failed: 0, skipped: 1 }), "skipped");
  assert.equal(dayOutcome({ day: "x", succeeded: 0, failed: 0, skipped: 0 }), "none");
  assert.match(svg, /<title>Wed 2026-11-04: 0 succeeded, 1 failed, 0 skipped<\/title>/);
});

Deno.test("the client merges the non-empty inputs data-body-from names into a POST's body", async () => {
  const { APP_JS } = await import("../../lib/web/assets.ts");
  const source = APP_JS.match(/function bodyOf\(button\) \{[\s\S]*?\n\}/)?.[0];
  assert.ok(source, "APP_JS has bodyOf");
  const inputs = [{ name: "file", value: "/tmp/a b.txt" }, { name: "other", value: "" }];
  const document = {
    querySelectorAll: (selector: string) => (selector === "#run-file" ? inputs : []),
  };
  const bodyOf = new Function("document", `${source}; return bodyOf;`)(document) as (
    b: { dataset: Record<string, string> },
  ) => string;
  assert.equal(
    bodyOf({ dataset: { bodyFrom: "#run-file", body: '{"x":1}' } }),
    '{"x":1,"file":"/tmp/a b.txt"}',
  );
  assert.equal(bodyOf({ dataset: {} }), "{}");
});
