/**
 * @module
 * The queue and the runner end to end: concurrent invocations, a runner killed mid-task,
 * priority, the duplicate rule, cancel, and the queue command. Real processes, a real KV file.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  pidAlive,
  pidsIn,
  runCli,
  spawnCli,
  type TempHome,
  tempHome,
  waitFor,
  waitForStart,
} from "./cli.ts";

function taskYaml(name: string, extra = ""): string {
  return `name: ${name}
task:
  prompt: "run ${name}"
  timeout: 60
${extra}`;
}

/** A task whose stand-in claude takes `seconds` before its result. */
function slowTask(name: string, seconds: number): string {
  return taskYaml(name, `  env:\n    FAKE_CLAUDE_DELAY: "${seconds}"\n`);
}

/** A task whose stand-in claude stays running, after its init line, until `home.openGate()`. */
function gatedTask(home: TempHome, name: string): string {
  return taskYaml(name, `  env:\n    FAKE_CLAUDE_GATE: "${home.gate}"\n`);
}

interface Span {
  prompt: string;
  start: bigint;
  end: bigint;
}

async function timeline(file: string): Promise<Span[]> {
  const text = await Deno.readTextFile(file).catch(() => "");
  const open = new Map<string, bigint>();
  const spans: Span[] = [];
  for (const line of text.split("\n")) {
    const m = line.match(/^(start|end) (\d+) (.*)$/);
    if (!m) continue;
    const [, kind, ns, prompt] = m as unknown as [string, string, string, string];
    if (kind === "start") open.set(prompt, BigInt(ns));
    else spans.push({ prompt, start: open.get(prompt) ?? 0n, end: BigInt(ns) });
  }
  return spans.sort((a, b) => (a.start < b.start ? -1 : 1));
}

async function results(home: TempHome): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  try {
    for await (const e of Deno.readDir(join(home.clodputerHome, "runs"))) {
      const text = await Deno.readTextFile(join(home.clodputerHome, "runs", e.name, "result.json"))
        .catch(() => undefined);
      if (text) out.push(JSON.parse(text));
    }
  } catch { /* no runs yet */ }
  return out;
}

Deno.test("16 concurrent runs: none lost, one claude at a time, all complete", async () => {
  await using home = await tempHome();
  const names = Array.from({ length: 16 }, (_, i) => `t${String(i + 1).padStart(2, "0")}`);
  for (const name of names) await home.writeTask(name, slowTask(name, 0.05));
  const line = join(home.root, "timeline");
  const all = await Promise.all(
    names.map((name) => runCli(home, ["run", name], { env: { FAKE_CLAUDE_TIMELINE: line } })),
  );
  for (const [i, r] of all.entries()) assert.equal(r.code, 0, `${names[i]}: ${r.stderr}`);
  // Every invocation has exited, so the last runner has drained the queue.
  const spans = await timeline(line);
  assert.deepEqual(spans.map((s) => s.prompt).sort(), names.map((n) => `run ${n}`));
  for (let i = 1; i < spans.length; i++) {
    const [prev, cur] = [spans[i - 1] as Span, spans[i] as Span];
    assert.ok(cur.start >= prev.end, `${cur.prompt} started before ${prev.prompt} ended`);
  }
  const records = await results(home);
  assert.equal(records.length, 16);
  assert.ok(records.every((r) => r.status === "succeeded"));
  const q = await runCli(home, ["queue", "--json"]);
  assert.deepEqual(JSON.parse(q.stdout).queued, []);
});

