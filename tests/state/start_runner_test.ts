/**
 * @module
 * `startRunner()`: `tick --runner` started detached, unless a live runner holds the lease.
 */

import assert from "node:assert/strict";
import { startRunner } from "../../lib/state/start_runner.ts";
import type { Lease } from "../../lib/state/types.ts";
import { envFrom } from "../../lib/sys/env.ts";
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
