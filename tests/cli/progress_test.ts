/**
 * @module
 * The spinner of `Progress`: the activity folded from the run's events (the turn first when it
 * is a turn's), a set activity, and plain lines when stderr is not a terminal.
 */

import assert from "node:assert/strict";
import { Progress } from "../../lib/cli/_progress.ts";
import { recordingOutput } from "../../lib/ui/output.ts";
import { FakeClock } from "../fakes/clock.ts";

Deno.test("Progress shows the folded activity on its spinner, the turn first", async () => {
  const clock = new FakeClock();
  const out = { ...recordingOutput(), errIsTerminal: true };
  const progress = new Progress(out, clock, { task: "daily", quiet: false });
  progress.start();
  await clock.advance(0);
  progress.event({ kind: "init", model: null, sessionId: null, mcpServers: [] });
  await clock.advance(100);
  progress.event({ kind: "tool", name: "Bash", detail: "ls" });
  progress.event({ kind: "text", text: "done" });
  await clock.advance(1000);
  progress.activity("waiting for the lease");
  await clock.advance(100);
  await progress.stop();
  assert.deepEqual(
    [...new Set(out.statuses.map((line) => line.replace(/^\S+ daily \d+s · /, "")))],
    ["waiting", "claude started", "turn 2 · writing", "waiting for the lease"],
  );
  assert.deepEqual(out.stderr, [], "a spinner prints no lines");
});

Deno.test("Progress prints lines, not a spinner, when stderr is not a terminal", async () => {
  const clock = new FakeClock();
  const out = recordingOutput();
  const progress = new Progress(out, clock, { task: "daily", quiet: false });
  progress.start();
  progress.event({ kind: "tool", name: "Bash", detail: "ls" });
  progress.activity("queued");
  progress.activity("queued");
  await progress.stop();
  assert.deepEqual(out.stderr, ["tool Bash: ls", "queued"]);
  assert.deepEqual(out.statuses, []);
});
