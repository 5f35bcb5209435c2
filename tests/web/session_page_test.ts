/**
 * @module
 * Tasks that remember, on the web pages, through the in-process handler over a seeded home with a
 * FakeClock: a `session: continue` task's page shows its session (id, runs, began, last run, the
 * folders) and what its next run will do, with the button that starts a new one; its live
 * fragment; a reset seen there; the run page's session fact; and the renderers' words and
 * escaping (renderSession, sessionWords).
 */

import assert from "node:assert/strict";
import { withStore } from "../../lib/state/open.ts";
import { resetSession } from "../../lib/state/session_reset.ts";
import type { TaskSessionView } from "../../lib/status/sessions.ts";
import { sessionWords } from "../../lib/web/pages/run.ts";
import { renderSession } from "../../lib/web/pages/task.ts";
import { HOSTILE, seedSession, SESSION_TASK, TASKS } from "./fixture_home.ts";
import { webScene } from "./scene.ts";

/** The attributes of the first `<tag ...>` carrying `attr="value"`, as a map. */
function element(body: string, tag: string, attr: string, value: string) {
  for (const m of body.matchAll(new RegExp(`<${tag}\\b([^>]*)>`, "g"))) {
    const attrs: Record<string, string> = {};
    for (const a of (m[1] ?? "").matchAll(/([\w-]+)(?:="([^"]*)")?/g)) {
      attrs[a[1] as string] = a[2] ?? "";
    }
    if (attrs[attr] === value) return attrs;
  }
  return undefined;
}

