/**
 * @module
 * The watcher end to end: real files in a temp folder, the real CLI, the stand-in claude. The
 * foreground watcher and Ctrl-C; the daemon's start, status, stop, stale pid file and second
 * daemon refused; task files reloaded; a folder created later; the tick restarting a killed
 * daemon. Every daemon a test starts is stopped (or killed) in `finally`.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { pidAlive, runCli, spawnCli, type TempHome, tempHome, waitFor } from "./cli.ts";

function watchTask(name: string, folder: string, extra = ""): string {
  return `name: ${name}
trigger:
  type: file_watch
  path: ${folder}
  pattern: "*.txt"
  debounce: 200
${extra}task:
  prompt: "Summarise {{ context.file_path }} ({{ context.event }})"
  timeout: 60
`;
}

async function watcherPid(home: TempHome): Promise<number | undefined> {
  const text = await Deno.readTextFile(join(home.clodputerHome, "watcher.pid")).catch(() => "");
  const pid = text.trim() ? Number(JSON.parse(text).pid) : NaN;
  return Number.isInteger(pid) ? pid : undefined;
}

/** Stops the home's daemon and waits for the runs it started, whatever the test did. */
async function cleanUp(home: TempHome): Promise<void> {
  const pid = await watcherPid(home);
  await runCli(home, ["watch", "--stop"]).catch(() => undefined);
  if (pid && pidAlive(pid)) Deno.kill(pid, "SIGKILL");
  // A tick the watcher started may still be running the queue.
  await waitFor("the runner to finish", async () => {
    const q = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
    return (q.running === null && q.queued.length === 0) || undefined;
  }).catch(() => undefined);
}

async function runsOf(home: TempHome, task: string): Promise<Record<string, unknown>[]> {
  const status = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  return (status.recent as Record<string, unknown>[]).filter((r) => r.task === task);
}

Deno.test("watch in the foreground: a new file runs its task with the literal path; Ctrl-C stops it", async () => {
  await using home = await tempHome();
  const inbox = join(home.home, "Inbox");
  await Deno.mkdir(inbox);
  await home.writeTask("inbox", watchTask("inbox", "~/Inbox"));
  const log = join(home.root, "claude");
  try {
    await using watcher = await spawnCli(home, ["watch"], { env: { FAKE_CLAUDE_LOG: log } });
    await waitFor("the watcher to watch", () => watcher.stdout.includes("watching") || undefined);
    const name = `it's $(touch pwned); "x".txt`;
    await Deno.writeTextFile(join(inbox, name), "hello");
    await Deno.writeTextFile(join(inbox, ".DS_Store"), "noise");
    await waitFor(
      "the run to be queued",
      () => watcher.stdout.includes("-> queued as") || undefined,
    );
    await waitFor("the run to succeed", async () => {
      const [run] = await runsOf(home, "inbox");
      return run?.status === "succeeded" || undefined;
    });
    assert.equal(
      await Deno.readTextFile(`${log}.stdin`),
      `Summarise ${join(inbox, name)} (created)`,
      "the file name reaches the prompt as data",
    );
    await assert.rejects(Deno.stat(join(home.home, "pwned")), Deno.errors.NotFound);
    watcher.kill("SIGINT");
    const out = await watcher.output();
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /^inbox: watching \S+\/Inbox for \*\.txt$/m);
    assert.match(out.stdout, /^watcher stopped \(SIGINT\)$/m);
    assert.equal((await runsOf(home, "inbox")).length, 1, "one file, one run; noise ignored");
    await assert.rejects(Deno.stat(join(home.clodputerHome, "watcher.pid")), Deno.errors.NotFound);
  } finally {
    await cleanUp(home);
  }
});

