/**
 * @module
 * The loopback Messages API stand-in itself (tests/fixtures/anthropic_api.ts): scripts as a list
 * or a function, a function's Promise awaited before the reply goes out, and a failing script
 * answered as an API error.
 */

import assert from "node:assert/strict";
import { startMessagesApi } from "../fixtures/anthropic_api.ts";
import { waitFor } from "./cli.ts";

const TOOLS = [{ name: "Bash", input_schema: { type: "object" } }];

async function ask(
  url: string,
  messages: unknown[],
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${url}/v1/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", max_tokens: 10, tools: TOOLS, messages }),
  });
  return { status: res.status, body: await res.json() };
}

const user = { role: "user", content: "hi" };
const assistant = { role: "assistant", content: "earlier" };

Deno.test("the stand-in: a list script answers by turn, and past its end in text", async () => {
  await using api = startMessagesApi([{
    blocks: [{ type: "tool_use", name: "Bash", input: { command: "true" } }],
  }]);
  const first = await ask(api.url, [user]);
  assert.equal(first.status, 200);
  assert.equal(first.body.stop_reason, "tool_use");
  assert.deepEqual((first.body.content as { input: unknown }[])[0]?.input, { command: "true" });
  const second = await ask(api.url, [user, assistant, user]);
  assert.deepEqual(second.body.content, [{
    type: "text",
    text: "the script has no reply for turn 1",
  }]);
  assert.equal(api.requests.length, 2);
});

Deno.test("the stand-in: a script's Promise is awaited before the reply goes out", async () => {
  let release: () => void = () => {};
  const released = new Promise<void>((r) => (release = r));
  let answered = false;
  await using api = startMessagesApi(async (turn, body) => {
    await released;
    const n = (body.messages as unknown[]).length;
    return { blocks: [{ type: "text", text: `turn ${turn} of ${n} messages` }] };
  });
  const pending = ask(api.url, [user, assistant, user]).then((r) => {
    answered = true;
    return r;
  });
  // The request has arrived, and waits on the script.
  await waitFor("the request to reach the stand-in", () => api.requests.length > 0 || undefined);
  assert.equal(answered, false, "no reply before the script's Promise settles");
  release();
  const reply = await pending;
  assert.equal(reply.status, 200);
  assert.deepEqual(reply.body.content, [{ type: "text", text: "turn 1 of 3 messages" }]);
});

Deno.test("the stand-in: a script that fails answers HTTP 500 with its message", async () => {
  await using api = startMessagesApi(() =>
    Promise.reject(new Error("Timed out waiting for result.json"))
  );
  const reply = await ask(api.url, [user]);
  assert.equal(reply.status, 500);
  assert.deepEqual(reply.body, {
    type: "error",
    error: {
      type: "api_error",
      message: "the stand-in's script failed: Timed out waiting for result.json",
    },
  });
});
