/**
 * @module
 * How a run ended, as data: the outcome union, its status, and the rule that decides it. Pure.
 */

import type { Exit } from "../sys/proc.ts";
import type { ClaudeResult } from "./stream.ts";

/** Why Clodputer stopped a run before claude ended it. */
export type StopReason =
  | { kind: "timed_out"; clock: "total" | "idle"; limit_seconds: number }
  | { kind: "cancelled"; by: string }
  /** Stopped for the task's `max_cost_usd` (claude's `--max-budget-usd`, or Clodputer's watch). */
  | { kind: "over_budget"; message: string; cost_usd: number | null }
  /** The disk filled while claude's output was kept: the run was stopped (nothing more kept). */
  | { kind: "disk_full"; path: string };

/** How a run ended. */
export type Outcome =
  | { kind: "success" }
  | {
    kind: "claude_error";
    message: string;
    subtype: string | null;
    api_error_status: number | null;
    terminal_reason: string | null;
  }
  | { kind: "exit_error"; code: number; message: string }
  | { kind: "signal"; signal: string }
  | StopReason
  | { kind: "failed_to_spawn"; message: string; hint: string }
  | { kind: "lost"; reason: string }
  /** Never started: a `depends_on` was not met, or a global budget (`budget:`) was spent. */
  | { kind: "skipped"; reason: string };

/**
 * A run's final status, as the queue and the views show it. `deferred` (claude's usage limit:
 * the run is queued again for when it resets) and `auth_failed` (claude's login expired: the
 * queue is held) are given after the outcome, by lib/state/follow_up.ts.
 */
export type FinalStatus =
  | "succeeded"
  | "failed"
  | "timed_out"
  | "cancelled"
  | "lost"
  | "skipped"
  | "over_budget"
  | "deferred"
  | "auth_failed";

/** The status an outcome gives a run. */
export function statusOf(outcome: Outcome): FinalStatus {
  switch (outcome.kind) {
    case "success":
      return "succeeded";
    case "claude_error":
    case "exit_error":
    case "signal":
    case "failed_to_spawn":
    case "disk_full":
      return "failed";
    case "timed_out":
      return "timed_out";
    case "cancelled":
      return "cancelled";
    case "lost":
      return "lost";
    case "skipped":
      return "skipped";
    case "over_budget":
      return "over_budget";
  }
}

/**
 * Decides the outcome. Clodputer's own clocks and cancels come first (a run stopped for its
 * timeout may still print a success result), claude's result second, its exit status last.
 */
export function decideOutcome(input: {
  stopped: StopReason | undefined;
  exit: Exit | undefined;
  result: ClaudeResult | undefined;
  stderrTail: string;
}): Outcome {
  const { stopped, exit, result, stderrTail } = input;
  if (stopped) return stopped;
  if (result) {
    if (result.subtype === "error_max_budget_usd") {
      return {
        kind: "over_budget",
        message: result.errors.join("; ") || "claude reached --max-budget-usd",
        cost_usd: result.total_cost_usd,
      };
    }
    if (result.is_error) {
      return {
        kind: "claude_error",
        message: result.result ?? (result.errors.join("; ") ||
          `claude reported an error (${result.subtype ?? "no subtype"})`),
        subtype: result.subtype,
        api_error_status: result.api_error_status,
        terminal_reason: result.terminal_reason,
      };
    }
    if (exit && exit.signal === null && exit.code !== 0) {
      return { kind: "exit_error", code: exit.code, message: lastLine(stderrTail) };
    }
    return { kind: "success" };
  }
  if (exit?.signal) return { kind: "signal", signal: exit.signal };
  const code = exit?.code ?? -1;
  const detail = lastLine(stderrTail);
  return {
    kind: "exit_error",
    code,
    message: detail ||
      (code === 0
        ? "claude exited without printing a result"
        : `claude exited with code ${code} without printing a result`),
  };
}

function lastLine(text: string): string {
  const lines = text.split("\n").map((l) => l.trim()).filter((l) => l !== "");
  return lines.at(-1) ?? "";
}
