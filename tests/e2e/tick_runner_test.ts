/**
 * @module
 * The tick stays short: it hands the queue to a detached runner (`tick --runner`) and exits, so
 * a long run never holds up the next minute's tick (launchd does not start a job again while it
 * still runs). The run is held with a gate the test opens. Only the scheduler's tick beats, never
 * a runner; and `tick --verbose` always says what the tick did.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  awaitRunners,
  logEvents,
  pidAlive,
  runCli,
  runnersStarted,
  tempHome,
  waitFor,
} from "./cli.ts";

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

Deno.test("only a tick the scheduler starts beats: tick --runner (started by a tick or the watcher) does not", async () => {
  await using home = await tempHome();
  const lastTick = async (time: string) =>
    JSON.parse((await runCli(home, ["status", "--json"], { env: at(time) })).stdout).scheduler
      .last_tick;
  const runner = await runCli(home, ["tick", "--runner"], { env: at("08:00:00") });
  assert.equal(runner.code, 0, runner.stderr);
  assert.equal(await lastTick("08:00:05"), null, "a runner is no heartbeat of cron");
  assert.equal((await runCli(home, ["tick"], { env: at("08:01:00") })).code, 0);
  const beat = (await lastTick("08:01:05")).at;
  // The fake clock starts at 08:01:00 and runs on: a loaded machine may take seconds to start.
  const beatMs = Date.parse(beat);
  assert.ok(
    beatMs >= Date.parse("2026-11-26T08:01:00Z") && beatMs < Date.parse("2026-11-26T08:02:00Z"),
    `the scheduler's tick beats: ${beat}`,
  );
  assert.equal((await runCli(home, ["tick", "--runner"], { env: at("08:02:00") })).code, 0);
  assert.equal((await lastTick("08:02:05")).at, beat, "still the scheduler's tick");
});

Deno.test("tick --verbose says it started the watcher when that is all it did", async () => {
  await using home = await tempHome();
  await Deno.mkdir(join(home.home, "Inbox"));
  await home.writeTask(
    "inbox",
    'name: inbox\ntrigger:\n  type: file_watch\n  path: ~/Inbox\n  pattern: "*.txt"\n' +
      "task:\n  prompt: hi\n  timeout: 60\n",
  );
  let pid: number | undefined;
  try {
    const tick = await runCli(home, ["tick", "--verbose", "--no-run"]);
    assert.equal(tick.code, 0, tick.stderr);
    const said = tick.stdout.match(/^started the watcher \(pid (\d+)\): it was not running$/m);
    assert.ok(said, `tick --verbose printed: ${JSON.stringify(tick.stdout)}`);
    pid = Number(said[1]);
  } finally {
    await runCli(home, ["watch", "--stop"]).catch(() => undefined);
    if (pid !== undefined && pidAlive(pid)) Deno.kill(pid, "SIGKILL");
    if (pid !== undefined) {
      const gone = pid;
      await waitFor("the watcher to stop", () => !pidAlive(gone) || undefined);
    }
  }
});
