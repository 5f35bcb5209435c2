/**
 * @module
 * Tasks that remember: which Claude session a run of a `session: continue` task continues, how
 * claude says it cannot find one, and what the task's session is after the run. Pure: the store
 * keeps a task's {@linkcode SessionState} (lib/state), a run's record its {@linkcode RunSession}.
 */

import { ago, compactSeconds } from "../config/depends.ts";
import type { TaskSpec } from "../config/types.ts";
import { join } from "../sys/posix_path.ts";
import type { ClaudeResult } from "./stream.ts";

/** The Claude session a task's next run may continue. */
export interface TaskSession {
  /** claude's session id, from its result (2.1.197's request header differs from it). */
  id: string;
  /** The folder claude ran in: claude keeps a session under its working directory. */
  cwd: string;
  /** The Claude config folder that holds the session's transcript. */
  config_dir: string;
  /** When the session's first run started. */
  started_at: string;
  /** The session's last run that reached a result. */
  last_at: string;
  last_run_id: string;
  /** How many runs reached a result in this session. */
  runs: number;
}

/** What the store keeps for one task: its session, and the last reset by a person. */
export interface SessionState {
  session: TaskSession | null;
  /** Set by `clodputer session reset` (or `run --new-session`); cleared by the next session. */
  reset_at: string | null;
}

/** How a run of a `session: continue` task starts. */
export type SessionPlan =
  | { kind: "new"; reason: string }
  | { kind: "continue"; id: string; runs: number; started_at: string };

/** What a run's record says of its session (runs of tasks with `session: continue` only). */
export interface RunSession {
  /**
   * `continued`: claude resumed `resumed`; `new`: the run started afresh (`reason`); `restarted`:
   * claude could not find `resumed` (`reason` has its words), so the run started afresh.
   */
  mode: "continued" | "new" | "restarted";
  resumed: string | null;
  reason: string | null;
  /** Which run of its session this is: 1 for a session's first. */
  run: number;
  /** When the session began (this run's start for a new one). */
  started_at: string;
  /** The Claude config folder the run used. */
  config_dir: string;
}

/** The Claude config folder a run uses: `CLAUDE_CONFIG_DIR` (the task's env first), else ~/.claude. */
export function claudeConfigDir(
  env: Readonly<Record<string, string | undefined>>,
  taskEnv: Readonly<Record<string, string>>,
): string {
  const set = taskEnv.CLAUDE_CONFIG_DIR ?? env.CLAUDE_CONFIG_DIR;
  if (set !== undefined && set !== "") return set;
  return join(env.HOME ?? "", ".claude");
}

/** The limits of a task's sessions, from its `task:` section. */
export type SessionSettings = Pick<TaskSpec, "session_max_age" | "session_max_runs">;

/**
 * Chooses how the next run of a `session: continue` task starts: it continues the task's session
 * unless there is none, it ran in another folder or Claude config folder, or it reached a limit;
 * a new session's reason says which, in words for the record.
 */
export function chooseSession(input: {
  settings: SessionSettings;
  state: SessionState | undefined;
  nowMs: number;
  cwd: string;
  configDir: string;
}): SessionPlan {
  const { settings, state, nowMs } = input;
  const last = state?.session ?? null;
  if (last === null) {
    const reason = state?.reset_at
      ? `the session was reset (clodputer session reset) at ${state.reset_at}`
      : "there is no earlier session to continue";
    return { kind: "new", reason };
  }
  if (last.cwd !== input.cwd) {
    return {
      kind: "new",
      reason: `the last session ran in ${last.cwd}, this run in ${input.cwd}`,
    };
  }
  if (last.config_dir !== input.configDir) {
    return {
      kind: "new",
      reason: `the last session is in Claude config folder ${last.config_dir}, ` +
        `this run uses ${input.configDir}`,
    };
  }
  const ageSeconds = (nowMs - Date.parse(last.started_at)) / 1000;
  if (!(ageSeconds <= settings.session_max_age)) {
    return {
      kind: "new",
      reason: `the last session began ${ago(ageSeconds)} ` +
        `(session_max_age: ${compactSeconds(settings.session_max_age)})`,
    };
  }
  if (last.runs >= settings.session_max_runs) {
    return {
      kind: "new",
      reason: `the last session has had ${last.runs} run${last.runs === 1 ? "" : "s"} ` +
        `(session_max_runs: ${settings.session_max_runs})`,
    };
  }
  return { kind: "continue", id: last.id, runs: last.runs, started_at: last.started_at };
}

