/**
 * @module
 * How a run looks to a person: live progress lines, the spinner line, the final summary. Pure.
 */

import type { Outcome } from "../run/outcome.ts";
import type { RunRecord } from "../run/record.ts";
import type { ProgressEvent } from "../run/stream.ts";
import type { Colors } from "./color.ts";
import { formatCost, formatDuration } from "./duration.ts";

const SPINNER = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

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

/**
 * A run's activity so far, as the spinner and the dashboard show it: the turns (tool calls and
 * text blocks) and the latest activity ("claude started", "Bash: ls", "writing", ...).
 */
export interface RunActivity {
  turns: number;
  activity: string;
  /** The turn the latest activity belongs to (a tool call or text); null for any other. */
  turn: number | null;
}

/** A run's activity before any event: `activity` says what it is waiting for. */
export function startActivity(activity: string): RunActivity {
  return { turns: 0, activity, turn: null };
}

/** Folds one progress event into a run's activity. Pure: returns a new value. */
export function foldActivity(prev: RunActivity, event: ProgressEvent): RunActivity {
  switch (event.kind) {
    case "init":
      return { ...prev, activity: "claude started", turn: null };
    case "tool": {
      const turns = prev.turns + 1;
      const detail = event.detail ? `: ${event.detail}` : "";
      return { turns, activity: `${event.name}${detail}`, turn: turns };
    }
    case "text":
      return { turns: prev.turns + 1, activity: "writing", turn: prev.turns + 1 };
    case "retry":
      return { ...prev, activity: `API error ${event.status ?? "?"}, retrying`, turn: null };
    case "result":
      return { ...prev, activity: "finishing", turn: null };
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

/** One sentence for how a run ended. */
export function describeOutcome(outcome: Outcome): string {
  switch (outcome.kind) {
    case "success":
      return "succeeded";
    case "claude_error": {
      const status = outcome.api_error_status ? ` (API ${outcome.api_error_status})` : "";
      return `failed: Claude reported an error${status}: ${shorten(outcome.message, 300)}`;
    }
    case "exit_error":
      return `failed: claude exited with code ${outcome.code}: ${shorten(outcome.message, 300)}`;
    case "signal":
      return `failed: claude was killed by ${outcome.signal}`;
    case "timed_out":
      return outcome.clock === "total"
        ? `timed out after ${formatDuration(outcome.limit_seconds * 1000)} (task.timeout)`
        : `timed out: no output from claude for ${
          formatDuration(outcome.limit_seconds * 1000)
        } (idle_timeout)`;
    case "cancelled":
      return `cancelled (${outcome.by})`;
    case "failed_to_spawn":
      return `could not start: ${outcome.message}`;
    case "lost":
      return `lost: ${outcome.reason}`;
    case "skipped":
      return `skipped: ${outcome.reason}`;
    case "over_budget":
      return `stopped over budget: ${shorten(outcome.message, 300)}`;
    case "disk_full":
      return `failed: disk full: could not write "${outcome.path}"; the run was stopped and ` +
        "its output not kept (free some space)";
  }
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
