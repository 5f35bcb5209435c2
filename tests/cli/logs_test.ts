/**
 * @module
 * `logs` answered by the fast path agrees with commander, byte for byte.
 */

import assert from "node:assert/strict";
import { runCli } from "../../lib/cli/app.ts";
import type { Deps } from "../../lib/cli/deps.ts";
import { runProgram } from "../../lib/cli/program.ts";
import { join } from "../../lib/sys/posix_path.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { recordingOutput } from "../../lib/ui/output.ts";
import { FakeClock } from "../fakes/clock.ts";

function line(i: number, extra: Record<string, unknown> = {}): string {
  const events = ["task_queued", "task_started", "task_completed", "task_failed", "cleanup"];
  return JSON.stringify({
    ts: new Date(Date.UTC(2026, 10, 25, 8) + i * 1000).toISOString(),
    event: events[i % events.length],
    task: `t${i % 3}`,
    run_id: `r${i}`,
    duration_ms: 1500 * i,
    cost_usd: 0.01 * i,
    ...(i % 5 === 4 ? { pids: [100 + i] } : {}),
    ...extra,
  });
}

/** What one command line printed and returned, run through `run`. */
async function outcome(
  root: string,
  args: string[],
  run: typeof runProgram,
): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const out = recordingOutput();
  const makeDeps = (): Deps => ({
    clock: new FakeClock(Date.UTC(2026, 10, 26)),
    proc: systemProc(),
    env: envFrom({ HOME: root, PATH: "/usr/bin:/bin" }),
    paths: pathsUnder(join(root, ".clodputer")),
    out,
    selfPid: Deno.pid,
    os: Deno.build.os,
    debug: false,
    confirm: () => Promise.resolve(undefined),
    onSignal: () => () => {},
  });
  const code = await run(args, { out, makeDeps });
  return { code, stdout: out.stdout, stderr: out.stderr };
}

Deno.test("logs: the fast path prints what commander's path prints", async (t) => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-logs-" });
  try {
    const paths = pathsUnder(join(root, ".clodputer"));
    await Deno.mkdir(paths.archive, { recursive: true });
    await Deno.writeTextFile(
      join(paths.archive, "2026-10.log"),
      Array.from({ length: 30 }, (_, i) => line(i, { archived: true }) + "\n").join(""),
    );
    const live = Array.from({ length: 12 }, (_, i) => line(100 + i) + "\n").join("");
    const forms = [
      ["logs"],
      ["logs", "--json"],
      ["logs", "--tail", "3"],
      ["logs", "-n", "5", "--json"],
      ["logs", "--json", "--tail=7"],
      ["logs", "--tail", "0"],
      ["logs", "--tail", "012"],
      ["logs", "--tail", "40"], // more than the live log: the archive fills in
      ["logs", "-n", "1000"],
    ];
    const scenes: [string, string | undefined][] = [
      ["a live log and an archive", live],
      ["a half-written last line", live + '{"ts":"2026-11-25T09:00:00.000Z","ev'],
      ["no live log", undefined],
    ];
    for (const [scene, text] of scenes) {
      await t.step(scene, async () => {
        if (text === undefined) await Deno.remove(paths.log).catch(() => {});
        else await Deno.writeTextFile(paths.log, text);
        for (const args of forms) {
          const fast = await outcome(root, args, runCli);
          const commander = await outcome(root, args, runProgram);
          assert.deepEqual(fast, commander, args.join(" "));
        }
      });
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("logs: forms the fast path does not take still run, through commander", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-logs-" });
  try {
    const paths = pathsUnder(join(root, ".clodputer"));
    await Deno.mkdir(paths.home, { recursive: true });
    await Deno.writeTextFile(
      paths.log,
      Array.from({ length: 9 }, (_, i) => line(i) + "\n").join(""),
    );
    // Repeated: commander keeps the last value.
    const twice = await outcome(root, ["logs", "--tail", "2", "--tail", "4"], runCli);
    assert.equal(twice.stdout.length, 4);
    const byTask = await outcome(root, ["logs", "--tail", "20", "--task", "t1"], runCli);
    assert.equal(byTask.stdout.length, 3);
    assert.ok(byTask.stdout.every((l) => l.includes(" t1 ")), byTask.stdout.join("\n"));
    const help = await outcome(root, ["logs", "--tail", "2", "--help"], runCli);
    assert.match(help.stdout.join("\n"), /^Usage: clodputer logs/m);
    // Not a whole number: commander passes it on, and logs refuses it.
    await assert.rejects(
      () => outcome(root, ["logs", "--tail", "-1"], runCli),
      /Cannot show "-1" lines: --tail takes a whole number/,
    );
    const unknown = await outcome(root, ["logs", "--tail", "2", "--nope"], runCli);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr.join("\n"), /unknown option '--nope'/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
