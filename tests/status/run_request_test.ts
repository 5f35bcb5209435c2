/**
 * @module
 * requestRun(): a face's "run this task now" (the web's, the MCP server's): queued with the
 * face's trigger, the duplicate rule, a runner asked for unless paused, a run on a file, and no
 * run of a task from inside its own run. A real KV file; the runner start is a stand-in.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../../lib/errors.ts";
import type { RunDeps } from "../../lib/run/run_task.ts";
import { withStore } from "../../lib/state/open.ts";
import { pauseQueue } from "../../lib/state/pause.ts";
import { requestRun } from "../../lib/status/run_request.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { describeRequestedRun, requestedRunJson } from "../../lib/ui/run_request.ts";

async function home() {
  const root = await Deno.makeTempDir({ prefix: "clodputer-request-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.tasks, { recursive: true });
  const inbox = join(root, "inbox");
  await Deno.mkdir(inbox);
  await Deno.writeTextFile(join(paths.tasks, "review.yaml"), 'task:\n  prompt: "Review"\n');
  await Deno.writeTextFile(
    join(paths.tasks, "summarise.yaml"),
    `trigger:\n  type: file_watch\n  path: ${inbox}\ntask:\n  prompt: "Summarise {{ context.file_path }}"\n`,
  );
  const counter = { started: 0 };
  const deps: RunDeps & { startRunner: () => Promise<number | undefined> } = {
    proc: systemProc(),
    clock: systemClock,
    env: envFrom({ HOME: root, CLODPUTER_HOME: paths.home, PATH: "/usr/bin:/bin" }),
    paths,
    os: Deno.build.os,
    selfPid: Deno.pid,
    startRunner: () => {
      counter.started++;
      return Promise.resolve(undefined);
    },
  };
  return {
    deps,
    inbox,
    counter,
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("requestRun() queues with the face's trigger, asks for a runner, and says so", async () => {
  await using h = await home();
  const first = await requestRun(h.deps, { task: "review", by: "mcp", trigger: "mcp" });
  assert.equal(first.queued.kind, "queued");
  assert.deepEqual(first.queued.item.trigger, { type: "mcp" });
  assert.equal(h.counter.started, 1);
  assert.equal(
    describeRequestedRun(first),
    `Queued review as ${first.queued.item.id} (position 1).`,
  );
  // Asked again while queued: the duplicate rule, not a second run.
  const again = await requestRun(h.deps, { task: "review", by: "mcp", trigger: "mcp" });
  assert.equal(again.queued.kind, "duplicate");
  assert.equal(again.queued.item.id, first.queued.item.id);
  assert.deepEqual(requestedRunJson(again), {
    message: `review is already queued as ${first.queued.item.id} (position 1); not queued again.`,
    run_id: first.queued.item.id,
    task: "review",
    duplicate: true,
    position: 1,
    paused: null,
  });
  const queued = await withStore(h.deps, (store) => store.queued());
  assert.equal(queued.length, 1);
});

Deno.test("requestRun() by a person has the manual trigger; a paused queue starts no runner", async () => {
  await using h = await home();
  await pauseQueue(h.deps.paths, { since: new Date(systemClock.now()).toISOString(), until: null });
  const r = await requestRun(h.deps, { task: "review", by: "web", trigger: "manual" });
  assert.deepEqual(r.queued.item.trigger, { type: "manual" });
  assert.ok(r.paused);
  assert.equal(h.counter.started, 0);
  assert.match(describeRequestedRun(r), /The queue is paused.*: it waits\.$/);
});

Deno.test("requestRun() of a folder-watch task needs its file, read from the watched folder", async () => {
  await using h = await home();
  await assert.rejects(
    () => requestRun(h.deps, { task: "summarise", by: "mcp", trigger: "mcp" }),
    (e: Error) => e instanceof UsageError && /without a file: it watches/.test(e.message),
  );
  await Deno.writeTextFile(join(h.inbox, "a.txt"), "hello");
  const r = await requestRun(h.deps, {
    task: "summarise",
    file: "a.txt",
    by: "mcp",
    trigger: "mcp",
  });
  assert.equal(r.file, join(h.inbox, "a.txt"));
  assert.equal(r.queued.item.trigger.type, "mcp");
  assert.equal(r.queued.item.trigger.path, join(h.inbox, "a.txt"));
  assert.equal(r.queued.item.context?.file_path, join(h.inbox, "a.txt"));
});

Deno.test("requestRun() refuses a run of a task from inside its own run, and allows another task", async () => {
  await using h = await home();
  await Deno.writeTextFile(join(h.deps.paths.tasks, "other.yaml"), 'task:\n  prompt: "x"\n');
  const now = new Date(systemClock.now()).toISOString();
  const mine = { pid: Deno.pid, started: "x", acquired_at: now, heartbeat_at: now };
  const running = await withStore(h.deps, async (store) => {
    await store.enqueue({
      id: "r-1",
      task: "review",
      priority: "normal",
      trigger: { type: "schedule" },
    }, now);
    assert.ok(await store.acquireLease(mine, null));
    return await store.takeNext(mine, now);
  });
  assert.equal(running?.id, "r-1");
  await assert.rejects(
    () => requestRun(h.deps, { task: "review", by: "mcp", trigger: "mcp", insideRun: "r-1" }),
    (e: Error) =>
      e instanceof UsageError && /Cannot run review from inside its own run r-1/.test(e.message),
  );
  assert.deepEqual(await withStore(h.deps, (store) => store.queued()), [], "nothing queued");
  const other = await requestRun(h.deps, {
    task: "other",
    by: "mcp",
    trigger: "mcp",
    insideRun: "r-1",
  });
  assert.equal(other.queued.kind, "queued");
});