/**
 * A retry continues the session its failed try continued, and starts afresh when that one did:
 * the plan from the failed run's record.
 */
export function planForRetry(failed: RunSession, failedRunId: string): SessionPlan {
  if (failed.mode === "continued" && failed.resumed !== null) {
    return {
      kind: "continue",
      id: failed.resumed,
      runs: Math.max(0, failed.run - 1),
      started_at: failed.started_at,
    };
  }
  return { kind: "new", reason: `a retry of run ${failedRunId}, which started a new session` };
}

const LOST_SESSION =
  /No conversation found[^\n]*|--resume requires a valid session[^\n]*|session[^\n]*not found[^\n]*/i;

/**
 * claude's words when it could not find the session it was asked to resume (deleted, expired,
 * made on another machine), or null. 2.1.330 ends with an error result, no turn taken, whose
 * `errors` say "No conversation found with session ID: ..."; stderr says it too.
 */
export function lostSessionWords(claude: ClaudeResult | null, stderr: string): string | null {
  if (claude !== null && !(claude.is_error && (claude.num_turns ?? 0) === 0)) return null;
  for (const text of [...(claude?.errors ?? []), claude?.result ?? "", stderr]) {
    const found = LOST_SESSION.exec(text);
    if (found) return found[0].trim().slice(0, 300);
  }
  return null;
}

/**
 * The task's session after a run: the session its result names (continued: one more run; else a
 * new one begins), or the state unchanged when the run reached no result. A run that found its
 * session gone and got no result either drops it (claude cannot find it next time either).
 * Undefined: nothing to write.
 */
export function sessionAfter(
  before: SessionState | undefined,
  run: {
    id: string;
    started_at: string;
    ended_at: string;
    cwd: string | null;
    claude: ClaudeResult | null;
    session?: RunSession | undefined;
  },
): SessionState | undefined {
  const ran = run.session;
  if (ran === undefined) return undefined;
  const id = run.claude?.session_id ?? null;
  if (id === null || run.cwd === null) {
    if (ran.mode === "restarted" && before?.session?.id === ran.resumed) {
      return { session: null, reset_at: before.reset_at };
    }
    return undefined;
  }
  // A continued run carries its session on (claude may give the resumed session a new id).
  const continued = ran.mode === "continued";
  return {
    session: {
      id,
      cwd: run.cwd,
      config_dir: ran.config_dir,
      started_at: continued ? ran.started_at : run.started_at,
      last_at: run.ended_at,
      last_run_id: run.id,
      runs: continued ? ran.run : 1,
    },
    reset_at: null,
  };
}

/** True when `v` is a {@linkcode SessionState} (the store's value may be damaged or older). */
export function isSessionState(v: unknown): v is SessionState {
  if (typeof v !== "object" || v === null) return false;
  const s = v as Record<string, unknown>;
  if (!(s.reset_at === null || typeof s.reset_at === "string")) return false;
  if (s.session === null) return true;
  if (typeof s.session !== "object" || s.session === undefined) return false;
  const t = s.session as Record<string, unknown>;
  return ["id", "cwd", "config_dir", "started_at", "last_at", "last_run_id"]
    .every((k) => typeof t[k] === "string") &&
    typeof t.runs === "number" && Number.isInteger(t.runs) && t.runs >= 0;
}
