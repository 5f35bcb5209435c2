/**
 * @module
 * The task list: every task with its trigger (cron with a description and the next run in the
 * task's time zone, folder watches, intervals, manual), disabled ones marked, invalid ones with
 * their error, overdue ones with the slot they owe, and whether the queue is paused. What `list`
 * and `list --json` show; kept below the faces so that any of them can ask for it.
 */

import { misnamedMessage, type MisnamedTaskFile, readTaskFolder } from "../config/names.ts";
import { isNumber, isRecord } from "../log/state_file.ts";
import type { LoadedTask } from "../config/load.ts";
import { ConfigError, issueWhere } from "../errors.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { FileStamp } from "../sys/file_stamp.ts";
import type { Paths } from "../sys/paths.ts";
import { lazy } from "../lazy.ts";
import { type Pause, readPause } from "../state/pause.ts";
import { openStore } from "../state/open.ts";
import { checkOverdue } from "../schedule/overdue_check.ts";
import { exists } from "../sys/fs.ts";
import type { SessionState } from "../run/session.ts";

/** What reading the task list needs: the home's paths, the environment and the clock. */
export interface TaskListDeps {
  paths: Paths;
  env: Env;
  clock: Clock;
}

/** The task list: one row per task (the overdue slot filled in), and the queue's pause. */
export interface TaskList {
  rows: TaskRow[];
  /** The pause in force, or null: tasks are queued, none starts. */
  paused: Pause | null;
}

/** One task as `list` shows it; also the `--json` form. */
export interface TaskRow {
  name: string;
  /** The file's `name:` when it differs from the file name (the earlier format allowed it). */
  label: string | null;
  file: string;
  valid: boolean;
  enabled: boolean;
  description: string | null;
  schedule: {
    expression: string;
    description: string;
    timezone: string | null;
    next_run: string | null;
    next_run_at: string | null;
  } | null;
  trigger:
    | { type: "manual" }
    | { type: "file_watch"; path: string; pattern: string; event: string }
    | { type: "interval"; seconds: number }
    | null;
  error: { message: string; where: string | null } | null;
  /** The slot the task owed and did not run (the dead-man's switch; worked out by each `list`). */
  overdue?: { slot: string; message: string } | null;
  /**
   * Whether its runs continue a Claude session (`session: continue`) and, when they do, the
   * session the next run may continue (id, runs, started_at: null without one). null when the
   * task is invalid.
   */
  session?: RowSession | null;
}

/** A task row's session: its mode, and the session kept for it (nulls without one). */
export interface RowSession {
  mode: "new" | "continue";
  id: string | null;
  runs: number | null;
  started_at: string | null;
}

const isText = (v: unknown) => typeof v === "string";
const isTextOrNull = (v: unknown) => v === null || typeof v === "string";

/** What `list` keeps beside a task in the index: its described schedule and next run. */
interface ScheduleView {
  expression: string;
  timezone: string | null;
  description: string;
  next_run: string | null;
  next_run_at: string | null;
  /** The time (ms) the next run was worked out from. */
  from: number;
}

/** The view kept for `schedule`, when it is whole and for that schedule; undefined otherwise. Pure. */
function keptView(
  v: unknown,
  schedule: { expression: string; timezone?: string | undefined },
): ScheduleView | undefined {
  if (
    !isRecord(v) || v.expression !== schedule.expression ||
    v.timezone !== (schedule.timezone ?? null) || !isText(v.description) ||
    !isTextOrNull(v.next_run) || !isTextOrNull(v.next_run_at) || !isNumber(v.from)
  ) return undefined;
  return v as unknown as ScheduleView;
}

/**
 * Loads every task into rows; a bad file does not hide the others. Tasks come from the task index
 * (lib/config/task_index.ts) when their files are unchanged, and so do their described schedules
 * and next runs, kept beside them while that run has not come yet (see nextRunHolds).
 * @throws {ConfigError} when the global config is invalid.
 */
async function taskRows(deps: TaskListDeps): Promise<TaskRow[]> {
  const { names, misnamed } = await readTaskFolder(deps.paths);
  const { keepTaskViews, loadTasks } = await lazy<typeof import("../config/load.ts")>(
    "lib/config/load.ts",
  );
  const loads = await loadTasks(deps.paths, names, deps.env);
  const now = deps.clock.now();
  const views: [string, FileStamp, string, unknown][] = [];
  const rows: TaskRow[] = [];
  for (const load of loads) {
    const file = taskPath(deps, load.name);
    if ("error" in load) {
      rows.push(invalidRow(load.name, file, load.error));
      continue;
    }
    const row = loadedRow(load.name, file, load.loaded);
    const s = load.loaded.config.schedule;
    if (s === undefined) {
      rows.push(row);
      continue;
    }
    const kept = keptView(load.views?.list, s);
    if (kept && nextRunHolds(kept, now)) {
      rows.push({ ...row, schedule: scheduleOf(kept, row.enabled) });
      continue;
    }
    try {
      const view = await scheduleView(s, now, kept?.description);
      if (load.stamp) views.push([load.name, load.stamp, "list", view]);
      rows.push({ ...row, schedule: scheduleOf(view, row.enabled) });
    } catch (error) {
      rows.push(invalidRow(load.name, file, error));
    }
  }
  await keepTaskViews(deps.paths, deps.env, views);
  if (misnamed.length === 0) return rows;
  return [...rows, ...misnamed.map(misnamedRow)].sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0
  );
}

