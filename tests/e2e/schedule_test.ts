/**
 * @module
 * Scheduling end to end: install writes the crontab entry (stand-in crontab), the entry is run
 * as cron runs it (cron's `%` handling, /bin/sh, a bare environment) and runs a due task; ticks
 * at once fire a slot once; status and doctor say installed, current, stale, last tick.
 * Time is set with CLODPUTER_FAKE_TIME where a test needs a slot to be due now.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  awaitRunners,
  clockEnv,
  logEvents,
  markedPids,
  runCli,
  runnersStarted,
  type TempHome,
  tempHome,
} from "./cli.ts";

const iso = (ms: number) => new Date(ms).toISOString();

/** The minute and hour of `ms` in a time zone. */
function inZone(ms: number, timeZone: string): { minute: number; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone,
      hour: "numeric",
      minute: "numeric",
      hourCycle: "h23",
    }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  return { minute: Number(parts.minute), hour: Number(parts.hour) };
}

/** The crontab's entry line that calls tick. */
async function tickEntry(home: TempHome): Promise<string> {
  const table = await Deno.readTextFile(join(home.home, ".fake-crontab"));
  const lines = table.split("\n").filter((l) => l.startsWith("* * * * * "));
  assert.equal(lines.length, 1, table);
  return lines[0] as string;
}

/**
 * Runs a crontab entry as cron does: the command after the five fields, `\%` made `%` (a bare
 * `%` would end it), run by /bin/sh with only cron's own variables, from the user's home.
 */
