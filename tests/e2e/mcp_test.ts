/**
 * @module
 * `clodputer mcp` end to end: the real CLI as a subprocess, spoken to over its stdin and stdout as
 * an MCP client does (JSON-RPC, one message a line): initialize, tools/list, list_tasks, then its
 * stdin is closed and it exits 0, having written nothing but protocol to stdout. And
 * `mcp --print-config`: the absolute command, and JSON snippets that parse.
 */

import assert from "node:assert/strict";
import { isAbsolute } from "node:path";
import { CLI_LIMIT_MS, cliArgs, cliEnv, REPO_ROOT, runCli, tempHome } from "./cli.ts";

/** `promise`, or a failure saying what was awaited once `ms` have passed (and `onLate` run). */
async function within<T>(promise: Promise<T>, ms: number, what: string, onLate: () => void) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onLate();
      reject(new Error(`gave up after ${ms} ms waiting for ${what}`));
    }, ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

Deno.test("clodputer mcp answers initialize, tools/list and list_tasks on stdio, and exits 0 when stdin closes", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", `task:\n  prompt: Say hello.\n`);
  const child = new Deno.Command(Deno.execPath(), {
    args: [...await cliArgs(), "mcp"],
    cwd: REPO_ROOT,
    env: await cliEnv(home),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const kill = () => {
    try {
      child.kill("SIGKILL");
    } catch { /* gone */ }
  };
  const writer = child.stdin.getWriter();
  const stdout = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stderrText = new Response(child.stderr).text();
  let seen = "";
  const next = async (): Promise<Record<string, unknown>> => {
    while (!seen.includes("\n")) {
      const { value, done } = await stdout.read();
      if (done) throw new Error(`stdout ended; so far: ${seen}`);
      seen += value;
    }
    const at = seen.indexOf("\n");
    const line = seen.slice(0, at);
    seen = seen.slice(at + 1);
    return JSON.parse(line);
  };
  const send = (message: unknown) =>
    writer.write(new TextEncoder().encode(`${JSON.stringify(message)}\n`));
  const ask = (what: string) => within(next(), CLI_LIMIT_MS, what, kill);
  try {
    await send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "e2e", version: "1" },
      },
    });
    const init = await ask("the answer to initialize") as {
      id: number;
      result: { serverInfo: { name: string }; capabilities: Record<string, unknown> };
    };
    assert.equal(init.id, 1);
    assert.equal(init.result.serverInfo.name, "clodputer");
    assert.ok(init.result.capabilities.tools && init.result.capabilities.resources);
    await send({ jsonrpc: "2.0", method: "notifications/initialized" });

    await send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const list = await ask("the answer to tools/list") as {
      id: number;
      result: { tools: { name: string; inputSchema: { type: string } }[] };
    };
    assert.equal(list.id, 2);
    assert.equal(list.result.tools.length, 14);
    assert.ok(list.result.tools.every((t) => t.inputSchema.type === "object"));

    await send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "list_tasks", arguments: {} },
    });
    const tasks = await ask("the answer to list_tasks") as {
      id: number;
      result: { isError?: boolean; structuredContent: { rows: { name: string }[] } };
    };
    assert.equal(tasks.id, 3);
    assert.notEqual(tasks.result.isError, true);
    assert.deepEqual(tasks.result.structuredContent.rows.map((r) => r.name), ["hello"]);

    await writer.close();
    const status = await within(child.status, CLI_LIMIT_MS, "clodputer mcp to exit", kill);
    const rest = await within(
      (async () => {
        while (true) {
          const { value, done } = await stdout.read();
          if (done) return seen;
          seen += value;
        }
      })(),
      CLI_LIMIT_MS,
      "stdout to end",
      kill,
    );
    assert.equal(rest, "", "nothing but answers on stdout");
    assert.equal(status.code, 0, await stderrText);
  } finally {
    kill();
    await child.status;
    await writer.close().catch(() => {});
    await stdout.cancel().catch(() => {});
    await stderrText;
  }
});

Deno.test("clodputer mcp --print-config: claude mcp add and JSON snippets with the absolute command", async () => {
  await using home = await tempHome();
  const result = await runCli(home, ["mcp", "--print-config"]);
  assert.equal(result.code, 0, result.stderr);
  const add = result.stdout.split("\n").find((l) => l.trim().startsWith("claude mcp add "));
  assert.ok(add, result.stdout);
  assert.match(add, / -e CLODPUTER_HOME=\S+ -- \//);
  assert.ok(add.trimEnd().endsWith(" mcp"), add);
  // Every JSON block: from a line "{" to the next line "}".
  const blocks = [...result.stdout.matchAll(/^\{\n[\s\S]*?\n\}$/gm)].map((m) => JSON.parse(m[0]));
  assert.equal(blocks.length, 2, result.stdout);
  for (const block of blocks) {
    const entry = block.mcpServers.clodputer;
    assert.ok(isAbsolute(entry.command), entry.command);
    assert.equal(entry.args.at(-1), "mcp");
    assert.ok(entry.args.includes(`${REPO_ROOT}/main.ts`), JSON.stringify(entry.args));
    assert.deepEqual(entry.env, { CLODPUTER_HOME: home.clodputerHome });
  }
  assert.ok(
    result.stdout.includes(`${home.home}/.config/Claude/claude_desktop_config.json`) ||
      result.stdout.includes(`${home.home}/Library/Application Support/Claude/`),
  );
  const json = await runCli(home, ["mcp", "--print-config", "--json"]);
  assert.equal(json.code, 0, json.stderr);
  const parsed = JSON.parse(json.stdout);
  assert.deepEqual(parsed.mcp_json, blocks[0]);
  assert.equal(parsed.claude_code, add.trim());
});