Deno.test("a runner SIGKILLed mid-task: the next run records it lost, kills its leftovers, goes on", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "grace_period: 1\n");
  const pidsFile = home.pidsFile;
  await home.writeTask("slow", taskYaml("slow"));
  await home.writeTask("next", taskYaml("next"));
  await using runner = await spawnCli(home, ["run", "slow"], {
    env: {
      FAKE_CLAUDE_HANG: "chatty",
      FAKE_CLAUDE_SPAWN: "child,escapee",
      FAKE_CLAUDE_PIDS: pidsFile,
    },
  });
  const pids = await waitFor("the stand-in's escapee", async () => {
    const p = await pidsIn(pidsFile);
    return p.has("escapee") ? p : undefined;
  });
  runner.kill("SIGKILL");
  await runner.output();
  // claude itself dies of SIGPIPE (its reader is gone); what it started lives on.
  assert.ok(pidAlive(pids.get("escapee") as number), "the escapee outlives the SIGKILLed runner");
  assert.ok(pidAlive(pids.get("child") as number), "the child outlives the SIGKILLed runner");

  const r = await runCli(home, ["run", "next", "--wait"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /recovered: run \S+ of slow was lost \(the runner \(pid \d+\) is gone\)/,
  );
  for (const [kind, pid] of pids) assert.ok(!pidAlive(pid), `${kind} ${pid} survived`);
  const records = await results(home);
  const slow = records.find((x) => x.task === "slow") as {
    status: string;
    outcome: { reason: string };
    cleanup: { signalled: { pid: number }[] };
  };
  assert.equal(slow.status, "lost");
  assert.match(slow.outcome.reason, /the runner \(pid \d+\) is gone/);
  const killed = new Set(slow.cleanup.signalled.map((s) => s.pid));
  assert.ok(killed.has(pids.get("escapee") as number));
  assert.equal(records.find((x) => x.task === "next")?.status, "succeeded");
  const q = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  assert.equal(q.running, null);
});

Deno.test("high priority runs before every normal item; FIFO within a priority", async () => {
  await using home = await tempHome();
  const line = join(home.root, "timeline");
  await home.writeTask("first", gatedTask(home, "first"));
  for (const n of ["a", "b", "c"]) await home.writeTask(n, taskYaml(n));
  await using runner = await spawnCli(home, ["run", "first"], {
    env: { FAKE_CLAUDE_TIMELINE: line },
  });
  await waitForStart(home, "first");
  assert.equal((await runCli(home, ["run", "a"])).code, 0);
  assert.equal((await runCli(home, ["run", "b"])).code, 0);
  const c = await runCli(home, ["run", "c", "--priority", "high"]);
  assert.equal(c.code, 0);
  assert.match(c.stderr, /queued c as \S+ \(position 1\)/);
  assert.match(c.stderr, /runner pid \d+ is running the queue/);
  const q = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  assert.deepEqual(q.queued.map((x: { task: string }) => x.task), ["c", "a", "b"]);
  assert.equal(q.running.task, "first");
  await home.openGate();
  assert.equal((await runner.output()).code, 0);
  assert.deepEqual((await timeline(line)).map((s) => s.prompt), [
    "run first",
    "run c",
    "run a",
    "run b",
  ]);
});

Deno.test("a queued task is not queued twice; a running one may be queued once more", async () => {
  await using home = await tempHome();
  await home.writeTask("long", gatedTask(home, "long"));
  await home.writeTask("other", taskYaml("other"));
  const line = join(home.root, "timeline");
  await using runner = await spawnCli(home, ["run", "long"], {
    env: { FAKE_CLAUDE_TIMELINE: line },
  });
  await waitForStart(home, "long");
  assert.match((await runCli(home, ["run", "other"])).stderr, /queued other as/);
  const dup = await runCli(home, ["run", "other"]);
  assert.equal(dup.code, 0);
  assert.match(dup.stderr, /other is already queued as \S+ \(position 1\); not queued again/);
  assert.match((await runCli(home, ["run", "long"])).stderr, /queued long as \S+ \(position 2\)/);
  assert.match((await runCli(home, ["run", "long"])).stderr, /long is already queued/);
  await home.openGate();
  assert.equal((await runner.output()).code, 0);
  assert.deepEqual((await timeline(line)).map((s) => s.prompt), [
    "run long",
    "run other",
    "run long",
  ]);
});

