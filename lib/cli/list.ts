/**
 * @module
 * `clodputer list`: every task with its trigger (cron with a description and the next run in
 * the task's time zone, folder watches, intervals, manual), disabled ones marked, invalid ones
 * listed with their error.
 */

import { misnamedMessage, type MisnamedTaskFile, readTaskFolder } from "../config/names.ts";
import { checkFields, isNumber, isRecord } from "../log/state_file.ts";
import type { GlobalConfig } from "../config/types.ts";
import { ConfigError, issueWhere } from "../errors.ts";
import type { Env } from "../sys/env.ts";
import type { Colors } from "../ui/color.ts";
import type { Deps } from "./deps.ts";
import { type ListCache, readListCache, writeListCache } from "./list_cache.ts";
import { recordingEnv } from "../sys/env.ts";
import { fileStamp, sameStamp } from "../sys/file_stamp.ts";
import { lazy } from "../lazy.ts";
import { readPause } from "../state/pause.ts";
import { openStore } from "../state/open.ts";
import { checkOverdue } from "../schedule/overdue_check.ts";
import { exists } from "../sys/fs.ts";
import { describePause } from "../ui/pause.ts";

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
  /** The slot the task owed and did not run (the dead-man's switch; set by `list`, not cached). */
  overdue?: { slot: string; message: string } | null;
}

const isText = (v: unknown) => typeof v === "string";
const isTextOrNull = (v: unknown) => v === null || typeof v === "string";
const isFlag = (v: unknown) => typeof v === "boolean";

/** What is wrong with a cached row (list_cache.json), or undefined. Pure. */
export function checkTaskRow(v: unknown): string | undefined {
  const top = checkFields(v, {
    name: [isText, "a task name"],
    label: [isTextOrNull, "a string or null"],
    file: [isText, "a path"],
    valid: [isFlag, "true or false"],
    enabled: [isFlag, "true or false"],
    description: [isTextOrNull, "a string or null"],
    schedule: [(s) => s === null || isRecord(s), "an object or null"],
    trigger: [(t) => t === null || (isRecord(t) && isText(t.type)), "an object or null"],
    error: [(e) => e === null || isRecord(e), "an object or null"],
  }, "row");
  if (top !== undefined || !isRecord(v)) return top;
  if (v.schedule !== null) {
    const p = checkFields(v.schedule, {
      expression: [isText, "a string"],
      description: [isText, "a string"],
      timezone: [isTextOrNull, "a string or null"],
      next_run: [isTextOrNull, "a string or null"],
      next_run_at: [isTextOrNull, "a string or null"],
    }, "row.schedule");
    if (p) return p;
  }
  if (v.error !== null) {
    const p = checkFields(v.error, {
      message: [isText, "a string"],
      where: [isTextOrNull, "a string or null"],
    }, "row.error");
    if (p) return p;
  }
  const t = v.trigger as Record<string, unknown> | null;
  if (t?.type === "file_watch") {
    return checkFields(t, {
      path: [isText, "a string"],
      pattern: [isText, "a string"],
      event: [isText, "a string"],
    }, "row.trigger");
  }
  if (t?.type === "interval") {
    return checkFields(t, { seconds: [isNumber, "a number"] }, "row.trigger");
  }
  return undefined;
}

/**
 * Loads every task into rows; a bad file does not hide the others. A file unchanged since the
 * last `list` is taken from the list cache (list_cache.ts), and so is its next run while that
 * has not come yet (see nextRunHolds).
 * @throws {ConfigError} when the global config is invalid.
 */
