/**
 * @module
 * The execution log end to end: the events a run writes, and `logs` with its filters, follow,
 * JSON form and redaction.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, spawnCli, type TempHome, tempHome, waitFor, waitForStart } from "./cli.ts";

function taskYaml(name: string, extra = ""): string {
  return `name: ${name}\ntask:\n  prompt: "run ${name}"\n  timeout: 60\n${extra}`;
}

async function events(home: TempHome): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(join(home.clodputerHome, "execution.log")).catch(() => "");
  return text.split("\n").filter((l) => l).map((l) => JSON.parse(l));
}

Deno.test("a run writes task_queued, task_started and task_completed with their details", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", taskYaml("hello"));
  const id = JSON.parse((await runCli(home, ["run", "hello", "--wait", "--json"])).stdout).id;
  const log = await events(home);
  assert.deepEqual(log.map((e) => e.event), ["task_queued", "task_started", "task_completed"]);
  for (const e of log) {
    assert.match(e.ts as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(e.run_id, id);
    assert.equal(e.task, "hello");
    assert.equal(e.trigger, "manual");
  }
  const done = log[2] as Record<string, unknown>;
  assert.equal(done.exit_code, 0);
  assert.equal(done.cost_usd, 0.000188);
  assert.equal(done.session_id, "eb747026-a985-4f80-a5e9-440d29297dab");
  assert.equal(typeof done.duration_ms, "number");
  assert.equal(done.error, undefined);
});

Deno.test("timeouts, cancels, lost runs and cleanups are logged", async () => {
  await using home = await tempHome();
  await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "grace_period: 1\n");
  await home.writeTask("slow", taskYaml("slow").replace("timeout: 60", "timeout: 1"));
  await home.writeTask("hang", taskYaml("hang"));
  await runCli(home, ["run", "slow", "--wait"], { env: { FAKE_CLAUDE_HANG: "silent" } });
  await using runner = await spawnCli(home, ["run", "hang"], {
    env: { FAKE_CLAUDE_HANG: "silent" },
  });
  await waitForStart(home, "hang");
  runner.kill("SIGKILL");
  await runner.output();
  await runCli(home, ["run", "slow", "--wait"], { env: { FAKE_CLAUDE_SCENARIO: "hi" } }); // recovers "hang"
  const log = await events(home);
  const timedOut = log.find((e) => e.event === "task_timed_out");
  assert.equal(timedOut?.task, "slow");
  assert.match(timedOut?.error as string, /timed out \(total clock, 1 s\)/);
  const cleanup = log.find((e) => e.event === "cleanup" && e.task === "slow");
  // claude itself is always signalled when its run times out, however far it had got.
  assert.ok(Array.isArray(cleanup?.pids) && (cleanup?.pids as number[]).length >= 1);
  const lost = log.find((e) => e.event === "task_lost");
  assert.equal(lost?.task, "hang");
  assert.match(lost?.error as string, /the runner \(pid \d+\) is gone/);
});

Deno.test("logs shows lines for people, filters, tails, and raw JSON", async () => {
  await using home = await tempHome();
  await home.writeTask("good", taskYaml("good"));
  await home.writeTask("bad", taskYaml("bad", "  env:\n    FAKE_CLAUDE_SCENARIO: error-500\n"));
  await runCli(home, ["run", "good", "--wait"]);
  await runCli(home, ["run", "bad", "--wait"]);
  const all = await runCli(home, ["logs"]);
  assert.equal(all.code, 0, all.stderr);
  const lines = all.stdout.trimEnd().split("\n");
  assert.equal(lines.length, 6);
  assert.match(
    lines[0] as string,
    /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}· good queued at position 1 \(run \S+\)$/,
  );
  assert.match(lines[1] as string, /▶ good started, claude pid \d+ \(run \S+\)$/);
  assert.match(lines[2] as string, /✓ good succeeded in \S+ · \$0\.0002 \(run \S+\)$/);
  assert.match(
    lines[5] as string,
    /✗ bad failed in \S+ · \$0: API Error: 500 fake internal error\. .* \(run \S+\)$/,
  );
  assert.equal(
    (await runCli(home, ["logs", "--tail", "2"])).stdout.trimEnd().split("\n").length,
    2,
  );
  const byTask = (await runCli(home, ["logs", "--task", "good"])).stdout;
  assert.ok(!byTask.includes(" bad "));
  const failed = (await runCli(home, ["logs", "--status", "failed"])).stdout.trimEnd().split("\n");
  assert.equal(failed.length, 1);
  assert.match(failed[0] as string, /✗ bad failed/);
  const since = await runCli(home, ["logs", "--since", "1h", "--json"]);
  const parsed = since.stdout.trimEnd().split("\n").map((l) => JSON.parse(l));
  assert.equal(parsed.length, 6);
  assert.equal(
    (await runCli(home, ["logs", "--until", "2000-01-01"])).stderr,
    "no matching events\n",
  );
  const bad = await runCli(home, ["logs", "--status", "broken"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Cannot filter by status "broken"/);
  const when = await runCli(home, ["logs", "--since", "yesterdayy"]);
  assert.equal(when.code, 2);
  assert.match(when.stderr, /Cannot read the --since value "yesterdayy"/);
  // The forms every --since takes: today and a local date and time are read, not refused.
  for (const args of [["--since", "today"], ["--since", "2h", "--until", "2999-12-01 08:00"]]) {
    const r = await runCli(home, ["logs", ...args, "--json"]);
    assert.equal(r.code, 0, `${args.join(" ")}: ${r.stderr}`);
  }
});

Deno.test("logs --run shows that run's record", async () => {
  await using home = await tempHome();
  await home.writeTask("good", taskYaml("good"));
  const id = JSON.parse((await runCli(home, ["run", "good", "--wait", "--json"])).stdout).id;
  const r = await runCli(home, ["logs", "--run", id]);
  assert.equal(r.code, 0);
  assert.match(r.stdout, new RegExp(`^run: {7}${id}$`, "m"));
});

Deno.test("logs --follow prints new events as they come, until SIGINT", async () => {
  await using home = await tempHome();
  await home.writeTask("good", taskYaml("good"));
  await runCli(home, ["run", "good", "--wait"]);
  await using follower = await spawnCli(home, ["logs", "--follow"]);
  const count = (what: string) =>
    follower.stdout.split("\n").filter((l) => l.includes(what)).length;
  await waitFor("the first run's events", () => count("good succeeded") === 1 || undefined);
  await runCli(home, ["run", "good", "--wait"]);
  await waitFor("the second run's events", () => count("good succeeded") === 2 || undefined);
  follower.kill("SIGINT");
  assert.equal((await follower.output()).code, 0);
  assert.equal(count("good queued"), 2, "each event once");
  assert.equal(count("good started"), 2, "each event once");
});

Deno.test("secret values never reach the execution log", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "leaky",
    taskYaml(
      "leaky",
      '  env:\n    FAKE_CLAUDE_SCENARIO: no-result\n    FAKE_CLAUDE_EXIT: "3"\n    FAKE_CLAUDE_STDERR: "auth failed for {{ env.MY_SECRET }}"\n',
    ),
  );
  const r = await runCli(home, ["run", "leaky", "--wait"], {
    env: { MY_SECRET: "hunter2-very-secret", ANTHROPIC_API_KEY: "sk-ant-api-key-value-1" },
  });
  assert.equal(r.code, 1);
  const text = await Deno.readTextFile(join(home.clodputerHome, "execution.log"));
  assert.match(text, /auth failed for \[redacted\]/);
  assert.ok(!text.includes("hunter2-very-secret"));
  assert.ok(!text.includes("sk-ant-api-key-value-1"));
});