Deno.test("cancel stops a running task with the full cleanup; the waiting run reports it", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "grace_period: 1\n");
  await home.writeTask("slow", taskYaml("slow"));
  const pidsFile = home.pidsFile;
  await using waiting = await spawnCli(home, ["run", "slow", "--wait"], {
    env: {
      FAKE_CLAUDE_HANG: "silent",
      FAKE_CLAUDE_SPAWN: "child,grandchild,escapee",
      FAKE_CLAUDE_PIDS: pidsFile,
    },
  });
  await waitFor(
    "the stand-in's children",
    async () => (await pidsIn(pidsFile)).has("escapee") || undefined,
  );
  const c = await runCli(home, ["cancel", "slow"]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /✗ slow cancelled \(clodputer cancel\)/);
  assert.match(c.stdout, /killed \d+ processes/);
  const out = await waiting.output();
  assert.equal(out.code, 1);
  assert.match(out.stdout, /cancelled \(clodputer cancel\)/);
  for (const [kind, pid] of await pidsIn(pidsFile)) assert.ok(!pidAlive(pid), `${kind} survived`);
});

Deno.test("cancel takes a queued task out of the queue; an unknown one exits 2", async () => {
  await using home = await tempHome();
  await home.writeTask("long", gatedTask(home, "long"));
  await home.writeTask("later", taskYaml("later"));
  const line = join(home.root, "timeline");
  await using runner = await spawnCli(home, ["run", "long"], {
    env: { FAKE_CLAUDE_TIMELINE: line },
  });
  await waitForStart(home, "long");
  await runCli(home, ["run", "later"]);
  const c = await runCli(home, ["cancel", "later"]);
  assert.equal(c.code, 0);
  assert.match(c.stdout, /removed later \(\S+\) from the queue; it had not started/);
  const none = await runCli(home, ["cancel", "nothing-here"]);
  assert.equal(none.code, 2);
  assert.match(
    none.stderr,
    /Cannot cancel "nothing-here": nothing by that task name is running or queued/,
  );
  await home.openGate();
  assert.equal((await runner.output()).code, 0);
  assert.deepEqual((await timeline(line)).map((s) => s.prompt), ["run long"]);
});

Deno.test("queue shows the running item and the queue; remove and clear take items out", async () => {
  await using home = await tempHome();
  await home.writeTask("long", gatedTask(home, "long"));
  for (const n of ["x", "y", "z"]) await home.writeTask(n, taskYaml(n));
  const line = join(home.root, "timeline");
  await using runner = await spawnCli(home, ["run", "long"], {
    env: { FAKE_CLAUDE_TIMELINE: line },
  });
  await waitForStart(home, "long");
  for (const n of ["x", "y", "z"]) await runCli(home, ["run", n]);
  const view = await runCli(home, ["queue"]);
  assert.equal(view.code, 0);
  assert.match(
    view.stdout,
    /^running: long \(\S+\) for \d+(\.\d)?(ms|s), claude pid \d+, runner pid \d+$/m,
  );
  assert.match(view.stdout, /^queued: 3$/m);
  assert.match(
    view.stdout,
    /^#\s+ID\s+TASK\s+PRIORITY\s+TRIGGER\s+ENQUEUED \(UTC(?:[+-]\d+(?::\d\d)?)?\)$/m,
  );
  assert.match(view.stdout, /^1\s+\S+\s+x\s+normal\s+manual\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/m);
  const json = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  const yId = json.queued[1].id;
  const removed = await runCli(home, ["queue", "remove", yId]);
  assert.equal(removed.code, 0);
  assert.match(removed.stdout, new RegExp(`removed y \\(${yId}\\) from the queue`));
  assert.equal((await runCli(home, ["queue", "remove", yId])).code, 2);
  const noTty = await runCli(home, ["queue", "clear"]);
  assert.equal(noTty.code, 2);
  assert.match(noTty.stderr, /hint: run: clodputer queue clear --yes/);
  const cleared = await runCli(home, ["queue", "clear", "--yes"]);
  assert.match(cleared.stdout, /removed 2 queued tasks/);
  await home.openGate();
  assert.equal((await runner.output()).code, 0);
  assert.deepEqual((await timeline(line)).map((s) => s.prompt), ["run long"]);
});