async function runAsCron(home: TempHome, line: string) {
  const before = await runnersStarted(home);
  const command = line.replace(/^(\S+\s+){5}/, "");
  const end = command.search(/(^|[^\\])%/);
  assert.equal(end, -1, "no bare % in the entry");
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", command.replaceAll("\\%", "%")],
    cwd: home.home,
    clearEnv: true,
    env: {
      HOME: home.home,
      LOGNAME: "user",
      PATH: "/usr/bin:/bin",
      SHELL: "/bin/sh",
      ...clockEnv(),
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  // The tick hands the queue to a detached runner and exits: wait for that runner too.
  await awaitRunners(home, before);
  const decoder = new TextDecoder();
  return {
    code: out.code,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

async function oldFile(file: string): Promise<void> {
  const longAgo = new Date(Date.now() - 7 * 86_400_000);
  await Deno.utime(file, longAgo, longAgo);
}

Deno.test("a task set to run in 2 minutes runs from the installed entry, as cron runs it", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.home, ".fake-crontab"), "# mine\n0 5 * * * /bin/true\n");
  // Installed "4 minutes ago", with the task set for 2 minutes after that (in Tokyo time): when
  // the entry runs now, that slot is due, and still on time.
  const installAt = Date.now() - 4 * 60_000;
  const slot = Math.floor(installAt / 60_000) * 60_000 + 2 * 60_000;
  const { minute, hour } = inZone(slot, "Asia/Tokyo");
  await oldFile(
    await home.writeTask(
      "soon",
      `name: soon\nschedule:\n  type: cron\n  expression: "${minute} ${hour} * * *"\n` +
        `  timezone: Asia/Tokyo\ntask:\n  prompt: "scheduled at {{ context.slot }}"\n  timeout: 60\n`,
    ),
  );
  const installed = await runCli(home, ["install"], {
    env: { CLODPUTER_FAKE_TIME: iso(installAt) },
  });
  assert.equal(installed.code, 0, installed.stderr);
  assert.match(installed.stdout, /^Installed: the crontab runs clodputer tick every minute$/m);
  assert.match(
    installed.stdout,
    new RegExp(`^  soon  ${minute} ${hour} \\* \\* \\*  Asia/Tokyo$`, "m"),
  );

  const cron = await runAsCron(home, await tickEntry(home));
  assert.equal(cron.code, 0, cron.stderr);
  assert.equal(cron.stdout + cron.stderr, "", "tick prints nothing on success (cron mails it)");

  const shown = await runCli(home, ["show", "soon", "--json"]);
  assert.equal(shown.code, 0, shown.stderr);
  const record = JSON.parse(shown.stdout);
  assert.equal(record.status, "succeeded");
  assert.deepEqual(record.trigger, { type: "schedule", slot: iso(slot) });
  assert.equal(
    await Deno.readTextFile(record.prompt_file),
    `scheduled at ${iso(slot)}`,
    "the slot reaches the prompt",
  );
  const logs = await runCli(home, ["logs", "--json", "--task", "soon"]);
  const events = logs.stdout.trim().split("\n").map((l) => JSON.parse(l));
  assert.deepEqual(events.map((e) => [e.event, e.trigger]), [
    ["task_queued", "schedule"],
    ["task_started", "schedule"],
    ["task_completed", "schedule"],
  ]);
  assert.deepEqual(await markedPids(record.id), [], "nothing of the run is left running");

  // The next minute's tick fires nothing more.
  const again = await runAsCron(home, await tickEntry(home));
  assert.equal(again.code, 0, again.stderr);
  const runs = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.equal(runs.recent.length, 1);
  assert.equal(runs.scheduler.backend, "crontab");
  assert.deepEqual(runs.scheduler.stale, []);
  assert.ok(runs.scheduler.last_tick.ok);

  const removed = await runCli(home, ["uninstall"]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(
    await Deno.readTextFile(join(home.home, ".fake-crontab")),
    "# mine\n0 5 * * * /bin/true\n",
  );
});

Deno.test("ticks that overlap queue a slot once", async () => {
  await using home = await tempHome();
  await oldFile(
    await home.writeTask(
      "daily",
      'name: daily\nschedule:\n  type: cron\n  expression: "0 8 * * *"\n  timezone: UTC\n' +
        "task:\n  prompt: hi\n",
    ),
  );
  const first = await runCli(home, ["tick", "--no-run"], {
    env: { CLODPUTER_FAKE_TIME: "2026-11-26T07:59:00Z" },
  });
  assert.equal(first.code, 0, first.stderr);
  const ticks = await Promise.all(
    Array.from(
      { length: 4 },
      () =>
        runCli(home, ["tick", "--no-run"], {
          env: { CLODPUTER_FAKE_TIME: "2026-11-26T08:00:10Z" },
        }),
    ),
  );
  for (const t of ticks) assert.equal(t.code, 0, t.stderr);
  const queue = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  assert.equal(queue.queued.length, 1);
  assert.equal(queue.queued[0].trigger.slot, "2026-11-26T08:00:00.000Z");
});

Deno.test("tick writes a config error to cron.log and the execution log once, and schedules the rest", async () => {
  await using home = await tempHome();
  await home.writeTask("bad", "name: bad\ntask:\n  promt: x\n");
  const t = await runCli(home, ["tick", "--no-run"]);
  assert.equal(t.code, 0, t.stderr);
  assert.equal(t.stdout + t.stderr, "");
  const cronLog = await Deno.readTextFile(join(home.clodputerHome, "cron.log"));
  assert.match(cronLog, /"event":"config_error","task":"bad","error":"\S+bad\.yaml:\d+:\d+: /);
  const logs = await runCli(home, ["logs", "--json"]);
  assert.match(logs.stdout, /"event":"config_error"/);
  await runCli(home, ["tick", "--no-run"]);
  const again = await Deno.readTextFile(join(home.clodputerHome, "cron.log"));
  assert.equal(again, cronLog, "not again while the file is unchanged");
  const verbose = await runCli(home, ["tick", "--no-run", "--verbose"]);
  assert.equal(verbose.stdout, "tick: nothing due\n");
});

Deno.test("status and doctor: not installed, current with its last tick, then stale or silent", async () => {
  await using home = await tempHome();
  await oldFile(
    await home.writeTask(
      "daily",
      'name: daily\nschedule:\n  type: cron\n  expression: "0 8 * * *"\n  timezone: UTC\n' +
        "task:\n  prompt: hi\n  allowed_tools: [Read]\n",
    ),
  );
  const before = await runCli(home, ["doctor", "--json"]);
  const check = (out: string, id: string) =>
    JSON.parse(out).checks.find((c: { id: string }) => c.id === id);
  assert.equal(check(before.stdout, "scheduler").status, "warn");
  assert.match(check(before.stdout, "scheduler").message, /not installed/);

  const now = "2026-11-26T07:00:00Z";
  assert.equal((await runCli(home, ["install"], { env: { CLODPUTER_FAKE_TIME: now } })).code, 0);
  // The entry calls deno from source here: it exists, so the entry is current.
  await runCli(home, ["tick", "--no-run"], { env: { CLODPUTER_FAKE_TIME: now } });
  const status = await runCli(home, ["status"], { env: { CLODPUTER_FAKE_TIME: now } });
  assert.match(status.stdout, /^schedule: crontab, current · last tick \d+ s ago$/m);
  assert.match(status.stdout, /^ {10}next: daily at 2026-11-26 08:00:00 \(UTC\)$/m);
  const doctor = await runCli(home, ["doctor", "--json"], { env: { CLODPUTER_FAKE_TIME: now } });
  assert.equal(check(doctor.stdout, "scheduler").status, "ok");
  assert.equal(check(doctor.stdout, "scheduler:tick").status, "ok");

  // Three hours without a tick.
  const later = { CLODPUTER_FAKE_TIME: "2026-11-26T10:00:00Z" };
  const silent = await runCli(home, ["status"], { env: later });
  assert.match(
    silent.stdout,
    /^schedule: crontab, current · no tick for [23]h\d\dm: is cron running\? is the entry there\?$/m,
  );
  const silentDoctor = await runCli(home, ["doctor", "--json"], { env: later });
  assert.equal(check(silentDoctor.stdout, "scheduler:tick").status, "fail");
  assert.match(check(silentDoctor.stdout, "scheduler:tick").message, /^No tick for 1[78]\d min/);

  // The entry points at a clodputer that is gone (moved, uninstalled): stale, with the fix.
  const crontab = join(home.home, ".fake-crontab");
  const table = await Deno.readTextFile(crontab);
  const entry = await tickEntry(home);
  const command = entry.replace(/^(\S+\s+){5}(\S+=\S+\s+)*/, "").split(" ")[0] as string;
  await Deno.writeTextFile(crontab, table.replace(command, "/gone/clodputer"));
  const stale = await runCli(home, ["doctor", "--json"], { env: { CLODPUTER_FAKE_TIME: now } });
  const staleCheck = check(stale.stdout, "scheduler");
  assert.equal(staleCheck.status, "fail");
  assert.match(staleCheck.message, /it calls \/gone\/clodputer, which is not an executable file/);
  assert.match(staleCheck.fix, /clodputer install/);
  const fixed = await runCli(home, ["install"]);
  assert.match(fixed.stdout, /^Installed:/m, "install rewrites the stale entry");
});

Deno.test("ticks 8 minutes apart count every slot that did not run, with its reason, in the log, status and logs", async () => {
  await using home = await tempHome();
  const every = (name: string, extra: string) =>
    `name: ${name}\nschedule:\n  type: cron\n  expression: "* * * * *"\n  timezone: UTC\n${extra}` +
    "task:\n  prompt: hi\n  timeout: 60\n";
  // Written a week before the fake "now" (one clock per test: never the real one).
  const longAgo = new Date("2026-11-19T00:00:00Z");
  for (
    const [name, extra] of [
      ["minutely", ""],
      ["catcher", "  catch_up: run_once\n  catch_up_max_age: 7m\n"],
    ]
  ) {
    const file = await home.writeTask(name as string, every(name as string, extra as string));
    await Deno.utime(file, longAgo, longAgo);
  }
  const at = (time: string) => ({ env: { CLODPUTER_FAKE_TIME: `2026-11-26T${time}Z` } });
  const first = await runCli(home, ["tick", "--no-run"], at("08:00:30"));
  assert.equal(first.code, 0, first.stderr);
  // cron stopped for 8 minutes: the slots 08:01 to 08:08 are due, 08:01 to 08:03 late.
  const back = await runCli(home, ["tick", "--no-run"], at("08:08:30"));
  assert.equal(back.code, 0, back.stderr);

  const missed = (await logEvents(home)).filter((e) => e.event === "schedule_missed");
  const of = (task: string) => missed.find((e) => e.task === task);
  assert.equal(missed.length, 2, JSON.stringify(missed));
  assert.deepEqual(
    [of("minutely")?.missed, of("minutely")?.reasons],
    [7, { catch_up_skip: 3, folded: 4 }],
  );
  assert.deepEqual(
    (of("minutely")?.slots as { slot: string; reason: string }[]).map((m) =>
      `${m.slot.slice(11, 16)} ${m.reason}`
    ),
    [
      "08:01 catch_up_skip",
      "08:02 catch_up_skip",
      "08:03 catch_up_skip",
      "08:04 folded",
      "08:05 folded",
      "08:06 folded",
      "08:07 folded",
    ],
  );
  assert.deepEqual(
    [of("catcher")?.missed, of("catcher")?.reasons, of("catcher")?.caught_up],
    [7, { max_age: 1, folded: 6 }, 1],
  );
  const queue = JSON.parse((await runCli(home, ["queue", "--json"], at("08:08:40"))).stdout);
  assert.deepEqual(
    queue.queued.map((q: { task: string; trigger: { slot: string } }) => q.trigger.slot).sort(),
    ["2026-11-26T08:08:00.000Z", "2026-11-26T08:08:00.000Z"],
    "the newest slot of each runs",
  );

  const status = await runCli(home, ["status"], at("08:09:00"));
  assert.equal(status.code, 0, status.stderr);
  assert.match(
    status.stdout,
    /^ +minutely: missed 7 slots \(3 skipped late \(catch_up: skip\), 4 folded into the newest run\), caught up 0 \(/m,
  );
  assert.match(
    status.stdout,
    /^ +catcher: missed 7 slots \(6 folded into the newest run, 1 older than catch_up_max_age\), caught up 1 \(/m,
  );
  const json = JSON.parse((await runCli(home, ["status", "--json"], at("08:09:00"))).stdout);
  const late = json.scheduler.late.find((l: { task: string }) => l.task === "minutely");
  assert.deepEqual([late.missed, late.reasons], [7, { catch_up_skip: 3, folded: 4 }]);

  const logs = await runCli(home, ["logs", "--task", "minutely"], at("08:09:00"));
  assert.equal(logs.code, 0, logs.stderr);
  assert.match(
    logs.stdout,
    /⊘ minutely missed 7 slots \(3 skipped late \(catch_up: skip\), 4 folded into the newest run\), caught up 0 \(catch_up: skip\)/,
  );
});
