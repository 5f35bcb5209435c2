/**
 * @module
 * The task list (lib/status/task_list.ts) for a person: one line per task, its trigger, its next
 * run, an invalid file's error, an overdue slot. Pure.
 */

import type { TaskRow } from "../status/task_list.ts";
import type { Colors } from "./color.ts";
import { SESSION_MARK } from "./sessions.ts";

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
  const named = (r: TaskRow) => r.label === null ? r.name : `${r.name} (name: ${r.label})`;
  // A task whose runs continue a Claude session carries the mark beside its name.
  const remembers = (r: TaskRow) => r.session?.mode === "continue";
  const shown = (r: TaskRow) => remembers(r) ? `${named(r)} ${SESSION_MARK}` : named(r);
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
      const about = `${s.description} (${s.expression}${s.timezone ? `, ${s.timezone}` : ""})`;
      // A disabled task never runs: no next run, the line says "disabled" instead.
      what.push(r.enabled ? `${about} · next ${s.next_run ?? "never"}` : about);
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
  if (rows.some(remembers)) {
    lines.push("");
    lines.push(
      c.dim(`${SESSION_MARK} continues its Claude session from run to run (clodputer session)`),
    );
  }
  return lines;
}
