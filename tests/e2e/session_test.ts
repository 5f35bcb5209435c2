/**
 * @module
 * Tasks that remember, end to end: the real CLI as a subprocess, the stand-in claude keeping its
 * sessions in a temp folder (FAKE_CLAUDE_SESSIONS), a temp home. A `session: continue` task run
 * twice continues its session; `show`, `list`, `status --json` and `session` say so; `session
 * reset` and `run --new-session` start the next run afresh; unknown and `session: new` tasks are
 * refused with exit 2.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, tempHome } from "./cli.ts";

/** The id the stand-in's default scenario (hi.jsonl) gives its session. */
const FAKE_SESSION = "eb747026-a985-4f80-a5e9-440d29297dab";

async function argv(log: string): Promise<string[]> {
  return (await Deno.readTextFile(log)).split("\0").slice(0, -1);
}

Deno.test("a session: continue task continues its session; session, show, list and status say so; reset and --new-session start afresh", async () => {
  await using home = await tempHome();
  const work = join(home.root, "work");
  const sessions = join(home.root, "sessions");
  await Deno.mkdir(work);
  await Deno.mkdir(sessions);
  await home.writeTask(
    "review",
    `task:\n  prompt: review the repo\n  session: continue\n  working_directory: ${work}\n`,
  );
  await home.writeTask("plain", "task:\n  prompt: hi\n");
  const log = join(home.root, "argv");
  const env = { FAKE_CLAUDE_SESSIONS: sessions, FAKE_CLAUDE_LOG: log };
  const cli = (args: string[]) => runCli(home, args, { env });

  for (let i = 0; i < 2; i++) {
    const ran = await cli(["run", "review", "--now"]);
    assert.equal(ran.code, 0, ran.stderr);
  }
  assert.deepEqual((await argv(log)).slice(-2), ["--resume", FAKE_SESSION], "run 2 resumed");

  const shown = await cli(["show", "review"]);
  assert.equal(shown.code, 0, shown.stderr);
  assert.match(
    shown.stdout,
    new RegExp(`session: {3}continued ${FAKE_SESSION} \\(run 2 of the session, began `),
  );
  assert.match(shown.stdout, /task review's session now:\n {2}session: {3}\S+ · 2 runs · began /);
  assert.match(
    shown.stdout,
    new RegExp(`next run: {2}continues session ${FAKE_SESSION} \\(run 3 of at most 20\\)`),
  );
  const shownJson = JSON.parse((await cli(["show", "review", "--json"])).stdout);
  assert.equal(shownJson.session.mode, "continued");
  assert.equal(shownJson.task_session.next.kind, "continue");

  const list = await cli(["list"]);
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^✓ review ↻ {2}manual/m);
  assert.match(list.stdout, /^✓ plain {5}manual/m);
  assert.match(list.stdout, /^↻ continues its Claude session/m);
  const rows = JSON.parse((await cli(["list", "--json"])).stdout) as {
    name: string;
    session: unknown;
  }[];
  assert.deepEqual(rows.find((r) => r.name === "review")?.session, {
    mode: "continue",
    id: FAKE_SESSION,
    runs: 2,
    started_at: shownJson.session.started_at,
  });
  assert.equal((rows.find((r) => r.name === "plain")?.session as { mode: string }).mode, "new");

  const status = JSON.parse((await cli(["status", "--json"])).stdout);
  assert.equal(status.sessions.review.id, FAKE_SESSION);
  assert.equal(status.sessions.review.runs, 2);
  assert.equal(typeof status.sessions.review.age_ms, "number");

  const listed = JSON.parse((await cli(["session", "--json"])).stdout);
  assert.deepEqual(listed.map((v: { task: string }) => v.task), ["review"]);
  assert.equal(listed[0].session.runs, 2);

  // run --new-session: the session is dropped before the run, which starts afresh.
  const fresh = await cli(["run", "review", "--now", "--new-session"]);
  assert.equal(fresh.code, 0, fresh.stderr);
  assert.match(
    fresh.stderr,
    new RegExp(
      `The next run of review starts a new session \\(dropped session ${FAKE_SESSION}, 2 runs, began `,
    ),
  );
  assert.ok(!(await argv(log)).includes("--resume"), "the run did not resume");
  const record = JSON.parse((await cli(["show", "review", "--json"])).stdout);
  assert.equal(record.session.mode, "new");
  assert.match(record.session.reason, /reset/);

  // session reset: the next run starts afresh (the session the fresh run began is dropped).
  const reset = await cli(["session", "reset", "review"]);
  assert.equal(reset.code, 0, reset.stderr);
  assert.match(reset.stdout, /dropped session \S+, 1 run, began /);
  const after = await cli(["session", "show", "review"]);
  assert.match(after.stdout, /session: {3}none \(reset /);
  assert.match(after.stdout, /next run: {2}starts a new session: the session was reset/);
});

Deno.test("session reset and run --new-session refuse an unknown task and a session: new task (exit 2)", async () => {
  await using home = await tempHome();
  await home.writeTask("plain", "task:\n  prompt: hi\n");
  const unknown = await runCli(home, ["session", "reset", "nope"]);
  assert.equal(unknown.code, 2, unknown.stderr);
  assert.match(unknown.stderr, /nope/);
  const plain = await runCli(home, ["run", "plain", "--new-session"]);
  assert.equal(plain.code, 2, plain.stderr);
  assert.match(plain.stderr, /its runs do not continue a Claude session \(session: new\)/);
  assert.match(plain.stderr, /--new-session/);
  // Nothing was queued or run.
  const queue = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  assert.equal(JSON.stringify(queue).includes("plain"), false, JSON.stringify(queue));
  const resetPlain = await runCli(home, ["session", "reset", "plain"]);
  assert.equal(resetPlain.code, 2, resetPlain.stderr);
});
