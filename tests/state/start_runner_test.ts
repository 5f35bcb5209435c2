/**
 * @module
 * `startRunner()`: `tick --runner` started detached, unless a live runner holds the lease.
 * `startRunInBackground()`: `run <task>` started detached once the task loads, in a temp home.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { startRunInBackground, startRunner } from "../../lib/state/start_runner.ts";
import type { Lease } from "../../lib/state/types.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import type { Child, SpawnOptions } from "../../lib/sys/proc.ts";
import { FakeProc, proc } from "../fakes/proc.ts";

const NOW = Date.UTC(2026, 10, 25, 12, 0, 0);

class SpawningProc extends FakeProc {
  spawned: { command: string; options: SpawnOptions }[] = [];
  override spawn(command: string, options: SpawnOptions): Child {
    this.spawned.push({ command, options });
    return {
      pid: 4242,
      stdin: null,
      stdout: null,
      stderr: null,
      status: Promise.resolve({ code: 0, signal: null }),
    };
  }
}

function held(lease: Lease | undefined) {
  return { lease: () => Promise.resolve(lease && { lease, versionstamp: "v1" }) };
}

const deps = (p: SpawningProc) => ({
  proc: p,
  clock: { now: () => NOW, sleep: () => Promise.resolve() },
  env: envFrom({ HOME: "/home/me" }),
});

Deno.test("startRunner() starts tick --runner detached when no live runner holds the lease", async () => {
  const p = new SpawningProc([]);
  const argv = () => ["/usr/local/bin/clodputer"];
  assert.equal(await startRunner(deps(p), held(undefined), argv), 4242);
  assert.deepEqual(p.spawned, [{
    command: "/usr/local/bin/clodputer",
    options: {
      args: ["tick", "--runner"],
      env: { HOME: "/home/me" },
      detached: true,
      stdin: "null",
      stdout: "null",
      stderr: "null",
      unref: true,
    },
  }]);
});

Deno.test("startRunner() starts nothing while a live runner holds the lease", async () => {
  const runner = proc(42, 1);
  const at = new Date(NOW).toISOString();
  const lease = { pid: 42, started: runner.started, acquired_at: at, heartbeat_at: at };
  const p = new SpawningProc([runner]);
  assert.equal(await startRunner(deps(p), held(lease), () => ["clodputer"]), undefined);
  assert.deepEqual(p.spawned, []);
});

async function taskHome() {
  const root = await Deno.makeTempDir({ prefix: "clodputer-start-run-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.tasks, { recursive: true });
  await Deno.writeTextFile(join(paths.tasks, "hello.yaml"), "task:\n  prompt: Hi\n");
  await Deno.writeTextFile(join(paths.tasks, "broken.yaml"), "task:\n  timeout: ten\n");
  return { paths, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

Deno.test("startRunInBackground() starts run <task> detached once the task loads", async () => {
  await using home = await taskHome();
  const p = new SpawningProc([]);
  const deps = { paths: home.paths, env: envFrom({ HOME: "/home/me" }), proc: p };
  assert.deepEqual(
    await startRunInBackground(deps, "hello", () => ["/usr/local/bin/clodputer"]),
    { kind: "started", task: "hello", pid: 4242 },
  );
  assert.deepEqual(p.spawned.map((s) => [s.command, s.options.args, s.options.detached]), [
    ["/usr/local/bin/clodputer", ["run", "hello"], true],
  ]);
});

Deno.test("startRunInBackground() starts nothing for a task that does not load, and says why", async (t) => {
  await using home = await taskHome();
  const p = new SpawningProc([]);
  const deps = { paths: home.paths, env: envFrom({ HOME: "/home/me" }), proc: p };
  for (const task of ["broken", "nope"]) {
    await t.step(task, async () => {
      const done = await startRunInBackground(deps, task, () => ["clodputer"]);
      assert.equal(done.kind, "invalid");
      assert.equal(done.task, task);
      assert.ok(done.kind === "invalid" && done.message.includes(task), JSON.stringify(done));
    });
  }
  assert.deepEqual(p.spawned, []);
});
