/**
 * @module
 * One task as its page shows it: what it does, its trigger in words and its next runs, a page of
 * its runs, its outcomes per day over the last 182 days (the calendar) with the success rate
 * over them, and whether a click may run it. Kept below the faces; the web dashboard renders it.
 */

import { nextRuns } from "../config/cron_expr.ts";
import { loadTask } from "../config/load.ts";
import { triggerText } from "../doctor/validate.ts";
import { ClodputerError, NotFoundError, type Problem, problemsOf, UsageError } from "../errors.ts";
import { isRunId } from "../run/run_id.ts";
import type { SessionState } from "../run/session.ts";
import { dayOf } from "../state/ledger.ts";
import { withStore } from "../state/open.ts";
import type { Store } from "../state/store.ts";
import type { RunSummary } from "../state/types.ts";
import type { Clock } from "../sys/clock.ts";
import type { TaskConfig } from "../config/types.ts";
import type { Env } from "../sys/env.ts";
import { type Paths, taskFile } from "../sys/paths.ts";
import { runNowTasks } from "./run_now.ts";
import { type TaskSessionView, taskSessionView } from "./sessions.ts";

/** What reading a task's page needs: the home's paths, the environment and the clock. */
export interface TaskPageDeps {
  paths: Paths;
  env: Env;
  clock: Clock;
}

/** How many days the calendar shows: 26 weeks, today included. */
export const CALENDAR_DAYS = 182;

/** How many runs a page lists when the caller names no limit. */
export const RUNS_PER_PAGE = 25;

/** How many next runs the page lists. */
export const NEXT_RUNS = 5;

/** A problem with the task file, as `validate` shows it. */
export type TaskProblem = Problem;

/** The task's definition: loaded, or the problems that keep it from loading. */
export type TaskDefinition =
  | {
    valid: true;
    enabled: boolean;
    description: string | null;
    /** Its triggers in words, as `validate` says them. */
    trigger: string;
    /** The zone of its schedule (null: the machine's). */
    timezone: string | null;
    /** Its next scheduled runs (ISO), none for a disabled or unscheduled task. */
    next_runs: string[];
  }
  | { valid: false; problems: TaskProblem[] };

/** A task's runs on one local day, by outcome (see lib/state/ledger.ts DayOutcomes). */
export interface CalendarDay {
  /** `YYYY-MM-DD`, local. */
  day: string;
  succeeded: number;
  failed: number;
  skipped: number;
}

/** One page of a task's runs, newest first. */
export interface TaskRunsPage {
  runs: RunSummary[];
  /** The cursor of the next (older) page: the last run's id; null when there is none. */
  next_before: string | null;
}

/** What a task's page shows. */
export interface TaskPage extends TaskRunsPage {
  name: string;
  file: string;
  task: TaskDefinition;
  /** The last CALENDAR_DAYS local days, oldest first, today last (days without runs at 0). */
  calendar: CalendarDay[];
  /**
   * The success rate over the calendar's days: succeeded / (succeeded + failed); skipped runs
   * are not counted (nor deferred ones, which are queued again). Null when nothing counted ran.
   */
  success: { succeeded: number; failed: number; rate: number | null };
  /** Whether a click may run it now, or a run needs a file (a folder-watch task). */
  run_now: "offered" | "needs_file";
  /** Its Claude session: null unless it loads and says `session: continue`. */
  session: TaskSessionView | null;
}

/**
 * A page of `task`'s runs, newest first: the `limit` runs before the run `before` (a run id; the
 * cursor a previous page gave as `next_before`), or the newest.
 * @throws {UsageError} when `before` is not a run id.
 */
export async function taskRunsPage(
  store: Store,
  task: string,
  options: { limit?: number | undefined; before?: string | undefined } = {},
): Promise<TaskRunsPage> {
  const limit = options.limit ?? RUNS_PER_PAGE;
  const before = options.before === undefined ? undefined : await cursorOf(store, options.before);
  const runs = await store.taskRuns(task, { limit: limit + 1, before });
  const shown = runs.slice(0, limit);
  return {
    runs: shown,
    next_before: runs.length > limit ? (shown.at(-1)?.id ?? null) : null,
  };
}

/** Where a page before run `id` ends: its start time, or (a pruned run) its id's. */
async function cursorOf(store: Store, id: string): Promise<{ started_at: string; id: string }> {
  if (!isRunId(id)) {
    throw new UsageError(`Cannot page the runs: "before" must be a run id, got "${id}"`, {
      hint: "use the next_before of the page before, such as 20261125-090000-7k2q9x",
    });
  }
  const run = await store.run(id);
  if (run) return { started_at: run.started_at, id };
  // A run id starts with its UTC start time, to the second.
  const t = `${id.slice(0, 4)}-${id.slice(4, 6)}-${id.slice(6, 8)}T${id.slice(9, 11)}:${
    id.slice(11, 13)
  }:${id.slice(13, 15)}.000Z`;
  return { started_at: t, id };
}

