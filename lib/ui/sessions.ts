/**
 * @module
 * Tasks that remember, for a person: a run's session (continued, new, restarted), a task's
 * session and what its next run will do, and what a reset dropped. Pure.
 */

import { ago } from "../config/depends.ts";
import type { RunSession, SessionPlan, TaskSession } from "../run/session.ts";
import type { TaskSessionView } from "../status/sessions.ts";
import type { Colors } from "./color.ts";
import { localTimeWithZone } from "./duration.ts";
import { escapeControls } from "./escape.ts";

/** The mark beside a task whose runs continue a Claude session (`list`, `session show`). */
export const SESSION_MARK = "↻";

/** "2 days ago": how long ago `iso` was, at `nowMs`. */
function agoAt(iso: string, nowMs: number): string {
  return ago(Math.max(0, nowMs - Date.parse(iso)) / 1000);
}

function runs(n: number): string {
  return `${n} run${n === 1 ? "" : "s"}`;
}

/**
 * A run's `session:` line from its record's session: "continued <id> (run 3 of the session,
 * began ...)", "new session: <reason>", "restarted: <reason>". `claudeId` is the session id
 * claude's result gave, when known.
 */
export function runSessionLine(session: RunSession, claudeId: string | null): string {
  const began = localTimeWithZone(session.started_at);
  switch (session.mode) {
    case "continued": {
      const moved = claudeId !== null && claudeId !== session.resumed ? ` (now ${claudeId})` : "";
      return `session:   continued ${session.resumed ?? "?"}${moved} ` +
        `(run ${session.run} of the session, began ${began})`;
    }
    case "new":
      return `session:   ${claudeId ?? "-"} · new session: ${
        escapeControls(session.reason ?? "no reason recorded")
      }`;
    case "restarted":
      return `session:   ${claudeId ?? "-"} · restarted: ${
        escapeControls(session.reason ?? "claude could not find the session")
      }${session.resumed ? ` (it was ${session.resumed})` : ""}`;
  }
}

/** What the next run will do, in words: "continues session <id> (run 4 of at most 20)". */
export function describePlan(plan: SessionPlan, maxRuns: number): string {
  if (plan.kind === "continue") {
    return `continues session ${plan.id} (run ${plan.runs + 1} of at most ${maxRuns})`;
  }
  return `starts a new session: ${escapeControls(plan.reason)}`;
}

/** The lines of one task's session, each indented by `indent`, labels padded like `show`'s. */
export function sessionLines(
  view: TaskSessionView,
  options: { nowMs: number; indent?: string },
): string[] {
  const pad = options.indent ?? "";
  const s = view.session;
  const lines: string[] = [];
  if (s === null) {
    lines.push(
      `${pad}session:   none${
        view.reset_at ? ` (reset ${agoAt(view.reset_at, options.nowMs)})` : " yet"
      }`,
    );
  } else {
    lines.push(
      `${pad}session:   ${s.id} · ${runs(s.runs)} · began ${agoAt(s.started_at, options.nowMs)}`,
      `${pad}last run:  ${s.last_run_id} (${agoAt(s.last_at, options.nowMs)})`,
      `${pad}cwd:       ${escapeControls(s.cwd)}`,
    );
  }
  if (view.working_directory === null) {
    lines.push(`${pad}folder:    none set: a run uses the folder it starts from`);
  }
  lines.push(`${pad}next run:  ${describePlan(view.next, view.session_max_runs)}`);
  return lines;
}

/** `session show`: every `session: continue` task and its session. */
export function renderSessions(
  views: readonly TaskSessionView[],
  options: { color: Colors; nowMs: number },
): string[] {
  if (views.length === 0) {
    return [
      "No task continues a Claude session.",
      "Set `session: continue` in a task's task: section to make its runs remember (docs/sessions.md).",
    ];
  }
  const lines: string[] = [];
  for (const view of views) {
    if (lines.length > 0) lines.push("");
    lines.push(`${options.color.cyan(SESSION_MARK)} ${view.task}`);
    lines.push(...sessionLines(view, { nowMs: options.nowMs, indent: "  " }));
  }
  return lines;
}

/**
 * What `session reset` did: "The next run of X starts a new session (dropped session <id>,
 * 3 runs, began 2 days ago)".
 */
export function describeReset(task: string, dropped: TaskSession | null, nowMs: number): string {
  const what = dropped === null
    ? "it had none to drop"
    : `dropped session ${dropped.id}, ${runs(dropped.runs)}, began ${
      agoAt(dropped.started_at, nowMs)
    }`;
  return `The next run of ${task} starts a new session (${what})`;
}
