/**
 * @module
 * A run's transcript from claude's real stream-json (tests/fixtures/claude-samples): the entries
 * of every sample, tool results paired with their calls, retries and errors, damaged lines,
 * unknown events and huge text.
 */

import assert from "node:assert/strict";
import {
  cutText,
  parseLines,
  parseTranscript,
  type TranscriptEntry,
} from "../../lib/run/transcript.ts";

const SAMPLES = new URL("../fixtures/claude-samples/", import.meta.url);

async function sample(name: string): Promise<string> {
  return await Deno.readTextFile(new URL(name, SAMPLES));
}

function kinds(entries: TranscriptEntry[]): string[] {
  return entries.map((e) => e.kind === "system" ? `system:${e.type}` : e.kind);
}

Deno.test("parseTranscript() reads every sample with nothing skipped, ending in its result", async () => {
  const want: Record<string, string[]> = {
    "stream-json-hi.jsonl": ["init", "text", "result"],
    "stream-json-bash-tool.jsonl": ["init", "tool_use", "tool_result", "text", "result"],
    "stream-json-write-tool.jsonl": ["init", "text", "tool_use", "tool_result", "text", "result"],
    "stream-json-mcp-tool.jsonl": ["init", "tool_use", "tool_result", "text", "result"],
    "stream-json-e500-retries.jsonl": ["init", "retry", "retry", "error", "result"],
    "stream-json-background-task.jsonl": [
      "init",
      "tool_use",
      "system:system/background_tasks_changed",
      "system:system/task_started",
      "tool_result",
      "text",
      "result",
      "system:system/task_updated",
      "system:system/task_notification",
      "system:system/background_tasks_changed",
      "init",
      "text",
      "result",
    ],
  };
  const files: string[] = [];
  for await (const e of Deno.readDir(SAMPLES)) if (e.name.endsWith(".jsonl")) files.push(e.name);
  files.sort();
  assert.deepEqual(files, Object.keys(want).sort(), "a test for every sample");
  for (const name of files) {
    const t = parseTranscript(await sample(name));
    assert.equal(t.skipped, 0, name);
    assert.deepEqual(kinds(t.entries), want[name], name);
    assert.ok(t.result, name);
    const last = t.entries.at(-1);
    assert.equal(last?.kind === "result" && last.result, t.result, name);
  }
});

Deno.test("parseTranscript() reads init, a tool call's input and its paired result", async () => {
  const t = parseTranscript(await sample("stream-json-bash-tool.jsonl"));
  const [init, call, result, text, end] = t.entries;
  assert.equal(init?.kind, "init");
  if (init?.kind === "init") {
    assert.equal(init.model, "claude-opus-5-5");
    assert.equal(init.cwd, "/Users/me/work");
    assert.ok(init.tools.includes("Bash"));
    assert.equal(init.session_id, "f6db9365-1cb1-4de2-8665-4583ff65bda6");
  }
  assert.equal(call?.kind, "tool_use");
  if (call?.kind === "tool_use") {
    assert.equal(call.name, "Bash");
    assert.equal(call.id, "toolu_fake_54");
    assert.equal(JSON.parse(call.input.text).description, "test");
    assert.ok(call.input.text.includes("\n  "), "pretty JSON");
  }
  assert.deepEqual(result, {
    kind: "tool_result",
    tool_use_id: "toolu_fake_54",
    tool_name: "Bash",
    call: 1,
    is_error: false,
    content: { text: "MARK=run-42", cut: 0 },
  });
  assert.deepEqual(text, {
    kind: "text",
    role: "assistant",
    thinking: false,
    text: { text: "Bash done.", cut: 0 },
  });
  assert.equal(end?.kind, "result");
  if (end?.kind === "result") {
    assert.equal(end.result.is_error, false);
    assert.equal(end.result.total_cost_usd, 0.000376);
    assert.equal(end.result.num_turns, 2);
    assert.equal(end.result.usage?.input_tokens, 24);
    assert.equal(end.text?.text, "Bash done.");
  }
});

