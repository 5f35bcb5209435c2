/**
 * @module
 * Doctor's schedule check against a scripted `crontab -l` and a store in a temp home: the
 * crontab unreadable, no entry, a stale entry, a current one; the tick never seen, silent,
 * failed, recent; foreign clodputer lines; an overdue slot; the watcher for watched tasks.
 */

import { dailyEntry } from "../fakes/schedule.ts";
import assert from "node:assert/strict";
import { join } from "node:path";
import { checkSchedule } from "../../lib/doctor/checks/schedule.ts";
import { Store } from "../../lib/state/store.ts";
import type { TickBeat } from "../../lib/state/types.ts";
import { renderSection } from "../../lib/schedule/crontab_section.ts";
import {
  renderService,
  renderTimer,
  SYSTEMD_SERVICE,
  SYSTEMD_TIMER,
} from "../../lib/schedule/systemd.ts";
import { exists } from "../../lib/sys/fs.ts";
import { proc } from "../fakes/proc.ts";
import { type DoctorScene, doctorScene, ScriptedProc } from "./context.ts";

const SCHEDULED = 'schedule:\n  type: cron\n  expression: "0 8 * * *"\ntask:\n  prompt: hi\n';
const WATCHED = "trigger:\n  type: file_watch\n  path: /tmp/in\ntask:\n  prompt: hi\n";
const DISABLED = `enabled: false\n${SCHEDULED}`;

function crontab(stdout: string): ScriptedProc {
  return new ScriptedProc([], { crontab: { code: 0, stdout, stderr: "" } });
}

/** A crontab whose clodputer section calls an executable in the scene with its home. */
async function currentTable(s: DoctorScene): Promise<string> {
  const exe = join(s.root, "clodputer");
  await Deno.writeTextFile(exe, "#!/bin/sh\n");
  await Deno.chmod(exe, 0o755);
  return renderSection({
    argv: [exe, "tick"],
    env: { CLODPUTER_HOME: s.ctx().paths.home },
  });
}

async function beat(s: DoctorScene, agoMs: number, ok = true): Promise<TickBeat> {
  const tick = {
    at: new Date(s.clock.now() - agoMs).toISOString(),
    ok,
    message: ok ? "0 queued" : "cannot read tasks",
    pid: 1,
    queued: 0,
  };
  using store = await Store.open(s.ctx().paths.state, s.clock);
  await store.setTickBeat(tick);
  return tick;
}

Deno.test("checkSchedule() returns nothing, and creates nothing, without a home or tasks", async () => {
  await using s = await doctorScene({ home: false });
  const ctx = s.ctx({ tasks: [s.task("daily", SCHEDULED)], proc: crontab("") });
  assert.deepEqual(await checkSchedule(ctx), []);
  assert.equal(await exists(ctx.paths.home), false);
  await using t = await doctorScene();
  assert.deepEqual(await checkSchedule(t.ctx({ proc: crontab("") })), []);
});

Deno.test("checkSchedule() fails when the crontab cannot be read and a task has a schedule", async () => {
  await using s = await doctorScene();
  const tasks = [s.task("daily", SCHEDULED)];
  const expected = (fix: string) => [{
    id: "scheduler",
    status: "fail",
    message: "The crontab cannot be read: crontab: not found",
    fix,
  }];
  const noCrontab = new ScriptedProc([]);
  assert.deepEqual(
    await checkSchedule(s.ctx({ tasks, proc: noCrontab })),
    expected(
      "use a systemd user timer: clodputer install --systemd (or install cron: Debian/Ubuntu: " +
        "sudo apt install cron, then: clodputer install)",
    ),
  );
  assert.deepEqual(
    await checkSchedule(s.ctx({ tasks, proc: noCrontab, os: "darwin" })),
    expected("use a LaunchAgent instead: clodputer install --launchd"),
  );
  const disabled = [s.task("daily", DISABLED)];
  assert.deepEqual(await checkSchedule(s.ctx({ tasks: disabled, proc: noCrontab })), []);
});

