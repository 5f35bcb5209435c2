/**
 * @module
 * `run <task>` is answered without commander for its common forms (lib/cli/app.ts, FAST). Each
 * fast form is compared with the same command line made to go through commander by adding
 * `--priority normal` (the default, which the fast matcher does not accept): same exit code, same
 * output once run ids and timings are masked. `--file <path>` is not a fast form: it goes through
 * commander, and runs as the explicit commander form does.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, tempHome } from "./cli.ts";

const HELLO = `name: hello
task:
  prompt: "Say hello"
  timeout: 60
`;

/** Output with run ids, durations and pids masked. */
function masked(text: string): string {
  return text
    .replace(/\d{8}-\d{6}-[a-z0-9]+/g, "<id>")
    .replace(/"(started_at|ended_at|enqueued_at|ts)":"[^"]*"/g, '"$1":"<t>"')
    .replace(/"(duration_ms|pid|bytes|kept)":\d+/g, '"$1":0')
    .replace(/\d+(\.\d+)?(ms|s)\b/g, "<d>")
    .replace(/pid \d+/g, "pid <n>")
    .replace(/\/tmp\/[^\s"]+/g, "<path>");
}

/** Drops the keys that differ between any two runs (process ids, cleanup timing). */
function comparable(json: string): unknown {
  const value = JSON.parse(json);
  const strip = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(strip);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(
        Object.entries(v).filter(([k]) => !["cleanup", "id"].includes(k)).map((
          [k, x],
        ) => [k, strip(x)]),
      );
    }
    return v;
  };
  return JSON.parse(masked(JSON.stringify(strip(value))));
}

for (
  const flags of [["--now", "--json"], ["--json"], ["--wait", "--json"], ["--json", "--now"]]
) {
  Deno.test(`run hello ${flags.join(" ")}: the fast form and commander agree`, async () => {
    await using home = await tempHome();
    await home.writeTask("hello", HELLO);
    const fast = await runCli(home, ["run", "hello", ...flags]);
    const slow = await runCli(home, ["run", "hello", "--priority", "normal", ...flags]);
    assert.equal(fast.code, 0, fast.stderr);
    assert.equal(slow.code, fast.code, slow.stderr);
    assert.deepEqual(comparable(fast.stdout), comparable(slow.stdout));
    assert.equal(masked(fast.stderr), masked(slow.stderr));
  });
}

Deno.test("run hello --now: the fast form and commander print the same", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const fast = await runCli(home, ["run", "hello", "--now"]);
  const slow = await runCli(home, ["run", "--priority", "normal", "hello", "--now"]);
  assert.equal(fast.code, 0, fast.stderr);
  assert.equal(slow.code, 0, slow.stderr);
  assert.equal(masked(fast.stdout), masked(slow.stdout));
  assert.equal(masked(fast.stderr), masked(slow.stderr));
});

Deno.test("run of a missing task: the fast form and commander fail the same way", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const fast = await runCli(home, ["run", "helo", "--now"]);
  const slow = await runCli(home, ["run", "helo", "--now", "--priority", "normal"]);
  assert.notEqual(fast.code, 0);
  assert.equal(slow.code, fast.code);
  assert.equal(fast.stderr, slow.stderr);
  assert.match(fast.stderr, /hello/); // did-you-mean
});

const INBOX = `name: inbox
trigger:
  type: file_watch
  path: ~/Inbox
  pattern: "*.txt"
task:
  prompt: "Summarise {{ context.file_path }}"
  timeout: 60
`;

Deno.test("run of a folder-watch task without --file: the fast form and commander fail the same way", async () => {
  await using home = await tempHome();
  await home.writeTask("inbox", INBOX);
  for (const flags of [[], ["--now"], ["--wait", "--json"]]) {
    const fast = await runCli(home, ["run", "inbox", ...flags]);
    const slow = await runCli(home, ["run", "inbox", ...flags, "--priority", "normal"]);
    assert.equal(fast.code, 2, fast.stderr);
    assert.deepEqual(slow, fast, flags.join(" "));
    assert.match(fast.stderr, /--file/);
  }
});

Deno.test("run <task> --file <path> is commander's: it runs as the explicit commander form does", async () => {
  await using home = await tempHome();
  await home.writeTask("inbox", INBOX);
  await Deno.mkdir(join(home.home, "Inbox"));
  const file = join(home.home, "Inbox", "a.txt");
  await Deno.writeTextFile(file, "a");
  for (const flags of [["--wait", "--json"], ["--json"], ["--now"]]) {
    const plain = await runCli(home, ["run", "inbox", "--file", file, ...flags]);
    const slow = await runCli(home, [
      "run",
      "--priority",
      "normal",
      "inbox",
      ...flags,
      "--file",
      file,
    ]);
    assert.equal(plain.code, 0, plain.stderr);
    assert.equal(slow.code, 0, slow.stderr);
    if (flags.includes("--json")) {
      assert.deepEqual(comparable(plain.stdout), comparable(slow.stdout));
    } else {
      assert.equal(masked(plain.stdout), masked(slow.stdout));
    }
    assert.equal(masked(plain.stderr), masked(slow.stderr));
  }
  // `--file=<path>` is commander's spelling too.
  const joined = await runCli(home, ["run", "inbox", `--file=${file}`, "--wait"]);
  assert.equal(joined.code, 0, joined.stderr);
});

Deno.test("run forms the fast path must leave to commander still reach it", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", HELLO);
  const help = await runCli(home, ["run", "hello", "--now", "--help"]);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: clodputer run \[options\] <task>/);
  const unknown = await runCli(home, ["run", "hello", "--now", "--bogus"]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown option '--bogus'/);
  const extra = await runCli(home, ["run", "hello", "other"]);
  assert.equal(extra.code, 2, extra.stderr);
  const noPath = await runCli(home, ["run", "hello", "--now", "--file"]);
  assert.equal(noPath.code, 2);
  assert.match(noPath.stderr, /option '--file <path>' argument missing/);
  // No run happened for any of them.
  const runs = await Array.fromAsync(Deno.readDir(home.clodputerHome)).then((e) =>
    e.some((x) => x.name === "runs")
  );
  assert.equal(runs, false);
});
