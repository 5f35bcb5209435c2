/**
 * @module
 * A run's transcript for reading: claude's stream-json (a run's `stdout`, one JSON object a line)
 * turned into a list of entries a face shows in order: the session's start, Claude's text, each
 * tool call with its input, each tool result beside the call it answers, API retries, errors,
 * other events, and the result. Damaged lines are skipped and counted; huge text is cut and the
 * cut said. Pure.
 */

import { type ClaudeResult, num, obj, parseResult, str } from "./stream.ts";

/** How much of a run's stdout a view reads for its transcript: the last 5 MB. */
export const TRANSCRIPT_CAP_BYTES = 5 * 1024 * 1024;

/** A text, and how many characters were cut from its end (0: none). */
export interface CutText {
  text: string;
  cut: number;
}

/** One thing that happened in a run, in the order claude reported it. */
export type TranscriptEntry =
  | {
    kind: "init";
    model: string | null;
    cwd: string | null;
    tools: string[];
    mcp_servers: { name: string; status: string | null }[];
    session_id: string | null;
    permission_mode: string | null;
  }
  | { kind: "text"; role: "assistant" | "user"; thinking: boolean; text: CutText }
  | { kind: "tool_use"; id: string | null; name: string; input: CutText }
  | {
    kind: "tool_result";
    tool_use_id: string | null;
    /** The name of the call it answers, and its place in the entries; null when not found. */
    tool_name: string | null;
    call: number | null;
    is_error: boolean;
    content: CutText;
  }
  | {
    kind: "retry";
    attempt: number | null;
    max_retries: number | null;
    status: number | null;
    delay_ms: number | null;
    error: string | null;
  }
  | { kind: "error"; message: CutText; status: number | null }
  | { kind: "result"; result: ClaudeResult; text: CutText | null }
  | {
    kind: "system";
    /** The event's `type` (and `subtype` for a system event): `system/task_started`, `rate_limit`. */
    type: string;
    /** A line about it from its known fields ("" when none). */
    summary: string;
  };

/** A transcript: its entries, the last result, and what was skipped. */
export interface Transcript {
  entries: TranscriptEntry[];
  /** The last `result` event's reading (a background task makes two; the last counts). */
  result: ClaudeResult | null;
  /** Lines that were not a JSON object (damaged, cut, or not claude's). */
  skipped: number;
}

/** Options for reading a transcript. */
export interface TranscriptOptions {
  /** The most characters kept of one text (a text block, a tool's input or result). */
  maxChars?: number;
}

/** The default cut for one text: 20,000 characters. */
export const MAX_ENTRY_CHARS = 20_000;

/** `text` cut to `max` characters (never splitting a surrogate pair). Pure. */
export function cutText(text: string, max: number): CutText {
  if (text.length <= max) return { text, cut: 0 };
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return { text: text.slice(0, end), cut: text.length - end };
}

/** The text of a tool result's `content`: a string, or text blocks (other blocks named). */
function resultContent(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return content === undefined ? "" : JSON.stringify(content);
  return content.map((block) => {
    const b = obj(block);
    if (b?.type === "text" && typeof b.text === "string") return b.text;
    return `[${str(b?.type) ?? "block"}]`;
  }).join("\n");
}

/** Splits stream-json text into its events; lines that are not a JSON object are counted. */
export function parseLines(text: string): { events: Record<string, unknown>[]; skipped: number } {
  const events: Record<string, unknown>[] = [];
  let skipped = 0;
  for (const line of text.split("\n")) {
    const trimmed = line.trim();
    if (trimmed === "") continue;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      skipped++;
      continue;
    }
    const event = obj(value);
    if (event) events.push(event);
    else skipped++;
  }
  return { events, skipped };
}

/** A line for an event this reader does not know, from the fields such events carry. */
function summaryOf(event: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of ["description", "summary", "status", "message", "error", "task_id"]) {
    const v = event[key];
    if (typeof v === "string" && v !== "") parts.push(v);
    else if (typeof v === "number") parts.push(`${key} ${v}`);
  }
  return parts.join(" · ");
}

class Builder {
  entries: TranscriptEntry[] = [];
  result: ClaudeResult | null = null;
  #calls = new Map<string, number>();
  #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  cut(text: string): CutText {
    return cutText(text, this.#max);
  }

  add(event: Record<string, unknown>): void {
    switch (event.type) {
      case "system":
        return this.#system(event);
      case "assistant":
        return this.#assistant(event);
      case "user":
        return this.#user(event);
      case "result": {
        const result = parseResult(event);
        this.result = result;
        this.entries.push({
          kind: "result",
          result,
          text: result.result === null ? null : this.cut(result.result),
        });
        return;
      }
      default:
        this.entries.push({
          kind: "system",
          type: str(event.type) ?? "(no type)",
          summary: summaryOf(event),
        });
    }
  }