Deno.test("parseTranscript() reads an MCP tool's result given as text blocks", async () => {
  const t = parseTranscript(await sample("stream-json-mcp-tool.jsonl"));
  const result = t.entries.find((e) => e.kind === "tool_result");
  assert.equal(result?.kind === "tool_result" && result.content.text, 'pong {"msg":"hi"}');
  assert.equal(result?.kind === "tool_result" && result.tool_name, "mcp__fake__ping");
  const init = t.entries[0];
  assert.deepEqual(init?.kind === "init" && init.mcp_servers, [
    { name: "fake", status: "connected" },
  ]);
});

Deno.test("parseTranscript() reads API retries, claude's error message and an error result", async () => {
  const t = parseTranscript(await sample("stream-json-e500-retries.jsonl"));
  assert.deepEqual(t.entries[1], {
    kind: "retry",
    attempt: 1,
    max_retries: 2,
    status: 500,
    delay_ms: 529,
    error: "server_error",
  });
  const error = t.entries[3];
  assert.equal(error?.kind, "error");
  if (error?.kind === "error") {
    assert.equal(error.status, 500);
    assert.match(error.message.text, /^API Error: 500 fake internal error/);
  }
  assert.equal(t.result?.is_error, true);
  assert.equal(t.result?.api_error_status, 500);
});

Deno.test("parseTranscript() keeps the last of two results (a background task)", async () => {
  const t = parseTranscript(await sample("stream-json-background-task.jsonl"));
  assert.equal(t.result?.result, "after background finished");
  const notice = t.entries.find((e) =>
    e.kind === "system" && e.type === "system/task_notification"
  );
  assert.match(
    notice?.kind === "system" ? notice.summary : "",
    /Background command "bg short" completed/,
  );
});

Deno.test("parseTranscript() skips damaged lines with a count, keeps unknown events", () => {
  const text = [
    '{"type":"system","subtype":"init","model":"m"}',
    '{"type":"assistant","message":{"content":[{"type":"te', // cut mid-line
    "not json at all",
    "[1,2]",
    "",
    '{"type":"rate_limit_event","status":"allowed"}',
    '{"type":"assistant","message":{"content":[{"type":"image"},{"type":"text","text":"  "}]}}',
    '{"type":"user","message":{"content":[{"type":"tool_result","tool_use_id":"nope","content":[{"type":"image"}],"is_error":true}]}}',
    '{"type":"user","message":{"content":"a plain user message"}}',
    '{"type":"assistant","message":{"content":[{"type":"thinking","thinking":"hmm"}]}}',
    "{}",
  ].join("\n");
  const t = parseTranscript(text);
  assert.equal(t.skipped, 3);
  assert.equal(t.result, null);
  assert.deepEqual(t.entries.slice(1), [
    { kind: "system", type: "rate_limit_event", summary: "allowed" },
    { kind: "system", type: "assistant/image", summary: "" },
    {
      kind: "tool_result",
      tool_use_id: "nope",
      tool_name: null,
      call: null,
      is_error: true,
      content: { text: "[image]", cut: 0 },
    },
    { kind: "text", role: "user", thinking: false, text: { text: "a plain user message", cut: 0 } },
    { kind: "text", role: "assistant", thinking: true, text: { text: "hmm", cut: 0 } },
    { kind: "system", type: "(no type)", summary: "" },
  ]);
});

Deno.test("parseTranscript() cuts huge text and says how much", () => {
  const big = "x".repeat(50_000);
  const line = JSON.stringify({
    type: "assistant",
    message: { content: [{ type: "text", text: big }] },
  });
  const t = parseTranscript(line, { maxChars: 1000 });
  assert.deepEqual(t.entries[0], {
    kind: "text",
    role: "assistant",
    thinking: false,
    text: { text: "x".repeat(1000), cut: 49_000 },
  });
  // A surrogate pair is never split.
  assert.deepEqual(cutText("ab😀c", 3), { text: "ab", cut: 3 });
  assert.deepEqual(cutText("abc", 3), { text: "abc", cut: 0 });
});

Deno.test("parseLines() counts lines that are not JSON objects", () => {
  assert.deepEqual(parseLines('{"a":1}\n\nnull\n"s"\n{"b":2}\n'), {
    events: [{ a: 1 }, { b: 2 }],
    skipped: 2,
  });
});
