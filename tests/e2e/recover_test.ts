/**
 * @module
 * Recovering from failures end to end, with the stand-in claude and a shifted clock
 * (CLODPUTER_FAKE_TIME): a 500 is retried later and succeeds, a usage limit defers the run and
 * holds the queue until it resets, a lost login holds the queue until `resume`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { localTime } from "../../lib/ui/duration.ts";
import {
  logEvents,
  runCli,
  runTick,
  spawnCli,
  type TempHome,
  tempHome,
  waitForStart,
} from "./cli.ts";

const at = (time: string) => ({ CLODPUTER_FAKE_TIME: `2026-12-01T${time}Z` });

function task(name: string, env: Record<string, string>, extra = ""): string {
  const lines = Object.entries(env).map(([k, v]) => `    ${k}: "${v}"`).join("\n");
  return `name: ${name}
task:
  prompt: "run ${name}"
  timeout: 60
${extra}  env:
${lines}
`;
}

async function records(home: TempHome): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for await (const e of Deno.readDir(join(home.clodputerHome, "runs"))) {
    const text = await Deno.readTextFile(join(home.clodputerHome, "runs", e.name, "result.json"))
      .catch(() => undefined);
    if (text) out.push(JSON.parse(text));
  }
  return out.sort((a, b) => String(a.started_at) < String(b.started_at) ? -1 : 1);
}

Deno.test("a 500 is retried after its backoff, by a later tick, and then succeeds", async () => {
  await using home = await tempHome();
  const seq = join(home.root, "seq");
  await home.writeTask(
    "daily-email",
    task(
      "daily-email",
      { FAKE_CLAUDE_SEQUENCE: "error-500,hi", FAKE_CLAUDE_SEQUENCE_FILE: seq },
      [
        "  max_retries: 3",
        "  retry_backoff_seconds: 600",
        "  max_retry_delay: 3600",
        "",
      ].join("\n"),
    ),
  );
  await home.writeTask("other", task("other", {}));
  const first = await runCli(home, ["run", "daily-email"], { env: at("10:00:00") });
  assert.equal(first.code, 0, first.stderr);

  const [failed] = await records(home);
  assert.equal(failed?.status, "failed");
  const next = failed?.next_retry as Record<string, unknown>;
  assert.equal(next.attempt, 2);
  assert.equal(next.max_attempts, 4);
  // 600 s ± 25 %.
  const due = Date.parse(String(next.at));
  const t0 = Date.parse("2026-12-01T10:00:00Z");
  assert.ok(due >= t0 + 450_000 && due <= t0 + 760_000, String(next.at));
  const scheduled = (await logEvents(home)).find((e) => e.event === "task_retry_scheduled");
  assert.equal(scheduled?.retry_run_id, next.run_id);
  assert.equal(scheduled?.retry_of, failed?.id);

  const status = await runCli(home, ["status"], { env: at("10:00:30") });
  assert.match(status.stdout, /^retry: {4}daily-email: retry 1\/3 at \d\d:\d\d \(run /m);

  // Not due yet: other work runs, the retry waits.
  assert.equal((await runCli(home, ["run", "other"], { env: at("10:01:00") })).code, 0);
  assert.equal((await runTick(home, ["tick"], { env: at("10:02:00") })).code, 0);
  assert.equal((await records(home)).length, 2, "the retry did not run early");
  const queue = await runCli(home, ["queue"], { env: at("10:02:00") });
  assert.match(
    queue.stdout,
    new RegExp(`daily-email .*retry 1/3 \\(not before ${localTime(String(next.at))}\\)`),
  );

  // Due: the next tick runs it.
  assert.equal((await runTick(home, ["tick"], { env: at("10:13:00") })).code, 0);
  const all = await records(home);
  const retry = all.find((r) => r.id === next.run_id);
  assert.equal(retry?.status, "succeeded");
  assert.deepEqual(retry?.trigger, {
    type: "retry",
    attempt: 2,
    max_attempts: 4,
    retry_of: failed?.id,
    first: "manual",
  });
  const shownFirst = await runCli(home, ["show", String(failed?.id)], { env: at("10:14:00") });
  assert.match(shownFirst.stdout, /^retry: {5}attempt 2 of 4 queued for .* \(run /m);
  const shownRetry = await runCli(home, ["show", String(next.run_id)], { env: at("10:14:00") });
  assert.match(shownRetry.stdout, new RegExp(`^attempt: {3}2 of 4 \\(retry of ${failed?.id}`, "m"));
  const logs = await runCli(home, ["logs"], { env: at("10:14:00") });
  assert.match(logs.stdout, /↻ daily-email retry 1\/3 queued for /);
  const after = await runCli(home, ["status", "--json"], { env: at("10:14:00") });
  assert.deepEqual(JSON.parse(after.stdout).queue.waiting, []);
});

Deno.test("a usage limit defers the run and holds every task until the reset", async () => {
  await using home = await tempHome();
  const seq = join(home.root, "seq");
  await home.writeTask(
    "limited",
    task("limited", { FAKE_CLAUDE_SEQUENCE: "usage-limit,hi", FAKE_CLAUDE_SEQUENCE_FILE: seq }),
  );
  await home.writeTask("other", task("other", {}));
  // 10:00 UTC is 11:00 in Paris: "resets 1pm (Europe/Paris)" is 12:00 UTC.
  await runCli(home, ["run", "limited"], { env: at("10:00:00") });
  const [deferred] = await records(home);
  assert.equal(deferred?.status, "deferred");
  assert.deepEqual(
    (deferred?.deferred as Record<string, unknown>).until,
    "2026-12-01T12:00:00.000Z",
  );
  const held = (await logEvents(home)).find((e) => e.event === "queue_held");
  assert.equal(held?.until, "2026-12-01T12:00:00.000Z");

  // The views show local times: read them as a person in UTC would.
  const inUtc = { ...at("10:05:00"), TZ: "UTC" };
  const status = await runCli(home, ["status"], { env: inUtc });
  assert.match(status.stdout, /^held: {5}deferred by usage limit until 12:00$/m);
  const logs = await runCli(home, ["logs"], { env: inUtc });
  assert.match(logs.stdout, /limited deferred by a usage limit/);
  assert.match(logs.stdout, /queue held \(usage_limit\) until 2026-12-01 12:00:00/);
  const menu = await runCli(home, ["menubar", "print"], { env: inUtc });
  assert.match(menu.stdout, /deferred by usage limit until 12:00/);
  assert.doesNotMatch(status.stdout, /^failed:/m, "a deferred run is not a failure");

  // Another task is queued but does not start while the limit holds.
  const queued = await runCli(home, ["run", "other"], { env: at("10:06:00") });
  assert.equal(queued.code, 0, queued.stderr);
  assert.equal((await runTick(home, ["tick"], { env: at("11:59:00") })).code, 0);
  assert.equal((await records(home)).length, 1, "nothing ran under the hold");

  assert.equal((await runTick(home, ["tick"], { env: at("12:00:30") })).code, 0);
  const all = await records(home);
  assert.deepEqual(all.map((r) => [r.task, r.status]), [
    ["limited", "deferred"],
    ["limited", "succeeded"],
    ["other", "succeeded"],
  ]);
});

async function notifyingHome(): Promise<{ home: TempHome; sent: string }> {
  const home = await tempHome();
  const sent = join(home.root, "sent");
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    `notify:\n  macos: false\n  command: ["sh", "-c", "cat >> \\"$0\\"; echo >> \\"$0\\"", "${sent}"]\n`,
  );
  return { home, sent };
}

async function notifications(file: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(file).catch(() => "");
  return text.split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}

Deno.test("lost credentials hold the queue, are told once, and a canary that succeeds resumes", async () => {
  const { home, sent } = await notifyingHome();
  await using _ = home;
  const seq = join(home.root, "seq");
  await home.writeTask(
    "needs-login",
    task("needs-login", {
      FAKE_CLAUDE_SEQUENCE: "auth-expired,auth-expired,hi",
      FAKE_CLAUDE_SEQUENCE_FILE: seq,
    }),
  );
  await home.writeTask("other", task("other", {}));
  await runCli(home, ["run", "needs-login"], { env: at("10:00:00") });
  const [failed] = await records(home);
  assert.equal(failed?.status, "auth_failed");
  assert.match(String((failed?.auth_hold as Record<string, unknown>).fix), /claude setup-token/);

  assert.equal((await runCli(home, ["run", "other"], { env: at("10:01:00") })).code, 0);
  const status = await runCli(home, ["status"], { env: at("10:02:00") });
  assert.match(status.stdout, /^held: {5}claude cannot log in \(.*OAuth token has expired/m);
  assert.equal((await runTick(home, ["tick"], { env: at("10:05:00") })).code, 0);
  assert.equal((await records(home)).length, 1, "no canary within 10 minutes");

  // The canary at 10:11 fails again: still held, not told again.
  assert.equal((await runTick(home, ["tick"], { env: at("10:11:00") })).code, 0);
  const afterCanary = await records(home);
  assert.deepEqual(afterCanary.map((r) => [r.task, r.status]), [
    ["needs-login", "auth_failed"],
    ["needs-login", "auth_failed"],
  ]);
  const told = await notifications(sent);
  assert.equal(told.length, 1, JSON.stringify(told));
  assert.equal(told[0]?.status, "auth_failed");
  assert.match(String(told[0]?.error), /claude setup-token/);
  assert.match(
    String(told[0]?.error),
    /CLAUDE_CODE_OAUTH_TOKEN: "\{\{ secrets\.CLAUDE_CODE_OAUTH_TOKEN \}\}"/,
  );

  // The next canary (10 minutes on) succeeds: the hold is released and the rest runs.
  assert.equal((await runTick(home, ["tick"], { env: at("10:15:00") })).code, 0);
  assert.equal((await records(home)).length, 2, "no canary within 10 minutes of the last");
  assert.equal((await runTick(home, ["tick"], { env: at("10:21:30") })).code, 0);
  const all = await records(home);
  assert.deepEqual(all.slice(2).map((r) => [r.task, r.status]), [
    ["needs-login", "succeeded"],
    ["other", "succeeded"],
  ]);
  const released = (await logEvents(home)).find((e) => e.event === "queue_released");
  assert.equal(released?.by, "a run that succeeded");
  const canaries = (await logEvents(home)).filter((e) => e.event === "auth_canary");
  assert.equal(canaries.length, 2);
});

Deno.test("clodputer resume releases a hold for lost credentials", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "needs-login",
    task("needs-login", {
      FAKE_CLAUDE_SEQUENCE: "not-logged-in,hi",
      FAKE_CLAUDE_SEQUENCE_FILE: join(home.root, "seq"),
    }),
  );
  await home.writeTask("other", task("other", {}));
  await runCli(home, ["run", "needs-login"], { env: at("10:00:00") });
  await runCli(home, ["run", "other"], { env: at("10:00:10") });
  assert.equal((await records(home)).length, 1);
  const resumed = await runCli(home, ["resume"], { env: at("10:00:20") });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /The queue was held \(claude could not log in\): it runs again/);
  assert.equal((await logEvents(home)).find((e) => e.event === "queue_released")?.by, "resume");
  // The person fixed the login: the run queued again and the rest run at the next tick.
  await runTick(home, ["tick"], { env: at("10:00:30") });
  const all = await records(home);
  assert.deepEqual(all.map((r) => [r.task, r.status]), [
    ["needs-login", "auth_failed"],
    ["needs-login", "succeeded"],
    ["other", "succeeded"],
  ]);
});

/**
 * Starts `run slow` (whose claude hangs), SIGKILLs that runner once claude is up, then runs
 * `run next --wait`, which finds the run lost. Returns what `run next` printed.
 */