  #system(event: Record<string, unknown>): void {
    if (event.subtype === "init") {
      const servers = Array.isArray(event.mcp_servers) ? event.mcp_servers : [];
      this.entries.push({
        kind: "init",
        model: str(event.model),
        cwd: str(event.cwd),
        tools: Array.isArray(event.tools) ? event.tools.filter((t) => typeof t === "string") : [],
        mcp_servers: servers.map((s) => ({
          name: str(obj(s)?.name) ?? "?",
          status: str(obj(s)?.status),
        })),
        session_id: str(event.session_id),
        permission_mode: str(event.permissionMode),
      });
      return;
    }
    if (event.subtype === "api_retry") {
      this.entries.push({
        kind: "retry",
        attempt: num(event.attempt),
        max_retries: num(event.max_retries),
        status: num(event.error_status),
        delay_ms: num(event.retry_delay_ms),
        error: str(event.error),
      });
      return;
    }
    const subtype = str(event.subtype);
    this.entries.push({
      kind: "system",
      type: subtype === null ? "system" : `system/${subtype}`,
      summary: summaryOf(event),
    });
  }

  #assistant(event: Record<string, unknown>): void {
    const content = obj(event.message)?.content;
    // An API error claude reports as an assistant message of its own making.
    if (event.is_api_error_message === true || typeof event.error === "string") {
      const text = Array.isArray(content)
        ? content.map((b) => str(obj(b)?.text) ?? "").join("\n")
        : "";
      this.entries.push({
        kind: "error",
        message: this.cut(text || str(event.error) || "API error"),
        status: num(event.api_error_status),
      });
      return;
    }
    if (!Array.isArray(content)) return;
    for (const block of content) {
      const b = obj(block);
      if (!b) continue;
      if (b.type === "text" && typeof b.text === "string") {
        if (b.text.trim() === "") continue;
        this.entries.push({
          kind: "text",
          role: "assistant",
          thinking: false,
          text: this.cut(b.text),
        });
      } else if (b.type === "thinking" && typeof b.thinking === "string") {
        if (b.thinking.trim() === "") continue;
        this.entries.push({
          kind: "text",
          role: "assistant",
          thinking: true,
          text: this.cut(b.thinking),
        });
      } else if (b.type === "tool_use" || b.type === "server_tool_use") {
        const id = str(b.id);
        if (id !== null) this.#calls.set(id, this.entries.length);
        this.entries.push({
          kind: "tool_use",
          id,
          name: str(b.name) ?? "?",
          input: this.cut(JSON.stringify(b.input ?? {}, null, 2)),
        });
      } else {
        this.entries.push({ kind: "system", type: `assistant/${str(b.type) ?? "?"}`, summary: "" });
      }
    }
  }

  #user(event: Record<string, unknown>): void {
    const content = obj(event.message)?.content;
    if (typeof content === "string") {
      if (content.trim() !== "") {
        this.entries.push({ kind: "text", role: "user", thinking: false, text: this.cut(content) });
      }
      return;
    }
    if (!Array.isArray(content)) return;
    for (const block of content) {
      const b = obj(block);
      if (!b) continue;
      if (b.type === "tool_result") {
        const id = str(b.tool_use_id);
        const call = id === null ? undefined : this.#calls.get(id);
        const called = call === undefined ? undefined : this.entries[call];
        this.entries.push({
          kind: "tool_result",
          tool_use_id: id,
          tool_name: called?.kind === "tool_use" ? called.name : null,
          call: call ?? null,
          is_error: b.is_error === true,
          content: this.cut(resultContent(b.content)),
        });
      } else if (b.type === "text" && typeof b.text === "string" && b.text.trim() !== "") {
        this.entries.push({ kind: "text", role: "user", thinking: false, text: this.cut(b.text) });
      }
    }
  }
}

/** The transcript of parsed stream-json events. Pure. */
export function transcriptOf(
  events: Iterable<Record<string, unknown>>,
  options: TranscriptOptions = {},
): Transcript {
  const builder = new Builder(options.maxChars ?? MAX_ENTRY_CHARS);
  for (const event of events) builder.add(event);
  return { entries: builder.entries, result: builder.result, skipped: 0 };
}

/** The transcript of stream-json text (a run's `stdout`). Pure. */
export function parseTranscript(text: string, options: TranscriptOptions = {}): Transcript {
  const { events, skipped } = parseLines(text);
  return { ...transcriptOf(events, options), skipped };
}
