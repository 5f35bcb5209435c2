/**
 * @module
 * The tick stays short: it hands the queue to a detached runner (`tick --runner`) and exits, so
 * a long run never holds up the next minute's tick (launchd does not start a job again while it
 * still runs). The run is held with a gate the test opens.
 */

import assert from "node:assert/strict";
import { awaitRunners, logEvents, runCli, runnersStarted, tempHome, waitFor } from "./cli.ts";

const at = (time: string) => ({ CLODPUTER_FAKE_TIME: `2026-11-26T${time}Z` });

Deno.test("tick starts a detached runner and exits while the run goes on; the next tick is not held up", async () => {
  await using home = await tempHome();
  const file = await home.writeTask(
    "long",
    'name: long\nschedule:\n  type: cron\n  expression: "0 8 * * *"\n  timezone: UTC\n' +
      "task:\n  prompt: hi\n  timeout: 600\n",
  );
  const longAgo = new Date("2026-11-19T00:00:00Z");
  await Deno.utime(file, longAgo, longAgo);
  assert.equal((await runCli(home, ["tick", "--no-run"], { env: at("07:00:00") })).code, 0);

  const before = await runnersStarted(home);
  const gated = { FAKE_CLAUDE_GATE: home.gate };
  // The run cannot end before the gate opens: this tick returns while it is still running.
  const first = await runCli(home, ["tick"], { env: { ...at("08:00:10"), ...gated } });
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout + first.stderr, "", "tick prints nothing (cron mails it)");
  const [runner] = [...await runnersStarted(home)].filter((pid) => !before.has(pid));
  assert.ok(runner, "the tick logged the runner it started");
  const started = await waitFor(
    "the runner to start claude",
    async () =>
      (await logEvents(home)).find((e) => e.event === "task_started" && e.task === "long"),
  );
  assert.equal(started.trigger, "schedule");

  // A minute later: the next tick runs, beats and exits; the live runner keeps the queue.
  const second = await runCli(home, ["tick", "--verbose"], {
    env: { ...at("08:01:10"), ...gated },
  });
  assert.equal(second.code, 0, second.stderr);
  const status = JSON.parse(
    (await runCli(home, ["status", "--json"], { env: at("08:01:20") })).stdout,
  );
  assert.deepEqual([status.runner.state, status.runner.task], ["running", "long"], "still running");
  const beat = Date.parse(status.scheduler.last_tick.at);
  assert.ok(beat >= Date.parse("2026-11-26T08:01:10Z"), `the second tick beat: ${beat}`);
  assert.equal((await runnersStarted(home)).size, before.size + 1, "one runner, not two");

  await home.openGate();
  await awaitRunners(home, before);
  const ended = (await logEvents(home)).filter((e) => e.event === "task_completed");
  assert.deepEqual(ended.map((e) => e.task), ["long"]);
});
