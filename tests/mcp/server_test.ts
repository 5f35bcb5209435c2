/**
 * @module
 * The MCP server beyond its tools: the resources (the task reference as docs/task-reference.md
 * renders it, each example task) and the `new_task` prompt through the SDK's client; serveMcp()
 * over byte streams, one JSON-RPC message a line, answering what was asked before it closes when
 * the input ends; and the snippets of `mcp --print-config`.
 */

import assert from "node:assert/strict";
import { mcpConfig, renderMcpConfig } from "../../lib/cli/mcp.ts";
import { EXAMPLES } from "../../lib/config/examples.ts";
import { taskReferenceMarkdown } from "../../lib/config/reference.ts";
import { REFERENCE_URI } from "../../lib/mcp/resources.ts";
import { serveMcp } from "../../lib/mcp/server.ts";
import { entryText } from "../../lib/mcp/transcript.ts";
import { TASKS } from "../web/fixture_home.ts";
import { mcpScene } from "./mcp_scene.ts";

type Contents = { contents: { uri: string; mimeType?: string; text?: string }[] };

Deno.test("resources: the task reference (as docs/task-reference.md says it) and every example", async () => {
  await using s = await mcpScene();
  const { resources } = await s.client.listResources() as { resources: { uri: string }[] };
  assert.deepEqual(resources.map((r) => r.uri), [
    REFERENCE_URI,
    ...EXAMPLES.map((e) => `clodputer://examples/${e.name}`),
  ]);
  const reference = await s.client.readResource({ uri: REFERENCE_URI }) as Contents;
  assert.equal(reference.contents[0]?.mimeType, "text/markdown");
  assert.equal(reference.contents[0]?.text, taskReferenceMarkdown());
  assert.match(reference.contents[0]?.text ?? "", /^# Task file and config.yaml reference/);
  const committed = await Deno.readTextFile("docs/task-reference.md");
  for (const key of ["**prompt**", "**allowed_tools**", "**expression**"]) {
    assert.ok(committed.includes(key) && reference.contents[0]?.text?.includes(key), key);
  }
  const example = EXAMPLES[0];
  assert.ok(example);
  const read = await s.client.readResource({
    uri: `clodputer://examples/${example.name}`,
  }) as Contents;
  assert.equal(read.contents[0]?.text, example.yaml);
});

Deno.test("the new_task prompt asks to read the reference, validate, then create", async () => {
  await using s = await mcpScene();
  const { prompts } = await s.client.listPrompts() as { prompts: { name: string }[] };
  assert.deepEqual(prompts.map((p) => p.name), ["new_task"]);
  const got = await s.client.getPrompt({
    name: "new_task",
    arguments: { what: "summarise my inbox", when: "every weekday at 9" },
  }) as { messages: { role: string; content: { type: string; text: string } }[] };
  const text = got.messages[0]?.content.text ?? "";
  assert.match(text, /summarise my inbox/);
  assert.match(text, /every weekday at 9/);
  const order = ["clodputer://docs/task-reference", "validate_task", "create_task"].map((w) =>
    text.indexOf(w)
  );
  assert.ok(order.every((i, n) => i >= 0 && (n === 0 || i > (order[n - 1] ?? 0))), text);
});

/** A client's side of serveMcp(): write lines to its input, read lines from its output. */
function pipes() {
  const input = new TransformStream<Uint8Array, Uint8Array>();
  const output = new TransformStream<Uint8Array, Uint8Array>();
  const writer = input.writable.getWriter();
  const lines = output.readable.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = "";
  return {
    input: input.readable,
    output: output.writable,
    send: (message: unknown) =>
      writer.write(new TextEncoder().encode(`${JSON.stringify(message)}\n`)),
    sendRaw: (text: string) => writer.write(new TextEncoder().encode(text)),
    end: () => writer.close(),
    /** The next message the server wrote. */
    async next(): Promise<Record<string, unknown>> {
      while (!buffered.includes("\n")) {
        const { value, done } = await lines.read();
        if (done) throw new Error(`the output ended; got so far: ${buffered}`);
        buffered += value;
      }
      const at = buffered.indexOf("\n");
      const line = buffered.slice(0, at);
      buffered = buffered.slice(at + 1);
      return JSON.parse(line);
    },
    async rest(): Promise<string> {
      let text = buffered;
      while (true) {
        const { value, done } = await lines.read();
        if (done) return text;
        text += value;
      }
    },
  };
}

Deno.test("serveMcp() speaks JSON lines: answers each request, warns of a bad line, and ends when the input does", async () => {
  await using s = await mcpScene();
  const p = pipes();
  const warnings: string[] = [];
  const served = serveMcp(s.deps, {
    input: p.input,
    output: p.output,
    warn: (l) => warnings.push(l),
  });
  await p.send({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "t", version: "1" },
    },
  });
  const init = await p.next();
  const info = (init.result as { serverInfo: { name: string; version: string } }).serverInfo;
  assert.equal(info.name, "clodputer");
  const denoJson = JSON.parse(await Deno.readTextFile("deno.json"));
  assert.equal(info.version, denoJson.version);
  // Read the rest as it comes (a pipe holds nothing: the server's writes wait for this reader).
  const rest = p.rest();
  await p.send({ jsonrpc: "2.0", method: "notifications/initialized" });
  await p.sendRaw("this is not json\r\n\n");
  // Asked, then the input ends at once: both are answered before the server stops.
  await p.send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
  await p.sendRaw(
    `${
      JSON.stringify({
        jsonrpc: "2.0",
        id: 3,
        method: "tools/call",
        params: { name: "list_tasks", arguments: {} },
      })
    }\n`,
  );
  await p.end();
  await served;
  const answers = (await rest).trim().split("\n").map((l) => JSON.parse(l));
  const byId = new Map(answers.map((a) => [a.id, a]));
  assert.equal(byId.get(2).result.tools.length, 14);
  const rows = byId.get(3).result.structuredContent.rows as { name: string }[];
  assert.deepEqual(rows.map((r) => r.name).sort(), Object.values(TASKS).sort());
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? "", /^clodputer mcp: /);
});

