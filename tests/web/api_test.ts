/**
 * @module
 * The JSON API against a real server on port 0 over a seeded home: each GET's shape (the CLI's
 * `--json` shapes), each POST's effect in the store, bad input as JSON errors with a hint.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readEvents } from "../../lib/log/reader.ts";
import { withStore } from "../../lib/state/open.ts";
import { readPause } from "../../lib/state/pause.ts";
import type { StatusView } from "../../lib/status/read.ts";
import type { CostView } from "../../lib/status/cost.ts";
import type { TaskList } from "../../lib/status/task_list.ts";
import type { RunSummary } from "../../lib/state/types.ts";
import { parseTranscript } from "../../lib/web/api.ts";
import { TRANSCRIPT_CAP_BYTES } from "../../lib/run/transcript.ts";
import { TASKS } from "./fixture_home.ts";
import { json, testServer } from "./api_server.ts";
import {
  awaitRunners,
  CLI_LIMIT_MS,
  FIXTURE_BIN,
  runCli,
  runnersStarted,
  spawnCli,
  tempHome,
  waitFor,
} from "../e2e/cli.ts";

type ErrorBody = { error: { name: string; message: string; hint?: string } };

async function assertError(
  response: Response,
  status: number,
  message: RegExp,
): Promise<ErrorBody["error"]> {
  const body = await json<ErrorBody>(response);
  assert.equal(response.status, status, JSON.stringify(body));
  assert.match(response.headers.get("content-type") ?? "", /application\/json/);
  assert.match(body.error.message, message);
  assert.ok(body.error.hint, `a hint: ${JSON.stringify(body)}`);
  return body.error;
}

Deno.test("GET /api/status is the status model (status --json), the running server named", async () => {
  await using t = await testServer();
  const view = await json<StatusView>(await t.get("/api/status"));
  assert.equal(view.runner.state, "idle");
  assert.equal(view.queue.queued, 0);
  assert.equal(view.recent.length, 10);
  assert.deepEqual(view.web, { url: `${t.base}/`, pid: Deno.pid });
  assert.ok(!JSON.stringify(view.web).includes(t.server.token), "no token in the status");
});

Deno.test("GET /api/tasks is the task list (rows and the pause)", async () => {
  await using t = await testServer();
  const list = await json<TaskList>(await t.get("/api/tasks"));
  assert.deepEqual(list.rows.map((r) => r.name).sort(), [TASKS.daily, TASKS.hostile, TASKS.watch]);
  assert.equal(list.paused, null);
});

Deno.test("GET /api/runs pages newest first with next_before; task filters; bad params are 400", async () => {
  await using t = await testServer();
  const all = [...t.seeded.runs].reverse();
  const first = await json<{ runs: RunSummary[]; next_before: string | null }>(
    await t.get("/api/runs?limit=5"),
  );
  assert.equal(first.runs.length, 5);
  assert.deepEqual(
    first.runs.map((r) => r.started_at),
    [...first.runs.map((r) => r.started_at)].sort().reverse(),
  );
  assert.equal(first.next_before, first.runs[4]?.id);
  const second = await json<{ runs: RunSummary[]; next_before: string | null }>(
    await t.get(`/api/runs?limit=5&before=${first.next_before}`),
  );
  assert.equal(second.runs.length, 5);
  assert.ok(second.runs.every((r) => !first.runs.some((f) => f.id === r.id)), "no overlap");
  assert.ok((second.runs[0]?.started_at ?? "") <= (first.runs[4]?.started_at ?? ""));

  const everything = await json<{ runs: RunSummary[]; next_before: string | null }>(
    await t.get("/api/runs?limit=500"),
  );
  assert.equal(everything.runs.length, all.length);
  assert.equal(everything.next_before, null);

  const hostile = await json<{ runs: RunSummary[] }>(
    await t.get(`/api/runs?task=${TASKS.hostile}&limit=500`),
  );
  assert.equal(hostile.runs.length, all.filter((r) => r.task === TASKS.hostile).length);
  assert.ok(hostile.runs.every((r) => r.task === TASKS.hostile));

  const byTime = await json<{ runs: RunSummary[] }>(
    await t.get(
      `/api/runs?limit=500&before=${encodeURIComponent(first.runs[0]?.started_at ?? "")}`,
    ),
  );
  assert.ok(byTime.runs.every((r) => r.started_at < (first.runs[0]?.started_at ?? "")));

  for (const bad of ["0", "501", "ten", "-1"]) {
    await assertError(await t.get(`/api/runs?limit=${bad}`), 400, /limit must be a whole number/);
  }
  await assertError(await t.get("/api/runs?before=yesterday"), 400, /before must be a run id/);
  await assertError(
    await t.get("/api/runs?before=20000101-000000-abcdef"),
    404,
    /no run "20000101-000000-abcdef"/,
  );
});

Deno.test("GET /api/runs/:id is show --json's record; unknown ids are 404 with a hint", async () => {
  await using t = await testServer();
  const newest = t.seeded.newest[TASKS.daily];
  assert.ok(newest);
  const record = await json<{ id: string; task: string; status: string }>(
    await t.get(`/api/runs/${newest.id}`),
  );
  assert.equal(record.id, newest.id);
  assert.equal(record.task, TASKS.daily);
  assert.equal(record.status, newest.status);
  // An older run has no result.json: what the store kept.
  const older = t.seeded.runs.find((r) => r.task === TASKS.daily && r.id !== newest.id);
  assert.ok(older);
  assert.equal((await json<{ id: string }>(await t.get(`/api/runs/${older.id}`))).id, older.id);
  await assertError(await t.get("/api/runs/20000101-000000-abcdef"), 404, /Cannot show run/);
  await assertError(await t.get("/api/runs/nonsense"), 404, /run ids look like/);
});

Deno.test("GET /api/runs/:id/transcript: the stream-json events, bad lines skipped, the size capped", async () => {
  await using t = await testServer();
  const newest = t.seeded.newest[TASKS.daily];
  assert.ok(newest);
  const stdout = join(t.home, "runs", newest.id, "stdout");
  const events = (await Deno.readTextFile(stdout)).split("\n").filter((l) => l.trim()).length;
  await Deno.writeTextFile(stdout, "not json at all\n[1,2]\n", { append: true });
  const body = await json<{ run_id: string; events: { type: string }[]; truncated: boolean }>(
    await t.get(`/api/runs/${newest.id}/transcript`),
  );
  assert.equal(body.run_id, newest.id);
  assert.equal(body.events.length, events);
  assert.equal(body.truncated, false);
  assert.ok(body.events.some((e) => e.type === "assistant"));
  assert.equal(body.events.at(-1)?.type, "result");

  // No stdout: a known run has none yet; an unknown one is 404.
  const older = t.seeded.runs.find((r) => r.task === TASKS.daily && r.id !== newest.id);
  assert.ok(older);
  assert.deepEqual(await json(await t.get(`/api/runs/${older.id}/transcript`)), {
    run_id: older.id,
    events: [],
    truncated: false,
  });
  await assertError(
    await t.get("/api/runs/20000101-000000-abcdef/transcript"),
    404,
    /no run/,
  );

  // Bigger than the cap: the last part, from a whole line, said to be cut.
  const line = JSON.stringify({ type: "system", text: "x".repeat(1000) }) + "\n";
  const big = line.repeat(Math.ceil(TRANSCRIPT_CAP_BYTES / line.length) + 50);
  await Deno.writeTextFile(stdout, big + JSON.stringify({ type: "result", n: 1 }) + "\n");
  const cut = await json<{ events: { type: string }[]; truncated: boolean }>(
    await t.get(`/api/runs/${newest.id}/transcript`),
  );
  assert.equal(cut.truncated, true);
  assert.ok(cut.events.length < big.length / line.length);
  assert.ok(cut.events.every((e) => e.type === "system" || e.type === "result"));
  assert.equal(cut.events.at(-1)?.type, "result");
});

Deno.test("parseTranscript() keeps JSON objects and skips everything else", () => {
  assert.deepEqual(parseTranscript('{"a":1}\n\nnope\n"text"\nnull\n{"b":2}'), [{ a: 1 }, { b: 2 }]);
});

Deno.test("GET /api/cost is cost --json's view; since takes --since's forms; bad since is 400", async () => {
  await using t = await testServer();
  const view = await json<CostView>(await t.get("/api/cost"));
  assert.equal(view.since, null);
  const total = t.seeded.runs.filter((r) => r.status !== "skipped").length;
  assert.ok(view.total.runs > 0 && view.total.runs <= t.seeded.runs.length, `${total}`);
  assert.ok(view.by_day.length > 0 && view.by_month.length > 0 && view.by_task.length > 0);
  const week = await json<CostView>(await t.get("/api/cost?since=7d"));
  assert.match(week.since ?? "", /^\d{4}-\d{2}-\d{2}$/);
  assert.ok(week.total.runs < view.total.runs);
  const one = await json<CostView>(await t.get(`/api/cost?task=${TASKS.daily}`));
  assert.deepEqual(one.by_task.map((r) => r.key), [TASKS.daily]);
  await assertError(await t.get("/api/cost?since=whenever"), 400, /since/);
});

Deno.test("POST /api/tasks/:name/run queues the run and starts a runner; again is a duplicate", async () => {
  await using t = await testServer();
  const response = await t.post(`/api/tasks/${TASKS.hostile}/run`);
  const body = await json<{ message: string; run_id: string; task: string; duplicate: boolean }>(
    response,
  );
  assert.equal(response.status, 202, JSON.stringify(body));
  assert.equal(body.task, TASKS.hostile);
  assert.match(body.message, new RegExp(`Queued ${TASKS.hostile} as ${body.run_id}`));
  assert.equal(body.duplicate, false);
  const queued = await withStore(t.deps, (s) => s.queued());
  assert.deepEqual(queued.map((q) => [q.id, q.task, q.trigger.type]), [
    [body.run_id, TASKS.hostile, "manual"],
  ]);
  assert.equal(t.runnersStarted, 1);
  const logged = await readEvents(t.deps.paths, { runId: body.run_id });
  assert.deepEqual(logged.map((e) => e.event), ["task_queued"]);

  const again = await json<{ run_id: string; duplicate: boolean; message: string }>(
    await t.post(`/api/tasks/${TASKS.hostile}/run`, {}),
  );
  assert.equal(again.run_id, body.run_id);
  assert.equal(again.duplicate, true);
  assert.match(again.message, /already queued/);
  assert.equal((await withStore(t.deps, (s) => s.queued())).length, 1);
});

Deno.test("POST run: an unknown task is 404 with the CLI's words; a folder watch needs a file", async () => {
  await using t = await testServer();
  const missing = await assertError(
    await t.post("/api/tasks/no-such-task/run"),
    404,
    /no-such-task/,
  );
  assert.equal(missing.name, "NotFoundError");
  await assertError(await t.post(`/api/tasks/${TASKS.watch}/run`), 400, /without a file/);
  await assertError(
    await t.post(`/api/tasks/${TASKS.watch}/run`, { file: 7 }),
    400,
    /"file" must be/,
  );
  await assertError(
    await t.post(`/api/tasks/${TASKS.watch}/run`, { file: "nothere.txt" }),
    400,
    /no such file/,
  );
  await assertError(
    await t.post(`/api/tasks/${TASKS.hostile}/run`, { file: "/etc/hosts" }),
    400,
    /on a file/,
  );
  await assertError(await t.post(`/api/tasks/${TASKS.hostile}/run`, "{not json"), 400, /not JSON/);
  assert.equal((await withStore(t.deps, (s) => s.queued())).length, 0, "nothing queued");
  assert.equal(t.runnersStarted, 0);

  // A file in the watched folder, by its name there.
  await Deno.writeTextFile(join(t.home, "inbox", "note.txt"), "hello");
  const ok = await t.post(`/api/tasks/${TASKS.watch}/run`, { file: "note.txt" });
  const body = await json<{ file: string; run_id: string }>(ok);
  assert.equal(ok.status, 202, JSON.stringify(body));
  assert.equal(body.file, join(t.home, "inbox", "note.txt"));
  const [item] = await withStore(t.deps, (s) => s.queued());
  assert.equal(item?.context?.file_path, body.file);
  // Another file while this one waits: a conflict, nothing more queued.
  await Deno.writeTextFile(join(t.home, "inbox", "other.txt"), "hello");
  await assertError(
    await t.post(`/api/tasks/${TASKS.watch}/run`, { file: "other.txt" }),
    409,
    /already queued as \S+ for .*note\.txt/,
  );
  assert.equal((await withStore(t.deps, (s) => s.queued())).length, 1);
});

Deno.test("POST run while paused queues it, starts no runner, and says it waits", async () => {
  await using t = await testServer();
  const pausing = await t.post("/api/pause");
  assert.equal(pausing.status, 200, await pausing.text());
  const body = await json<{ message: string; paused: unknown }>(
    await t.post(`/api/tasks/${TASKS.daily}/run`),
  );
  assert.match(body.message, /paused .* it waits/);
  assert.notEqual(body.paused, null);
  assert.equal(t.runnersStarted, 0);
});

Deno.test("POST /api/pause (for a duration, or until resumed) and /api/resume change the pause file", async () => {
  await using t = await testServer();
  const before = t.deps.clock.now();
  const paused = await json<{ message: string; paused: { since: string; until: string } }>(
    await t.post("/api/pause", { for: "2h" }),
  );
  assert.match(paused.message, /paused until/);
  const until = Date.parse(paused.paused.until);
  assert.ok(until >= before + 7_200_000 && until <= t.deps.clock.now() + 7_200_000);
  assert.deepEqual(await readPause(t.deps.paths, t.deps.clock.now()), paused.paused);

  await assertError(await t.post("/api/pause", { for: "soon" }), 400, /"for" must be a duration/);
  await assertError(await t.post("/api/pause", { for: 5 }), 400, /"for" must be a duration/);
  await assertError(await t.post("/api/pause", "[1"), 400, /not JSON/);
  await assertError(await t.post("/api/pause", "[1]"), 400, /JSON object/);

  const resumed = await json<{ message: string; resumed: boolean }>(await t.post("/api/resume"));
  assert.equal(resumed.resumed, true);
  assert.match(resumed.message, /runs again/);
  assert.equal(await readPause(t.deps.paths, t.deps.clock.now()), undefined);
  const again = await json<{ message: string; resumed: boolean }>(await t.post("/api/resume"));
  assert.equal(again.resumed, false);
  assert.equal(again.message, "The queue was not paused.");

  const forever = await json<{ paused: { until: null } }>(await t.post("/api/pause", {}));
  assert.equal(forever.paused.until, null);
});

Deno.test("POST /api/ack acknowledges the failed runs in the store", async () => {
  await using t = await testServer();
  assert.ok(await withStore(t.deps, (s) => s.attention()), "the fixture has failed runs");
  const body = await json<{ message: string; acknowledged: { failed: number } }>(
    await t.post("/api/ack"),
  );
  assert.match(body.message, /^Acknowledged \d+ failed run/);
  assert.ok(body.acknowledged.failed > 0);
  assert.equal(await withStore(t.deps, (s) => s.attention()), undefined);
  const again = await json<{ message: string; acknowledged: null }>(await t.post("/api/ack"));
  assert.equal(again.acknowledged, null);
  assert.equal(again.message, "No failed runs to acknowledge.");
});

Deno.test("POST /api/runs/:id/cancel: running asks it to stop, queued is removed, ended says so", async () => {
  await using t = await testServer();
  const a = await json<{ run_id: string }>(await t.post(`/api/tasks/${TASKS.daily}/run`));
  const b = await json<{ run_id: string }>(await t.post(`/api/tasks/${TASKS.hostile}/run`));
  const at = new Date(t.deps.clock.now()).toISOString();
  const me = { pid: 999_999, started: "x", acquired_at: at, heartbeat_at: at };
  await withStore(t.deps, async (s) => {
    await s.acquireLease(me, null);
    assert.equal((await s.takeNext(me, at))?.id, a.run_id);
  });

  const running = await json<{ message: string }>(await t.post(`/api/runs/${a.run_id}/cancel`));
  assert.match(running.message, /^Cancelling daily-review/);
  assert.equal(await withStore(t.deps, (s) => s.cancelRequest(a.run_id)), "clodputer web");

  const queued = await json<{ message: string; removed: { id: string } }>(
    await t.post(`/api/runs/${b.run_id}/cancel`),
  );
  assert.equal(queued.removed.id, b.run_id);
  assert.match(queued.message, /Removed hostile .* from the queue/);
  assert.deepEqual(await withStore(t.deps, (s) => s.queued()), []);

  const ended = t.seeded.newest[TASKS.daily];
  assert.ok(ended);
  await assertError(await t.post(`/api/runs/${ended.id}/cancel`), 400, /it already ended/);
  await assertError(
    await t.post("/api/runs/20000101-000000-abcdef/cancel"),
    404,
    /no run by that id is running or queued/,
  );
});

Deno.test("an unknown API path is a JSON 404", async () => {
  await using t = await testServer();
  const body = await json<ErrorBody>(await t.get("/api/nothing"));
  assert.equal(body.error.name, "NotFoundError");
});

Deno.test("end to end: clodputer web --port 0, POST run, the runner it starts runs it with the stand-in claude; web --open opens the running one", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "hello",
    `name: hello
description: say hello
task:
  prompt: "Say hello"
  allowed_tools: [Read]
  timeout: 60
`,
  );
  // A stand-in xdg-open/open that writes down the address it was given.
  const bin = join(home.root, "bin");
  await Deno.mkdir(bin);
  const opened = join(home.root, "opened");
  for (const name of ["xdg-open", "open"]) {
    await Deno.writeTextFile(join(bin, name), `#!/bin/sh\nprintf '%s\\n' "$1" >> '${opened}'\n`, {
      mode: 0o755,
    });
  }
  const env = { PATH: `${bin}:${FIXTURE_BIN}:/usr/local/bin:/usr/bin:/bin` };
  const before = await runnersStarted(home);
  await using web = await spawnCli(home, ["web", "--port", "0"], { env });
  const [, url, port, token] = await waitFor(
    "clodputer web to print its address",
    () => web.stdout.match(/(http:\/\/127\.0\.0\.1:(\d+)\/\?token=(\S+))/) ?? undefined,
    CLI_LIMIT_MS,
  );
  const base = `http://127.0.0.1:${port}`;
  const headers = { authorization: `Bearer ${token}`, origin: base };
  const queued = await fetch(`${base}/api/tasks/hello/run`, {
    method: "POST",
    headers,
    body: "{}",
  });
  const { run_id } = await json<{ run_id: string }>(queued);
  assert.equal(queued.status, 202);
  const record = await waitFor(`run ${run_id} to be recorded`, async () => {
    const r = await fetch(`${base}/api/runs/${run_id}`, { headers });
    const body = await json<{ status?: string; claude?: { result: string } }>(r);
    return r.status === 200 ? body : undefined;
  }, CLI_LIMIT_MS);
  assert.equal(record.status, "succeeded");
  assert.match(record.claude?.result ?? "", /hello from fake/);
  await awaitRunners(home, before);

  // `web --open` while it runs: opens that server's address, with its token, and exits 0.
  const again = await runCli(home, ["web", "--open"], { env });
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already running/);
  assert.equal((await Deno.readTextFile(opened)).trim(), url);
  // Plain `web` says where it runs (and opens nothing); asking for another port starts another.
  await Deno.remove(opened);
  const plain = await runCli(home, ["web"], { env });
  assert.equal(plain.code, 0, plain.stderr);
  assert.ok(plain.stdout.includes(`already running, pid ${web.pid}): ${url}`), plain.stdout);
  assert.equal(await Deno.stat(opened).then(() => true, () => false), false, "nothing opened");

  // `web --stop` stops it (SIGTERM) and waits for it; Ctrl-C is the browser tests' way.
  const stopped = await runCli(home, ["web", "--stop"], { env });
  assert.equal(stopped.code, 0, stopped.stderr);
  assert.match(stopped.stdout, new RegExp(`Stopped the web dashboard \\(pid ${web.pid}\\)`));
  const end = await web.output();
  const none = await runCli(home, ["web", "--stop"], { env });
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /No web dashboard is running/);
  assert.equal(end.code, 0, end.stderr);
  assert.equal(
    await Deno.stat(join(home.clodputerHome, "web.json")).then(() => true, () => false),
    false,
    "web.json removed when it stops",
  );
});
