/**
 * @module
 * `clodputer run <task> --file <path>` end to end (issue 25): a folder-watch task run by hand on a
 * file gets every file variable exactly as the watcher gives it for that file (the two runs'
 * prompts are compared byte for byte); without `--file` it is a usage error that queues and
 * records nothing; `new` says what to do next for each kind of task; the menu bar and the
 * dashboard's picker do not offer folder-watch tasks.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parseOutput } from "../ui/menubar_format.ts";
import { runCli, spawnCli, type TempHome, tempHome, waitFor } from "./cli.ts";

/** Every file variable the watcher fills, in the prompt, in the task's context and in env. */
const INBOX = `name: inbox
trigger:
  type: file_watch
  path: ~/Inbox
  pattern: "*.txt"
  debounce: 200
task:
  prompt: |
    path={{ context.file_path }}
    name={{ context.file_name }}
    dir={{ context.file_dir }}
    event={{ context.event }}
    legacy={{ context.path }}
    metadata={{ metadata.path }} {{ metadata.file_name }} {{ metadata.event }}
    own={{ context.own }}
    trigger={{ trigger.path }} {{ trigger.event }}
  context:
    own: "{{ metadata.path }}"
  timeout: 60
`;

const HELLO = `name: hello
task:
  prompt: "Say hello"
  timeout: 60
`;

async function runsOf(home: TempHome, task: string): Promise<Record<string, unknown>[]> {
  const status = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  return (status.recent as Record<string, unknown>[]).filter((r) => r.task === task);
}

async function prompt(home: TempHome, runId: unknown): Promise<string> {
  return await Deno.readTextFile(join(home.clodputerHome, "runs", String(runId), "prompt"));
}

/** Nothing was queued, run or recorded, and there is no failure to acknowledge. */
async function assertNothingRecorded(home: TempHome): Promise<void> {
  const queue = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  assert.equal(queue.running, null);
  assert.deepEqual(queue.queued, []);
  await assert.rejects(Deno.stat(join(home.clodputerHome, "runs")), Deno.errors.NotFound);
  const status = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.deepEqual(status.recent, []);
  assert.equal(status.attention, null);
  const log = await Deno.readTextFile(join(home.clodputerHome, "execution.log")).catch(() => "");
  assert.doesNotMatch(log, /task_queued/);
}

Deno.test("run inbox --file X --wait fills every file variable exactly as the watcher does for X", async () => {
  await using home = await tempHome();
  const inbox = join(home.home, "Inbox");
  await Deno.mkdir(inbox);
  await home.writeTask("inbox", INBOX);
  const name = `it's $(touch pwned); "a b".txt`;
  const file = join(inbox, name);

  // The watcher's run for the file.
  let watcherRun: Record<string, unknown> | undefined;
  try {
    await using watcher = await spawnCli(home, ["watch"]);
    await waitFor("the watcher to watch", () => watcher.stdout.includes("watching") || undefined);
    await Deno.writeTextFile(file, "hello");
    watcherRun = await waitFor("the watcher's run to succeed", async () => {
      const [run] = await runsOf(home, "inbox");
      return run?.status === "succeeded" ? run : undefined;
    });
    watcher.kill("SIGINT");
    assert.equal((await watcher.output()).code, 0);
  } finally {
    await runCli(home, ["watch", "--stop"]).catch(() => undefined);
  }
  assert.deepEqual(watcherRun.trigger, { type: "file_watch", path: file, event: "created" });

  // The same file by hand, by a relative path from the folder it is in.
  const r = await runCli(home, ["run", "inbox", "--file", name, "--wait"], { cwd: inbox });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^queued inbox for .*Inbox\/it's \$\(touch pwned\); "a b"\.txt as \S+/m);
  const [byHand] = await runsOf(home, "inbox");
  assert.ok(byHand && byHand.id !== watcherRun.id);
  assert.equal(byHand.status, "succeeded");
  assert.deepEqual(byHand.trigger, { type: "manual", path: file, event: "created" });

  const expected = [
    `path=${file}`,
    `name=${name}`,
    `dir=${inbox}`,
    "event=created",
    `legacy=${file}`,
    `metadata=${file} ${name} created`,
    `own=${file}`,
    `trigger=${file} created`,
    "",
  ].join("\n");
  assert.equal(await prompt(home, watcherRun.id), expected);
  assert.equal(await prompt(home, byHand.id), expected, "the same prompt as the watcher's run");
  await assert.rejects(Deno.stat(join(home.home, "pwned")), Deno.errors.NotFound);

  // The record and show name the file; the log line too.
  const show = await runCli(home, ["show", String(byHand.id)]);
  assert.match(show.stdout, /^trigger: {3}manual$/m);
  assert.equal(show.stdout.split("\n").filter((l) => l.startsWith("file:")).length, 1);
  assert.ok(show.stdout.includes(`\nfile:      ${file} (created)\n`), show.stdout);
  const record = JSON.parse((await runCli(home, ["show", String(byHand.id), "--json"])).stdout);
  assert.deepEqual(record.trigger, { type: "manual", path: file, event: "created" });
  const events = (await Deno.readTextFile(join(home.clodputerHome, "execution.log")))
    .split("\n").filter((l) => l).map((l) => JSON.parse(l));
  const queued = events.find((e) => e.event === "task_queued" && e.run_id === byHand.id);
  assert.equal(queued?.trigger, "manual");
  assert.equal(queued?.path, file);
});

