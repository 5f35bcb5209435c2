/**
 * @module
 * How a run looks to a person: live progress lines, the spinner line, the final summary. Pure.
 */

import { describeOutcome, formatDuration, shorten } from "../run/describe.ts";
import type { RunActivity } from "../run/live.ts";
import type { RunRecord } from "../run/record.ts";
import type { ProgressEvent } from "../run/stream.ts";
import type { Colors } from "./color.ts";
import { formatCost } from "./duration.ts";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** A progress line for a non-terminal (undefined for events not worth a line). */
export function progressLine(event: ProgressEvent): string | undefined {
  switch (event.kind) {
    case "init": {
      const mcp = event.mcpServers.length > 0 ? `, MCP: ${event.mcpServers.join(", ")}` : "";
      return `claude started (model ${event.model ?? "default"}${mcp})`;
    }
    case "tool":
      return `tool ${event.name}${event.detail ? `: ${shorten(event.detail, 100)}` : ""}`;
    case "text":
      return `says: ${shorten(event.text, 100)}`;
    case "retry":
      return `API error ${event.status ?? "?"}, retrying (attempt ${event.attempt ?? "?"})`;
    case "result":
      return undefined;
  }
}

/** What the spinner line says of a run's activity: the turn first, when it is a turn's. */
export function activityText(a: RunActivity): string {
  return a.turn === null ? a.activity : `turn ${a.turn} · ${a.activity}`;
}

/** The spinner line: frame, task, elapsed time, latest activity. */
export function spinnerLine(
  task: string,
  elapsedMs: number,
  activity: string,
  frame: number,
): string {
  const mark = SPINNER[frame % SPINNER.length];
  const seconds = `${Math.floor(elapsedMs / 1000)}s`;
  return `${mark} ${task} ${seconds}${activity ? ` · ${shorten(activity, 200)}` : ""}`;
}

/** The lines printed after a run: result text, then status, cost, session and cleanup. */
export function runSummary(
  record: RunRecord,
  options: { color: Colors; runDir: string },
): string[] {
  const c = options.color;
  const lines: string[] = [];
  const text = record.claude?.result;
  if (record.status === "succeeded" && text) lines.push(text, "");
  const ok = record.status === "succeeded";
  const mark = ok ? c.green("✓") : record.status === "skipped" ? c.yellow("⊘") : c.red("✗");
  const headline = `${mark} ${record.task} ${describeOutcome(record.outcome)}`;
  const facts = [`in ${formatDuration(record.duration_ms)}`];
  if (record.claude) facts.push(formatCost(record.claude.total_cost_usd));
  if (record.claude?.session_id) facts.push(`session ${record.claude.session_id}`);
  lines.push(`${headline} ${c.dim("·")} ${facts.join(c.dim(" · "))}`);
  if (record.outcome.kind === "failed_to_spawn") lines.push(`  hint: ${record.outcome.hint}`);
  lines.push(c.dim(`  run ${record.id} · ${options.runDir}`));
  const cleanup = record.cleanup;
  if (cleanup && cleanup.signalled.length > 0) {
    const pids = new Map<number, string>();
    for (const s of cleanup.signalled) pids.set(s.pid, s.command);
    const list = [...pids].map(([pid, cmd]) => `${pid} (${shorten(cmd, 40)})`).join(", ");
    lines.push(`  killed ${pids.size} process${pids.size === 1 ? "" : "es"}: ${list}`);
  }
  if (cleanup && cleanup.survivors.length > 0) {
    const list = cleanup.survivors.map((s) => `${s.pid} (${shorten(s.command, 40)})`).join(", ");
    lines.push(c.red(`  ! still running after cleanup: ${list}`));
  }
  for (const w of record.warnings) lines.push(c.yellow(`  ! ${w}`));
  return lines;
}