Deno.test("watch --daemon starts once, --status describes it, --stop stops it, a stale pid file is no obstacle", async () => {
  await using home = await tempHome();
  await Deno.mkdir(join(home.home, "Inbox"));
  await home.writeTask("inbox", watchTask("inbox", "~/Inbox"));
  try {
    // A pid file left by a watcher that died (the pid of a process that has exited).
    const dead = new Deno.Command("true").spawn();
    await dead.status;
    await Deno.writeTextFile(join(home.clodputerHome, "watcher.pid"), `${dead.pid}\n`);
    const stale = await runCli(home, ["watch", "--status"]);
    assert.match(stale.stdout, new RegExp(`not running \\(watcher\\.pid names ${dead.pid}`));

    const started = await runCli(home, ["watch", "--daemon"]);
    assert.equal(started.code, 0, started.stderr);
    const pid = await watcherPid(home);
    assert.ok(pid && pidAlive(pid));
    assert.match(started.stdout, new RegExp(`^watcher started \\(pid ${pid}\\)`, "m"));
    assert.match(started.stdout, /^ {2}watching \S+\/Inbox \(inbox: \*\.txt\)$/m);

    const status = await runCli(home, ["watch", "--status"]);
    assert.match(status.stdout, new RegExp(`^watcher: running \\(pid ${pid}, since `, "m"));
    const json = JSON.parse((await runCli(home, ["watch", "--status", "--json"])).stdout);
    assert.equal(json.state, "running");
    assert.equal(json.info.folders.length, 1);

    const second = await runCli(home, ["watch", "--daemon"]);
    assert.equal(second.code, 2);
    assert.match(second.stderr, new RegExp(`A watcher is already running \\(pid ${pid}\\)`));
    const foreground = await runCli(home, ["watch"]);
    assert.equal(foreground.code, 2);
    assert.match(foreground.stderr, new RegExp(`already running \\(pid ${pid}\\)`));

    const doctor = JSON.parse((await runCli(home, ["doctor", "--json"])).stdout);
    assert.equal(doctor.checks.find((c: { id: string }) => c.id === "watcher").status, "ok");

    const stopped = await runCli(home, ["watch", "--stop"]);
    assert.equal(stopped.code, 0, stopped.stderr);
    assert.match(stopped.stdout, new RegExp(`watcher stopped \\(pid ${pid}\\)`));
    assert.ok(!pidAlive(pid), "stop waits for it to exit");
    assert.match((await runCli(home, ["watch", "--status"])).stdout, /not running/);
    const log = await Deno.readTextFile(join(home.clodputerHome, "watcher.log"));
    assert.match(log, /"event":"watcher_stopped","message":"watcher stopped \(SIGTERM\)"/);
  } finally {
    await cleanUp(home);
  }
});

Deno.test("the watcher re-reads task files and picks up a folder created after it started", async () => {
  await using home = await tempHome();
  await home.writeTask("later", watchTask("later", "~/Later"));
  try {
    assert.equal((await runCli(home, ["watch", "--daemon"])).code, 0);
    const log = () => Deno.readTextFile(join(home.clodputerHome, "watcher.log"));
    assert.match(await log(), /the folder does not exist yet/);
    await Deno.mkdir(join(home.home, "Later"));
    await Deno.writeTextFile(join(home.home, "Later", "a.txt"), "x");
    await waitFor(
      "a run of later",
      async () => (await runsOf(home, "later")).length > 0 || undefined,
    );

    // A task added while it runs is watched without a restart; a broken one is reported.
    await Deno.mkdir(join(home.home, "Added"));
    await home.writeTask("added", watchTask("added", "~/Added"));
    await home.writeTask("broken", "name: broken\ntrigger:\n  type: file_watch\n  path: 3\n");
    await waitFor(
      "the new watch",
      async () => (await log()).includes("added: watching") || undefined,
    );
    // Written after "added": a later reload may be the one that reads it.
    await waitFor(
      "the broken task's config error",
      async () => /"event":"config_error","task":"broken"/.test(await log()) || undefined,
    );
    await Deno.writeTextFile(join(home.home, "Added", "b.txt"), "y");
    await waitFor(
      "a run of added",
      async () => (await runsOf(home, "added")).length > 0 || undefined,
    );
  } finally {
    await cleanUp(home);
  }
});

