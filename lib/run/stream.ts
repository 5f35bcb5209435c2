/**
 * @module
 * Reads Claude Code's stream-json output: splits lines with a size bound, pulls out the final
 * result, and describes events for live progress. Pure.
 */

/** The parts of Claude's `result` event that Clodputer keeps. */
export interface ClaudeResult {
  result: string | null;
  is_error: boolean;
  subtype: string | null;
  api_error_status: number | null;
  terminal_reason: string | null;
  session_id: string | null;
  total_cost_usd: number | null;
  duration_ms: number | null;
  num_turns: number | null;
  usage: Record<string, unknown> | null;
  model_usage: Record<string, unknown> | null;
  permission_denials: unknown[];
  errors: string[];
}

/** `v` when it is a string, else null. */
export function str(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** `v` when it is a finite number, else null. */
export function num(v: unknown): number | null {
  return typeof v === "number" && Number.isFinite(v) ? v : null;
}

/** `v` when it is a plain object (not an array), else null. */
export function obj(v: unknown): Record<string, unknown> | null {
  return typeof v === "object" && v !== null && !Array.isArray(v)
    ? v as Record<string, unknown>
    : null;
}

/**
 * Reads a `result` event, tolerating missing and unknown fields (they differ by version).
 * `is_error` is true when the event says so, even when `subtype` is "success".
 */
export function parseResult(event: Record<string, unknown>): ClaudeResult {
  const subtype = str(event.subtype);
  const isError = event.is_error === true || (subtype !== null && subtype.startsWith("error"));
  return {
    result: str(event.result),
    is_error: isError,
    subtype,
    api_error_status: num(event.api_error_status),
    terminal_reason: str(event.terminal_reason),
    session_id: str(event.session_id),
    total_cost_usd: num(event.total_cost_usd),
    duration_ms: num(event.duration_ms),
    num_turns: num(event.num_turns),
    usage: obj(event.usage),
    model_usage: obj(event.modelUsage),
    permission_denials: Array.isArray(event.permission_denials) ? event.permission_denials : [],
    errors: Array.isArray(event.errors) ? event.errors.filter((e) => typeof e === "string") : [],
  };
}

/** What a stream-json event means for a person watching the run. */
export type ProgressEvent =
  | { kind: "init"; model: string | null; sessionId: string | null; mcpServers: string[] }
  | { kind: "tool"; name: string; detail: string }
  | { kind: "text"; text: string }
  | { kind: "retry"; attempt: number | null; status: number | null }
  | { kind: "result"; result: ClaudeResult };

/** Parses one line of stream-json; undefined for blank or non-JSON lines. */
export function parseEventLine(line: string): Record<string, unknown> | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith("{")) return undefined;
  try {
    return obj(JSON.parse(trimmed)) ?? undefined;
  } catch {
    return undefined;
  }
}

/** The progress events one stream-json event stands for (an assistant line may hold several). */
export function describeEvent(event: Record<string, unknown>): ProgressEvent[] {
  switch (event.type) {
    case "system": {
      if (event.subtype === "init") {
        const servers = Array.isArray(event.mcp_servers) ? event.mcp_servers : [];
        return [{
          kind: "init",
          model: str(event.model),
          sessionId: str(event.session_id),
          mcpServers: servers.map((s) => str(obj(s)?.name) ?? "?"),
        }];
      }
      if (event.subtype === "api_retry") {
        return [{ kind: "retry", attempt: num(event.attempt), status: num(event.error_status) }];
      }
      return [];
    }
    case "assistant": {
      const content = obj(event.message)?.content;
      if (!Array.isArray(content)) return [];
      const out: ProgressEvent[] = [];
      for (const block of content) {
        const b = obj(block);
        if (b?.type === "tool_use") {
          out.push({ kind: "tool", name: str(b.name) ?? "?", detail: toolDetail(obj(b.input)) });
        } else if (b?.type === "text" && typeof b.text === "string" && b.text.trim() !== "") {
          out.push({ kind: "text", text: b.text });
        }
      }
      return out;
    }
    case "result":
      return [{ kind: "result", result: parseResult(event) }];
    default:
      return [];
  }
}

function toolDetail(input: Record<string, unknown> | null): string {
  if (!input) return "";
  for (const key of ["command", "file_path", "path", "pattern", "url", "query", "description"]) {
    const v = input[key];
    if (typeof v === "string") return v.replace(/\s+/g, " ").trim();
  }
  return "";
}

/**
 * Splits a byte stream into lines. A line longer than `maxLineBytes` is dropped (counted in
 * `droppedLines`) so one endless line cannot exhaust memory.
 */
export class LineSplitter {
  #decoder = new TextDecoder();
  #pending: string[] = [];
  #pendingBytes = 0;
  #skipping = false;
  #maxLineBytes: number;
  droppedLines = 0;

  constructor(maxLineBytes: number) {
    this.#maxLineBytes = maxLineBytes;
  }

  /** Feeds bytes; returns the complete lines they finish. */
  push(chunk: Uint8Array): string[] {
    const lines: string[] = [];
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl;
      this.#take(chunk.subarray(start, end));
      if (nl === -1) break;
      const line = this.#finish();
      if (line !== undefined) lines.push(line);
      start = nl + 1;
    }
    return lines;
  }

  /** The last line when the stream ends without a newline. */
  flush(): string | undefined {
    return this.#pendingBytes > 0 || this.#skipping ? this.#finish() : undefined;
  }

  #take(part: Uint8Array): void {
    if (this.#skipping || part.length === 0) return;
    if (this.#pendingBytes + part.length > this.#maxLineBytes) {
      this.#skipping = true;
      this.#pending = [];
      this.#pendingBytes = 0;
      this.#decoder = new TextDecoder();
      return;
    }
    this.#pending.push(this.#decoder.decode(part, { stream: true }));
    this.#pendingBytes += part.length;
  }

  #finish(): string | undefined {
    if (this.#skipping) {
      this.#skipping = false;
      this.droppedLines++;
      return undefined;
    }
    const line = this.#pending.join("") + this.#decoder.decode();
    this.#pending = [];
    this.#pendingBytes = 0;
    return line;
  }
}
