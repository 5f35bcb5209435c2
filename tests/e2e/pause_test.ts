/**
 * @module
 * pause, resume and ack end to end: a paused queue takes items and starts none (plain `run`,
 * `tick`), `run --now` still runs its one task, status and list say so, a timed pause ends by
 * itself; failures stay in status until acknowledged. Real processes, a real KV file.
 */

import assert from "node:assert/strict";
import { runCli, runTick, tempHome } from "./cli.ts";

function taskYaml(name: string, env = ""): string {
  return `name: ${name}\ntask:\n  prompt: "run ${name}"\n  timeout: 60\n${env}`;
}

async function queuedTasks(home: Parameters<typeof runCli>[0]): Promise<string[]> {
  const r = await runCli(home, ["queue", "--json"]);
  assert.equal(r.code, 0, r.stderr);
  return (JSON.parse(r.stdout).queued as { task: string }[]).map((q) => q.task);
}

Deno.test("a paused queue takes tasks and starts none, but run --now runs its one; resume starts the rest", async () => {
  await using home = await tempHome();
  await home.writeTask("a", taskYaml("a"));
  await home.writeTask("b", taskYaml("b"));

  const paused = await runCli(home, ["pause"]);
  assert.equal(paused.code, 0, paused.stderr);
  assert.match(paused.stdout, /^The queue is paused since .* until clodputer resume\.$/m);

  const queued = await runCli(home, ["run", "a"]);
  assert.equal(queued.code, 0, queued.stderr);
  assert.match(
    queued.stderr,
    /the queue is paused since .*: a waits \(clodputer resume, or run it now with: clodputer run a --now\)/,
  );
  const tick = await runTick(home, ["tick"]);
  assert.equal(tick.code, 0, tick.stderr);
  assert.deepEqual(await queuedTasks(home), ["a"], "neither run nor tick started a");

  const status = await runCli(home, ["status"]);
  assert.match(status.stdout, /^queue: {4}1 queued · paused since .* until clodputer resume$/m);
  const json = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.equal(json.queue.paused.until, null);
  const list = await runCli(home, ["list"]);
  assert.match(list.stdout, /^The queue is paused since .*: tasks are queued, none starts/m);

  const now = await runCli(home, ["run", "b", "--now"]);
  assert.equal(now.code, 0, now.stderr);
  assert.match(now.stderr, /the queue is paused since .*: running only b/);
  assert.deepEqual(await queuedTasks(home), ["a"], "b ran; a still waits");

  const resumed = await runCli(home, ["resume"]);
  assert.match(resumed.stdout, /^The queue runs again: 1 queued/m);
  assert.equal((await runTick(home, ["tick"])).code, 0);
  assert.deepEqual(await queuedTasks(home), []);
  const runs = JSON.parse((await runCli(home, ["status", "--json"])).stdout).recent as {
    task: string;
    status: string;
  }[];
  assert.deepEqual(runs.map((r) => [r.task, r.status]).sort(), [
    ["a", "succeeded"],
    ["b", "succeeded"],
  ]);
  assert.equal(JSON.parse((await runCli(home, ["status", "--json"])).stdout).queue.paused, null);
  assert.match((await runCli(home, ["resume"])).stdout, /^The queue was not paused\.$/m);
});

Deno.test("pause --for ends by itself; a bad duration is a usage error that changes nothing", async () => {
  await using home = await tempHome();
  await home.writeTask("a", taskYaml("a"));
  const at = (time: string) => ({ env: { CLODPUTER_FAKE_TIME: time } });
  const paused = await runCli(home, ["pause", "--for", "2h", "--json"], at("2026-11-26T08:00:00Z"));
  assert.equal(paused.code, 0, paused.stderr);
  // The fake clock starts at the given time and runs on: 2 h after the command's own start.
  const until = Date.parse(JSON.parse(paused.stdout).paused.until);
  const twoHours = Date.parse("2026-11-26T10:00:00Z");
  assert.ok(until >= twoHours && until < twoHours + 60_000, `until ${until}`);
  const during = await runCli(home, ["status", "--json"], at("2026-11-26T09:59:00Z"));
  assert.equal(Date.parse(JSON.parse(during.stdout).queue.paused.until), until);
  const after = await runCli(home, ["status", "--json"], at("2026-11-26T10:01:01Z"));
  assert.equal(JSON.parse(after.stdout).queue.paused, null);
  const ran = await runCli(home, ["run", "a", "--json"], at("2026-11-26T10:01:01Z"));
  assert.equal(JSON.parse(ran.stdout).runs.length, 1, "the pause is over: a ran");

  const bad = await runCli(home, ["pause", "--for", "soon"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--for must be a duration such as 30m, 2h or 1d, got "soon"/);
  const status = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.equal(status.queue.paused, null, "a refused pause pauses nothing");
});

Deno.test("failed runs stay in status until ack; ack says what it acknowledged", async () => {
  await using home = await tempHome();
  await home.writeTask("bad", taskYaml("bad", '  env:\n    FAKE_CLAUDE_SCENARIO: "error-500"\n'));
  await home.writeTask("good", taskYaml("good"));
  assert.equal((await runCli(home, ["run", "bad"])).code, 0);
  assert.equal((await runCli(home, ["run", "bad"])).code, 0);
  assert.equal((await runCli(home, ["run", "good"])).code, 0);

  const status = await runCli(home, ["status"]);
  assert.match(
    status.stdout,
    /^failed: {3}2 runs since .*, the last bad \(run \S+\); clodputer ack when seen$/m,
  );
  const view = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.equal(view.attention.failed, 2);
  assert.equal(view.attention.last.task, "bad");

  const ack = await runCli(home, ["ack"]);
  assert.equal(ack.code, 0, ack.stderr);
  assert.match(ack.stdout, /^Acknowledged 2 failed runs since .* \(the last: bad, run \S+\)\.$/m);
  assert.doesNotMatch((await runCli(home, ["status"])).stdout, /^failed:/m);
  assert.equal(JSON.parse((await runCli(home, ["status", "--json"])).stdout).attention, null);
  assert.match((await runCli(home, ["ack"])).stdout, /^No failed runs to acknowledge\.$/m);
});
