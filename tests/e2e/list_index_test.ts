/**
 * @module
 * `list` from the task index (lib/config/task_index.ts, and the schedules and next runs it keeps
 * beside the tasks) shows what a fresh load shows: a changed file is read again, a broken one
 * reported as before, the environment and config.yaml still count. And
 * the command lines answered without commander print what commander's answers print.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, type TempHome, tempHome } from "./cli.ts";

const scheduled = (hour: number) =>
  `name: t\ndescription: Nightly\nschedule:\n  type: cron\n  expression: "0 ${hour} * * *"\n` +
  "  timezone: UTC\ntask:\n  prompt: hi\n";

/** `list` and `list --json` now, and again with no index (what a fresh load shows). */
async function listTwice(home: TempHome): Promise<void> {
  const cached = [await runCli(home, ["list"]), await runCli(home, ["list", "--json"])];
  await Deno.remove(join(home.clodputerHome, "task_index.json")).catch(() => {});
  const fresh = [await runCli(home, ["list"]), await runCli(home, ["list", "--json"])];
  assert.deepEqual(cached, fresh);
}

Deno.test("list reads a file again when it changed to the same size", async () => {
  await using home = await tempHome();
  const file = await home.writeTask("t", scheduled(3));
  const first = await runCli(home, ["list"]);
  assert.match(first.stdout, /At 03:00 \(0 3 \* \* \*, UTC\)/);
  // The described schedule and its next run are kept beside the task in the index.
  const index = JSON.parse(await Deno.readTextFile(join(home.clodputerHome, "task_index.json")));
  assert.equal(index.tasks.t.views.list.description, "At 03:00");
  assert.equal(typeof index.tasks.t.views.list.next_run_at, "string");
  assert.equal((await runCli(home, ["list"])).stdout, first.stdout);

  // Edited in place: same size and inode, a later mtime.
  await Deno.writeTextFile(file, scheduled(4));
  assert.match((await runCli(home, ["list"])).stdout, /At 04:00 \(0 4 \* \* \*, UTC\)/);

  // Saved by rename with its mtime kept (cp -p, rsync -t): same size and mtime, a new inode.
  const { mtime } = await Deno.stat(file);
  const aside = join(home.root, "t.yaml");
  await Deno.writeTextFile(aside, scheduled(5));
  await Deno.utime(aside, mtime ?? new Date(), mtime ?? new Date());
  await Deno.rename(aside, file);
  assert.match((await runCli(home, ["list"])).stdout, /At 05:00 \(0 5 \* \* \*, UTC\)/);
  await listTwice(home);
});

Deno.test("list reports a file broken after it was cached as it reports it fresh", async () => {
  await using home = await tempHome();
  await home.writeTask("good", "name: good\ntask:\n  prompt: hi\n");
  await home.writeTask("t", scheduled(3));
  await runCli(home, ["list"]);
  await home.writeTask("t", "name: t\ntask:\n  promt: hi\n");
  const r = await runCli(home, ["list"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^✗ t {5}invalid: \S+t\.yaml:2:1: Missing "prompt" under "task"$/m);
  await listTwice(home);
  // Fixed again: listed as valid, and a deleted file is gone from the list.
  await home.writeTask("t", scheduled(5));
  assert.match((await runCli(home, ["list"])).stdout, /At 05:00/);
  await Deno.remove(join(home.clodputerHome, "tasks", "good.yaml"));
  assert.doesNotMatch((await runCli(home, ["list"])).stdout, /good/);
  await listTwice(home);
});

Deno.test("list fills {{ env.NAME }} from the environment of each run, not from the cache", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "t",
    'name: t\ntask:\n  prompt: hi\n  working_directory: "/srv/{{ env.PROJECT }}"\n',
  );
  const set = await runCli(home, ["list"], { env: { PROJECT: "a" } });
  assert.match(set.stdout, /^✓ t/m);
  const unset = await runCli(home, ["list"]);
  assert.match(unset.stdout, /^✗ t {2}invalid: .*Environment variable "PROJECT" is not set/m);
});

Deno.test("list expands ~/ with this run's HOME, not the cached one", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "w",
    "name: w\ntrigger:\n  type: file_watch\n  path: ~/Inbox\ntask:\n  prompt: hi\n",
  );
  assert.match((await runCli(home, ["list"])).stdout, new RegExp(`watches ${home.home}/Inbox`));
  const other = await runCli(home, ["list"], { env: { HOME: "/elsewhere" } });
  assert.match(other.stdout, /watches \/elsewhere\/Inbox/);
});

Deno.test("list still fails on a config.yaml broken after the cache was made", async () => {
  await using home = await tempHome();
  await home.writeTask("t", scheduled(3));
  await runCli(home, ["list"]);
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "grace_period: soon\n");
  const r = await runCli(home, ["list"]);
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /config\.yaml/);
  await Deno.remove(join(home.clodputerHome, "task_index.json"));
  assert.deepEqual(await runCli(home, ["list"]), r);
});

Deno.test("list and validate answered without commander print what commander prints", async () => {
  await using home = await tempHome();
  await home.writeTask("t", scheduled(3));
  await home.writeTask("broken", "name: broken\ntask:\n  promt: hi\n");
  await home.writeTask("w", "name: w\ntask:\n  prompt: hi\n  allowed_tools: [Terminal]\n");
  // `--debug` before the command is not a fast form, so commander parses these.
  for (
    const [fast, slow] of ([
      [["list"], ["--debug", "list"]],
      [["list", "--json"], ["--debug", "list", "--json"]],
      [["validate"], ["validate", "--count", "3"]],
      [["validate", "--json"], ["validate", "--json", "--count", "3"]],
    ] as [string[], string[]][])
  ) {
    const a = await runCli(home, fast);
    const b = await runCli(home, slow);
    assert.deepEqual(a, b, `${fast.join(" ")} vs ${slow.join(" ")}`);
  }
});

Deno.test("list works the next run out again once the cached one has come", async () => {
  await using home = await tempHome();
  await home.writeTask("t", scheduled(3));
  const at = (time: string) => runCli(home, ["list"], { env: { CLODPUTER_FAKE_TIME: time } });
  assert.match((await at("2026-11-25T01:00:00Z")).stdout, /next 2026-11-25 03:00 UTC/);
  assert.match((await at("2026-11-25T02:59:00Z")).stdout, /next 2026-11-25 03:00 UTC/);
  assert.match((await at("2026-11-25T03:00:00Z")).stdout, /next 2026-11-26 03:00 UTC/);
  // A clock set back is not trusted to the cached run either.
  assert.match((await at("2026-11-20T12:00:00Z")).stdout, /next 2026-11-21 03:00 UTC/);
});

Deno.test("list shows a task without a time zone in the machine's zone of each run", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "t",
    'name: t\nschedule:\n  type: cron\n  expression: "0 3 * * *"\ntask:\n  prompt: hi\n',
  );
  const env = { CLODPUTER_FAKE_TIME: "2026-11-25T01:00:00Z" };
  const utc = await runCli(home, ["list"], { env: { ...env, TZ: "UTC" } });
  assert.match(utc.stdout, /next 2026-11-25 03:00 UTC/);
  const tokyo = await runCli(home, ["list"], { env: { ...env, TZ: "Asia/Tokyo" } });
  assert.match(tokyo.stdout, /next 2026-11-26 03:00 Asia\/Tokyo/);
});
