/**
 * @module
 * `clodputer mcp`: Clodputer as an MCP server (docs/mcp.md), one more face beside the CLI and the
 * web dashboard, on the same domain functions. It speaks JSON-RPC, one message a line, over the
 * streams it is given (the process's stdin and stdout): nothing else may write to the output;
 * warnings go to stderr. The tools are lib/mcp/tools.ts; the task reference, the example tasks
 * and the `new_task` prompt are lib/mcp/resources.ts. Built on the official SDK's McpServer.
 */

import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { deserializeMessage, serializeMessage } from "@modelcontextprotocol/sdk/shared/stdio.js";
import type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
import type { CallToolResult, JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import denoJson from "../../deno.json" with { type: "json" };
import { registerResources } from "./resources.ts";
import {
  type Answer,
  errorAnswer,
  type McpDeps,
  RefusedAnswer,
  type Tool,
  tools,
} from "./tools.ts";

/** The server's name, as clients show it (and prefix its tools: `mcp__clodputer__list_tasks`). */
export const SERVER_NAME = "clodputer";

/** What the server tells a client when it connects. */
export const INSTRUCTIONS =
  "Clodputer runs Claude Code tasks on a schedule, on file changes or on request. A task is one " +
  "YAML file; read clodputer://docs/task-reference before writing one, check it with " +
  "validate_task, then create_task. run_task queues a run and answers with its id at once; " +
  "follow it with show_run.";

/** A tool's answer as MCP carries it: the JSON as text, and as structured content. */
function result(
  answer: Answer,
  options: { isError?: boolean; text?: string } = {},
): CallToolResult {
  const json = JSON.stringify(answer, null, 2);
  return {
    content: [{ type: "text", text: options.text ? `${options.text}\n\n${json}` : json }],
    structuredContent: answer,
    ...(options.isError ? { isError: true } : {}),
  };
}

/** Calls a tool's handler: its answer, a refusal, or an error, each as a tool result. */
export async function callTool(
  deps: McpDeps,
  tool: Tool,
  args: Record<string, unknown>,
): Promise<CallToolResult> {
  try {
    const answer = await tool.handle(deps, args);
    if (answer instanceof RefusedAnswer) {
      return result(answer.answer, { isError: true, text: answer.text });
    }
    return result(answer);
  } catch (error) {
    const { text, answer } = errorAnswer(error);
    return {
      content: [{ type: "text", text }],
      structuredContent: answer,
      isError: true,
    };
  }
}

/** The MCP server with every tool, resource and prompt, not yet connected. */
export function createMcpServer(deps: McpDeps): McpServer {
  const server = new McpServer(
    { name: SERVER_NAME, version: denoJson.version },
    { instructions: INSTRUCTIONS },
  );
  for (const tool of tools()) {
    server.registerTool(
      tool.name,
      {
        description: tool.description,
        inputSchema: tool.input,
        annotations: { readOnlyHint: tool.readOnly, openWorldHint: false },
      },
      (args: Record<string, unknown>) => callTool(deps, tool, args),
    );
  }
  registerResources(server);
  return server;
}

/**
 * A transport over a byte stream each way: JSON-RPC messages, one a line (MCP's stdio transport).
 * It closes when the input ends.
 */
export class LineTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: (message: JSONRPCMessage) => void;
  #input: ReadableStream<Uint8Array>;
  #writer: WritableStreamDefaultWriter<Uint8Array>;
  #reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  #closed = false;
  /** The ids of the requests read and not answered yet: the input's end waits for them. */
  #pending = new Set<string | number>();
  #ended = false;

  constructor(input: ReadableStream<Uint8Array>, output: WritableStream<Uint8Array>) {
    this.#input = input;
    this.#writer = output.getWriter();
  }

  start(): Promise<void> {
    this.#reader = this.#input.getReader();
    this.#read(this.#reader).catch((error) => this.onerror?.(asError(error))).finally(() => {
      // The client closed its side: answer what it asked, then close.
      this.#ended = true;
      if (this.#pending.size === 0) this.close();
    });
    return Promise.resolve();
  }

  async #read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffered = "";
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffered += decoder.decode(value, { stream: true });
      let newline = buffered.indexOf("\n");
      while (newline >= 0) {
        const line = buffered.slice(0, newline).replace(/\r$/, "");
        buffered = buffered.slice(newline + 1);
        if (line.trim() !== "") this.#deliver(line);
        newline = buffered.indexOf("\n");
      }
    }
  }

  #deliver(line: string): void {
    let message: JSONRPCMessage;
    try {
      message = deserializeMessage(line);
    } catch (error) {
      this.onerror?.(asError(error));
      return;
    }
    if ("method" in message && "id" in message) this.#pending.add(message.id);
    this.onmessage?.(message);
  }

  async send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return;
    await this.#writer.write(new TextEncoder().encode(serializeMessage(message)));
    if (!("method" in message) && "id" in message && message.id !== undefined) {
      this.#pending.delete(message.id);
      if (this.#ended && this.#pending.size === 0) await this.close();
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#reader?.cancel().catch(() => {});
    await this.#writer.close().catch(() => {});
    this.onclose?.();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/**
 * Serves MCP over `input` and `output` until the input ends (the client closed it) or `signal`
 * aborts. Errors of the protocol (a line that is not JSON-RPC) go to `warn`, never the output.
 */
export async function serveMcp(
  deps: McpDeps,
  streams: {
    input: ReadableStream<Uint8Array>;
    output: WritableStream<Uint8Array>;
    warn?: ((line: string) => void) | undefined;
  },
): Promise<void> {
  const server = createMcpServer(deps);
  const transport = new LineTransport(streams.input, streams.output);
  // The SDK keeps these when it connects, and calls its own after them.
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  transport.onerror = (error) => streams.warn?.(`clodputer mcp: ${error.message}`);
  await server.connect(transport);
  await closed;
  await server.close();
}