Deno.test("run --now behind a busy runner follows its own run and exits with its result", async () => {
  await using home = await tempHome();
  await home.writeTask("long", gatedTask(home, "long"));
  await home.writeTask("mine", taskYaml("mine"));
  const line = join(home.root, "timeline");
  await using runner = await spawnCli(home, ["run", "long"], {
    env: { FAKE_CLAUDE_TIMELINE: line },
  });
  await waitForStart(home, "long");
  await using follower = await spawnCli(home, ["run", "mine", "--now"], {
    env: { FAKE_CLAUDE_SCENARIO: "error-401" },
  });
  // Open the gate only once it follows: were long over first, it would run mine itself.
  await waitFor("the follower to follow", () => follower.stderr.includes("following") || undefined);
  await home.openGate();
  const r = await follower.output();
  // The runner's environment runs the task: it succeeds, whatever the follower's env says.
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /runner pid \d+ is running the queue; following \S+/);
  assert.match(r.stdout, /✓ mine succeeded/);
  assert.equal((await runner.output()).code, 0);
});

Deno.test("SIGTERM to the runner cancels the current task, keeps the rest queued, frees the lease", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "grace_period: 1\n");
  await home.writeTask("slow", taskYaml("slow"));
  await home.writeTask("after", taskYaml("after"));
  const pidsFile = home.pidsFile;
  await using runner = await spawnCli(home, ["run", "slow"], {
    env: { FAKE_CLAUDE_HANG: "silent", FAKE_CLAUDE_PIDS: pidsFile },
  });
  await waitFor(
    "claude to start",
    async () => (await pidsIn(pidsFile)).has("claude") || undefined,
  );
  await runCli(home, ["run", "after"]);
  runner.kill("SIGTERM");
  const out = await runner.output();
  assert.equal(out.code, 1);
  const records = await results(home);
  assert.equal(records.find((r) => r.task === "slow")?.status, "cancelled");
  const q = JSON.parse((await runCli(home, ["queue", "--json"])).stdout);
  assert.deepEqual(q.queued.map((x: { task: string }) => x.task), ["after"]);
  assert.equal(q.runner, null, "the lease was released");
  // The next invocation runs what was left.
  const next = await runCli(home, ["run", "after", "--wait"]);
  assert.equal(next.code, 0, next.stderr);
});

Deno.test("a damaged state file is moved aside, kept, and a fresh one used", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", taskYaml("hello"));
  const state = join(home.clodputerHome, "state.kv");
  await Deno.writeTextFile(state, "not a database at all");
  const r = await runCli(home, ["run", "hello", "--wait"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /warning: the state store could not be read; it was moved to \S+state\.kv\.corrupt-\S+/,
  );
  const aside = (await Array.fromAsync(Deno.readDir(home.clodputerHome))).map((e) => e.name).find((
    n,
  ) => n.includes(".corrupt-"));
  assert.ok(aside);
  assert.equal(
    await Deno.readTextFile(join(home.clodputerHome, aside as string)),
    "not a database at all",
  );
});

Deno.test("old runs are pruned by count: their records and folders go", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "runs:\n  keep: 2\n");
  await home.writeTask("hello", taskYaml("hello"));
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await runCli(home, ["run", "hello", "--wait", "--json"]);
    assert.equal(r.code, 0, r.stderr);
    ids.push(JSON.parse(r.stdout).id);
  }
  const left = (await Array.fromAsync(Deno.readDir(join(home.clodputerHome, "runs")))).map((e) =>
    e.name
  ).sort();
  assert.deepEqual(left, ids.slice(1).sort());
});
