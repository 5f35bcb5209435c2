/**
 * @module
 * The dead-man's switch end to end (time set with CLODPUTER_FAKE_TIME): a scheduled task that
 * did not run a slot it owed is raised once, by status or by the tick, whichever comes first,
 * and shows in status, status --json, list and doctor; a task that ran its slot, or a disabled
 * one, is not overdue.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { logEvents, runCli, runTick, type TempHome, tempHome } from "./cli.ts";

async function oldTask(home: TempHome, name: string, body: string): Promise<void> {
  const file = await home.writeTask(name, `name: ${name}\n${body}`);
  // A week before the fake "now" of every test here (never the real clock: one clock per test).
  const longAgo = new Date("2026-11-19T00:00:00Z");
  await Deno.utime(file, longAgo, longAgo);
}

function daily(time: string, extra = ""): string {
  const [hour, minute] = time.split(":");
  return `${extra}schedule:\n  type: cron\n  expression: "${Number(minute)} ${
    Number(hour)
  } * * *"\n  timezone: UTC\ntask:\n  prompt: hi\n  timeout: 60\n`;
}

const at = (time: string) => ({ CLODPUTER_FAKE_TIME: `2026-11-26T${time}Z` });

async function overdueEvents(home: TempHome) {
  return (await logEvents(home)).filter((e) => e.event === "task_overdue");
}

Deno.test("status raises a slot that did not run once, and status, list and doctor show it", async () => {
  await using home = await tempHome();
  await oldTask(home, "missed", daily("08:00"));
  await oldTask(home, "done", daily("07:30"));
  await oldTask(home, "off", daily("08:00", "enabled: false\n"));

  // No install: the first tick starts scheduling (nothing before 07:00 is owed).
  const first = await runCli(home, ["tick", "--no-run"], { env: at("07:00:00") });
  assert.equal(first.code, 0, first.stderr);
  // 07:30: "done" runs its slot; then the scheduler dies (no tick at 08:00).
  const ran = await runTick(home, ["tick"], { env: at("07:30:10") });
  assert.equal(ran.code, 0, ran.stderr);
  assert.equal(
    (await logEvents(home)).filter((e) => e.event === "task_completed").length,
    1,
    "done ran",
  );

  const before = await runCli(home, ["status", "--json"], { env: at("08:10:00") });
  assert.deepEqual(JSON.parse(before.stdout).overdue, [], "within the grace (timeout + 10 min)");
  assert.deepEqual(await overdueEvents(home), []);

  const status = await runCli(home, ["status"], { env: at("09:00:00") });
  assert.equal(status.code, 0, status.stderr);
  assert.match(status.stdout, /^overdue: {2}missed did not run at 08:00 UTC; last tick 07:30$/m);
  assert.doesNotMatch(status.stdout, /done did not run|off did not run/);
  const events = await overdueEvents(home);
  assert.equal(events.length, 1);
  assert.deepEqual([events[0]?.task, events[0]?.slot], ["missed", "2026-11-26T08:00:00.000Z"]);
  assert.match(String(events[0]?.last_tick), /^2026-11-26T07:30:1\d\.\d{3}Z$/);

  const json = await runCli(home, ["status", "--json"], { env: at("09:01:00") });
  const overdue = JSON.parse(json.stdout).overdue;
  assert.deepEqual(overdue.map((o: { task: string; slot: string }) => [o.task, o.slot]), [
    ["missed", "2026-11-26T08:00:00.000Z"],
  ]);
  // A tick that comes back does not raise it again either.
  const back = await runCli(home, ["tick", "--no-run"], { env: at("09:02:00") });
  assert.equal(back.code, 0, back.stderr);
  assert.equal((await overdueEvents(home)).length, 1, "raised once");

  const list = await runCli(home, ["list"], { env: at("09:03:00") });
  assert.equal(list.code, 0, list.stderr);
  assert.match(list.stdout, /^! missed\b/m);
  assert.match(list.stdout, /^ +overdue: missed did not run at 08:00 UTC; last tick/m);
  assert.match(list.stdout, /^✓ done\b/m);
  const listJson = JSON.parse(
    (await runCli(home, ["list", "--json"], { env: at("09:03:00") })).stdout,
  );
  const row = (name: string) => listJson.find((r: { name: string }) => r.name === name);
  assert.equal(row("missed").overdue.slot, "2026-11-26T08:00:00.000Z");
  assert.equal(row("done").overdue, null);
  assert.equal(row("off").overdue, null);

  const doctor = await runCli(home, ["doctor", "--json"], { env: at("09:03:00") });
  const check = JSON.parse(doctor.stdout).checks.find((c: { id: string }) =>
    c.id === "overdue:missed"
  );
  assert.equal(check.status, "fail");
  assert.match(check.message, /^missed did not run at 08:00 UTC/);
  assert.match(check.fix, /not installed .*clodputer install; run it now: clodputer run missed$/);

  // Run by hand: settled.
  const hand = await runCli(home, ["run", "missed"], { env: at("09:04:00") });
  assert.equal(hand.code, 0, hand.stderr);
  const after = await runCli(home, ["status", "--json"], { env: at("09:10:00") });
  assert.deepEqual(JSON.parse(after.stdout).overdue, []);
});

Deno.test("a tick after a sleep raises a skipped slot (catch_up: skip) once, in both logs", async () => {
  await using home = await tempHome();
  await oldTask(home, "daily-email", daily("08:00"));
  assert.equal((await runCli(home, ["tick", "--no-run"], { env: at("07:12:00") })).code, 0);
  // Asleep until 09:00: the tick records the slot as missed, and the switch raises it.
  const woke = await runCli(home, ["tick", "--no-run"], { env: at("09:00:00") });
  assert.equal(woke.code, 0, woke.stderr);
  assert.equal(woke.stdout + woke.stderr, "", "tick prints nothing (cron mails it)");
  const events = (await logEvents(home)).map((e) => e.event);
  assert.ok(events.includes("schedule_missed"));
  const raised = await overdueEvents(home);
  assert.equal(raised.length, 1);
  assert.equal(raised[0]?.message, "daily-email did not run at 08:00 UTC; last tick 07:12");
  const cronLog = await Deno.readTextFile(join(home.clodputerHome, "cron.log"));
  assert.match(cronLog, /"event":"task_overdue","task":"daily-email"/);

  const status = await runCli(home, ["status"], { env: at("09:01:00") });
  assert.match(
    status.stdout,
    /^overdue: {2}daily-email did not run at 08:00 UTC; last tick 07:12$/m,
  );
  assert.equal((await overdueEvents(home)).length, 1, "status does not raise it again");
});

Deno.test("a scheduled run a person removed from the queue is settled: no alarm, a logged removal", async () => {
  await using home = await tempHome();
  await oldTask(home, "daily", daily("08:00"));
  await oldTask(home, "other", daily("08:00"));
  assert.equal((await runCli(home, ["tick", "--no-run"], { env: at("07:00:00") })).code, 0);
  // 08:00: the tick queues both slots but runs nothing (--no-run).
  assert.equal((await runCli(home, ["tick", "--no-run"], { env: at("08:00:10") })).code, 0);
  const queue = JSON.parse(
    (await runCli(home, ["queue", "--json"], { env: at("08:01:00") })).stdout,
  );
  const item = queue.queued.find((q: { task: string }) => q.task === "daily");
  assert.equal(item?.trigger.slot, "2026-11-26T08:00:00.000Z", JSON.stringify(queue));
  const removed = await runCli(home, ["queue", "remove", item.id], { env: at("08:02:00") });
  assert.equal(removed.code, 0, removed.stderr);
  const cancelled = await runCli(home, ["cancel", "other"], { env: at("08:02:30") });
  assert.equal(cancelled.code, 0, cancelled.stderr);

  const status = await runCli(home, ["status", "--json"], { env: at("09:00:00") });
  assert.deepEqual(JSON.parse(status.stdout).overdue, []);
  assert.deepEqual(await overdueEvents(home), []);
  const removals = (await logEvents(home)).filter((e) => e.event === "task_removed");
  assert.deepEqual(removals.map((e) => [e.task, e.slot, e.by]), [
    ["daily", "2026-11-26T08:00:00.000Z", "queue remove"],
    ["other", "2026-11-26T08:00:00.000Z", "cancel"],
  ]);

  const logs = await runCli(home, ["logs"], { env: at("09:00:00") });
  assert.match(logs.stdout, /⊘ daily removed from the queue by queue remove \(its .+ run\)/);

  // The next slot is owed again: a removal settles only the slot it was for.
  const next = await runCli(home, ["status", "--json"], {
    env: { CLODPUTER_FAKE_TIME: "2026-11-27T09:00:00Z" },
  });
  assert.deepEqual(
    JSON.parse(next.stdout).overdue.map((o: { task: string; slot: string }) => [o.task, o.slot]),
    [["daily", "2026-11-27T08:00:00.000Z"], ["other", "2026-11-27T08:00:00.000Z"]],
  );
});

Deno.test("after uninstall nothing is owed: no alarm", async () => {
  // Two homes, one story, until 07:05: one uninstalls, the other (the control) stays installed.
  const owed = async (uninstall: boolean) => {
    await using home = await tempHome();
    await oldTask(home, "daily", daily("08:00"));
    assert.equal((await runCli(home, ["install"], { env: at("07:00:00") })).code, 0);
    assert.equal((await runCli(home, ["tick", "--no-run"], { env: at("07:00:00") })).code, 0);
    if (uninstall) {
      const removed = await runCli(home, ["uninstall"], { env: at("07:05:00") });
      assert.equal(removed.code, 0, removed.stderr);
    }
    const status = await runCli(home, ["status", "--json"], { env: at("09:00:00") });
    assert.equal(status.code, 0, status.stderr);
    const slots = JSON.parse(status.stdout).overdue.map((o: { slot: string }) => o.slot);
    return { slots, raised: (await overdueEvents(home)).length };
  };
  assert.deepEqual(await owed(false), { slots: ["2026-11-26T08:00:00.000Z"], raised: 1 });
  assert.deepEqual(await owed(true), { slots: [], raised: 0 });
});

Deno.test("a failing tick still raises what is overdue", async () => {
  await using home = await tempHome();
  await oldTask(home, "daily", daily("08:00"));
  assert.equal((await runCli(home, ["tick", "--no-run"], { env: at("07:00:00") })).code, 0);
  // The tasks folder replaced by a file: every tick fails from now on.
  const tasks = join(home.clodputerHome, "tasks");
  await Deno.remove(tasks, { recursive: true });
  await Deno.writeTextFile(tasks, "not a folder\n");
  const failed = await runCli(home, ["tick", "--no-run"], { env: at("09:00:00") });
  assert.notEqual(failed.code, 0);
  const raised = await overdueEvents(home);
  assert.deepEqual(raised.map((e) => [e.task, e.slot, e.message]), [
    ["daily", "2026-11-26T08:00:00.000Z", "daily did not run at 08:00 UTC; last tick 07:00"],
  ]);
  const cronLog = await Deno.readTextFile(join(home.clodputerHome, "cron.log"));
  assert.match(cronLog, /"event":"tick_failed"/);
  assert.match(cronLog, /"event":"task_overdue","task":"daily"/);
});

Deno.test("an overdue slot is sent on the notify: channels once, with its message", async () => {
  await using home = await tempHome();
  const got = join(home.root, "notified.jsonl");
  const program = join(home.root, "notify.sh");
  await Deno.writeTextFile(program, `#!/bin/sh\ncat >> "${got}"\necho >> "${got}"\n`, {
    mode: 0o755,
  });
  await Deno.writeTextFile(
    join(home.clodputerHome, "config.yaml"),
    `notify:\n  command: ["${program}"]\n`,
  );
  await oldTask(home, "missed", daily("08:00"));
  assert.equal((await runCli(home, ["tick", "--no-run"], { env: at("07:00:00") })).code, 0);
  const status = await runCli(home, ["status"], { env: at("09:00:00") });
  assert.equal(status.code, 0, status.stderr);
  assert.equal((await runCli(home, ["tick", "--no-run"], { env: at("09:01:00") })).code, 0);

  const sent = (await Deno.readTextFile(got)).trim().split("\n").map((l) => JSON.parse(l));
  assert.equal(sent.length, 1, "one notification for one slot");
  assert.equal(sent[0].event, "task_overdue");
  assert.equal(sent[0].task, "missed");
  assert.equal(sent[0].slot, "2026-11-26T08:00:00.000Z");
  assert.match(sent[0].message, /^missed did not run at 08:00 UTC; last tick 07:00$/);
  const logged = (await logEvents(home)).filter((e) => e.event === "notify_sent");
  assert.deepEqual(logged.map((e) => [e.task, e.slot, e.channel]), [
    ["missed", "2026-11-26T08:00:00.000Z", "command"],
  ]);
});
