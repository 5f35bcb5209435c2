/**
 * @module
 * Recovery of a dead runner's running item: the lost run's record keeps how claude was started.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { recoverLostRun } from "../../lib/queue/recover.ts";
import { Store } from "../../lib/queue/store.ts";
import type { Lease } from "../../lib/queue/types.ts";
import { readRecord } from "../../lib/run/record.ts";
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
