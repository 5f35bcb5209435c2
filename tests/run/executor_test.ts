/**
 * @module
 * The executor against real processes: the stand-in claude, real signals, real pipes.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { execute, type ExecuteOptions, type Execution } from "../../lib/run/executor.ts";
import { type Clock, systemClock } from "../../lib/sys/clock.ts";
import { JumpClock } from "../fakes/clock.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN, pidAlive, waitFor } from "../e2e/cli.ts";

const CLAUDE = join(FIXTURE_BIN, "claude");
const deps = { proc: systemProc(), clock: systemClock, selfPid: Deno.pid };

interface Scene extends AsyncDisposable {
  dir: string;
  pidsFile: string;
  run(
    env: Record<string, string>,
    options?: Partial<ExecuteOptions> & { clock?: Clock },
  ): Promise<Execution>;
  /** The pids the stand-in recorded, by kind. */
  pids(): Promise<Map<string, number>>;
}

let counter = 0;

async function scene(): Promise<Scene> {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-exec-" });
  const pidsFile = join(dir, "pids");
  const s: Scene = {
    dir,
    pidsFile,
    async run(env, { clock, ...options } = {}) {
      const runId = `test-${Deno.pid}-${++counter}-${Date.now()}`;
      const runDir = join(dir, runId);
      await Deno.mkdir(runDir);
      return await execute({ ...deps, clock: clock ?? deps.clock }, {
        runId,
        command: CLAUDE,
        args: ["-p", "--output-format", "stream-json", "--verbose"],
        stdin: "hi",
        env: { PATH: "/usr/bin:/bin", FAKE_CLAUDE_PIDS: pidsFile, ...env },
        runDir,
        timeoutMs: 20_000,
        idleTimeoutMs: 20_000,
        graceMs: 500,
        maxOutputBytes: 10 * 1024 * 1024,
        ...options,
      });
    },
    async pids() {
      const map = new Map<string, number>();
      const text = await Deno.readTextFile(pidsFile).catch(() => "");
      for (const line of text.split("\n")) {
        const [kind, pid] = line.split(" ");
        if (kind && pid) map.set(kind, Number(pid));
      }
      return map;
    },
    async [Symbol.asyncDispose]() {
      // Kill only what this test started, if an assertion left anything behind.
      for (const pid of (await s.pids()).values()) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
  return s;
}

/** Fails if `promise` takes longer than `ms` (a hung run would otherwise hang the suite). */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function assertAllDead(pids: Map<string, number>): void {
  const alive = [...pids].filter(([, pid]) => pidAlive(pid));
  assert.deepEqual(alive, [], `processes left alive: ${JSON.stringify(alive)}`);
}

Deno.test("execute() parses a successful result and writes the output files", async () => {
  await using s = await scene();
  const ex = await s.run({});
  assert.equal(ex.outcome.kind, "success");
  assert.equal(ex.exit?.code, 0);
  assert.equal(ex.claude?.result, "hello from fake");
  assert.equal(ex.claude?.session_id, "eb747026-a985-4f80-a5e9-440d29297dab");
  assert.equal(ex.claude?.total_cost_usd, 0.000188);
  assert.deepEqual(ex.cleanup?.signalled, []);
  const runDir = join(
    s.dir,
    (await Array.fromAsync(Deno.readDir(s.dir))).find((e) => e.isDirectory)?.name ?? "",
  );
  const stdout = await Deno.readTextFile(join(runDir, "stdout"));
  assert.match(stdout, /"type":"result"/);
  assert.equal(ex.stdout.truncated, false);
});

Deno.test("execute() reports an error result as claude_error even when subtype says success", async () => {
  await using s = await scene();
  const ex = await s.run({ FAKE_CLAUDE_SCENARIO: "error-401" });
  assert.equal(ex.outcome.kind, "claude_error");
  assert.equal(ex.exit?.code, 1);
  assert.equal(ex.claude?.subtype, "success");
  assert.equal(ex.claude?.is_error, true);
  if (ex.outcome.kind === "claude_error") assert.equal(ex.outcome.api_error_status, 401);
});

Deno.test("execute() reports a non-zero exit without a result, with stderr's last line", async () => {
  await using s = await scene();
  const ex = await s.run({
    FAKE_CLAUDE_SCENARIO: "no-result",
    FAKE_CLAUDE_EXIT: "3",
    FAKE_CLAUDE_STDERR: "Error: something broke",
  });
  assert.deepEqual(ex.outcome, { kind: "exit_error", code: 3, message: "Error: something broke" });
  assert.equal(ex.claude, null);
});

Deno.test("execute() reports a crash by signal", async () => {
  await using s = await scene();
  const ex = await s.run({ FAKE_CLAUDE_SCENARIO: "no-result", FAKE_CLAUDE_KILL_SELF: "SEGV" });
  assert.deepEqual(ex.outcome, { kind: "signal", signal: "SIGSEGV" });
});

Deno.test("execute() reports failed_to_spawn for a missing executable", async () => {
  await using s = await scene();
  const ex = await s.run({}, { command: join(s.dir, "no-such-claude") });
  assert.equal(ex.outcome.kind, "failed_to_spawn");
  assert.equal(ex.pid, null);
});

Deno.test("execute() times out on the total clock and kills the whole tree, escapees included", async () => {
  await using s = await scene();
  // The timeout fires when the test jumps the clock, once the whole tree exists: never while
  // the stand-in is still starting it, however slow the machine.
  const clock = new JumpClock();
  const running = s.run(
    { FAKE_CLAUDE_HANG: "chatty", FAKE_CLAUDE_SPAWN: "child,grandchild,escapee,stubborn" },
    { timeoutMs: 60_000, idleTimeoutMs: 600_000, clock },
  );
  const kinds = ["claude", "child", "grandchild", "escapee", "stubborn"];
  await waitFor("the stand-in's whole tree", async () => {
    const pids = await s.pids();
    return kinds.every((k) => pids.has(k)) || undefined;
  });
  clock.jump(60_000);
  const ex = await within(30_000, "timed-out run", running);
  assert.deepEqual(ex.outcome, { kind: "timed_out", clock: "total", limit_seconds: 60 });
  const pids = await s.pids();
  assertAllDead(pids);
  const signalled = new Set(ex.cleanup?.signalled.map((x) => x.pid));
  for (const kind of kinds) {
    assert.ok(signalled.has(pids.get(kind) as number), `${kind} not in the cleanup report`);
  }
  // The stubborn one ignores SIGTERM: it needed SIGKILL after the grace period.
  assert.ok(
    ex.cleanup?.signalled.some((x) => x.pid === pids.get("stubborn") && x.signal === "SIGKILL"),
  );
  assert.deepEqual(ex.cleanup?.survivors, []);
});

Deno.test("execute() times out on the idle clock when claude prints nothing", async () => {
  await using s = await scene();
  const ex = await within(
    15_000,
    "idle run",
    s.run({ FAKE_CLAUDE_HANG: "silent" }, { timeoutMs: 30_000, idleTimeoutMs: 700 }),
  );
  assert.deepEqual(ex.outcome, { kind: "timed_out", clock: "idle", limit_seconds: 0.7 });
  assertAllDead(await s.pids());
});

Deno.test("execute() SIGKILLs a claude that ignores SIGTERM after the grace period", async () => {
  await using s = await scene();
  const clock = new JumpClock();
  const started = join(s.dir, "started");
  const running = s.run(
    { FAKE_CLAUDE_HANG: "silent", FAKE_CLAUDE_IGNORE_TERM: "1", FAKE_CLAUDE_STARTED: started },
    { timeoutMs: 60_000, clock },
  );
  // Only once it ignores SIGTERM (the stand-in says it is ready after setting its trap).
  await waitFor(
    "the stand-in to be ready",
    async () => /^\d+\n/.test(await Deno.readTextFile(started).catch(() => "")) || undefined,
  );
  clock.jump(60_000);
  const ex = await within(30_000, "stubborn run", running);
  assert.equal(ex.outcome.kind, "timed_out");
  const claudePid = (await s.pids()).get("claude");
  assert.ok(ex.cleanup?.signalled.some((x) => x.pid === claudePid && x.signal === "SIGTERM"));
  assert.ok(ex.cleanup?.signalled.some((x) => x.pid === claudePid && x.signal === "SIGKILL"));
  assert.equal(ex.exit?.signal, "SIGKILL");
  assertAllDead(await s.pids());
});

Deno.test("execute() stops on cancel and says by whom", async () => {
  await using s = await scene();
  const controller = new AbortController();
  const running = s.run({ FAKE_CLAUDE_HANG: "silent", FAKE_CLAUDE_SPAWN: "child,escapee" }, {
    signal: controller.signal,
  });
  await waitFor(
    "the stand-in's children",
    async () => (await s.pids()).has("escapee") || undefined,
  );
  controller.abort("SIGINT");
  const ex = await within(10_000, "cancelled run", running);
  assert.deepEqual(ex.outcome, { kind: "cancelled", by: "SIGINT" });
  assertAllDead(await s.pids());
});

Deno.test("execute() ends when claude exits although its leftovers hold the output pipes", async () => {
  await using s = await scene();
  const ex = await within(
    15_000,
    "run with leftovers",
    s.run({ FAKE_CLAUDE_SPAWN: "child,grandchild,escapee" }),
  );
  assert.equal(ex.outcome.kind, "success");
  assert.equal(ex.claude?.result, "hello from fake");
  const pids = await s.pids();
  assertAllDead(pids);
  const escapee = ex.cleanup?.signalled.find((x) => x.pid === pids.get("escapee"));
  assert.equal(escapee?.found_by, "mark", "the setsid escapee is found by the run mark");
});

Deno.test("execute() caps the output files and still reads the result after a flood", async () => {
  await using s = await scene();
  const ex = await s.run(
    { FAKE_CLAUDE_FLOOD_BYTES: String(40 * 1024 * 1024), FAKE_CLAUDE_FLOOD_STDERR: "3000000" },
    { maxOutputBytes: 1024 * 1024 },
  );
  assert.equal(ex.outcome.kind, "success");
  assert.equal(ex.claude?.result, "hello from fake");
  assert.equal(ex.stdout.kept, 1024 * 1024);
  assert.ok(ex.stdout.bytes > 40 * 1024 * 1024);
  assert.equal(ex.stdout.truncated, true);
  assert.equal(ex.stderr.kept, 1024 * 1024);
  assert.equal(ex.stderr.bytes, 3_000_000);
});

Deno.test("execute() gives claude the run mark in its environment", async () => {
  await using s = await scene();
  const log = join(s.dir, "argv");
  const ex = await s.run({ FAKE_CLAUDE_LOG: log });
  assert.equal(ex.outcome.kind, "success");
  const env = await Deno.readTextFile(`${log}.env`);
  assert.match(env, /^CLODPUTER_RUN_ID=test-/m);
});

Deno.test("execute() gives claude a 1 MB prompt whole on stdin, and none of it in argv", async () => {
  await using s = await scene();
  const log = join(s.dir, "argv");
  // Over Linux's 128 KiB limit for one argument and past macOS's 1 MiB for the whole argv.
  const prompt = "Summarise this: " + "lorem ipsum dolor sit amet ".repeat(40_000) + "END";
  const ex = await s.run({ FAKE_CLAUDE_LOG: log }, { stdin: prompt });
  assert.equal(ex.outcome.kind, "success");
  assert.equal(await Deno.readTextFile(`${log}.stdin`), prompt);
  const argv = (await Deno.readTextFile(log)).split("\0");
  assert.ok(!argv.some((a) => a.includes("lorem")), "no prompt text in argv");
});

Deno.test("execute() names the OS's reason and a fitting hint when claude cannot start", async (t) => {
  await using s = await scene();
  const notExecutable = join(s.dir, "not-executable");
  await Deno.writeTextFile(notExecutable, "#!/bin/sh\n");
  const badInterpreter = join(s.dir, "bad-interpreter");
  await Deno.writeTextFile(badInterpreter, "#!/no/such/interpreter\n", { mode: 0o755 });
  const cases: [string, Partial<ExecuteOptions>, RegExp, RegExp][] = [
    ["ENOENT", { command: join(s.dir, "no-such-claude") }, /No such file/, /exists.*#! line/],
    ["ENOENT (missing #! interpreter)", { command: badInterpreter }, /No such file/, /#! line/],
    ["EACCES", { command: notExecutable }, /Permission denied/, /chmod \+x/],
    ["EACCES (a folder)", { command: s.dir }, /Permission denied/, /not a folder/],
    [
      "E2BIG",
      { args: ["-p", "--append-system-prompt", "x".repeat(200 * 1024)] },
      /Argument list too long/,
      /exceed the system's limit.*prompt itself goes on stdin/,
    ],
  ];
  for (const [name, options, message, hint] of cases) {
    await t.step(name, async () => {
      const ex = await s.run({}, options);
      assert.equal(ex.outcome.kind, "failed_to_spawn");
      if (ex.outcome.kind !== "failed_to_spawn") return;
      assert.match(ex.outcome.message, message);
      assert.match(ex.outcome.hint, hint);
      assert.equal(ex.pid, null);
    });
  }
});

Deno.test("execute() stops a claude whose reported cost passes maxCostUsd, with the full cleanup", async () => {
  await using s = await scene();
  // background-task reports $0.000376 in its first result, then holds its second turn.
  const ex = await within(
    15_000,
    "the over-budget run",
    s.run({
      FAKE_CLAUDE_SCENARIO: "background-task",
      FAKE_CLAUDE_DELAY: "300",
      FAKE_CLAUDE_SPAWN: "child",
    }, {
      maxCostUsd: 0.0001,
    }),
  );
  assert.deepEqual(ex.outcome, {
    kind: "over_budget",
    message: "the run cost $0.000376 so far, over max_cost_usd $0.0001: Clodputer stopped it",
    cost_usd: 0.000376,
  });
  assert.ok((ex.cleanup?.signalled.length ?? 0) > 0);
  assertAllDead(await s.pids());
});

Deno.test("execute() records a run whose result is over maxCostUsd as over_budget, under it as usual", async () => {
  await using s = await scene();
  const over = await s.run({}, { maxCostUsd: 0.0001 });
  assert.equal(over.outcome.kind, "over_budget");
  const under = await s.run({}, { maxCostUsd: 0.001 });
  assert.equal(under.outcome.kind, "success");
});

Deno.test("execute() shows the live view redacted: a tool's command holding a secret", async () => {
  await using s = await scene();
  const file = join(s.dir, "leaky.jsonl");
  const token = `gh${"p"}_${"Zq8".repeat(12)}`;
  const lines = [
    { type: "system", subtype: "init", session_id: "s", tools: ["Bash"], model: "m" },
    {
      type: "assistant",
      message: {
        role: "assistant",
        content: [{
          type: "tool_use",
          id: "t1",
          name: "Bash",
          input: { command: `curl -H "Authorization: ${token}" -d pw=hunter2hunter2 x` },
        }],
      },
      session_id: "s",
    },
    { type: "result", subtype: "success", is_error: false, result: "ok", session_id: "s" },
  ];
  await Deno.writeTextFile(file, lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  const seen: string[] = [];
  const ex = await s.run({ FAKE_CLAUDE_SCENARIO_FILE: file }, {
    secrets: ["hunter2hunter2"],
    onEvent: (e) => seen.push(JSON.stringify(e)),
  });
  assert.equal(ex.outcome.kind, "success");
  const tool = seen.find((e) => e.includes('"tool"')) ?? "";
  assert.match(tool, /curl -H/, "the tool event was shown");
  assert.ok(!tool.includes(token) && !tool.includes("hunter2hunter2"), tool);
});
