/**
 * @module
 * An in-process MCP server for the tool tests: a temp CLODPUTER_HOME seeded by `seedHome` from the
 * real clock, the server (lib/mcp/server.ts) connected to the SDK's own Client over its in-memory
 * transport, and a stand-in for starting the runner (it counts the calls and starts nothing).
 * Disposable: `await using` it and the client, server and home are closed and removed.
 */

import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { join } from "node:path";
import { createMcpServer } from "../../lib/mcp/server.ts";
import type { McpDeps } from "../../lib/mcp/tools.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { type Seeded, seedHome } from "../web/fixture_home.ts";

/** A tool call's result as the client got it. */
export interface ToolResult {
  isError: boolean;
  text: string;
  structured: Record<string, unknown>;
}

/** A connected client and server over a seeded home. */
export interface McpScene extends AsyncDisposable {
  client: Client;
  deps: McpDeps;
  seeded: Seeded;
  home: string;
  runnersStarted(): number;
  call(name: string, args?: Record<string, unknown>): Promise<ToolResult>;
}

/** Starts a server over a freshly seeded home; `env` is added to the server's environment. */
export async function mcpScene(
  options: { env?: Record<string, string>; days?: number } = {},
): Promise<McpScene> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-mcp-" });
  const home = join(root, "clodputer");
  const seeded = await seedHome(home, { nowMs: systemClock.now(), days: options.days ?? 10 });
  let started = 0;
  const deps: McpDeps = {
    proc: systemProc(),
    clock: systemClock,
    env: envFrom({
      HOME: root,
      CLODPUTER_HOME: home,
      PATH: "/usr/bin:/bin",
      ...options.env,
    }),
    paths: pathsUnder(home),
    os: Deno.build.os,
    selfPid: Deno.pid,
    startRunner: () => {
      started++;
      return Promise.resolve(undefined);
    },
  };
  const server = createMcpServer(deps);
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: "test", version: "1.0.0" });
  await client.connect(clientSide);
  return {
    client,
    deps,
    seeded,
    home,
    runnersStarted: () => started,
    async call(name, args = {}) {
      const got = await client.callTool({ name, arguments: args });
      const content = got.content as { type: string; text: string }[];
      return {
        isError: got.isError === true,
        text: content.map((c) => c.text).join("\n"),
        structured: (got.structuredContent ?? {}) as Record<string, unknown>,
      };
    },
    async [Symbol.asyncDispose]() {
      await client.close();
      await server.close();
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}