Deno.test("checkSchedule() warns that scheduled tasks run only by hand with no scheduler installed", async () => {
  await using s = await doctorScene();
  const tasks = [s.task("daily", SCHEDULED), s.task("weekly", SCHEDULED)];
  const expected = (fix: string) => [{
    id: "scheduler",
    status: "warn",
    message: "2 task(s) have a schedule (daily, weekly), but the scheduler is not installed: " +
      "they run only by hand",
    fix,
  }];
  assert.deepEqual(
    await checkSchedule(s.ctx({ tasks, proc: crontab("MAILTO=me\n") })),
    expected("run: clodputer install (or --systemd)"),
  );
  assert.deepEqual(
    await checkSchedule(s.ctx({ tasks, proc: crontab(""), os: "darwin" })),
    expected("run: clodputer install (or --launchd)"),
  );
  assert.deepEqual(await checkSchedule(s.ctx({ proc: crontab("") })), [], "nothing scheduled");
});

Deno.test("checkSchedule() fails on a stale crontab entry, and warns that it never ticked", async () => {
  await using s = await doctorScene();
  const missing = join(s.root, "gone", "clodputer");
  const table = renderSection({
    argv: [missing, "tick"],
    env: { CLODPUTER_HOME: s.ctx().paths.home },
  });
  const results = await checkSchedule(s.ctx({ proc: crontab(table) }));
  assert.deepEqual(results, [{
    id: "scheduler",
    status: "fail",
    message: `The crontab entry is stale: it calls ${missing}, which is not an executable file ` +
      "any more",
    fix: "run: clodputer install (it rewrites the entry for this clodputer and this home)",
  }, {
    id: "scheduler:tick",
    status: "warn",
    message: "The scheduler has not ticked yet",
    fix: "wait a minute; if it still has not, check that cron is running and the entry is " +
      `there (crontab -l), and read ${s.ctx().paths.cronLog}`,
  }]);
});

Deno.test("checkSchedule() judges the last tick of a current entry: recent, silent, failed", async () => {
  await using s = await doctorScene();
  const tasks = [s.task("daily", SCHEDULED)];
  const proc = crontab(await currentTable(s));
  const { cronLog } = s.ctx().paths;
  await beat(s, 30_000);
  assert.deepEqual(await checkSchedule(s.ctx({ tasks, proc })), [{
    id: "scheduler",
    status: "ok",
    message: "The crontab entry calls tick every minute for 1 scheduled task(s) (daily)",
  }, {
    id: "scheduler:tick",
    status: "ok",
    message: "The scheduler last ticked 30 s ago",
  }]);
  const old = await beat(s, 5 * 60_000);
  assert.deepEqual((await checkSchedule(s.ctx({ tasks, proc })))[1], {
    id: "scheduler:tick",
    status: "fail",
    message: `No tick for 5 min (last at ${old.at})`,
    fix: `is cron running? is the entry there (crontab -l)? read ${cronLog}`,
  });
  await beat(s, 20_000, false);
  assert.deepEqual((await checkSchedule(s.ctx({ tasks, proc })))[1], {
    id: "scheduler:tick",
    status: "fail",
    message: "The last tick failed: cannot read tasks",
    fix: `read ${cronLog}; try it by hand: clodputer tick --verbose`,
  });
  const none = await checkSchedule(s.ctx({ proc }));
  assert.equal(
    none[0]?.message,
    "The crontab entry calls tick every minute for 0 scheduled task(s)",
  );
});

Deno.test("checkSchedule() warns about clodputer lines outside its section", async () => {
  await using s = await doctorScene();
  const table = "0 5 * * * /usr/local/bin/clodputer run backup\n# clodputer, a comment\n" +
    await currentTable(s);
  await beat(s, 10_000);
  const results = await checkSchedule(s.ctx({ proc: crontab(table) }));
  assert.deepEqual(results.map((r) => r.id), ["scheduler", "scheduler:tick", "scheduler:others"]);
  assert.deepEqual(results[2], {
    id: "scheduler:others",
    status: "warn",
    message: "1 other crontab line(s) call clodputer outside its section",
    fix: "remove them with crontab -e if they are from an older install (tick runs every task)",
  });
});

