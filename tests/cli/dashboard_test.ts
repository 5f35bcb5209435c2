/**
 * @module
 * The dashboard's pure helpers: progress folded from stream-json, the frame diff, key splitting.
 */

import assert from "node:assert/strict";
import { draw, foldEvent, splitKeys } from "../../lib/cli/dashboard.ts";
import type { LiveRun } from "../../lib/ui/dashboard.ts";
import { parseEventLine } from "../../lib/run/stream.ts";

const FIXTURES = new URL("../fixtures/claude/", import.meta.url);

async function fold(scenario: string): Promise<LiveRun> {
  const text = await Deno.readTextFile(new URL(`${scenario}.jsonl`, FIXTURES));
  let live: LiveRun = {
    run_id: "r",
    turns: 0,
    activity: "starting",
    tokens_in: 0,
    tokens_out: 0,
    cost_usd: null,
  };
  const usage = new Map<string, { in: number; out: number }>();
  for (const line of text.split("\n")) {
    const event = parseEventLine(line);
    if (event) live = foldEvent(live, event, usage);
  }
  return live;
}

Deno.test("foldEvent() counts turns and tokens, and takes the cost from the result", async () => {
  const live = await fold("bash-tool");
  assert.equal(live.turns, 2);
  assert.equal(live.activity, "finishing");
  assert.equal(live.cost_usd, 0.000376);
  assert.ok(live.tokens_in > 0 && live.tokens_out > 0);
});

Deno.test("foldEvent() names the current tool and its detail", () => {
  const usage = new Map<string, { in: number; out: number }>();
  const start: LiveRun = {
    run_id: "r",
    turns: 0,
    activity: "starting",
    tokens_in: 0,
    tokens_out: 0,
    cost_usd: null,
  };
  const tool = {
    type: "assistant",
    message: {
      id: "m1",
      content: [{ type: "tool_use", name: "Read", input: { file_path: "/tmp/x" } }],
      usage: { input_tokens: 10, output_tokens: 2 },
    },
  };
  const once = foldEvent(start, tool, usage);
  assert.deepEqual(
    { turns: once.turns, activity: once.activity, in: once.tokens_in, out: once.tokens_out },
    { turns: 1, activity: "Read: /tmp/x", in: 10, out: 2 },
  );
  // The same message streamed again (cumulative usage) is counted once.
  const twice = foldEvent(once, tool, usage);
  assert.equal(twice.tokens_in, 10);
  assert.equal(start.turns, 0, "the input is not changed");
});

Deno.test("draw() rewrites only the changed lines, clearing each to its end", () => {
  assert.equal(draw(["a", "b"], ["a", "c"], false), "\x1b[2;1Hc\x1b[K");
  assert.equal(draw(["a", "b"], ["a", "b"], false), "");
  const all = draw(["a"], ["a", "b"], true);
  assert.equal(all, "\x1b[1;1Ha\x1b[K\x1b[2;1Hb\x1b[K\x1b[J");
  assert.ok(!all.includes("\x1b[2J"), "never clears the whole screen");
});

Deno.test("splitKeys() keeps arrow sequences whole", () => {
  assert.deepEqual(splitKeys("q"), ["q"]);
  assert.deepEqual(splitKeys("\x1b[Aj\r"), ["\x1b[A", "j", "\r"]);
  assert.deepEqual(splitKeys("\x1b"), ["\x1b"]);
  assert.deepEqual(splitKeys("\x03"), ["\x03"]);
});
