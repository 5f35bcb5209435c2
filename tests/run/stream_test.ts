/**
 * @module
 * Parsing Claude Code's real stream-json and JSON outputs (shared/claude-samples).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { describeEvent, LineSplitter, parseEventLine, parseResult } from "../../lib/run/stream.ts";
import { REPO_ROOT } from "../e2e/cli.ts";

const FIXTURES = join(REPO_ROOT, "tests", "fixtures", "claude");

async function lastResult(name: string) {
  const text = await Deno.readTextFile(join(FIXTURES, `${name}.jsonl`));
  const results = text.split("\n").map(parseEventLine).filter((e) => e?.type === "result");
  return parseResult(results.at(-1) as Record<string, unknown>);
}

Deno.test("parseResult() reads a success", async () => {
  const r = await lastResult("hi");
  assert.equal(r.is_error, false);
  assert.equal(r.result, "hello from fake");
  assert.equal(r.session_id, "eb747026-a985-4f80-a5e9-440d29297dab");
  assert.equal(r.total_cost_usd, 0.000188);
  assert.equal(r.num_turns, 1);
  assert.ok(r.model_usage && "claude-opus-5-5" in r.model_usage);
  assert.deepEqual(r.permission_denials, []);
});

Deno.test("parseResult() treats is_error as an error although subtype says success", async () => {
  for (
    const [name, status] of [["error-401", 401], ["error-500", 500], ["error-529", 529]] as const
  ) {
    const r = await lastResult(name);
    assert.equal(r.subtype, "success", name);
    assert.equal(r.is_error, true, name);
    assert.equal(r.api_error_status, status, name);
  }
});

Deno.test("parseResult() reads max-turns with no result text", async () => {
  const r = await lastResult("max-turns");
  assert.equal(r.is_error, true);
  assert.equal(r.subtype, "error_max_turns");
  assert.equal(r.result, null);
  assert.deepEqual(r.errors, ["Reached maximum number of turns (2)"]);
});

Deno.test("parseResult() keeps permission denials of a run that exits 0", async () => {
  const r = await lastResult("write-denied");
  assert.equal(r.is_error, false);
  assert.equal(r.permission_denials.length, 1);
});

Deno.test("parseResult() tolerates missing and unknown fields", () => {
  const r = parseResult({ type: "result", something_new: 1 });
  assert.equal(r.is_error, false);
  assert.equal(r.total_cost_usd, null);
  assert.equal(r.session_id, null);
});

Deno.test("the last of two results wins with a background task", async () => {
  const r = await lastResult("background-task");
  assert.equal(r.result, "after background finished");
});

Deno.test("describeEvent() names tools, MCP servers and retries", async () => {
  const events = async (name: string) =>
    (await Deno.readTextFile(join(FIXTURES, `${name}.jsonl`))).split("\n")
      .map(parseEventLine).filter((e) => e !== undefined).flatMap((e) => describeEvent(e));
  const bash = await events("bash-tool");
  const tool = bash.find((e) => e.kind === "tool");
  assert.equal(tool?.kind === "tool" && tool.name, "Bash");
  assert.ok(tool?.kind === "tool" && tool.detail.startsWith("echo bash-ran"));
  const mcp = await events("mcp-tool");
  const init = mcp.find((e) => e.kind === "init");
  assert.ok(init?.kind === "init" && init.mcpServers.length > 0);
  const retries = (await events("error-500")).filter((e) => e.kind === "retry");
  assert.ok(retries.length > 0);
});

Deno.test("parseEventLine() skips blank and non-JSON lines", () => {
  assert.equal(parseEventLine(""), undefined);
  assert.equal(parseEventLine("flood flood"), undefined);
  assert.equal(parseEventLine("{not json"), undefined);
  assert.deepEqual(parseEventLine('{"type":"x"}'), { type: "x" });
});

Deno.test("LineSplitter joins lines split across chunks, multi-byte characters included", () => {
  const s = new LineSplitter(1024);
  const bytes = new TextEncoder().encode("héllo\nwörld\npart");
  const lines: string[] = [];
  for (let i = 0; i < bytes.length; i++) lines.push(...s.push(bytes.subarray(i, i + 1)));
  assert.deepEqual(lines, ["héllo", "wörld"]);
  assert.equal(s.flush(), "part");
  assert.equal(s.flush(), undefined);
});

Deno.test("LineSplitter drops a line over the limit and goes on", () => {
  const s = new LineSplitter(10);
  const enc = new TextEncoder();
  assert.deepEqual(s.push(enc.encode("short\n0123456789")), ["short"]);
  assert.deepEqual(s.push(enc.encode("0123456789more\nnext\n")), ["next"]);
  assert.equal(s.droppedLines, 1);
});