Deno.test("mcpConfig(): claude mcp add, .mcp.json and Claude Desktop's file, with the absolute command", () => {
  const argv = ["/opt/deno", "run", "-q", "-P", "--config", "/src/deno.json", "/src/main.ts"];
  const config = mcpConfig(argv, { os: "darwin", home: "/Users/me", clodputerHome: undefined });
  assert.equal(
    config.claude_code,
    "claude mcp add clodputer -- /opt/deno run -q -P --config /src/deno.json /src/main.ts mcp",
  );
  const entry = { command: "/opt/deno", args: [...argv.slice(1), "mcp"] };
  assert.deepEqual(config.mcp_json, { mcpServers: { clodputer: entry } });
  assert.deepEqual(config.claude_desktop, {
    file: "/Users/me/Library/Application Support/Claude/claude_desktop_config.json",
    config: { mcpServers: { clodputer: entry } },
  });
  const linux = mcpConfig(["/usr/local/bin/clodputer"], {
    os: "linux",
    home: "/home/me",
    clodputerHome: "/home/me/my home",
  });
  assert.equal(
    linux.claude_code,
    "claude mcp add clodputer -e 'CLODPUTER_HOME=/home/me/my home' -- /usr/local/bin/clodputer mcp",
  );
  assert.deepEqual(linux.mcp_json.mcpServers.clodputer, {
    command: "/usr/local/bin/clodputer",
    args: ["mcp"],
    env: { CLODPUTER_HOME: "/home/me/my home" },
  });
  assert.equal(linux.claude_desktop.file, "/home/me/.config/Claude/claude_desktop_config.json");
  const text = renderMcpConfig(linux).join("\n");
  assert.ok(text.includes(JSON.stringify(linux.mcp_json, null, 2)));
  assert.ok(text.includes(linux.claude_desktop.file));
});

Deno.test("entryText(): each kind of transcript entry in one line", () => {
  const t = (text: string, cut = 0) => ({ text, cut });
  assert.equal(
    entryText({
      kind: "init",
      model: "m",
      cwd: "/w",
      tools: ["Read"],
      mcp_servers: [],
      session_id: null,
      permission_mode: null,
    }),
    "[session] model m, cwd /w, tools: Read",
  );
  assert.equal(
    entryText({ kind: "text", role: "assistant", thinking: true, text: t("hm", 3) }),
    "[assistant thinking] hm [... 3 more characters cut]",
  );
  assert.equal(
    entryText({ kind: "tool_use", id: null, name: "Read", input: t('{"f":1}') }),
    '[tool call Read] {"f":1}',
  );
  assert.equal(
    entryText({
      kind: "tool_result",
      tool_use_id: null,
      tool_name: "Read",
      call: 0,
      is_error: true,
      content: t("no"),
    }),
    "[tool result Read (error)] no",
  );
  assert.equal(
    entryText({
      kind: "retry",
      attempt: 1,
      max_retries: 3,
      status: 529,
      delay_ms: 10,
      error: "overloaded",
    }),
    "[api retry] attempt 1 of 3, status 529: overloaded",
  );
  assert.equal(entryText({ kind: "error", message: t("boom"), status: 500 }), "[error 500] boom");
  assert.equal(
    entryText({ kind: "system", type: "system/task_started", summary: "" }),
    "[system/task_started]",
  );
});