/** The last `count` local days (`YYYY-MM-DD`) ending with the day of `nowMs`, oldest first. */
export function lastDays(nowMs: number, count: number): string[] {
  const days: string[] = [];
  const noon = new Date(nowMs);
  // Noon: a day's step never lands on the same day or skips one across a DST change.
  noon.setHours(12, 0, 0, 0);
  for (let i = count - 1; i >= 0; i--) {
    const d = new Date(noon);
    d.setDate(noon.getDate() - i);
    days.push(dayOf(d.toISOString()));
  }
  return days;
}

/**
 * The task's definition (with its config when it loads), or the problems of its file.
 * @throws {NotFoundError} @throws {UsageError}
 */
async function definitionOf(
  deps: TaskPageDeps,
  name: string,
): Promise<{ definition: TaskDefinition; config?: TaskConfig }> {
  try {
    const { config } = await loadTask(deps.paths, name, deps.env);
    const s = config.schedule;
    const next = s && config.enabled
      ? nextRuns(s.expression, {
        timezone: s.timezone,
        from: new Date(deps.clock.now()),
        count: NEXT_RUNS,
      })
      : [];
    return {
      definition: {
        valid: true,
        enabled: config.enabled,
        description: config.description ?? null,
        trigger: triggerText(config),
        timezone: s?.timezone ?? null,
        next_runs: next.map((d) => d.toISOString()),
      },
      config,
    };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof UsageError) throw error;
    if (!(error instanceof ClodputerError)) throw error;
    const problems = problemsOf(error);
    return { definition: { valid: false, problems } };
  }
}

/** The session of a task with `session: continue` (else null), as its next run would choose. */
function sessionOf(
  deps: { env: Env; clock: Clock },
  name: string,
  config: TaskConfig,
  state: SessionState | undefined,
): TaskSessionView | null {
  if (config.task.session !== "continue") return null;
  return taskSessionView(name, config.task, state, { env: deps.env, nowMs: deps.clock.now() });
}

/**
 * The session part of task `name`'s page alone (its live fragment, the API): null when the task
 * does not say `session: continue`.
 * @throws {NotFoundError} when there is no such task. @throws {UsageError} for a bad name.
 * @throws {ConfigError} when its file does not load.
 */
export async function readTaskSession(
  deps: TaskPageDeps,
  name: string,
): Promise<TaskSessionView | null> {
  const { config } = await loadTask(deps.paths, name, deps.env);
  if (config.task.session !== "continue") return null;
  const state = await withStore(deps, (store) => store.session(name));
  return sessionOf(deps, name, config, state);
}

/** Both results, once both have settled (a failure never leaves the other one running). */
async function settled<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === "rejected") throw ra.reason;
  if (rb.status === "rejected") throw rb.reason;
  return [ra.value, rb.value];
}

/**
 * Everything task `name`'s page shows. A task file that does not load gives its problems (with
 * `file:line:column`), not an error; its runs are shown all the same.
 * @throws {NotFoundError} when there is no such task (with the closest name, as the CLI says).
 * @throws {UsageError} when `name` is not a task name, or `before` not a run id.
 */
export async function readTaskPage(
  deps: TaskPageDeps,
  name: string,
  options: { before?: string | undefined; limit?: number | undefined } = {},
): Promise<TaskPage> {
  const { definition: task, config } = await definitionOf(deps, name);
  const days = lastDays(deps.clock.now(), CALENDAR_DAYS);
  const [[[page, counted], state], runNow] = await settled(
    withStore(deps, (store) =>
      settled(
        settled(
          taskRunsPage(store, name, options),
          store.taskDays(name, { from: days[0] as string }),
        ),
        config?.task.session === "continue" ? store.session(name) : Promise.resolve(undefined),
      )),
    runNowTasks(deps),
  );
  const byDay = new Map(counted.map((d) => [d.day, d]));
  const calendar = days.map((day) => {
    const d = byDay.get(day);
    return { day, succeeded: d?.succeeded ?? 0, failed: d?.failed ?? 0, skipped: d?.skipped ?? 0 };
  });
  const succeeded = calendar.reduce((n, d) => n + d.succeeded, 0);
  const failed = calendar.reduce((n, d) => n + d.failed, 0);
  return {
    name,
    file: taskFile(deps.paths, name),
    task,
    ...page,
    calendar,
    success: {
      succeeded,
      failed,
      rate: succeeded + failed === 0 ? null : succeeded / (succeeded + failed),
    },
    run_now: runNow.needFile.includes(name) ? "needs_file" : "offered",
    session: config === undefined ? null : sessionOf(deps, name, config, state),
  };
}