async function loseSlowThenRunNext(home: TempHome) {
  await using runner = await spawnCli(home, ["run", "slow"], {
    env: { FAKE_CLAUDE_PIDS: home.pidsFile },
  });
  await waitForStart(home, "slow");
  runner.kill("SIGKILL");
  await runner.output();
  const r = await runCli(home, ["run", "next", "--wait"]);
  assert.equal(r.code, 0, r.stderr);
  return r;
}

Deno.test("a run lost with its runner is retried like any transient failure", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "grace_period: 1\n");
  await home.writeTask(
    "slow",
    task("slow", { FAKE_CLAUDE_HANG: "chatty" }, "  max_retries: 1\n  retry_backoff_seconds: 60\n"),
  );
  await home.writeTask("next", task("next", {}));
  await loseSlowThenRunNext(home);
  const lost = (await records(home)).find((x) => x.task === "slow");
  assert.equal(lost?.status, "lost");
  const next = lost?.next_retry as Record<string, unknown>;
  assert.equal(next.attempt, 2);
  const q = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  const waiting = q.queued.find((i: { id: string }) => i.id === next.run_id);
  assert.equal(waiting?.run_at, next.at);
  assert.equal(waiting?.trigger.retry_of, lost?.id);
  const scheduled = (await logEvents(home)).find((e) => e.event === "task_retry_scheduled");
  assert.equal(scheduled?.run_id, lost?.id);
});

