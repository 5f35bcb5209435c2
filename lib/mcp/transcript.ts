/**
 * @module
 * A run's transcript as text lines for Claude (the MCP server's `show_run` with `transcript:
 * true`): each entry of lib/run/transcript.ts in one line or a few, cut text said as cut. Pure;
 * the caller redacts.
 */

import type { CutText, TranscriptEntry } from "../run/transcript.ts";

function cut(text: CutText): string {
  return text.cut > 0 ? `${text.text} [... ${text.cut} more characters cut]` : text.text;
}

/** One entry in words. */
export function entryText(entry: TranscriptEntry): string {
  switch (entry.kind) {
    case "init":
      return `[session] model ${entry.model ?? "?"}, cwd ${entry.cwd ?? "?"}, tools: ${
        entry.tools.join(", ") || "none"
      }`;
    case "text":
      return `[${entry.role}${entry.thinking ? " thinking" : ""}] ${cut(entry.text)}`;
    case "tool_use":
      return `[tool call ${entry.name}] ${cut(entry.input)}`;
    case "tool_result":
      return `[tool result${entry.tool_name ? ` ${entry.tool_name}` : ""}${
        entry.is_error ? " (error)" : ""
      }] ${cut(entry.content)}`;
    case "retry":
      return `[api retry] attempt ${entry.attempt ?? "?"} of ${entry.max_retries ?? "?"}${
        entry.status === null ? "" : `, status ${entry.status}`
      }${entry.error ? `: ${entry.error}` : ""}`;
    case "error":
      return `[error${entry.status === null ? "" : ` ${entry.status}`}] ${cut(entry.message)}`;
    case "result": {
      const r = entry.result;
      const cost = r.total_cost_usd === null ? "" : `, $${r.total_cost_usd.toFixed(4)}`;
      const turns = r.num_turns === null ? "" : `, ${r.num_turns} turns`;
      return `[result${r.is_error ? " (error)" : ""}${cost}${turns}] ${
        entry.text ? cut(entry.text) : r.result ?? ""
      }`;
    }
    case "system":
      return `[${entry.type}]${entry.summary ? ` ${entry.summary}` : ""}`;
  }
}

/** The transcript's entries as text lines. */
export function transcriptLines(entries: readonly TranscriptEntry[]): string[] {
  return entries.map(entryText);
}
