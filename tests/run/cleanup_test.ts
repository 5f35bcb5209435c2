/**
 * @module
 * Cleanup decisions against a scripted process table and a fake clock.
 */

import assert from "node:assert/strict";
import { cleanupRun, killedPids, RUN_MARK } from "../../lib/run/cleanup.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeProc, type FakeProcess, proc } from "../fakes/proc.ts";

const MARK = `${RUN_MARK}=run-1`;

function table() {
  return [
    proc(1, 0, { command: "init" }),
    proc(50, 1, { command: "clodputer run hello" }),
    proc(100, 50, { command: "claude -p", env: [MARK] }),
    proc(101, 100, { pgid: 100, command: "node mcp-server.js", env: [MARK] }),
    proc(102, 100, { command: "/bin/bash -c sleep 300", env: [MARK] }), // new session: own group
    proc(103, 102, { pgid: 102, command: "sleep 300", env: [MARK] }),
    proc(200, 1, { command: "escapee", env: [MARK] }), // setsid + reparented
    proc(300, 1, { command: "unrelated" }),
    proc(301, 1, { command: "other run", env: [`${RUN_MARK}=run-2`] }),
  ];
}

async function runWithClock<T>(clock: FakeClock, work: Promise<T>): Promise<T> {
  let done = false;
  const result = work.finally(() => {
    done = true;
  });
  while (!done) await clock.advance(10);
  return await result;
}

const target = { rootPid: 100, runId: "run-1", graceMs: 5000, selfPid: 50 };

Deno.test("cleanupRun() snapshots the tree and the mark before sending any signal", async () => {
  const fake = new FakeProc(table());
  const clock = new FakeClock();
  await runWithClock(clock, cleanupRun({ proc: fake, clock }, target));
  const firstSignal = fake.calls.findIndex((c) => c.startsWith("signal"));
  assert.deepEqual(fake.calls.slice(0, firstSignal), ["list", "marked"]);
});

Deno.test("cleanupRun() kills the tree, the new-session Bash command and the escapee", async () => {
  const fake = new FakeProc(table());
  const clock = new FakeClock();
  const report = await runWithClock(clock, cleanupRun({ proc: fake, clock }, target));
  assert.deepEqual(fake.table.map((p) => p.pid), [1, 50, 300, 301]);
  assert.deepEqual(killedPids(report).sort((a, b) => a - b), [100, 101, 102, 103, 200]);
  assert.equal(report.signalled.find((s) => s.pid === 200)?.found_by, "mark");
  assert.equal(report.signalled.find((s) => s.pid === 103)?.found_by, "tree");
  assert.deepEqual(report.survivors, []);
  // The process group is signalled too: it reaches whatever forked after the snapshot.
  assert.ok(fake.calls.includes("signal -100 SIGTERM"));
});

Deno.test("cleanupRun() never signals itself, its ancestors, pid 1 or another run", async () => {
  const fake = new FakeProc(table());
  const clock = new FakeClock();
  await runWithClock(clock, cleanupRun({ proc: fake, clock }, target));
  const signalled = fake.calls.filter((c) => c.startsWith("signal")).map((c) =>
    Number(c.split(" ")[1])
  );
  for (const pid of [1, 50, 300, 301]) assert.ok(!signalled.includes(pid), `signalled ${pid}`);
});

Deno.test("cleanupRun() waits the grace period, then SIGKILLs what ignored SIGTERM", async () => {
  const rows = table();
  rows[3] = { ...rows[3] as FakeProcess, ignores: ["SIGTERM"] }; // 101, the MCP server
  const fake = new FakeProc(rows);
  const clock = new FakeClock();
  const start = clock.now();
  let killedAt = 0;
  fake.afterSignal = (pid, signal) => {
    if (pid === 101 && signal === "SIGKILL") killedAt = clock.now();
  };
  const report = await runWithClock(clock, cleanupRun({ proc: fake, clock }, target));
  assert.ok(killedAt - start >= 5000, `SIGKILL came after ${killedAt - start} ms`);
  assert.ok(report.signalled.some((s) => s.pid === 101 && s.signal === "SIGTERM"));
  assert.ok(report.signalled.some((s) => s.pid === 101 && s.signal === "SIGKILL"));
  assert.ok(!fake.table.some((p) => p.pid === 101));
});

Deno.test("cleanupRun() does not SIGKILL a pid that was reused during the grace period", async () => {
  const rows = table();
  rows[3] = { ...rows[3] as FakeProcess, ignores: ["SIGTERM"] };
  const fake = new FakeProc(rows);
  const clock = new FakeClock();
  fake.afterSignal = (pid, signal) => {
    if (pid === 101 && signal === "SIGTERM") {
      // 101 exits and an unrelated process is born with the same pid.
      fake.table = fake.table.map((p) =>
        p.pid === 101
          ? proc(101, 1, { command: "stranger", started: "Thu Nov 26 09:00:00 2026" })
          : p
      );
    }
  };
  await runWithClock(clock, cleanupRun({ proc: fake, clock }, target));
  assert.ok(!fake.calls.includes("signal 101 SIGKILL"));
  assert.equal(fake.table.find((p) => p.pid === 101)?.command, "stranger");
});

Deno.test("cleanupRun() sends nothing when the run left nothing behind", async () => {
  const fake = new FakeProc([proc(1, 0), proc(50, 1), proc(300, 1)]);
  const clock = new FakeClock();
  const report = await runWithClock(clock, cleanupRun({ proc: fake, clock }, target));
  assert.deepEqual(report.signalled, []);
  assert.deepEqual(fake.calls, ["list", "marked"], "one look, no sweep: nothing can appear");
});

Deno.test("cleanupRun() ignores zombies", async () => {
  const fake = new FakeProc([proc(1, 0), proc(50, 1), proc(100, 50, { stat: "Z", env: [MARK] })]);
  const clock = new FakeClock();
  const report = await runWithClock(clock, cleanupRun({ proc: fake, clock }, target));
  assert.deepEqual(report.signalled, []);
});

Deno.test("cleanupRun() with no root finds the run by its mark alone", async () => {
  // After a crash the old claude pid may belong to a stranger: only the mark counts.
  const rows = [
    proc(1, 0),
    proc(50, 1),
    proc(100, 1, { command: "stranger with a reused pid" }),
    proc(101, 100, { pgid: 100, command: "stranger's child" }),
    proc(200, 1, { command: "orphaned MCP server", env: [MARK] }),
  ];
  const fake = new FakeProc(rows);
  const clock = new FakeClock();
  const report = await runWithClock(
    clock,
    cleanupRun({ proc: fake, clock }, { ...target, rootPid: null }),
  );
  assert.deepEqual(killedPids(report), [200]);
  assert.deepEqual(fake.table.map((p) => p.pid), [1, 50, 100, 101]);
});