Deno.test("tick starts the watcher when a task watches a folder, and again after it was killed", async () => {
  await using home = await tempHome();
  await Deno.mkdir(join(home.home, "Inbox"));
  await home.writeTask("inbox", watchTask("inbox", "~/Inbox"));
  try {
    assert.equal((await runCli(home, ["tick", "--no-run"])).code, 0);
    const first = await waitFor("a watcher started by the tick", async () => {
      const s = JSON.parse((await runCli(home, ["watch", "--status", "--json"])).stdout);
      return s.state === "running" ? s.pid as number : undefined;
    });
    Deno.kill(first, "SIGKILL");
    await waitFor("the killed watcher to be gone", () => !pidAlive(first) || undefined);
    const status = await runCli(home, ["status"]);
    assert.match(status.stdout, /^watcher: {2}not running \(stale watcher\.pid/m);
    assert.equal((await runCli(home, ["tick", "--no-run"])).code, 0);
    const second = await waitFor("a new watcher", async () => {
      const s = JSON.parse((await runCli(home, ["watch", "--status", "--json"])).stdout);
      return s.state === "running" && s.pid !== first ? s.pid as number : undefined;
    });
    assert.ok(pidAlive(second));
    const logs = await runCli(home, ["logs", "--json"]);
    assert.equal(logs.stdout.match(/"event":"watcher_started"/g)?.length, 2);
  } finally {
    await cleanUp(home);
  }
});

Deno.test("the watcher runs an interval task again after its last run ended, never while it runs", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "poll",
    'name: poll\ntrigger:\n  type: interval\n  seconds: 1\ntask:\n  prompt: "poll"\n  timeout: 60\n',
  );
  try {
    await using watcher = await spawnCli(home, ["watch"]);
    await waitFor(
      "two interval runs",
      async () => (await runsOf(home, "poll")).length >= 2 || undefined,
    );
    watcher.kill("SIGINT");
    const out = await watcher.output();
    assert.match(out.stdout, /^poll: interval due -> queued as \S+$/m);
    const runs = (await runsOf(home, "poll")).reverse(); // oldest first
    for (let i = 1; i < runs.length; i++) {
      const gap = Date.parse(runs[i]?.started_at as string) -
        Date.parse(runs[i - 1]?.ended_at as string);
      assert.ok(gap >= 1000, `run ${i} started ${gap} ms after the previous one ended`);
    }
  } finally {
    await cleanUp(home);
  }
});

Deno.test("a file whose name is not UTF-8 is logged and counted as skipped, in watch --status and status", async () => {
  await using home = await tempHome();
  const inbox = join(home.home, "Inbox");
  await Deno.mkdir(inbox);
  await home.writeTask("inbox", watchTask("inbox", "~/Inbox"));
  try {
    assert.equal((await runCli(home, ["watch", "--daemon"])).code, 0);
    // caf\xe9.txt: Latin-1, not UTF-8 (made by sh: a Deno path is a string).
    const made = await new Deno.Command("/bin/sh", {
      args: ["-c", `printf x > "$(printf 'caf\\351.txt')"`],
      cwd: inbox,
    }).output();
    assert.equal(made.code, 0);
    await Deno.writeTextFile(join(inbox, "ok.txt"), "x");
    const skipped = await waitFor("a watch_skipped event in the execution log", async () => {
      const logs = await runCli(home, ["logs", "--json"]);
      return logs.stdout.split("\n").filter((l) => l.includes('"watch_skipped"'))[0];
    });
    const event = JSON.parse(skipped);
    assert.equal(event.task, "inbox");
    assert.equal(event.path, `${inbox}/caf\\ufffd.txt`);
    assert.match(event.reason, /not valid UTF-8/);
    const words = await runCli(home, ["logs"]);
    assert.match(
      words.stdout,
      /⊘ inbox cannot hand over \S+\/Inbox\/caf\\ufffd\.txt: its name is not/,
    );
    await waitFor(
      "the run of ok.txt",
      async () => (await runsOf(home, "inbox")).length || undefined,
    );

    const line = /^ +skipped 1 file it cannot hand over \(watch_skipped in watcher\.log/m;
    const file = /^ +\S+ \S+ inbox: \S+\/Inbox\/caf\\ufffd\.txt: its name is not valid UTF-8/m;
    const watchStatus = await waitFor("watch --status to count it", async () => {
      const out = (await runCli(home, ["watch", "--status"])).stdout;
      return line.test(out) ? out : undefined;
    });
    assert.match(watchStatus, file);
    const status = await runCli(home, ["status"]);
    assert.match(status.stdout, line);
    assert.match(status.stdout, file);
    const log = await Deno.readTextFile(join(home.clodputerHome, "watcher.log"));
    assert.equal(
      log.match(/"event":"watch_skipped"/g)?.length,
      1,
      "once, though the folder was looked at again",
    );
  } finally {
    await cleanUp(home);
  }
});