Deno.test("run of a folder-watch task without --file: a usage error naming --file; nothing queued or recorded", async () => {
  await using home = await tempHome();
  await Deno.mkdir(join(home.home, "Inbox"));
  await home.writeTask("inbox", INBOX);
  for (const flags of [[], ["--now"], ["--wait"], ["--json"], ["--wait", "--priority", "high"]]) {
    const r = await runCli(home, ["run", "inbox", ...flags]);
    assert.equal(r.code, 2, `${flags.join(" ")}: ${r.stderr}`);
    assert.equal(r.stdout, "");
    if (flags.includes("--json")) {
      const { error } = JSON.parse(r.stderr);
      assert.equal(error.name, "UsageError");
      assert.match(error.message, /without --file/);
      assert.match(error.hint, /clodputer run inbox --file /);
      continue;
    }
    assert.match(
      r.stderr,
      /^error: Cannot run inbox without --file: it watches \S+\/Inbox, and each of its runs is for one file/m,
    );
    assert.match(
      r.stderr,
      /^hint: .*: clodputer run inbox --file \S+\/Inbox\/example\.txt --now$/m,
    );
  }
  await assertNothingRecorded(home);
});

Deno.test("run --file refuses a missing file, a folder, and a task that takes no file (exit 2, nothing recorded)", async () => {
  await using home = await tempHome();
  const inbox = join(home.home, "Inbox");
  await Deno.mkdir(inbox);
  await home.writeTask("inbox", INBOX);
  await home.writeTask("hello", HELLO);
  await Deno.writeTextFile(join(inbox, "a.txt"), "a");

  const missing = await runCli(home, ["run", "inbox", "--file", "nope.txt", "--wait"], {
    cwd: inbox,
  });
  assert.equal(missing.code, 2);
  assert.match(
    missing.stderr,
    new RegExp(`^error: Cannot run inbox on ${inbox}/nope\\.txt: there is no such file$`, "m"),
  );
  assert.match(missing.stderr, /a relative path is read from the current folder/);

  const folder = await runCli(home, ["run", "inbox", "--file", inbox, "--now"]);
  assert.equal(folder.code, 2);
  assert.match(folder.stderr, /it is a folder, not a file/);

  const notWatch = await runCli(home, ["run", "hello", "--file", join(inbox, "a.txt")]);
  assert.equal(notWatch.code, 2);
  assert.match(notWatch.stderr, /^error: Cannot run hello on a file: it does not watch a folder/m);
  assert.match(notWatch.stderr, /^hint: run it without --file: clodputer run hello --now$/m);

  // Without its path, commander says so.
  const bare = await runCli(home, ["run", "inbox", "--file"]);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /option '--file <path>' argument missing/);
  await assertNothingRecorded(home);
});

Deno.test("run --file with --now and --json; a file the watch would not hand over runs with a warning", async () => {
  await using home = await tempHome();
  const inbox = join(home.home, "Inbox");
  await Deno.mkdir(inbox);
  await home.writeTask("inbox", INBOX);
  const file = join(inbox, "a.txt");
  await Deno.writeTextFile(file, "a");

  const now = await runCli(home, ["run", "inbox", "--file", file, "--now"]);
  assert.equal(now.code, 0, now.stderr);
  assert.match(now.stdout, /^✓ inbox succeeded/m);

  const json = await runCli(home, ["run", "inbox", "--json", "--file", file, "--wait"]);
  assert.equal(json.code, 0, json.stderr);
  const record = JSON.parse(json.stdout);
  assert.deepEqual(record.trigger, { type: "manual", path: file, event: "created" });
  assert.equal(json.stderr, "");

  const queued = await runCli(home, ["run", "inbox", "--file", file, "--json"]);
  assert.equal(queued.code, 0, queued.stderr);
  assert.equal(JSON.parse(queued.stdout).file, file);

  const elsewhere = join(home.home, "notes.md");
  await Deno.writeTextFile(elsewhere, "n");
  const r = await runCli(home, ["run", "inbox", "--file", elsewhere, "--wait"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /^warning: the watcher would not hand \S+\/notes\.md over to inbox \(it is not in the watched folder \S+\/Inbox\); running on it anyway$/m,
  );
  const [last] = await runsOf(home, "inbox");
  assert.ok((await prompt(home, last?.id)).startsWith(`path=${elsewhere}\n`));
});

Deno.test("run --file on a task that is not a folder watch but uses file variables", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "summary",
    `name: summary\ntask:\n  prompt: "Summarise {{ context.file_name }} in {{ context.file_dir }}"\n  timeout: 60\n`,
  );
  const file = join(home.home, "report.pdf");
  await Deno.writeTextFile(file, "pdf");
  const r = await runCli(home, ["run", "summary", "--file", "report.pdf", "--wait"], {
    cwd: home.home,
  });
  assert.equal(r.code, 0, r.stderr);
  const [run] = await runsOf(home, "summary");
  assert.equal(await prompt(home, run?.id), `Summarise report.pdf in ${home.home}`);
  assert.deepEqual(run?.trigger, { type: "manual", path: file, event: "created" });
});