/** The text of the element whose data-testid is `id` (its first line of markup, tags removed). */
function testid(body: string, id: string): string {
  const m = body.match(new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</(dd|p|section)>`));
  return (m?.[1] ?? "").replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
}

Deno.test("the task page of a session: continue task shows its session, its next run and the reset button", async (t) => {
  await using scene = await webScene({ prefix: "clodputer-web-session-", days: 10 });
  const seeded = await seedSession(scene.home, { nowMs: scene.clock.now() });

  await t.step("the session's facts and what the next run does", async () => {
    const { status, text } = await scene.get(`/tasks/${SESSION_TASK}`);
    assert.equal(status, 200, text);
    const section = element(text, "section", "data-testid", "session");
    assert.ok(section, "a session section");
    assert.equal(section["data-live"], `/fragments/tasks/${SESSION_TASK}/session`);
    assert.equal(section["data-live-on"], "run-finished");
    assert.equal(testid(text, "session-id"), seeded.session.id);
    assert.equal(testid(text, "session-runs"), "2 of at most 20");
    assert.match(testid(text, "session-began"), /\(1 day ago\)$/);
    assert.ok(
      element(text, "a", "href", `/runs/${seeded.runs[1]}`),
      "the last run is linked",
    );
    assert.match(testid(text, "session-last-run"), new RegExp(seeded.runs[1]));
    assert.equal(testid(text, "session-cwd"), seeded.cwd);
    assert.equal(testid(text, "session-config-dir"), seeded.configDir);
    const next = element(text, "dd", "data-testid", "session-next");
    assert.equal(next?.["data-next"], "continue");
    assert.equal(
      testid(text, "session-next"),
      `continues session ${seeded.session.id} (run 3 of the session)`,
    );
    assert.doesNotMatch(text, /data-testid="session-cwd-hint"/, "working_directory is set");
    const button = element(text, "button", "data-action", "session-reset");
    assert.ok(button, "a reset button");
    assert.equal(button["data-post"], `/api/tasks/${SESSION_TASK}/session/reset`);
    assert.match(button["data-confirm"] ?? "", /Start a new session for remember\?/);
    assert.equal(button.disabled, undefined, "there is a session to drop");
  });

  await t.step("a task without session: continue has no session section", async () => {
    const { text } = await scene.get(`/tasks/${TASKS.daily}`);
    assert.doesNotMatch(text, /data-testid="session"/);
    assert.doesNotMatch(text, /session-reset/);
  });

  await t.step("the live fragment is the section's content; others say so or are 404", async () => {
    const { status, text } = await scene.get(`/fragments/tasks/${SESSION_TASK}/session`);
    assert.equal(status, 200);
    assert.ok(!text.includes("<html"), "a fragment, not a page");
    assert.equal(testid(text, "session-id"), seeded.session.id);
    const other = await scene.get(`/fragments/tasks/${TASKS.daily}/session`);
    assert.equal(other.status, 200);
    assert.match(other.text, /does not continue a session/);
    assert.equal((await scene.get("/fragments/tasks/no-such-task/session")).status, 404);
  });

  await t.step("after a reset the next run starts afresh, and the button is off", async () => {
    const at = new Date(scene.clock.now()).toISOString();
    await withStore(scene.deps, (store) => resetSession(store, SESSION_TASK, at));
    const { text } = await scene.get(`/fragments/tasks/${SESSION_TASK}/session`);
    assert.match(testid(text, "session-id"), /^none: reset at /);
    assert.equal(element(text, "dd", "data-testid", "session-next")?.["data-next"], "new");
    assert.match(testid(text, "session-next"), /starts a new session: the session was reset/);
    assert.equal(element(text, "button", "data-action", "session-reset")?.disabled, "");
  });

  await t.step("the run page says the run continued the session", async () => {
    const { status, text } = await scene.get(`/runs/${seeded.runs[1]}`);
    assert.equal(status, 200, text);
    assert.equal(element(text, "dd", "data-testid", "run-session")?.["data-mode"], "continued");
    assert.match(
      testid(text, "run-session"),
      new RegExp(`^continued ${seeded.session.id} \\(run 2 of the session, which began `),
    );
    // A run of a task without sessions has no such fact.
    const plain = await scene.get(`/runs/${scene.seeded.newest[TASKS.daily]?.id}`);
    assert.doesNotMatch(plain.text, /data-testid="run-session"/);
  });
});

Deno.test("the next run starts a new session at session_max_runs, and the page says why", async () => {
  await using scene = await webScene({ prefix: "clodputer-web-session-", days: 3 });
  await seedSession(scene.home, { nowMs: scene.clock.now(), runs: 2, maxRuns: 2 });
  const { text } = await scene.get(`/tasks/${SESSION_TASK}`);
  assert.equal(element(text, "dd", "data-testid", "session-next")?.["data-next"], "new");
  assert.match(
    testid(text, "session-next"),
    /starts a new session: the last session has had 2 runs \(session_max_runs: 2\)/,
  );
  assert.equal(testid(text, "session-runs"), "2 of at most 2");
});

function view(over: Partial<TaskSessionView> = {}): TaskSessionView {
  return {
    task: "t",
    session: {
      id: "s-1",
      cwd: "/work",
      config_dir: "/home/me/.claude",
      started_at: "2026-11-20T09:00:00.000Z",
      last_at: "2026-11-24T09:00:42.000Z",
      last_run_id: "20261124-090000-abcdef",
      runs: 5,
    },
    reset_at: null,
    next: { kind: "continue", id: "s-1", runs: 5, started_at: "2026-11-20T09:00:00.000Z" },
    session_max_age: 604_800,
    session_max_runs: 20,
    age_ms: 5 * 86_400_000,
    cwd: "/work",
    working_directory: "/work",
    config_dir: "/home/me/.claude",
    ...over,
  };
}

Deno.test("renderSession(): ages from now, the limits, a hint without working_directory, text escaped", () => {
  const now = Date.parse("2026-11-25T09:00:00Z");
  const page = String(renderSession("t", view(), now));
  assert.match(page, /\(5 days ago\)/);
  assert.match(page, /session_max_runs: 20, session_max_age: 7d/);
  assert.match(page, /run 6 of the session/);

  const loose = String(renderSession("t", view({ working_directory: null }), now));
  assert.match(loose, /data-testid="session-cwd-hint"/);
  assert.match(loose, /Set working_directory in the task file/);

  const hostile = view();
  const current = hostile.session;
  assert.ok(current);
  hostile.session = { ...current, id: HOSTILE, cwd: HOSTILE };
  hostile.next = { kind: "new", reason: HOSTILE };
  const escaped = String(renderSession(HOSTILE, hostile, now));
  assert.ok(!escaped.includes("<script>"), "no markup from the state");
  assert.ok(!escaped.includes("<img"), "no markup from the state");
  assert.match(escaped, /&lt;script&gt;/);

  const none = String(renderSession("t", view({ session: null }), now));
  assert.match(none, /none yet: the next run starts one/);
});

Deno.test("sessionWords(): continued, new and restarted runs in words", () => {
  const base = {
    resumed: null,
    reason: null,
    run: 1,
    started_at: "2026-11-20T09:00:00.000Z",
    config_dir: "/c",
  };
  assert.equal(
    sessionWords({ ...base, mode: "new", reason: "there is no earlier session to continue" }),
    "a new session: there is no earlier session to continue",
  );
  assert.match(
    sessionWords({ ...base, mode: "continued", resumed: "abc", run: 4 }),
    /^continued abc \(run 4 of the session, which began .*\)$/,
  );
  assert.equal(
    sessionWords({
      ...base,
      mode: "restarted",
      resumed: "abc",
      reason: "No conversation found with session ID: abc",
    }),
    "restarted: claude could not find session abc (No conversation found with session ID: abc), " +
      "so the run began a new one",
  );
});
