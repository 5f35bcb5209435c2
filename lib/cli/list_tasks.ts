/**
 * @module
 * `clodputer list`: every task with its trigger (cron with a description and the next run in
 * the task's time zone, folder watches, intervals, manual), disabled ones marked, invalid ones
 * listed with their error.
 */

import { listTaskNames, loadGlobalConfig, loadTask } from "../config/load.ts";
import type { GlobalConfig } from "../config/schema.ts";
import { ConfigError, issueWhere } from "../errors.ts";
import { describeCron } from "../schedule/cron_describe.ts";
import { formatInZone, nextRuns } from "../schedule/cron_expr.ts";
import type { Colors } from "../ui/color.ts";
import type { Deps } from "./deps.ts";

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
}

/** Loads every task into rows; a bad file does not hide the others. */
export async function taskRows(deps: Deps, global: GlobalConfig): Promise<TaskRow[]> {
  const rows: TaskRow[] = [];
  for (const name of await listTaskNames(deps.paths)) {
    const file = `${deps.paths.tasks}/${name}.yaml`;
    try {
      const { config, label } = await loadTask(deps.paths, name, deps.env, { global });
      const s = config.schedule;
      const next = s
        ? nextRuns(s.expression, {
          timezone: s.timezone,
          from: new Date(deps.clock.now()),
          count: 1,
        })[0]
        : undefined;
      rows.push({
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
            next_run: next ? formatInZone(next, s.timezone) : null,
            next_run_at: next ? next.toISOString() : null,
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
      });
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      const issue = error instanceof ConfigError ? error.issues[0] : undefined;
      const where = issue ? issueWhere(issue) : null;
      rows.push({
        name,
        label: null,
        file,
        valid: false,
        enabled: false,
        description: null,
        schedule: null,
        trigger: null,
        error: { message: issue?.message ?? error.message, where },
      });
    }
  }
  return rows;
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
    const mark = r.enabled ? c.green("✓") : c.dim("-");
    lines.push(`${mark} ${name}  ${r.enabled ? "" : c.yellow("disabled · ")}${what.join(" · ")}`);
    if (r.description) lines.push(`  ${" ".repeat(width)}  ${c.dim(r.description)}`);
  }
  return lines;
}

/** `list`. */
export async function listCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const rows = await taskRows(deps, global);
  if (options.json) deps.out.json(rows);
  else {for (
      const line of renderTaskList(rows, { color: deps.out.color, tasksDir: deps.paths.tasks })
    ) deps.out.line(line);}
  return 0;
}