Deno.test("checkSchedule() fails for a slot the tick owed and did not run, without raising it", async () => {
  await using s = await doctorScene();
  const proc = crontab(await currentTable(s));
  await beat(s, 10_000);
  {
    using store = await Store.open(s.ctx().paths.state, s.clock);
    await store.setSchedulerSince("2026-11-25T07:00:00.000Z");
    await store.setScheduleCache("daily", dailyEntry());
  }
  const results = await checkSchedule(s.ctx({ tasks: [s.task("daily", SCHEDULED)], proc }));
  const overdue = results.find((r) => r.id === "overdue:daily");
  assert.equal(overdue?.status, "fail");
  assert.match(overdue?.message ?? "", /^daily did not run at 08:00 UTC/);
  assert.equal(
    overdue?.fix,
    `read clodputer logs --task daily and ${s.ctx().paths.cronLog}; run it now: clodputer run daily`,
  );
  using store = await Store.open(s.ctx().paths.state, s.clock);
  assert.equal((await store.raisedAlarms()).size, 0, "doctor raises nothing");
});

Deno.test("checkSchedule() checks the watcher only for enabled watched tasks", async () => {
  await using s = await doctorScene();
  const { paths } = s.ctx();
  const tasks = [s.task("inbox", WATCHED), s.task("daily", SCHEDULED)];
  const notRunning = await checkSchedule(s.ctx({ tasks, proc: crontab("") }));
  assert.deepEqual(notRunning.at(-1), {
    id: "watcher",
    status: "warn",
    message: "1 task(s) watch folders (inbox), but the watcher daemon is not running",
    fix: "start it: clodputer watch --daemon (once clodputer install is done, the tick starts it " +
      "within a minute)",
  });
  await Deno.writeTextFile(paths.watcherPid, "4321\n");
  const stale = await checkSchedule(s.ctx({ tasks, proc: crontab("") }));
  assert.equal(stale.at(-1)?.status, "warn", "a pid that is gone is not running");
  const live = new ScriptedProc([proc(4321, 1)], { crontab: { code: 0, stdout: "", stderr: "" } });
  assert.deepEqual((await checkSchedule(s.ctx({ tasks, proc: live }))).at(-1), {
    id: "watcher",
    status: "ok",
    message: "The watcher daemon is running (pid 4321)",
  });
  const off = [s.task("inbox", `enabled: false\n${WATCHED}`)];
  assert.deepEqual(await checkSchedule(s.ctx({ tasks: off, proc: live })), []);
});

Deno.test("checkSchedule() on a systemd timer: current, stale (a unit differs), not active", async () => {
  await using s = await doctorScene();
  const tasks = [s.task("daily", SCHEDULED)];
  const exe = join(s.root, "clodputer");
  await Deno.writeTextFile(exe, "#!/bin/sh\n", { mode: 0o755 });
  const units = join(s.root, ".config", "systemd", "user");
  await Deno.mkdir(units, { recursive: true });
  const service = renderService({
    argv: [exe, "tick"],
    env: { CLODPUTER_HOME: s.ctx().paths.home },
  });
  await Deno.writeTextFile(join(units, SYSTEMD_SERVICE), service);
  await Deno.writeTextFile(join(units, SYSTEMD_TIMER), renderTimer());
  await beat(s, 30_000);
  // No crontab command at all (Fedora, Arch): no problem with a systemd timer.
  const systemctl = (state: string) =>
    new ScriptedProc([], {
      systemctl: { code: state === "active" ? 0 : 3, stdout: `${state}\n`, stderr: "" },
    });
  const scheduler = async (state: string) =>
    (await checkSchedule(s.ctx({ tasks, proc: systemctl(state) })))
      .filter((r) => r.id === "scheduler");
  assert.deepEqual(await scheduler("active"), [{
    id: "scheduler",
    status: "ok",
    message: "The systemd entry calls tick every minute for 1 scheduled task(s) (daily)",
  }]);
  assert.deepEqual(await scheduler("inactive"), [{
    id: "scheduler",
    status: "fail",
    message: "The systemd units are current, but the timer is not active (systemctl --user " +
      "is-active clodputer-tick.timer: inactive)",
    fix: "run: clodputer install --systemd (it enables and starts the timer); if it stops when " +
      "you log out, turn on lingering: loginctl enable-linger",
  }]);
  await Deno.writeTextFile(join(units, SYSTEMD_TIMER), renderTimer().replace("1s", "1min"));
  assert.deepEqual(await scheduler("active"), [{
    id: "scheduler",
    status: "fail",
    message: "The systemd entry is stale: clodputer-tick.timer differs from what clodputer " +
      "install writes",
    fix:
      "run: clodputer install --systemd (it rewrites the entry for this clodputer and this home)",
  }]);
});
