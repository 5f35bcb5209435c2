/**
 * @module
 * Recovery of a dead runner's running item: the lost run's record keeps how claude was started.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { recoverLostRun } from "../../lib/state/recover.ts";
import { Store } from "../../lib/state/store.ts";
import type { Lease } from "../../lib/state/types.ts";
import { readRecord } from "../../lib/run/record.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { pathsUnder, runDir } from "../../lib/sys/paths.ts";
import { commandLine } from "../../lib/ui/shell_quote.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeProc } from "../fakes/proc.ts";

const T = "2026-11-25T12:00:00.000Z";

Deno.test("recoverLostRun() keeps the lost run's real command line, prompt file and cwd", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-recover-" });
  try {
    const clock = new FakeClock();
    using store = await Store.open(":memory:", clock);
    const paths = pathsUnder(join(root, ".clodputer"));
    const mine: Lease = { pid: 10, started: "x", acquired_at: T, heartbeat_at: T };
    assert.ok(await store.acquireLease(mine, null));
    await store.enqueue({
      id: "r1",
      task: "digest",
      priority: "normal",
      trigger: { type: "manual" },
    }, T);
    assert.equal((await store.takeNext(mine, T))?.id, "r1");
    const started = {
      command: "/opt/homebrew/bin/claude",
      argv: ["-p", "--output-format", "stream-json", "--verbose", "--model", "sonnet"],
      cwd: "/Users/me/notes",
      prompt_file: join(runDir(paths, "r1"), "prompt"),
    };
    await store.setClaudePid("r1", 4242, started);

    const lost = await recoverLostRun(
      { proc: new FakeProc([]), clock, paths, selfPid: 1 },
      store,
      { reason: "the runner (pid 10) is gone", graceMs: 0 },
    );
    assert.equal(lost?.status, "lost");
    const record = await readRecord(paths, runDir(paths, "r1"), clock.now());
    assert.equal(record?.command, started.command);
    assert.deepEqual(record?.argv, started.argv);
    assert.equal(record?.cwd, "/Users/me/notes");
    assert.equal(record?.pid, 4242);
    assert.equal(
      commandLine([record?.command ?? "", ...record?.argv ?? []], record?.prompt_file),
      `/opt/homebrew/bin/claude -p --output-format stream-json --verbose --model sonnet < ${started.prompt_file}`,
    );
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("recoverLostRun() of one run by two processes at once finishes it once; the loser writes nothing", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-recover-" });
  try {
    // The real clock: a store that loses a write conflict backs off on it before trying again.
    const clock = systemClock;
    const paths = pathsUnder(join(root, ".clodputer"));
    await Deno.mkdir(paths.home, { recursive: true });
    const file = join(root, "state.kv");
    // Two stores on one KV file: as a new runner and `cancel`, two processes, would open it.
    using a = await Store.open(file, clock);
    using b = await Store.open(file, clock);
    const mine: Lease = { pid: 10, started: "x", acquired_at: T, heartbeat_at: T };
    assert.ok(await a.acquireLease(mine, null));
    await a.enqueue(
      { id: "r1", task: "digest", priority: "normal", trigger: { type: "manual" } },
      T,
    );
    assert.equal((await a.takeNext(mine, T))?.id, "r1");

    // Both recoverers are alive (a claim by a live process is never taken over).
    const alive = [20, 21].map((pid) => ({
      pid,
      ppid: 1,
      pgid: pid,
      stat: "S",
      started: "Mon Dec  7 08:00:00 2026",
      command: "clodputer",
    }));
    const recover = (store: Store, selfPid: number) =>
      recoverLostRun({ proc: new FakeProc(alive), clock, paths, selfPid }, store, {
        reason: "the runner (pid 10) is gone",
        graceMs: 0,
      });
    // Both read the running item before either finishes it.
    const results = await Promise.all([recover(a, 20), recover(b, 21)]);
    assert.deepEqual(results.map((r) => r?.status ?? "nothing").sort(), ["lost", "nothing"]);
    assert.equal(await a.running(), undefined);
    const days = await a.costs("day");
    assert.equal(days.reduce((n, d) => n + d.runs, 0), 1, "counted once in the ledger");
    assert.equal((await a.attention())?.failed, 1, "one failure to acknowledge, not two");
    // A third try finds nothing to recover.
    assert.equal(await recover(b, 22), undefined);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("a recovery claimed by a process that is gone is taken over", async () => {
  const clock = new FakeClock();
  using store = await Store.open(":memory:", clock);
  const mine: Lease = { pid: 10, started: "x", acquired_at: T, heartbeat_at: T };
  assert.ok(await store.acquireLease(mine, null));
  await store.enqueue({ id: "r1", task: "t", priority: "normal", trigger: { type: "manual" } }, T);
  await store.takeNext(mine, T);
  const first = await store.claimRecovery({ pid: 30, at: T }, () => Promise.resolve(false));
  assert.equal(first?.recovering?.pid, 30);
  // pid 30 is alive: nobody else may claim.
  assert.equal(
    await store.claimRecovery({ pid: 31, at: T }, () => Promise.resolve(false)),
    undefined,
  );
  // pid 30 died mid-recovery: the next one takes it over.
  const again = await store.claimRecovery({ pid: 31, at: T }, (pid) => Promise.resolve(pid === 30));
  assert.equal(again?.recovering?.pid, 31);
});
