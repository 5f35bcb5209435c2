/**
 * @module
 * A reader that goes away (`clodputer logs | head -1`) ends the command quietly: exit 0, no
 * "internal error". Real pipes: the test closes its end, and the CLI's next write hits it.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { cliArgs, cliEnv, REPO_ROOT, type TempHome, tempHome } from "./cli.ts";

/** What the CLI printed on stderr and how it ended, once the test's reader has gone. */
interface Ended {
  code: number;
  stderr: string;
  firstLine: string;
}

/** Bounds the wait for `child`: SIGKILLed past a generous limit, which fails the test. */
async function ended(child: Deno.ChildProcess): Promise<{ code: number; stderr: string }> {
  let killed = false;
  const timer = setTimeout(() => {
    killed = true;
    child.kill("SIGKILL");
  }, 120_000);
  try {
    const [status, stderr] = await Promise.all([child.status, new Response(child.stderr).text()]);
    assert.ok(!killed, `the CLI did not end once its reader had gone; stderr: ${stderr}`);
    return { code: status.code, stderr };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Runs the CLI with stdout on a pipe, reads its first line, then closes the pipe. The output
 * must be far larger than a pipe buffer (64 KiB), so that the CLI is still writing then.
 */
async function readFirstLineThenClose(home: TempHome, args: string[]): Promise<Ended> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...await cliArgs(), ...args],
    cwd: REPO_ROOT,
    env: await cliEnv(home),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const reader = child.stdout.getReader();
  const decoder = new TextDecoder();
  let seen = "";
  while (!seen.includes("\n")) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += decoder.decode(value, { stream: true });
  }
  await reader.cancel();
  return { ...await ended(child), firstLine: seen.split("\n")[0] ?? "" };
}

/**
 * Closes the pipe before the CLI starts: a shell waits on stdin for the test's go, then becomes
 * the CLI. Any output at all then hits the closed pipe, however short it is.
 */
async function closeThenRun(home: TempHome, args: string[]): Promise<Ended> {
  const child = new Deno.Command("/bin/sh", {
    args: [
      "-c",
      'read go; exec "$@" </dev/null',
      "sh",
      Deno.execPath(),
      ...await cliArgs(),
      ...args,
    ],
    cwd: REPO_ROOT,
    env: await cliEnv(home),
    clearEnv: true,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  await child.stdout.cancel();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode("go\n"));
  await writer.close();
  return { ...await ended(child), firstLine: "" };
}

function assertQuiet(r: Ended, what: string): void {
  assert.equal(r.stderr, "", `${what} printed on stderr`);
  assert.equal(r.code, 0, `${what} exit code`);
}

Deno.test("logs | head -1: the closed pipe ends logs quietly", async () => {
  await using home = await tempHome();
  // 20 events (what logs shows by default) of 20 kB each: 400 kB, far past any pipe buffer.
  const lines = Array.from({ length: 20 }, (_, i) =>
    JSON.stringify({
      ts: `2026-11-25T10:00:${String(i).padStart(2, "0")}.000Z`,
      event: "action_log",
      task: "chatty",
      message: `line ${i} ${"x".repeat(20_000)}`,
    }));
  await Deno.writeTextFile(join(home.clodputerHome, "execution.log"), lines.join("\n") + "\n");
  const human = await readFirstLineThenClose(home, ["logs"]);
  assert.match(human.firstLine, /chatty log: line 0 x/);
  assertQuiet(human, "logs");
  const json = await readFirstLineThenClose(home, ["logs", "--json"]);
  assert.match(json.firstLine, /^\{"ts":/);
  assertQuiet(json, "logs --json");
});

Deno.test("list | head -1: the closed pipe ends list quietly", async () => {
  await using home = await tempHome();
  // 200 tasks with a 2 kB description each: 400 kB of list.
  for (let i = 0; i < 200; i++) {
    const name = `task-${String(i).padStart(3, "0")}`;
    await home.writeTask(
      name,
      `name: ${name}\ndescription: ${"d".repeat(2_000)}\ntask:\n  prompt: hi\n`,
    );
  }
  const r = await readFirstLineThenClose(home, ["list"]);
  assert.notEqual(r.firstLine, "");
  assertQuiet(r, "list");
});

Deno.test("status | head -1: the closed pipe ends status quietly", async () => {
  await using home = await tempHome();
  // status prints a few lines only: the pipe is closed before it starts, so its first write fails.
  assertQuiet(await closeThenRun(home, ["status"]), "status");
  assertQuiet(await closeThenRun(home, ["status", "--json"]), "status --json");
});
