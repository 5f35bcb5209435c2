/**
 * @module
 * A `session: continue` run with the stand-in claude, which keeps sessions in a folder
 * (FAKE_CLAUDE_SESSIONS): `--resume` on claude's command line, the record's session, and a
 * session claude cannot find begun afresh in the same run.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { GLOBAL_DEFAULTS } from "../../lib/config/fields.ts";
import { runTask } from "../../lib/run/run_task.ts";
import type { SessionState } from "../../lib/run/session.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";

/** hi.jsonl's session id: what the stand-in's plain run reports. */
const HI_SESSION = "eb747026-a985-4f80-a5e9-440d29297dab";

async function setup(taskLines = "  session: continue\n") {
  const root = await Deno.makeTempDir({ prefix: "clodputer-session-" });
  const sessions = join(root, "sessions");
  const work = join(root, "work");
  await Deno.mkdir(sessions);
  await Deno.mkdir(work);
  const log = join(root, "argv");
  const started = join(root, "started");
  const env = envFrom({
    HOME: root,
    PATH: `${FIXTURE_BIN}:/usr/bin:/bin`,
    FAKE_CLAUDE_LOG: log,
    FAKE_CLAUDE_SESSIONS: sessions,
    FAKE_CLAUDE_STARTED: started,
  });
  const paths = pathsUnder(join(root, ".clodputer"));
  const loaded = parseTaskSource(
    `name: t\ntask:\n  prompt: "Review"\n  working_directory: ${work}\n${taskLines}`,
    { file: join(paths.tasks, "t.yaml"), env },
  );
  const deps = {
    proc: systemProc(),
    clock: systemClock,
    env,
    paths,
    os: "linux",
    selfPid: Deno.pid,
  };
  return {
    root,
    work,
    sessions,
    deps,
    loaded,
    /** claude's argv in its last start. */
    argv: async () => (await Deno.readTextFile(log)).split("\0").slice(0, -1),
    /** How many times claude was started. */
    starts: async () => (await Deno.readTextFile(started)).trim().split("\n").length,
    state(id: string, runs: number, over: Record<string, string> = {}): SessionState {
      return {
        session: {
          id,
          cwd: work,
          config_dir: join(root, ".claude"),
          started_at: new Date(systemClock.now() - 3_600_000).toISOString(),
          last_at: new Date(systemClock.now() - 60_000).toISOString(),
          last_run_id: "r-0",
          runs,
          ...over,
        },
        reset_at: null,
      };
    },
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

const global = { ...GLOBAL_DEFAULTS, grace_period: 1 };

Deno.test("runTask() with no session to continue starts one and says why", async () => {
  await using s = await setup();
  const record = await runTask(s.deps, s.loaded, { global, session: { state: undefined } });
  assert.equal(record.status, "succeeded");
  assert.ok(!(await s.argv()).includes("--resume"));
  assert.deepEqual(record.session, {
    mode: "new",
    resumed: null,
    reason: "there is no earlier session to continue",
    run: 1,
    started_at: record.started_at,
    config_dir: join(s.root, ".claude"),
  });
  assert.equal(record.claude?.session_id, HI_SESSION);
});

Deno.test("runTask() continues the task's session: --resume <id>, the run counted", async () => {
  await using s = await setup();
  await Deno.writeTextFile(join(s.sessions, "s-kept"), "");
  const state = s.state("s-kept", 2);
  const record = await runTask(s.deps, s.loaded, { global, session: { state } });
  assert.equal(record.status, "succeeded");
  const argv = await s.argv();
  assert.equal(argv[argv.indexOf("--resume") + 1], "s-kept");
  assert.deepEqual(record.argv.slice(-2), ["--resume", "s-kept"], "the record's command says it");
  assert.equal(record.session?.mode, "continued");
  assert.equal(record.session?.resumed, "s-kept");
  assert.equal(record.session?.run, 3);
  assert.equal(record.session?.started_at, state.session?.started_at);
  assert.equal(record.claude?.session_id, "s-kept");
});

Deno.test("runTask() begins afresh in the same run when claude cannot find the session", async () => {
  await using s = await setup();
  const results: unknown[] = [];
  const record = await runTask(s.deps, s.loaded, {
    global,
    session: { state: s.state("s-gone", 4) },
    onEvent: (event) => {
      if (event.kind === "result") results.push(event.result.result);
    },
  });
  assert.equal(record.status, "succeeded", "a lost session is not a failure");
  assert.deepEqual(results, ["hello from fake"], "claude's not-found answer is not shown");
  assert.equal(await s.starts(), 2, "claude started twice: --resume, then afresh");
  assert.ok(!(await s.argv()).includes("--resume"), "the second start continues nothing");
  assert.ok(!record.argv.includes("--resume"));
  assert.deepEqual(record.session, {
    mode: "restarted",
    resumed: "s-gone",
    reason: "claude: No conversation found with session ID: s-gone",
    run: 1,
    started_at: record.started_at,
    config_dir: join(s.root, ".claude"),
  });
  assert.equal(record.claude?.session_id, HI_SESSION);
  assert.equal(record.claude?.result, "hello from fake", "the record is the fresh run's");
});

Deno.test("runTask() starts afresh in another working folder, and says where each ran", async () => {
  await using s = await setup();
  await Deno.writeTextFile(join(s.sessions, "s-kept"), "");
  const record = await runTask(s.deps, s.loaded, {
    global,
    session: { state: s.state("s-kept", 1, { cwd: "/elsewhere" }) },
  });
  assert.ok(!(await s.argv()).includes("--resume"));
  assert.equal(record.session?.mode, "new");
  assert.equal(record.session?.reason, `the last session ran in /elsewhere, this run in ${s.work}`);
});

Deno.test("runTask() for a retry repeats the failed try's session, whatever the state says", async () => {
  await using s = await setup();
  await Deno.writeTextFile(join(s.sessions, "s-failed-try"), "");
  const record = await runTask(s.deps, s.loaded, {
    global,
    trigger: { type: "retry", retry_of: "r-1" },
    session: {
      state: s.state("s-other", 1),
      retryOf: {
        id: "r-1",
        session: {
          mode: "continued",
          resumed: "s-failed-try",
          reason: null,
          run: 4,
          started_at: "2026-03-01T08:00:00.000Z",
          config_dir: join(s.root, ".claude"),
        },
      },
    },
  });
  const argv = await s.argv();
  assert.equal(argv[argv.indexOf("--resume") + 1], "s-failed-try");
  assert.equal(record.session?.run, 4, "the retry is the same run of the session");
});

Deno.test("runTask() of a task without session: continue neither resumes nor records a session", async () => {
  await using s = await setup("");
  const record = await runTask(s.deps, s.loaded, {
    global,
    session: { state: s.state("s-kept", 1) },
  });
  assert.ok(!(await s.argv()).includes("--resume"));
  assert.equal(record.session, undefined);
  assert.equal("session" in record, false);
});