/** A file in tasks/ that no task name matches, as an invalid row named by its file name. */
function misnamedRow(m: MisnamedTaskFile): TaskRow {
  const { message, hint } = misnamedMessage(m);
  return {
    name: m.name,
    label: null,
    file: m.file,
    valid: false,
    enabled: false,
    description: null,
    schedule: null,
    trigger: null,
    error: { message: `${message}; ${hint}`, where: null },
  };
}

/**
 * True when a kept next run is still the next run: it was worked out at `from` in a named zone
 * (the machine's zone may differ from one run to the next), and now lies between `from` and that
 * run, so no other run can come first (a clock set back is not trusted to it).
 */
function nextRunHolds(view: ScheduleView, now: number): boolean {
  if (view.timezone === null || view.next_run_at === null) return false;
  return view.from <= now && now < Date.parse(view.next_run_at);
}

function taskPath(deps: TaskListDeps, name: string): string {
  return `${deps.paths.tasks}/${name}.yaml`;
}

/** A row's schedule from its view; a disabled task has no next run. Pure. */
function scheduleOf(v: ScheduleView, enabled: boolean): NonNullable<TaskRow["schedule"]> {
  return {
    expression: v.expression,
    description: v.description,
    timezone: v.timezone,
    next_run: enabled ? v.next_run : null,
    next_run_at: enabled ? v.next_run_at : null,
  };
}

/** A loaded task's row, its schedule not described yet (no next run). Pure. */
function loadedRow(name: string, file: string, { config, label }: LoadedTask): TaskRow {
  const s = config.schedule;
  return {
    name,
    label: label ?? null,
    file,
    valid: true,
    enabled: config.enabled,
    description: config.description ?? null,
    schedule: s
      ? {
        expression: s.expression,
        description: s.expression,
        timezone: s.timezone ?? null,
        next_run: null,
        next_run_at: null,
      }
      : null,
    trigger: config.trigger
      ? config.trigger.type === "file_watch"
        ? {
          type: "file_watch",
          path: config.trigger.path,
          pattern: config.trigger.pattern,
          event: config.trigger.event,
        }
        : config.trigger.type === "interval"
        ? { type: "interval", seconds: config.trigger.seconds }
        : { type: "manual" }
      : (s ? null : { type: "manual" }),
    error: null,
    session: { mode: config.task.session, id: null, runs: null, started_at: null },
  };
}

/**
 * The schedule described (`description` when it is known already) with its next run after `now`,
 * in the task's time zone (croner and cronstrue loaded only here).
 */
async function scheduleView(
  s: { expression: string; timezone?: string | undefined },
  now: number,
  description: string | undefined,
): Promise<ScheduleView> {
  const { formatInZone, nextRuns } = await lazy<typeof import("../config/cron_expr.ts")>(
    "lib/config/cron_expr.ts",
  );
  const next = nextRuns(s.expression, {
    timezone: s.timezone ?? undefined,
    from: new Date(now),
    count: 1,
  })[0];
  return {
    expression: s.expression,
    timezone: s.timezone ?? null,
    description: description ??
      (await lazy<typeof import("../schedule/cron_describe.ts")>("lib/schedule/cron_describe.ts"))
        .describeCron(s.expression),
    next_run: next ? formatInZone(next, s.timezone ?? undefined) : null,
    next_run_at: next ? next.toISOString() : null,
    from: now,
  };
}

function invalidRow(name: string, file: string, error: unknown): TaskRow {
  if (!(error instanceof Error)) throw error;
  const issue = error instanceof ConfigError ? error.issues[0] : undefined;
  const where = issue ? issueWhere(issue) : null;
  return {
    name,
    label: null,
    file,
    valid: false,
    enabled: false,
    description: null,
    schedule: null,
    trigger: null,
    error: { message: issue?.message ?? error.message, where },
  };
}

/** What `list` reads from the state store. */
interface StoreFacts {
  overdue: Map<string, { slot: string; message: string }>;
  sessions: Map<string, SessionState>;
}

/**
 * The overdue tasks as the last tick or status left them (list raises nothing: the tick and
 * status do), and the tasks' sessions. None without a state store.
 */
async function storeFacts(deps: TaskListDeps): Promise<StoreFacts> {
  if (!(await exists(deps.paths.state))) return { overdue: new Map(), sessions: new Map() };
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    const [{ overdue }, sessions] = await Promise.all([
      checkOverdue(store, { nowMs: deps.clock.now(), raise: false }),
      store.sessions(),
    ]);
    return {
      overdue: new Map(overdue.map((o) => [o.task, { slot: o.slot, message: o.message }])),
      sessions,
    };
  } finally {
    store.close();
  }
}

/** A row's session with the state's session filled in (a `session: continue` task's only). */
function withSession(row: TaskRow, state: SessionState | undefined): RowSession | null {
  const mode = row.session?.mode;
  if (mode === undefined) return null;
  const s = mode === "continue" ? state?.session ?? null : null;
  return {
    mode,
    id: s?.id ?? null,
    runs: s?.runs ?? null,
    started_at: s?.started_at ?? null,
  };
}

/**
 * The task list: every task's row with its overdue slot (as the last tick or status left it;
 * nothing is raised here), and the queue's pause.
 * @throws {ConfigError} when the global config is invalid.
 */
export async function listTasks(deps: TaskListDeps): Promise<TaskList> {
  const [listed, paused, facts] = await Promise.all([
    taskRows(deps),
    readPause(deps.paths, deps.clock.now()),
    storeFacts(deps),
  ]);
  const rows = listed.map((r) => ({
    ...r,
    overdue: facts.overdue.get(r.name) ?? null,
    session: withSession(r, facts.sessions.get(r.name)),
  }));
  return { rows, paused: paused ?? null };
}
