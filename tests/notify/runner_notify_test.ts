/**
 * @module
 * Notifications from the runner: real runs of the stand-in claude in a temp home, a loopback
 * webhook, the stand-in notify-send, a command; the queue never waits on a notification.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { GLOBAL_DEFAULTS } from "../../lib/config/fields.ts";
import type { GlobalConfig } from "../../lib/config/types.ts";
import { runQueue } from "../../lib/state/run_or_follow.ts";
import { Store } from "../../lib/state/store.ts";
import { newRunId } from "../../lib/run/run_id.ts";
import type { Trigger } from "../../lib/run/record.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { HOSTILE, loopback, notifyHome } from "./_helpers.ts";

type Logged = { event: string; [key: string]: unknown };

async function setup(env: Record<string, string> = {}) {
  const h = await notifyHome(env);
  const paths = pathsUnder(join(h.root, ".clodputer"));
  await Deno.mkdir(paths.tasks, { recursive: true });
  const store = await Store.open(":memory:", systemClock);
  const events: Logged[] = [];
  const deps = {
    proc: systemProc(),
    clock: systemClock,
    env: h.env,
    paths,
    os: "linux",
    selfPid: Deno.pid,
  };
  let n = 0;
  return {
    h,
    paths,
    store,
    deps,
    events,
    log: { append: (e: Logged) => Promise.resolve(void events.push(e)) },
    async task(name: string, yaml = "task:\n  prompt: hi\n") {
      await Deno.writeTextFile(join(paths.tasks, `${name}.yaml`), yaml);
    },
    async enqueue(task: string, trigger: Trigger = { type: "schedule" }) {
      const id = newRunId(Date.now()).replace(/.{6}$/, `00000${n++}`);
      await store.enqueue(
        { id, task, priority: "normal", trigger },
        new Date().toISOString(),
      );
      return id;
    },
    notifies: () => events.filter((e) => e.event.startsWith("notify_")),
    async [Symbol.asyncDispose]() {
      store.close();
      await h[Symbol.asyncDispose]();
    },
  };
}

function global(notify: GlobalConfig["notify"]): GlobalConfig {
  return { ...GLOBAL_DEFAULTS, grace_period: 1, ...(notify ? { notify } : {}) };
}

Deno.test("runQueue() notifies a scheduled failure on every channel, secrets kept out", async () => {
  const token = "ghp_supersecretvalue123";
  await using s = await setup({
    GITHUB_TOKEN: token,
    TASK_KEY: "task-key-secret-456",
    FAKE_CLAUDE_SCENARIO: "no-result",
    FAKE_CLAUDE_EXIT: "1",
    FAKE_CLAUDE_STDERR: `${HOSTILE} ${token}`,
  });
  await using server = loopback(() => 200);
  const out = join(s.h.root, "command.json");
  await s.task("daily-email", 'task:\n  prompt: "hi"\n  env:\n    KEY: "{{ env.TASK_KEY }}"\n');
  const id = await s.enqueue("daily-email");
  const records = await runQueue(s.deps, s.store, {
    global: global({
      macos: true,
      webhook: server.url,
      format: "json",
      command: ["sh", "-c", 'cat > "$0"', out],
    }),
    stop: new AbortController().signal,
    log: s.log,
    notify: { host: "test-host" },
  });
  assert.ok(Array.isArray(records) && records[0]?.status === "failed");

  // Webhook: one POST with the event.
  assert.equal(server.received.length, 1);
  const body = JSON.parse(server.received[0]?.body ?? "");
  assert.equal(body.task, "daily-email");
  assert.equal(body.run_id, id);
  assert.equal(body.status, "failed");
  assert.equal(body.host, "test-host");
  assert.equal(body.error, `${HOSTILE.split("\n").at(-1)} [redacted]`);
  // Command: the same event on stdin.
  assert.deepEqual(JSON.parse(await Deno.readTextFile(out)), body);
  // Desktop: the stand-in notify-send.
  const calls = await s.h.calls();
  assert.equal(calls.length, 1);
  assert.equal(calls[0]?.argv[3], "Clodputer: daily-email failed");
  // No secret in anything sent (the log's own writer redacts what the runner logs).
  const everything = server.received[0]?.body + JSON.stringify(calls) +
    JSON.stringify(s.notifies());
  assert.ok(!everything.includes(token));
  // Each channel's outcome is a log event.
  assert.deepEqual(
    s.notifies().map((e) => [e.event, e.channel, e.run_id, e.attempts]).sort(),
    [
      ["notify_sent", "command", id, 1],
      ["notify_sent", "desktop", id, 1],
      ["notify_sent", "webhook", id, 1],
    ],
  );
});

Deno.test("runQueue() does not notify manual runs or successes by default", async () => {
  await using s = await setup({ FAKE_CLAUDE_SCENARIO: "no-result", FAKE_CLAUDE_EXIT: "1" });
  await using server = loopback(() => 200);
  await s.task("a");
  await s.task("b", "task:\n  prompt: hi\nnotify: never\n");
  await s.enqueue("a", { type: "manual" });
  await s.enqueue("b");
  await runQueue(s.deps, s.store, {
    global: global({ macos: false, webhook: server.url, format: "json" }),
    stop: new AbortController().signal,
    log: s.log,
  });
  assert.equal(server.received.length, 0);
  assert.deepEqual(s.notifies(), []);
});

Deno.test("runQueue() notifies as the task says: on_failure notify, notify: always", async () => {
  await using s = await setup();
  await using server = loopback(() => 200);
  await s.task("legacy", "task:\n  prompt: hi\non_failure:\n  - notify: true\n");
  await s.task("loud", "task:\n  prompt: hi\nnotify: always\n");
  await s.enqueue("legacy", { type: "manual" }); // succeeds: on_failure does not apply
  const loud = await s.enqueue("loud", { type: "manual" });
  await runQueue(s.deps, s.store, {
    global: global({ macos: false, webhook: server.url, format: "json" }),
    stop: new AbortController().signal,
    log: s.log,
  });
  assert.equal(server.received.length, 1);
  assert.equal(JSON.parse(server.received[0]?.body ?? "").run_id, loud);
  assert.equal(JSON.parse(server.received[0]?.body ?? "").status, "succeeded");
});

Deno.test("runQueue() runs the next task while a webhook has not answered", async () => {
  await using s = await setup({ FAKE_CLAUDE_SCENARIO: "no-result", FAKE_CLAUDE_EXIT: "1" });
  await using server = loopback(() => "hang");
  await s.task("first");
  await s.task("second");
  const first = await s.enqueue("first");
  await s.enqueue("second");
  let seenAtSecondStart: Logged[] | undefined;
  await runQueue(s.deps, s.store, {
    global: global({ macos: false, webhook: server.url, format: "json" }),
    stop: new AbortController().signal,
    log: s.log,
    // Long enough that a queue waiting on the webhook would show it in the log below.
    notify: { timeoutMs: 60_000, tries: 1 },
    hooks: {
      onStart(item) {
        if (item.task !== "second") return;
        seenAtSecondStart = s.notifies();
        // Let the hanging server answer now, so the drain's final wait ends.
        server.release();
      },
    },
  });
  assert.deepEqual(
    seenAtSecondStart,
    [],
    "the second run started before the first's webhook ended",
  );
  assert.ok(s.notifies().some((e) => e.run_id === first));
});

Deno.test("runQueue() logs notify_failed for a webhook that never answers, and finishes", async () => {
  await using s = await setup({ FAKE_CLAUDE_SCENARIO: "no-result", FAKE_CLAUDE_EXIT: "1" });
  await using server = loopback(() => "hang");
  await s.task("first");
  await s.task("second");
  const ids = [await s.enqueue("first"), await s.enqueue("second")];
  const records = await runQueue(s.deps, s.store, {
    global: global({ macos: false, webhook: server.url, format: "json" }),
    stop: new AbortController().signal,
    log: s.log,
    notify: { timeoutMs: 100, tries: 2, backoffMs: 1 },
  });
  assert.equal(Array.isArray(records) ? records.length : records, 2);
  const failed = s.notifies();
  assert.deepEqual(failed.map((e) => [e.event, e.run_id, e.attempts, e.error]).sort(), [
    ["notify_failed", ids[0], 2, "no answer within 100 ms"],
    ["notify_failed", ids[1], 2, "no answer within 100 ms"],
  ]);
  assert.ok(!JSON.stringify(failed).includes("hook-secret-123"));
});

Deno.test("runQueue() notifies a scheduled run that a dead runner lost", async () => {
  await using s = await setup();
  await using server = loopback(() => 200);
  await s.task("nightly");
  // A runner that has exited: its pid no longer exists.
  const gone = new Deno.Command("true").spawn();
  await gone.status;
  const now = new Date().toISOString();
  const dead = { pid: gone.pid, started: "x", acquired_at: now, heartbeat_at: now };
  assert.ok(await s.store.acquireLease(dead, null));
  const id = await s.enqueue("nightly");
  assert.equal((await s.store.takeNext(dead, now))?.id, id);

  await runQueue(s.deps, s.store, {
    global: global({ macos: false, webhook: server.url, format: "json" }),
    stop: new AbortController().signal,
    log: s.log,
  });
  assert.equal(server.received.length, 1);
  const body = JSON.parse(server.received[0]?.body ?? "");
  assert.equal(body.run_id, id);
  assert.equal(body.status, "lost");
  assert.deepEqual(s.notifies().map((e) => [e.event, e.run_id]), [["notify_sent", id]]);
});
