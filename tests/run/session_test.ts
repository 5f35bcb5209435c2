/**
 * @module
 * The choice of session for a `session: continue` task, as units: age, count, folder, config
 * folder, reset, retries, claude's words for a lost session, and the session after a run.
 */

import assert from "node:assert/strict";
import {
  chooseSession,
  claudeConfigDir,
  isSessionState,
  lostSessionWords,
  planForRetry,
  type RunSession,
  sessionAfter,
  type SessionState,
  type TaskSession,
} from "../../lib/run/session.ts";
import type { ClaudeResult } from "../../lib/run/stream.ts";

const DAY = 86_400_000;
const T0 = Date.parse("2026-03-01T08:00:00.000Z");
const settings = { session_max_age: 7 * 86_400, session_max_runs: 5 };

function session(over: Partial<TaskSession> = {}): TaskSession {
  return {
    id: "s-1",
    cwd: "/work",
    config_dir: "/home/me/.claude",
    started_at: new Date(T0).toISOString(),
    last_at: new Date(T0 + 60_000).toISOString(),
    last_run_id: "r-1",
    runs: 1,
    ...over,
  };
}

function state(over: Partial<TaskSession> = {}): SessionState {
  return { session: session(over), reset_at: null };
}

const here = { cwd: "/work", configDir: "/home/me/.claude" };

function result(over: Partial<ClaudeResult> = {}): ClaudeResult {
  return {
    result: "done",
    is_error: false,
    subtype: "success",
    api_error_status: null,
    terminal_reason: "completed",
    session_id: "s-1",
    total_cost_usd: 0.01,
    duration_ms: 100,
    num_turns: 1,
    usage: null,
    model_usage: null,
    permission_denials: [],
    errors: [],
    ...over,
  };
}

Deno.test("chooseSession() continues the task's session within its limits", () => {
  const plan = chooseSession({ settings, state: state({ runs: 4 }), nowMs: T0 + DAY, ...here });
  assert.deepEqual(plan, {
    kind: "continue",
    id: "s-1",
    runs: 4,
    started_at: new Date(T0).toISOString(),
  });
});

Deno.test("chooseSession() starts afresh with no session, or after a reset, and says so", () => {
  assert.deepEqual(chooseSession({ settings, state: undefined, nowMs: T0, ...here }), {
    kind: "new",
    reason: "there is no earlier session to continue",
  });
  const reset = { session: null, reset_at: "2026-03-02T09:00:00.000Z" };
  assert.deepEqual(chooseSession({ settings, state: reset, nowMs: T0, ...here }), {
    kind: "new",
    reason: "the session was reset (clodputer session reset) at 2026-03-02T09:00:00.000Z",
  });
});

Deno.test("chooseSession() starts afresh past session_max_age, counted from the session's start", () => {
  const at = (ms: number) => chooseSession({ settings, state: state(), nowMs: ms, ...here });
  assert.equal(at(T0 + 7 * DAY).kind, "continue", "exactly the limit still continues");
  assert.deepEqual(at(T0 + 8 * DAY), {
    kind: "new",
    reason: "the last session began 8 days ago (session_max_age: 7d)",
  });
});

Deno.test("chooseSession() starts afresh once the session has had session_max_runs runs", () => {
  assert.equal(
    chooseSession({ settings, state: state({ runs: 4 }), nowMs: T0, ...here }).kind,
    "continue",
  );
  assert.deepEqual(chooseSession({ settings, state: state({ runs: 5 }), nowMs: T0, ...here }), {
    kind: "new",
    reason: "the last session has had 5 runs (session_max_runs: 5)",
  });
});

Deno.test("chooseSession() continues only in the same folder and Claude config folder", () => {
  assert.deepEqual(
    chooseSession({
      settings,
      state: state(),
      nowMs: T0,
      cwd: "/elsewhere",
      configDir: here.configDir,
    }),
    { kind: "new", reason: "the last session ran in /work, this run in /elsewhere" },
  );
  assert.deepEqual(
    chooseSession({ settings, state: state(), nowMs: T0, cwd: "/work", configDir: "/cfg" }),
    {
      kind: "new",
      reason: "the last session is in Claude config folder /home/me/.claude, this run uses /cfg",
    },
  );
});

Deno.test("claudeConfigDir() takes the task's CLAUDE_CONFIG_DIR, then Clodputer's, then ~/.claude", () => {
  assert.equal(claudeConfigDir({ HOME: "/h" }, {}), "/h/.claude");
  assert.equal(claudeConfigDir({ HOME: "/h", CLAUDE_CONFIG_DIR: "/c" }, {}), "/c");
  assert.equal(
    claudeConfigDir({ HOME: "/h", CLAUDE_CONFIG_DIR: "/c" }, { CLAUDE_CONFIG_DIR: "/t" }),
    "/t",
  );
  assert.equal(claudeConfigDir({ HOME: "/h", CLAUDE_CONFIG_DIR: "" }, {}), "/h/.claude");
});