Deno.test("new prints the next steps for what starts the task", async () => {
  await using home = await tempHome();
  const watch = await runCli(home, ["new", "inbox", "--from", "inbox-processor"]);
  assert.equal(watch.code, 0, watch.stderr);
  assert.match(
    watch.stdout,
    /^ {2}2\. try it on one file, .*: clodputer run inbox --file <a file> --now$/m,
  );
  assert.match(watch.stdout, /^ {2}3\. run it for every new file: clodputer watch /m);
  assert.doesNotMatch(watch.stdout, /clodputer run inbox --now/);
  const yaml = await Deno.readTextFile(join(home.clodputerHome, "tasks", "inbox.yaml"));
  assert.match(yaml, /^# {3}clodputer run inbox --file ~\/Inbox\/some\.pdf --now$/m);

  const review = await runCli(home, ["new", "review", "--from", "code-review"]);
  assert.match(review.stdout, /clodputer run review --file <a file> --now$/m);

  const cron = await runCli(home, ["new", "mail", "--from", "daily-email"]);
  assert.match(cron.stdout, /^ {2}2\. check it .*: clodputer validate mail$/m);
  assert.match(cron.stdout, /^ {2}3\. schedule it: clodputer install /m);

  const manual = await runCli(home, ["new", "tour"]);
  assert.match(manual.stdout, /^ {2}2\. run it once and watch: clodputer run tour --now$/m);
  assert.doesNotMatch(manual.stdout, /--file|install/);

  // What new says for the folder watch works as it says.
  await Deno.mkdir(join(home.home, "Inbox"));
  await Deno.writeTextFile(join(home.home, "Inbox", "some.pdf"), "%PDF");
  const run = await runCli(home, ["run", "inbox", "--file", "Inbox/some.pdf", "--wait"], {
    cwd: home.home,
  });
  assert.equal(run.code, 0, run.stderr);
});

Deno.test("menubar print does not offer folder-watch tasks under Run now", async () => {
  await using home = await tempHome();
  await home.writeTask("inbox", INBOX);
  const runNow = async () => {
    const r = await runCli(home, ["menubar", "print"]);
    assert.equal(r.code, 0, r.stderr);
    const { menu } = parseOutput(r.stdout);
    const at = menu.findIndex((l) => l.title.startsWith("Run now"));
    return { head: menu[at]?.title, items: menu.slice(at + 1).filter((l) => l.level === 1) };
  };
  const only = await runNow();
  assert.equal(
    only.head,
    "Run now: only folder watches, which run on a file (clodputer run <task> --file <path>)",
  );
  assert.deepEqual(only.items, []);
  await home.writeTask("hello", HELLO);
  for (let i = 0; i < 2; i++) { // the first parses inbox.yaml, the second reads the task index
    const both = await runNow();
    assert.equal(both.head, "Run now");
    assert.deepEqual(both.items.map((l) => l.title), ["hello"]);
  }
  const index = JSON.parse(await Deno.readTextFile(join(home.clodputerHome, "task_index.json")));
  assert.ok("inbox" in index.tasks, "the folder watch's trigger is kept in the task index");
});

Deno.test("run --file while the task is queued: the same file is a duplicate; another file is refused", async () => {
  await using home = await tempHome();
  const inbox = join(home.home, "Inbox");
  await Deno.mkdir(inbox);
  await home.writeTask("inbox", INBOX);
  const [a, b] = [join(inbox, "a.txt"), join(inbox, "b.txt")];
  await Deno.writeTextFile(a, "a");
  await Deno.writeTextFile(b, "b");
  assert.equal((await runCli(home, ["pause"])).code, 0);
  const first = await runCli(home, ["run", "inbox", "--file", a]);
  assert.equal(first.code, 0, first.stderr);
  assert.match(first.stderr, new RegExp(`^queued inbox for ${a} as (\\S+) \\(position 1\\)$`, "m"));
  assert.match(
    first.stderr,
    new RegExp(`run it now with: clodputer run inbox --file ${a} --now\\)`),
  );
  const id = first.stderr.match(/ as (\S+) \(position/)?.[1];

  const same = await runCli(home, ["run", "inbox", "--file", a]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stderr, new RegExp(`^inbox for ${a} is already queued as ${id} `, "m"));

  const other = await runCli(home, ["run", "inbox", "--file", b, "--wait"]);
  assert.equal(other.code, 1);
  assert.match(
    other.stderr,
    new RegExp(`^error: Cannot queue inbox for ${b}: it is already queued as ${id} for ${a}$`, "m"),
  );
  const queue = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  assert.deepEqual(queue.queued.map((q: { id: string }) => q.id), [id]);
  assert.equal((await runCli(home, ["cancel", String(id)])).code, 0);
});
