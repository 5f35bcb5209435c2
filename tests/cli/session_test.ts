/**
 * @module
 * `clodputer session`, `session show` and `session reset`, run in-process through the command
 * tree against a temp home with a real state store (KV file): what each prints, what reset
 * keeps in the store, and the tasks they refuse.
 */

import assert from "node:assert/strict";
import type { Deps } from "../../lib/cli/deps.ts";
import { runProgram } from "../../lib/cli/program.ts";
import { NotFoundError, UsageError } from "../../lib/errors.ts";
import type { SessionState } from "../../lib/run/session.ts";
import { openStore, withStore } from "../../lib/state/open.ts";
import { resetSession } from "../../lib/state/session_reset.ts";
import { readSessionViews } from "../../lib/status/sessions.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { join } from "../../lib/sys/posix_path.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { recordingOutput } from "../../lib/ui/output.ts";
import { FakeClock } from "../fakes/clock.ts";

const DAY = 86_400_000;

interface Scene extends AsyncDisposable {
  root: string;
  clock: FakeClock;
  deps: () => Deps & { out: ReturnType<typeof recordingOutput> };
  state: SessionState;
  run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
}

/** A home with `review` (session: continue, 2 days into its session) and `plain` (session: new). */
async function scene(): Promise<Scene> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-session-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.tasks, { recursive: true });
  const clock = new FakeClock(Date.parse("2026-11-27T12:00:00Z"));
  await Deno.writeTextFile(
    join(paths.tasks, "review.yaml"),
    `task:\n  prompt: review\n  session: continue\n  session_max_runs: 5\n  working_directory: ${root}\n`,
  );
  await Deno.writeTextFile(join(paths.tasks, "plain.yaml"), "task:\n  prompt: hi\n");
  const state: SessionState = {
    session: {
      id: "sess-review",
      cwd: root,
      config_dir: join(root, ".claude"),
      started_at: new Date(clock.now() - 2 * DAY).toISOString(),
      last_at: new Date(clock.now() - 3_600_000).toISOString(),
      last_run_id: "20261127-110000-ab12cd",
      runs: 3,
    },
    reset_at: null,
  };
  const { store } = await openStore(paths, clock);
  try {
    await store.setSession("review", state);
  } finally {
    store.close();
  }
  const deps = () => ({
    clock,
    proc: systemProc(),
    env: envFrom({ HOME: root, PATH: "/usr/bin:/bin" }),
    paths,
    out: recordingOutput(),
    selfPid: Deno.pid,
    os: Deno.build.os,
    debug: false,
    confirm: () => Promise.resolve(undefined),
    onSignal: () => () => {},
  });
  return {
    root,
    clock,
    deps,
    state,
    async run(args) {
      const d = deps();
      const code = await runProgram(args, { out: d.out, makeDeps: () => d });
      return { code, stdout: d.out.stdout.join("\n"), stderr: d.out.stderr.join("\n") };
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("session lists each session: continue task with its session and what the next run does", async () => {
  await using s = await scene();
  const text = await s.run(["session"]);
  assert.equal(text.code, 0, text.stderr);
  assert.equal(
    text.stdout,
    [
      "↻ review",
      "  session:   sess-review · 3 runs · began 2 days ago",
      "  last run:  20261127-110000-ab12cd (1 hour ago)",
      `  cwd:       ${s.root}`,
      "  next run:  continues session sess-review (run 4 of at most 5)",
    ].join("\n"),
    "plain (session: new) is not listed",
  );
  const json = await s.run(["session", "show", "review", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const [view] = JSON.parse(json.stdout);
  assert.equal(view.task, "review");
  assert.deepEqual(view.session, s.state.session);
  assert.equal(view.age_ms, 2 * DAY);
  assert.deepEqual(view.next, {
    kind: "continue",
    id: "sess-review",
    runs: 3,
    started_at: s.state.session?.started_at,
  });
  assert.equal(view.session_max_runs, 5);
  assert.equal(view.working_directory, s.root);
});

Deno.test("session reset drops the session in the store; the next run starts afresh and says so", async () => {
  await using s = await scene();
  const reset = await s.run(["session", "reset", "review"]);
  assert.equal(reset.code, 0, reset.stderr);
  assert.equal(
    reset.stdout,
    "The next run of review starts a new session (dropped session sess-review, 3 runs, began 2 days ago)",
  );
  const kept = await withStore(s.deps(), (store) => store.session("review"));
  assert.deepEqual(kept, { session: null, reset_at: "2026-11-27T12:00:00.000Z" });
  const [view] = await readSessionViews(s.deps(), "review");
  assert.equal(view?.next.kind, "new");
  assert.match(view?.next.kind === "new" ? view.next.reason : "", /reset/);

  // Again: nothing left to drop, as JSON.
  const again = await s.run(["session", "reset", "review", "--json"]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(JSON.parse(again.stdout), {
    task: "review",
    reset_at: "2026-11-27T12:00:00.000Z",
    dropped: null,
  });
  const text = await s.run(["session", "show"]);
  assert.match(text.stdout, /session: {3}none \(reset less than a second ago\)/);
  assert.match(text.stdout, /next run: {2}starts a new session: the session was reset/);
});

Deno.test("session reset and session show refuse an unknown task and a task with session: new", async () => {
  await using s = await scene();
  await assert.rejects(() => s.run(["session", "reset", "nope"]), NotFoundError);
  await assert.rejects(() => s.run(["session", "show", "nope"]), NotFoundError);
  const refused = await assert.rejects(
    () => s.run(["session", "reset", "plain"]),
    (error: unknown) => {
      assert.ok(error instanceof UsageError);
      assert.equal(error.exitCode, 2);
      assert.match(error.message, /"plain": its runs do not continue a Claude session/);
      assert.match(error.hint ?? "", /session: continue/);
      return true;
    },
  );
  assert.equal(refused, undefined);
  // Nothing was written for them.
  const states = await withStore(s.deps(), (store) => store.sessions());
  assert.deepEqual([...states.keys()], ["review"]);
});

Deno.test("session with no task that continues a session says how to make one", async () => {
  await using s = await scene();
  await Deno.remove(join(s.deps().paths.tasks, "review.yaml"));
  const r = await s.run(["session"]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /^No task continues a Claude session\./);
});

Deno.test("resetSession() keeps the reset in a real store and returns the session it dropped", async () => {
  await using s = await scene();
  const dropped = await withStore(
    s.deps(),
    (store) => resetSession(store, "review", "2026-11-27T12:00:00.000Z"),
  );
  assert.deepEqual(dropped, s.state.session);
  const none = await withStore(
    s.deps(),
    (store) => resetSession(store, "never-ran", "2026-11-27T12:00:00.000Z"),
  );
  assert.equal(none, null);
});
