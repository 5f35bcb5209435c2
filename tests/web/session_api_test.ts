/**
 * @module
 * The session routes of the JSON API against a real server on port 0 over a seeded home with a
 * `session: continue` task: GET /api/tasks/:name/session (the task page's session model) and
 * POST /api/tasks/:name/session/reset (resetSession in the store, a sentence for the page), an
 * unknown task's 404, a task without sessions' 400, and the POST rules (token header, Origin).
 */

import assert from "node:assert/strict";
import { withStore } from "../../lib/state/open.ts";
import type { TaskSession } from "../../lib/run/session.ts";
import type { TaskSessionView } from "../../lib/status/sessions.ts";
import { seedSession, SESSION_TASK, TASKS } from "./fixture_home.ts";
import { json, testServer } from "./api_server.ts";

type ErrorBody = { error: { name: string; message: string; hint?: string } };

async function assertError(response: Response, status: number, message: RegExp) {
  const body = await json<ErrorBody>(response);
  assert.equal(response.status, status, JSON.stringify(body));
  assert.match(body.error.message, message);
  assert.ok(body.error.hint, `a hint: ${JSON.stringify(body)}`);
  return body.error;
}

Deno.test("GET /api/tasks/:name/session: the session, the limits and what the next run does", async () => {
  await using t = await testServer({ days: 3 });
  const seeded = await seedSession(t.home, { nowMs: t.deps.clock.now() });
  const body = await json<TaskSessionView>(
    await t.get(`/api/tasks/${SESSION_TASK}/session`),
  );
  assert.equal(body.task, SESSION_TASK);
  assert.deepEqual(body.session, seeded.session);
  assert.equal(body.reset_at, null);
  assert.deepEqual(body.next, {
    kind: "continue",
    id: seeded.session.id,
    runs: 2,
    started_at: seeded.session.started_at,
  });
  assert.equal(body.session_max_age, 7 * 86_400);
  assert.equal(body.session_max_runs, 20);
  assert.equal(body.cwd, seeded.cwd);
  assert.equal(body.working_directory, seeded.cwd);
  assert.equal(body.config_dir, seeded.configDir);

  await assertError(
    await t.get(`/api/tasks/${TASKS.daily}/session`),
    400,
    /does not continue a session/,
  );
  const missing = await assertError(await t.get("/api/tasks/no-such-task/session"), 404, /no-such/);
  assert.equal(missing.name, "NotFoundError");
});

Deno.test("POST /api/tasks/:name/session/reset drops the session in the store and says what it dropped", async () => {
  await using t = await testServer({ days: 3 });
  const seeded = await seedSession(t.home, { nowMs: t.deps.clock.now() });
  const response = await t.post(`/api/tasks/${SESSION_TASK}/session/reset`);
  const body = await json<
    {
      message: string;
      task: string;
      reset_at: string;
      dropped: TaskSession | null;
      session: TaskSessionView;
    }
  >(response);
  assert.equal(response.status, 200, JSON.stringify(body));
  assert.equal(
    body.message,
    `The next run of ${SESSION_TASK} starts a new session (dropped session ${seeded.session.id}, ` +
      "2 runs, began 1 day ago).",
  );
  assert.deepEqual(body.dropped, seeded.session);
  assert.equal(body.task, SESSION_TASK);
  assert.equal(body.session.session, null);
  assert.equal(body.session.next.kind, "new");
  const state = await withStore(t.deps, (store) => store.session(SESSION_TASK));
  assert.equal(state?.session, null);
  assert.ok(state?.reset_at, "the reset's time is kept");
  assert.equal(body.reset_at, state.reset_at, "as session reset --json says it");
  assert.ok(Math.abs(Date.parse(state.reset_at) - t.deps.clock.now()) < 60_000);
  assert.equal(body.session.reset_at, state.reset_at);

  const again = await json<{ message: string; dropped: null }>(
    await t.post(`/api/tasks/${SESSION_TASK}/session/reset`),
  );
  assert.equal(again.dropped, null);
  assert.match(again.message, /starts a new session \(it had none to drop\)\.$/);
});

Deno.test("POST session/reset: an unknown task is 404, a task without sessions 400, nothing changes", async () => {
  await using t = await testServer({ days: 3 });
  await seedSession(t.home, { nowMs: t.deps.clock.now() });
  const missing = await assertError(
    await t.post("/api/tasks/no-such-task/session/reset"),
    404,
    /no-such-task/,
  );
  assert.equal(missing.name, "NotFoundError");
  await assertError(
    await t.post(`/api/tasks/${TASKS.daily}/session/reset`),
    400,
    /Cannot reset the session of daily-review: it does not continue a session/,
  );
  const sessions = await withStore(t.deps, (store) => store.sessions());
  assert.deepEqual([...sessions.keys()], [SESSION_TASK]);
  assert.notEqual(sessions.get(SESSION_TASK)?.session, null, "the session is still there");
});

Deno.test("POST session/reset needs the token in its header and this server's Origin", async () => {
  await using t = await testServer({ days: 3 });
  const seeded = await seedSession(t.home, { nowMs: t.deps.clock.now() });
  const path = `${t.base}/api/tasks/${SESSION_TASK}/session/reset`;
  const auth = { authorization: `Bearer ${t.server.token}` };
  const noOrigin = await fetch(path, { method: "POST", headers: auth, body: "{}" });
  assert.equal(noOrigin.status, 403);
  assert.match((await json<ErrorBody>(noOrigin)).error.message, /Origin/);
  const foreign = await fetch(path, {
    method: "POST",
    headers: { ...auth, origin: "http://evil.example" },
    body: "{}",
  });
  assert.equal(foreign.status, 403);
  await foreign.body?.cancel();
  const cookieOnly = await fetch(path, {
    method: "POST",
    headers: { cookie: `clodputer_${t.server.port}=${t.server.token}`, origin: t.base },
    body: "{}",
  });
  assert.equal(cookieOnly.status, 403);
  assert.match((await json<ErrorBody>(cookieOnly)).error.message, /not only the cookie/);
  const noToken = await fetch(path, { method: "POST", headers: { origin: t.base }, body: "{}" });
  assert.equal(noToken.status, 401);
  await noToken.body?.cancel();
  const state = await withStore(t.deps, (store) => store.session(SESSION_TASK));
  assert.deepEqual(state, { session: seeded.session, reset_at: null }, "nothing was reset");
});
