/**
 * @module
 * Tasks that remember, as the faces show them: each `session: continue` task's Claude session
 * (from the store), how old it is, and what the task's next run will do (`chooseSession()`).
 * What `session show`, `show <task>` and their `--json` forms print.
 */

import { readTaskFolder } from "../config/names.ts";
import { type LoadedTask, loadGlobalConfig, loadTask, loadTasks } from "../config/load.ts";
import type { TaskSpec } from "../config/types.ts";
import { UsageError } from "../errors.ts";
import {
  chooseSession,
  claudeConfigDir,
  type SessionPlan,
  type SessionState,
  type TaskSession,
} from "../run/session.ts";
import { withStore } from "../state/open.ts";
import type { Clock } from "../sys/clock.ts";
import { currentDirectory, type Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";

/** One `session: continue` task's session and what its next run will do; also the JSON form. */
export interface TaskSessionView {
  task: string;
  /** The task's `working_directory`, or null: its runs use the folder they are started from. */
  working_directory: string | null;
  /** The folder the next run started here would use: working_directory, else this one. */
  cwd: string;
  /** The Claude config folder its runs use (the task's `CLAUDE_CONFIG_DIR`, else ~/.claude). */
  config_dir: string;
  session_max_age: number;
  session_max_runs: number;
  /** The session the next run may continue, or null. */
  session: TaskSession | null;
  /** When a person last reset the session (cleared by the next session), or null. */
  reset_at: string | null;
  /** How long ago the session began, or null without one. */
  age_ms: number | null;
  /** What the next run will do, with the reason in words when it starts afresh. */
  next: SessionPlan;
}

/**
 * The view of task `name` (whose `task:` section is `spec`, with `session: continue`) from its
 * state. The next run's folder is the task's working_directory, else `cwd` (the folder a run
 * started from here would use, as run_task does). Pure but for the current directory's default.
 */
export function taskSessionView(
  name: string,
  spec: TaskSpec,
  state: SessionState | undefined,
  world: { env: Env; nowMs: number; cwd?: string | undefined },
): TaskSessionView {
  const cwd = spec.working_directory ?? world.cwd ?? currentDirectory() ?? "";
  const configDir = claudeConfigDir(world.env.toObject(), spec.env);
  const session = state?.session ?? null;
  return {
    task: name,
    working_directory: spec.working_directory ?? null,
    cwd,
    config_dir: configDir,
    session_max_age: spec.session_max_age,
    session_max_runs: spec.session_max_runs,
    session,
    reset_at: state?.reset_at ?? null,
    age_ms: session === null ? null : Math.max(0, world.nowMs - Date.parse(session.started_at)),
    next: chooseSession({ settings: spec, state, nowMs: world.nowMs, cwd, configDir }),
  };
}

/** True when the task's runs continue a Claude session. */
export function continuesSession(loaded: LoadedTask): boolean {
  return loaded.config.task.session === "continue";
}

/** What reading the sessions needs. */
export interface SessionDeps {
  paths: Paths;
  env: Env;
  clock: Clock;
}

/**
 * Loads one task and refuses it unless its runs continue a session.
 * @throws {NotFoundError} when there is no such task.
 * @throws {UsageError} when the task has `session: new`.
 * @throws {ConfigError} when its file (or config.yaml) is invalid.
 */
export async function loadSessionTask(
  deps: SessionDeps,
  task: string,
  verb: string,
): Promise<LoadedTask> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const loaded = await loadTask(deps.paths, task, deps.env, { global });
  if (!continuesSession(loaded)) {
    throw new UsageError(
      `Cannot ${verb} "${task}": its runs do not continue a Claude session (session: new)`,
      {
        hint: `set \`session: continue\` in the task: section of ${loaded.file} first`,
        where: { file: loaded.file },
      },
    );
  }
  return loaded;
}

/**
 * The sessions of `task` (which must have `session: continue`), or of every valid task with
 * `session: continue` (invalid task files are left out: `clodputer list` shows them), by name.
 */
export async function readSessionViews(
  deps: SessionDeps,
  task?: string | undefined,
): Promise<TaskSessionView[]> {
  let tasks: LoadedTask[];
  if (task !== undefined) {
    tasks = [await loadSessionTask(deps, task, "show the session of")];
  } else {
    const { names } = await readTaskFolder(deps.paths);
    const loads = await loadTasks(deps.paths, names, deps.env);
    tasks = loads.flatMap((l) => "loaded" in l && continuesSession(l.loaded) ? [l.loaded] : []);
  }
  if (tasks.length === 0) return [];
  const states = await withStore(deps, (store) => store.sessions());
  const nowMs = deps.clock.now();
  return tasks.map((t) =>
    taskSessionView(t.name, t.config.task, states.get(t.name), { env: deps.env, nowMs })
  )
    .sort((a, b) => a.task < b.task ? -1 : a.task > b.task ? 1 : 0);
}