Deno.test("planForRetry() repeats the failed try's choice: its session, or a new one", () => {
  const failed: RunSession = {
    mode: "continued",
    resumed: "s-1",
    reason: null,
    run: 3,
    started_at: "2026-03-01T08:00:00.000Z",
    config_dir: "/c",
  };
  assert.deepEqual(planForRetry(failed, "r-9"), {
    kind: "continue",
    id: "s-1",
    runs: 2,
    started_at: "2026-03-01T08:00:00.000Z",
  });
  for (const mode of ["new", "restarted"] as const) {
    assert.deepEqual(planForRetry({ ...failed, mode, run: 1 }, "r-9"), {
      kind: "new",
      reason: "a retry of run r-9, which started a new session",
    });
  }
});

Deno.test("lostSessionWords() finds claude's words for a session it cannot find, and nothing else", () => {
  const lost = result({
    is_error: true,
    subtype: "error_during_execution",
    num_turns: 0,
    result: null,
    errors: ["No conversation found with session ID: 6c1f0b7e-0000-4000-8000-000000000000"],
  });
  assert.equal(
    lostSessionWords(lost, ""),
    "No conversation found with session ID: 6c1f0b7e-0000-4000-8000-000000000000",
  );
  // No result at all (an older CLI): stderr says it.
  assert.equal(
    lostSessionWords(null, "warning: x\nNo conversation found with session ID: abc\n"),
    "No conversation found with session ID: abc",
  );
  // A run that took a turn, or succeeded, did find its session whatever its text says.
  assert.equal(
    lostSessionWords(result({ result: "No conversation found with session ID: x" }), ""),
    null,
  );
  assert.equal(
    lostSessionWords(
      result({ is_error: true, num_turns: 2, errors: ["No conversation found"] }),
      "",
    ),
    null,
  );
  assert.equal(
    lostSessionWords(result({ is_error: true, num_turns: 0, errors: ["boom"] }), ""),
    null,
  );
});

const run = (over: Partial<Parameters<typeof sessionAfter>[1]> = {}) => ({
  id: "r-2",
  started_at: "2026-03-02T08:00:00.000Z",
  ended_at: "2026-03-02T08:01:00.000Z",
  cwd: "/work",
  claude: result(),
  ...over,
});

const continued: RunSession = {
  mode: "continued",
  resumed: "s-1",
  reason: null,
  run: 2,
  started_at: new Date(T0).toISOString(),
  config_dir: "/home/me/.claude",
};

Deno.test("sessionAfter() counts a continued run into its session", () => {
  const after = sessionAfter(state(), run({ session: continued }));
  assert.deepEqual(after, {
    session: session({
      runs: 2,
      last_at: "2026-03-02T08:01:00.000Z",
      last_run_id: "r-2",
    }),
    reset_at: null,
  });
});

Deno.test("sessionAfter() begins a new session from a new or restarted run's result", () => {
  for (const mode of ["new", "restarted"] as const) {
    const ran: RunSession = { ...continued, mode, resumed: mode === "new" ? null : "s-1", run: 1 };
    const after = sessionAfter(
      { session: session(), reset_at: "2026-03-01T09:00:00.000Z" },
      run({ claude: result({ session_id: "s-2" }), session: ran }),
    );
    assert.deepEqual(after, {
      session: {
        id: "s-2",
        cwd: "/work",
        config_dir: "/home/me/.claude",
        started_at: "2026-03-02T08:00:00.000Z",
        last_at: "2026-03-02T08:01:00.000Z",
        last_run_id: "r-2",
        runs: 1,
      },
      reset_at: null,
    });
  }
});

Deno.test("sessionAfter() keeps the session when the run reached no result", () => {
  assert.equal(sessionAfter(state(), run({ claude: null, session: continued })), undefined);
  assert.equal(
    sessionAfter(state(), run({ claude: result({ session_id: null }), session: continued })),
    undefined,
  );
  // Not a session: continue task: nothing to keep.
  assert.equal(sessionAfter(state(), run()), undefined);
});

Deno.test("sessionAfter() drops a session claude could not find when the fresh start got no result", () => {
  const restarted: RunSession = { ...continued, mode: "restarted", run: 1, reason: "claude: ..." };
  assert.deepEqual(sessionAfter(state(), run({ claude: null, session: restarted })), {
    session: null,
    reset_at: null,
  });
});

Deno.test("sessionAfter() carries a continued session on when claude names it anew", () => {
  const after = sessionAfter(
    state(),
    run({ claude: result({ session_id: "s-1b" }), session: continued }),
  );
  assert.equal(after?.session?.id, "s-1b");
  assert.equal(after?.session?.runs, 2);
  assert.equal(after?.session?.started_at, new Date(T0).toISOString());
});

Deno.test("isSessionState() accepts what the store keeps and refuses damaged values", () => {
  assert.ok(isSessionState(state()));
  assert.ok(isSessionState({ session: null, reset_at: "2026-03-01T00:00:00.000Z" }));
  for (
    const bad of [
      null,
      "x",
      { session: null },
      { session: { ...session(), runs: -1 }, reset_at: null },
      { session: { ...session(), id: 7 }, reset_at: null },
      { session: "s-1", reset_at: null },
    ]
  ) {
    assert.equal(isSessionState(bad), false, JSON.stringify(bad));
  }
});
