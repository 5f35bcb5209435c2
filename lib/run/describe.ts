/**
 * @module
 * A run's outcome in one sentence, and durations as people read them: the words `run`, `show`,
 * `cancel`, the dashboard and the canary of `doctor` all say, so they live below the faces
 * (the coming web dashboard and MCP server say the same). Pure.
 */

import type { Outcome } from "./outcome.ts";

/** `text` on one line, cut to `max` characters with an ellipsis. */
export function shorten(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * `950ms`, `3.2s`, `3m12s`, `1h02m`.
 * @example
 * ```ts
 * import { formatDuration } from "./describe.ts";
 * console.assert(formatDuration(192_000) === "3m12s");
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) return `${hours}h${String(minutes).padStart(2, "0")}m`;
  return `${minutes}m${String(seconds).padStart(2, "0")}s`;
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
