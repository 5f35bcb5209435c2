/**
 * @module
 * Tasks that remember, drawn for a person: a run's session line, a task's session and its next
 * run, and what a reset dropped. Pure renderers, colour off.
 */

import assert from "node:assert/strict";
import type { RunSession, TaskSession } from "../../lib/run/session.ts";
import type { TaskSessionView } from "../../lib/status/sessions.ts";
import { colors } from "../../lib/ui/color.ts";
import { localTimeWithZone } from "../../lib/ui/duration.ts";
import {
  describePlan,
  describeReset,
  renderSessions,
  runSessionLine,
  sessionLines,
} from "../../lib/ui/sessions.ts";

const NOW = Date.parse("2026-11-27T12:00:00Z");

const SESSION: TaskSession = {
  id: "sess-1",
  cwd: "/work/repo",
  config_dir: "/h/.claude",
  started_at: "2026-11-25T12:00:00.000Z",
  last_at: "2026-11-27T07:00:00.000Z",
  last_run_id: "20261127-070000-ab12cd",
  runs: 3,
};

function run(fields: Partial<RunSession>): RunSession {
  return {
    mode: "new",
    resumed: null,
    reason: null,
    run: 1,
    started_at: "2026-11-25T12:00:00.000Z",
    config_dir: "/h/.claude",
    ...fields,
  };
}

function view(fields: Partial<TaskSessionView>): TaskSessionView {
  return {
    task: "review",
    working_directory: "/work/repo",
    cwd: "/work/repo",
    config_dir: "/h/.claude",
    session_max_age: 604_800,
    session_max_runs: 20,
    session: SESSION,
    reset_at: null,
    age_ms: 2 * 86_400_000,
    next: { kind: "continue", id: "sess-1", runs: 3, started_at: SESSION.started_at },
    ...fields,
  };
}

Deno.test("runSessionLine() says whether a run continued, began or restarted its session, and why", () => {
  const began = localTimeWithZone("2026-11-25T12:00:00.000Z");
  assert.equal(
    runSessionLine(run({ mode: "continued", resumed: "sess-1", run: 3 }), "sess-1"),
    `session:   continued sess-1 (run 3 of the session, began ${began})`,
  );
  // claude may answer a resumed session under a new id: both are shown.
  assert.equal(
    runSessionLine(run({ mode: "continued", resumed: "sess-1", run: 2 }), "sess-2"),
    `session:   continued sess-1 (now sess-2) (run 2 of the session, began ${began})`,
  );
  assert.equal(
    runSessionLine(run({ reason: "there is no earlier session to continue" }), "sess-9"),
    "session:   sess-9 · new session: there is no earlier session to continue",
  );
  assert.equal(
    runSessionLine(
      run({ mode: "restarted", resumed: "gone", reason: "No conversation found\nwith id gone" }),
      null,
    ),
    "session:   - · restarted: No conversation found\\x0awith id gone (it was gone)",
    "claude's words stay on one line",
  );
});

Deno.test("describePlan() names the session the next run continues, or why it starts afresh", () => {
  assert.equal(
    describePlan({ kind: "continue", id: "s", runs: 3, started_at: "x" }, 20),
    "continues session s (run 4 of at most 20)",
  );
  assert.equal(
    describePlan({ kind: "new", reason: "the last session has had 20 runs" }, 20),
    "starts a new session: the last session has had 20 runs",
  );
});

Deno.test("sessionLines() and renderSessions() show a task's session, its age, last run, folder and next run", () => {
  assert.deepEqual(renderSessions([view({})], { color: colors(false), nowMs: NOW }), [
    "↻ review",
    "  session:   sess-1 · 3 runs · began 2 days ago",
    "  last run:  20261127-070000-ab12cd (5 hours ago)",
    "  cwd:       /work/repo",
    "  next run:  continues session sess-1 (run 4 of at most 20)",
  ]);
  // Reset, and no working_directory: the folder a run starts from decides.
  assert.deepEqual(
    sessionLines(
      view({
        session: null,
        reset_at: "2026-11-27T11:00:00.000Z",
        working_directory: null,
        next: { kind: "new", reason: "the session was reset" },
      }),
      { nowMs: NOW },
    ),
    [
      "session:   none (reset 1 hour ago)",
      "folder:    none set: a run uses the folder it starts from",
      "next run:  starts a new session: the session was reset",
    ],
  );
  assert.equal(
    sessionLines(view({ session: null, next: { kind: "new", reason: "r" } }), { nowMs: NOW })[0],
    "session:   none yet",
  );
  const none = renderSessions([], { color: colors(false), nowMs: NOW });
  assert.match(none[0] ?? "", /No task continues a Claude session/);
  assert.match(none[1] ?? "", /session: continue/);
  // Two tasks: a blank line between them.
  const two = renderSessions([view({}), view({ task: "other" })], {
    color: colors(false),
    nowMs: NOW,
  });
  assert.equal(two[5], "");
  assert.equal(two[6], "↻ other");
});

Deno.test("describeReset() says what was dropped, or that there was none", () => {
  assert.equal(
    describeReset("review", SESSION, NOW),
    "The next run of review starts a new session (dropped session sess-1, 3 runs, began 2 days ago)",
  );
  assert.equal(
    describeReset("review", { ...SESSION, runs: 1 }, NOW),
    "The next run of review starts a new session (dropped session sess-1, 1 run, began 2 days ago)",
  );
  assert.equal(
    describeReset("review", null, NOW),
    "The next run of review starts a new session (it had none to drop)",
  );
});
