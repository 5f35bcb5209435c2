/**
 * @module
 * Live progress of a running run: `foldEvent()` over stream-json (turns, tokens, cost) and
 * `RunTail`, which follows a run's growing `stdout` file in a temp dir.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { foldEvent, type LiveRun, RunTail, startLiveRun } from "../../lib/run/live.ts";
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

Deno.test("startLiveRun() is a run with no progress yet", () => {
  assert.deepEqual(startLiveRun("r-1"), {
    run_id: "r-1",
    turns: 0,
    activity: "starting",
    tokens_in: 0,
    tokens_out: 0,
    cost_usd: null,
  });
});

Deno.test("RunTail reads a run's stdout as it grows, a partial line once it ends", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-live-" });
  try {
    const path = join(dir, "stdout");
    const lines = (await Deno.readTextFile(new URL("bash-tool.jsonl", FIXTURES)))
      .split("\n").filter((l) => l !== "");
    const tail = new RunTail("r-1", path);
    assert.equal(tail.runId, "r-1");

    await t.step("no file yet: starting", async () => {
      assert.deepEqual(await tail.read(), startLiveRun("r-1"));
    });

    await t.step("the first two lines and half the third: two lines folded", async () => {
      const third = lines[2] ?? "";
      await Deno.writeTextFile(
        path,
        `${lines[0]}\n${lines[1]}\n${third.slice(0, 20)}`,
      );
      const live = await tail.read();
      assert.equal(live.turns, 1);
      assert.equal(live.cost_usd, null);
      assert.ok(live.activity.startsWith("Bash: "), live.activity);
      assert.ok(live.tokens_in > 0);
    });

    await t.step("the rest, result included: the whole run folded, as at once", async () => {
      const third = lines[2] ?? "";
      await Deno.writeTextFile(path, `${third.slice(20)}\n${lines.slice(3).join("\n")}\n`, {
        append: true,
      });
      const live = await tail.read();
      assert.deepEqual(live, { ...(await fold("bash-tool")), run_id: "r-1" });
      assert.deepEqual(tail.live, live);
    });

    await t.step("nothing new: the same progress", async () => {
      assert.deepEqual(await tail.read(), tail.live);
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