Deno.test("clodputer run that recovers a lost run notifies it, as the tick does", async () => {
  await using home = await tempHome();
  const received = join(home.root, "notified.jsonl");
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    `grace_period: 1\nnotify:\n  command: ["/bin/sh", "-c", "cat >> '${received}'; echo >> '${received}'"]\n`,
  );
  await home.writeTask("slow", `notify: failures\n${task("slow", { FAKE_CLAUDE_HANG: "chatty" })}`);
  await home.writeTask("next", task("next", {}));
  const r = await loseSlowThenRunNext(home);
  assert.match(r.stderr, /^recovered: run \S+ of slow was lost/m);
  const lost = (await records(home)).find((x) => x.task === "slow");
  assert.equal(lost?.status, "lost");
  const bodies = (await Deno.readTextFile(received)).split("\n").filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l));
  assert.deepEqual(bodies.map((b) => [b.task, b.status, b.run_id]), [["slow", "lost", lost?.id]]);
  const sent = (await logEvents(home)).filter((e) => e.event === "notify_sent");
  assert.deepEqual(sent.map((e) => [e.run_id, e.channel]), [[lost?.id, "command"]]);
});

Deno.test("a run a person follows starts under a hold, and before its retry time", async () => {
  await using home = await tempHome();
  await home.writeTask("limited", task("limited", { FAKE_CLAUDE_SCENARIO: "usage-limit" }));
  await home.writeTask(
    "flaky",
    task("flaky", {
      FAKE_CLAUDE_SEQUENCE: "error-500,hi",
      FAKE_CLAUDE_SEQUENCE_FILE: join(home.root, "seq"),
    }, "  max_retries: 1\n  retry_backoff_seconds: 3600\n"),
  );
  await runCli(home, ["run", "flaky"], { env: at("09:00:00") });
  // The retry is due at 09:45 at the earliest (3600 s less 25 %): nothing runs it before then.
  await runCli(home, ["run", "limited"], { env: at("09:10:00") });
  assert.match((await runCli(home, ["status"], { env: at("09:10:10") })).stdout, /^held: /m);
  // The waiting retry of flaky, followed: it runs now although the queue is held.
  const followed = await runCli(home, ["run", "flaky", "--wait"], { env: at("09:10:20") });
  assert.equal(followed.code, 0, followed.stderr);
  const all = await records(home);
  assert.deepEqual(all.map((r) => [r.task, r.status]), [
    ["flaky", "failed"],
    ["limited", "deferred"],
    ["flaky", "succeeded"],
  ]);
  assert.equal((all[2]?.trigger as Record<string, unknown>).type, "retry");
});

Deno.test("on_failure: - retry: false keeps a 500 from being retried; - retry: true asks for one", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "off",
    task("off", { FAKE_CLAUDE_SCENARIO: "error-500" }, "  max_retries: 3\n") +
      "on_failure:\n  - retry: false\n",
  );
  await home.writeTask(
    "on",
    task("on", { FAKE_CLAUDE_SCENARIO: "error-500" }) + "on_failure:\n  - retry: true\n",
  );
  assert.equal((await runCli(home, ["run", "off"], { env: at("10:00:00") })).code, 0);
  assert.equal((await runCli(home, ["run", "on"], { env: at("10:00:00") })).code, 0);
  const byTask = new Map((await records(home)).map((r) => [r.task, r]));
  assert.equal(byTask.get("off")?.status, "failed");
  assert.equal(byTask.get("off")?.next_retry, undefined, "retry: false: no retry");
  const next = byTask.get("on")?.next_retry as Record<string, unknown> | undefined;
  assert.equal(next?.attempt, 2, "retry: true with no max_retries: one retry");
  assert.equal(next?.max_attempts, 2);
});
