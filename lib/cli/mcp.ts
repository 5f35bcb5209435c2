/**
 * @module
 * `clodputer mcp`: the MCP server (lib/mcp/) on stdin and stdout, until the client closes stdin.
 * Stdout is the protocol: nothing else is written to it; warnings go to stderr.
 * `clodputer mcp --print-config`: how to add it to Claude Code (`claude mcp add`, a project's
 * `.mcp.json`) and to Claude Desktop, with the absolute command that starts this clodputer.
 */

import { serveMcp, SERVER_NAME } from "../mcp/server.ts";
import { selfArgv } from "../sys/self.ts";
import { shellLine } from "../ui/shell_quote.ts";
import type { Deps } from "./deps.ts";

/** One MCP server entry, as `.mcp.json` and Claude Desktop's config file write it. */
export interface ServerEntry {
  command: string;
  args: string[];
  env?: Record<string, string>;
}

/** The snippets `--print-config` prints. */
export interface McpConfig {
  /** The `claude mcp add` command line. */
  claude_code: string;
  /** A project's `.mcp.json`. */
  mcp_json: { mcpServers: Record<string, ServerEntry> };
  /** Claude Desktop's config file (for this system) and the entry to merge into it. */
  claude_desktop: { file: string; config: { mcpServers: Record<string, ServerEntry> } };
}

/** Claude Desktop's config file: macOS's Application Support folder, else ~/.config. */
export function desktopConfigFile(os: string, home: string): string {
  return os === "darwin"
    ? `${home}/Library/Application Support/Claude/claude_desktop_config.json`
    : `${home}/.config/Claude/claude_desktop_config.json`;
}

/** The snippets, for the command `argv` that starts this clodputer. Pure. */
export function mcpConfig(
  argv: readonly string[],
  facts: { os: string; home: string; clodputerHome: string | undefined },
): McpConfig {
  const [command = "clodputer", ...rest] = argv;
  const env = facts.clodputerHome === undefined ? undefined : {
    CLODPUTER_HOME: facts.clodputerHome,
  };
  const entry: ServerEntry = { command, args: [...rest, "mcp"], ...(env ? { env } : {}) };
  const envFlags = env ? ["-e", `CLODPUTER_HOME=${env.CLODPUTER_HOME}`] : [];
  return {
    claude_code: shellLine([
      "claude",
      "mcp",
      "add",
      SERVER_NAME,
      ...envFlags,
      "--",
      ...argv,
      "mcp",
    ]),
    mcp_json: { mcpServers: { [SERVER_NAME]: entry } },
    claude_desktop: {
      file: desktopConfigFile(facts.os, facts.home),
      config: { mcpServers: { [SERVER_NAME]: entry } },
    },
  };
}

/** The snippets in words. Pure. */
export function renderMcpConfig(config: McpConfig): string[] {
  return [
    "Claude Code: add Clodputer's MCP server for you (add --scope user for every project):",
    "",
    `  ${config.claude_code}`,
    "",
    "Or in a project's .mcp.json:",
    "",
    JSON.stringify(config.mcp_json, null, 2),
    "",
    `Claude Desktop: merge this into ${config.claude_desktop.file}, then restart it:`,
    "",
    JSON.stringify(config.claude_desktop.config, null, 2),
    "",
    'Then ask Claude, for example: "list my clodputer tasks".',
  ];
}

/** `mcp [--print-config]`. */
export async function mcpCommand(
  deps: Deps,
  options: { printConfig: boolean; json: boolean },
): Promise<number> {
  if (options.printConfig) {
    const config = mcpConfig(selfArgv(), {
      os: deps.os,
      home: deps.env.get("HOME") ?? "~",
      // The home as this process resolved it (absolute), when one is set.
      clodputerHome: deps.env.get("CLODPUTER_HOME") ? deps.paths.home : undefined,
    });
    if (options.json) deps.out.json(config);
    else for (const line of renderMcpConfig(config)) deps.out.line(line);
    return 0;
  }
  await serveMcp(deps, {
    input: Deno.stdin.readable,
    output: Deno.stdout.writable,
    warn: (line) => deps.out.error(line),
  });
  return 0;
}