export async function taskRows(deps: Deps): Promise<TaskRow[]> {
  const { names, misnamed } = await readTaskFolder(deps.paths);
  const home = deps.env.get("HOME") ?? null;
  const [configStamp, stamps, cache] = await Promise.all([
    fileStamp(deps.paths.config),
    Promise.all(names.map((name) => fileStamp(taskPath(deps, name)))),
    readListCache<TaskRow>(deps.paths, checkTaskRow, deps.clock.now()),
  ]);
  const known = cache && cache.home === home && sameStamp(cache.config, configStamp ?? null)
    ? cache.tasks
    : undefined;
  // The global config is checked as before unless it is the one the cache was made with.
  let global = known ? undefined : await loadGlobal(deps);
  const now = deps.clock.now();
  const kept: ListCache<TaskRow>["tasks"] = {};
  let changed = known === undefined;
  const rows: TaskRow[] = [];
  for (const [i, name] of names.entries()) {
    const stamp = stamps[i];
    const hit = known?.[name];
    if (stamp && hit && sameStamp(hit.stamp, stamp)) {
      if (nextRunHolds(hit, now)) {
        kept[name] = hit;
        rows.push(hit.row);
        continue;
      }
      changed = true;
      const row = await withNextRun(hit.row, now);
      if (row.valid) kept[name] = { stamp, row, from: now };
      rows.push(row);
      continue;
    }
    changed = true;
    global ??= await loadGlobal(deps);
    const read = new Set<string>();
    const row = await withNextRun(
      await loadRow(deps, name, { global, env: recordingEnv(deps.env, read) }),
      now,
    );
    if (stamp && row.valid && [...read].every((n) => n === "HOME")) {
      kept[name] = { stamp, row, from: now };
    }
    rows.push(row);
  }
  if (changed || Object.keys(kept).length !== Object.keys(known ?? {}).length) {
    await writeListCache(deps.paths, { home, config: configStamp ?? null, tasks: kept });
  }
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
 * True when a cached row's next run is still the next run: it was worked out at `from` in a
 * named zone (the machine's zone may differ from one run to the next), and now lies between
 * `from` and that run, so no other run can come first.
 */
function nextRunHolds(entry: { row: TaskRow; from?: number }, now: number): boolean {
  const s = entry.row.schedule;
  if (s === null) return true;
  if (s.timezone === null || s.next_run_at === null || entry.from === undefined) return false;
  return entry.from <= now && now < Date.parse(s.next_run_at);
}

function taskPath(deps: Deps, name: string): string {
  return `${deps.paths.tasks}/${name}.yaml`;
}

async function loadGlobal(deps: Deps): Promise<GlobalConfig> {
  const { loadGlobalConfig } = await lazy<typeof import("../config/load.ts")>("lib/config/load.ts");
  return await loadGlobalConfig(deps.paths, deps.env);
}

/** A task's row with no next run yet: what the cache keeps. */
async function loadRow(
  deps: Deps,
  name: string,
  options: { global: GlobalConfig; env: Env },
): Promise<TaskRow> {
  const file = taskPath(deps, name);
  try {
    const { loadTask } = await lazy<typeof import("../config/load.ts")>("lib/config/load.ts");
    const { describeCron } = await lazy<typeof import("../schedule/cron_describe.ts")>(
      "lib/schedule/cron_describe.ts",
    );
    const { config, label } = await loadTask(deps.paths, name, options.env, {
      global: options.global,
    });
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
          description: describeCron(s.expression),
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
    };
  } catch (error) {
    return invalidRow(name, file, error);
  }
}

/** The row with its next run after `now`, in the task's time zone. */
async function withNextRun(row: TaskRow, now: number): Promise<TaskRow> {
  const s = row.schedule;
  if (!row.valid || s === null) return row;
  try {
    const { formatInZone, nextRuns } = await lazy<typeof import("../schedule/cron_expr.ts")>(
      "lib/schedule/cron_expr.ts",
    );
    const next = nextRuns(s.expression, {
      timezone: s.timezone ?? undefined,
      from: new Date(now),
      count: 1,
    })[0];
    return {
      ...row,
      schedule: {
        ...s,
        next_run: next ? formatInZone(next, s.timezone ?? undefined) : null,
        next_run_at: next ? next.toISOString() : null,
      },
    };
  } catch (error) {
    return invalidRow(row.name, row.file, error);
  }
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

/** Renders the rows for a person. Pure. */
export function renderTaskList(
  rows: TaskRow[],
  options: { color: Colors; tasksDir: string },
): string[] {
  const c = options.color;
  if (rows.length === 0) {
    return [
      `No tasks yet in ${options.tasksDir}`,
      "create one with: clodputer new <name> (see clodputer new --list), or put a YAML file there",
    ];
  }
  const shown = (r: TaskRow) => r.label === null ? r.name : `${r.name} (name: ${r.label})`;
  const width = Math.max(...rows.map((r) => shown(r).length));
  const lines: string[] = [];
  for (const r of rows) {
    const name = shown(r).padEnd(width);
    if (!r.valid) {
      lines.push(
        `${c.red("✗")} ${name}  ${c.red("invalid")}: ${
          r.error?.where ? `${r.error.where}: ` : ""
        }${r.error?.message}`,
      );
      continue;
    }
    const what: string[] = [];
    if (r.schedule) {
      const s = r.schedule;
      what.push(
        `${s.description} (${s.expression}${s.timezone ? `, ${s.timezone}` : ""}) · next ${
          s.next_run ?? "never"
        }`,
      );
    }
    const t = r.trigger;
    if (t?.type === "file_watch") what.push(`watches ${t.path} for ${t.pattern} (${t.event})`);
    if (t?.type === "interval") what.push(`every ${t.seconds} s`);
    if (t?.type === "manual") what.push("manual (clodputer run)");
    const mark = r.overdue ? c.red("!") : r.enabled ? c.green("✓") : c.dim("-");
    lines.push(`${mark} ${name}  ${r.enabled ? "" : c.yellow("disabled · ")}${what.join(" · ")}`);
    if (r.overdue) lines.push(`  ${" ".repeat(width)}  ${c.red(`overdue: ${r.overdue.message}`)}`);
    if (r.description) lines.push(`  ${" ".repeat(width)}  ${c.dim(r.description)}`);
  }
  return lines;
}

/**
 * The overdue tasks as the last tick or status left them (list raises nothing: the tick and
 * status do). None without a state store.
 */
async function overdueTasks(
  deps: Deps,
): Promise<Map<string, { slot: string; message: string }>> {
  if (!(await exists(deps.paths.state))) return new Map();
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    const { overdue } = await checkOverdue(store, { nowMs: deps.clock.now(), raise: false });
    return new Map(overdue.map((o) => [o.task, { slot: o.slot, message: o.message }]));
  } finally {
    store.close();
  }
}

/** `list`. */
export async function listCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const [listed, paused, overdue] = await Promise.all([
    taskRows(deps),
    readPause(deps.paths, deps.clock.now()),
    overdueTasks(deps),
  ]);
  const rows = listed.map((r) => ({ ...r, overdue: overdue.get(r.name) ?? null }));
  if (options.json) {
    deps.out.json(rows);
    return 0;
  }
  for (
    const line of renderTaskList(rows, { color: deps.out.color, tasksDir: deps.paths.tasks })
  ) deps.out.line(line);
  if (paused) {
    deps.out.line("");
    deps.out.line(
      deps.out.color.yellow(
        `The queue is ${describePause(paused)}: tasks are queued, none starts (clodputer resume).`,
      ),
    );
  }
  return 0;
}
