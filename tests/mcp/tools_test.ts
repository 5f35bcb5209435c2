/**
 * @module
 * The MCP server's tools (lib/mcp/tools.ts) through the SDK's own client, in process, over a
 * seeded home: every tool listed with its input schema, each answer's shape, and each refusal
 * (an unknown task, an invalid file, a create over a file, an update of nothing, a run of its
 * own task from inside its run), with nothing written when refused.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../lib/state/store.ts";
import type { Lease } from "../../lib/state/types.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { TASKS } from "../web/fixture_home.ts";
import { mcpScene } from "./mcp_scene.ts";

const TOOLS = [
  "list_tasks",
  "show_task",
  "validate_task",
  "create_task",
  "update_task",
  "enable_task",
  "disable_task",
  "run_task",
  "status",
  "list_runs",
  "show_run",
  "cost",
  "pause",
  "resume",
];

const VALID = `name: hello
schedule:
  type: cron
  expression: "0 9 * * *"
task:
  prompt: Say hello.
`;

/** Invalid at line 5, column 12: timeout is not a number. */
const INVALID = `name: broken
schedule:
  type: cron
  expression: "0 9 * * *"
task:
  prompt: Say hello.
  timeout: ten
`;

type Schema = {
  type: string;
  properties?: Record<string, Record<string, unknown>>;
  required?: string[];
};

type ListedTool = {
  name: string;
  description?: string;
  inputSchema: unknown;
  annotations?: { readOnlyHint?: boolean };
};

Deno.test("tools/list gives every tool with its input schema, names as the contract says", async () => {
  await using s = await mcpScene();
  const { tools } = await s.client.listTools() as { tools: ListedTool[] };
  assert.deepEqual(tools.map((t) => t.name), TOOLS);
  const schema = (name: string) => tools.find((t) => t.name === name)?.inputSchema as Schema;
  const props = (name: string) => Object.keys(schema(name).properties ?? {}).sort();
  assert.deepEqual(props("list_tasks"), []);
  assert.deepEqual(props("show_task"), ["name"]);
  assert.deepEqual(schema("show_task").required, ["name"]);
  assert.deepEqual(props("validate_task"), ["name", "yaml"]);
  assert.deepEqual(schema("validate_task").required, ["yaml"]);
  assert.deepEqual(props("create_task"), ["name", "overwrite", "yaml"]);
  assert.equal(schema("create_task").properties?.overwrite?.type, "boolean");
  assert.deepEqual(props("update_task"), ["name", "yaml"]);
  assert.deepEqual(props("enable_task"), ["name"]);
  assert.deepEqual(props("disable_task"), ["name"]);
  assert.deepEqual(props("run_task"), ["file", "name"]);
  assert.deepEqual(schema("run_task").required, ["name"]);
  assert.deepEqual(props("list_runs"), ["limit", "name", "since"]);
  const limit = schema("list_runs").properties?.limit ?? {};
  assert.equal(limit.minimum, 1);
  assert.equal(limit.maximum, 200);
  assert.deepEqual(props("show_run"), ["id", "transcript"]);
  assert.deepEqual(props("cost"), ["name", "since"]);
  assert.deepEqual(props("pause"), ["for"]);
  assert.deepEqual(props("resume"), []);
  for (const tool of tools) assert.ok(tool.description && tool.description.length > 20, tool.name);
  const ro = tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name);
  assert.deepEqual(ro, [
    "list_tasks",
    "show_task",
    "validate_task",
    "status",
    "list_runs",
    "show_run",
    "cost",
  ]);
});

Deno.test("list_tasks answers list --json's document, as text and as structured content", async () => {
  await using s = await mcpScene();
  const got = await s.call("list_tasks");
  assert.equal(got.isError, false);
  assert.deepEqual(JSON.parse(got.text), got.structured);
  const rows = got.structured.rows as { name: string }[];
  assert.deepEqual(rows.map((r) => r.name).sort(), Object.values(TASKS).sort());
});

Deno.test("show_task gives the file's YAML and its dry run; an unknown task is a NotFound error", async () => {
  await using s = await mcpScene();
  const got = await s.call("show_task", { name: TASKS.daily });
  assert.equal(got.isError, false);
  const file = join(s.home, "tasks", `${TASKS.daily}.yaml`);
  assert.equal(got.structured.file, file);
  assert.equal(got.structured.yaml, await Deno.readTextFile(file));
  assert.equal(got.structured.valid, true);
  assert.equal((got.structured.next_runs as string[]).length, 5);
  assert.equal(got.structured.session, null);
  assert.ok(Array.isArray(got.structured.argv));

  const unknown = await s.call("show_task", { name: "nope" });
  assert.equal(unknown.isError, true);
  const error = unknown.structured.error as Record<string, unknown>;
  assert.equal(error.name, "NotFoundError");
  assert.match(String(error.message), /^Cannot find task "nope"/);
  assert.ok(unknown.text.startsWith(String(error.message)), unknown.text);
  assert.match(unknown.text, /\nTo fix: /);
});

Deno.test("validate_task: a valid text's dry run, named by its name: line; an invalid one's problems with line:column", async () => {
  await using s = await mcpScene();
  const ok = await s.call("validate_task", { yaml: VALID });
  assert.equal(ok.isError, false);
  assert.equal(ok.structured.name, "hello");
  assert.equal(ok.structured.valid, true);
  assert.match(String(ok.structured.trigger), /cron/);
  const unnamed = await s.call("validate_task", { yaml: "task:\n  prompt: hi\n" });
  assert.equal(unnamed.structured.name, "new-task");
  const named = await s.call("validate_task", { yaml: VALID, name: "other" });
  assert.equal(named.structured.name, "other");

  const bad = await s.call("validate_task", { yaml: INVALID });
  assert.equal(bad.isError, false, "a validation is an answer, not an error");
  assert.equal(bad.structured.valid, false);
  const problems = bad.structured.problems as { where: string; message: string }[];
  assert.ok(problems.length > 0);
  assert.match(problems[0]?.where ?? "", /tasks\/broken\.yaml:7:12$/);
  assert.equal(await Deno.stat(join(s.home, "tasks", "broken.yaml")).catch(() => null), null);
});

Deno.test("create_task writes a file that validates, exactly as given; refuses an invalid one and writes nothing", async () => {
  await using s = await mcpScene();
  const file = join(s.home, "tasks", "hello.yaml");
  const made = await s.call("create_task", { name: "hello", yaml: VALID });
  assert.equal(made.isError, false, made.text);
  assert.deepEqual(
    {
      written: made.structured.written,
      replaced: made.structured.replaced,
      file: made.structured.file,
    },
    { written: true, replaced: false, file },
  );
  assert.equal((made.structured.validation as { valid: boolean }).valid, true);
  assert.equal(await Deno.readTextFile(file), VALID);

  const bad = await s.call("create_task", { name: "broken", yaml: INVALID });
  assert.equal(bad.isError, true);
  assert.equal(bad.structured.written, false);
  assert.match(bad.text, /nothing was written/);
  assert.match(bad.text, /tasks\/broken\.yaml:7:12: /);
  assert.equal(await Deno.stat(join(s.home, "tasks", "broken.yaml")).catch(() => null), null);
});

Deno.test("create_task over an existing task is refused unless overwrite: true", async () => {
  await using s = await mcpScene();
  const file = join(s.home, "tasks", `${TASKS.daily}.yaml`);
  const before = await Deno.readTextFile(file);
  const refused = await s.call("create_task", { name: TASKS.daily, yaml: VALID });
  assert.equal(refused.isError, true);
  const error = refused.structured.error as Record<string, unknown>;
  assert.equal(error.name, "UsageError");
  assert.match(String(error.message), /exists already/);
  assert.match(String(error.hint), /overwrite: true/);
  assert.equal(await Deno.readTextFile(file), before);

  const replaced = await s.call("create_task", { name: TASKS.daily, yaml: VALID, overwrite: true });
  assert.equal(replaced.isError, false, replaced.text);
  assert.equal(replaced.structured.replaced, true);
  assert.equal(await Deno.readTextFile(file), VALID);
});

Deno.test("update_task replaces an existing task; a missing task is refused and nothing written", async () => {
  await using s = await mcpScene();
  const missing = await s.call("update_task", { name: "ghost", yaml: VALID });
  assert.equal(missing.isError, true);
  assert.equal((missing.structured.error as { name: string }).name, "NotFoundError");
  assert.equal(await Deno.stat(join(s.home, "tasks", "ghost.yaml")).catch(() => null), null);

  const file = join(s.home, "tasks", `${TASKS.daily}.yaml`);
  const invalid = await s.call("update_task", { name: TASKS.daily, yaml: INVALID });
  assert.equal(invalid.isError, true);
  assert.notEqual(await Deno.readTextFile(file), INVALID);
  const updated = await s.call("update_task", { name: TASKS.daily, yaml: VALID });
  assert.equal(updated.isError, false);
  assert.equal(updated.structured.replaced, true);
  assert.equal(await Deno.readTextFile(file), VALID);
});

Deno.test("disable_task and enable_task switch enabled: in the file; again changes nothing", async () => {
  await using s = await mcpScene();
  const file = join(s.home, "tasks", `${TASKS.daily}.yaml`);
  const off = await s.call("disable_task", { name: TASKS.daily });
  assert.deepEqual(off.structured, { task: TASKS.daily, file, enabled: false, changed: true });
  assert.match(await Deno.readTextFile(file), /^enabled: false$/m);
  const again = await s.call("disable_task", { name: TASKS.daily });
  assert.equal(again.structured.changed, false);
  const on = await s.call("enable_task", { name: TASKS.daily });
  assert.deepEqual(on.structured, { task: TASKS.daily, file, enabled: true, changed: true });
  const unknown = await s.call("enable_task", { name: "nope" });
  assert.equal(unknown.isError, true);
});

Deno.test("run_task queues a run and answers its id at once; a second is a duplicate; a runner is asked for", async () => {
  await using s = await mcpScene();
  const first = await s.call("run_task", { name: TASKS.daily });
  assert.equal(first.isError, false, first.text);
  assert.match(String(first.structured.run_id), /^\d{8}-\d{6}-[0-9a-z]{6}$/);
  assert.equal(first.structured.task, TASKS.daily);
  assert.equal(first.structured.duplicate, false);
  assert.equal(first.structured.position, 1);
  assert.equal(first.structured.paused, null);
  assert.match(String(first.structured.message), /^Queued daily-review as /);
  assert.equal(s.runnersStarted(), 1);
  const store = await Store.open(pathsUnder(s.home).state, systemClock);
  try {
    const queued = await store.queued();
    assert.deepEqual(queued.map((q) => [q.id, q.trigger.type]), [[first.structured.run_id, "mcp"]]);
  } finally {
    store.close();
  }

  const second = await s.call("run_task", { name: TASKS.daily });
  assert.equal(second.isError, false);
  assert.equal(second.structured.duplicate, true);
  assert.equal(second.structured.run_id, first.structured.run_id);
  assert.match(String(second.structured.message), /already queued .*not queued again/);

  const needsFile = await s.call("run_task", { name: TASKS.watch });
  assert.equal(needsFile.isError, true);
  assert.match(needsFile.text, /without a file/);
  const unknown = await s.call("run_task", { name: "nope" });
  assert.equal((unknown.structured.error as { name: string }).name, "NotFoundError");
});

Deno.test("run_task from inside its own task's run (CLODPUTER_RUN_ID) is refused; another task is queued", async () => {
  const id = "20261125-120000-0000aa";
  await using s = await mcpScene({ env: { CLODPUTER_RUN_ID: id } });
  const now = new Date(systemClock.now()).toISOString();
  const me: Lease = { pid: Deno.pid, started: "x", acquired_at: now, heartbeat_at: now };
  const store = await Store.open(pathsUnder(s.home).state, systemClock);
  try {
    assert.ok(await store.acquireLease(me, null));
    await store.enqueue(
      { id, task: TASKS.daily, priority: "normal", trigger: { type: "manual" } },
      now,
    );
    assert.equal((await store.takeNext(me, now, id))?.id, id);
  } finally {
    store.close();
  }
  const refused = await s.call("run_task", { name: TASKS.daily });
  assert.equal(refused.isError, true);
  assert.match(
    refused.text,
    /^Cannot run daily-review from inside its own run 20261125-120000-0000aa/,
  );
  assert.equal(s.runnersStarted(), 0);
  const other = await s.call("run_task", { name: TASKS.hostile });
  assert.equal(other.isError, false, other.text);
});

Deno.test("show_run gives the record; its transcript as text lines, secrets of the server's env redacted", async () => {
  const secret = "sk-test-abcdefgh12345678";
  await using s = await mcpScene({ env: { MY_API_TOKEN: secret } });
  const newest = s.seeded.newest[TASKS.daily];
  assert.ok(newest);
  const stdout = join(s.home, "runs", newest.id, "stdout");
  const leak = {
    type: "assistant",
    message: { role: "assistant", content: [{ type: "text", text: `the token is ${secret}` }] },
  };
  await Deno.writeTextFile(stdout, `${JSON.stringify(leak)}\n`, { append: true });

  const plain = await s.call("show_run", { id: newest.id });
  assert.equal(plain.isError, false, plain.text);
  const record = plain.structured.record as Record<string, unknown>;
  assert.equal(record.id, newest.id);
  assert.equal(record.task, TASKS.daily);
  assert.equal("transcript" in plain.structured, false);

  const byTask = await s.call("show_run", { id: TASKS.daily, transcript: true });
  assert.equal((byTask.structured.record as { id: string }).id, newest.id);
  const lines = byTask.structured.transcript as string[];
  assert.ok(lines.length > 2, lines.join("\n"));
  assert.ok(lines.some((l) => l.startsWith("[result")), lines.join("\n"));
  assert.ok(lines.includes("[assistant] the token is [redacted]"), lines.join("\n"));
  assert.equal(byTask.text.includes(secret), false);

  const unknown = await s.call("show_run", { id: "20200101-000000-000000" });
  assert.equal(unknown.isError, true);
  assert.equal((unknown.structured.error as { name: string }).name, "NotFoundError");
});

Deno.test("list_runs: newest first, bounded by limit (1-200, default 20), one task's, since a time", async () => {
  await using s = await mcpScene({ days: 30 });
  const all = await s.call("list_runs");
  const runs = all.structured.runs as { id: string; task: string; started_at: string }[];
  assert.equal(runs.length, 20);
  assert.ok(all.structured.next_before);
  const two = await s.call("list_runs", { limit: 2 });
  assert.equal((two.structured.runs as unknown[]).length, 2);
  const daily = await s.call("list_runs", { name: TASKS.daily, limit: 200 });
  const dailyRuns = daily.structured.runs as { task: string }[];
  assert.ok(dailyRuns.length > 0 && dailyRuns.every((r) => r.task === TASKS.daily));
  const recent = await s.call("list_runs", { since: "3d", limit: 200 });
  const since = systemClock.now() - 3 * 86_400_000;
  const recentRuns = recent.structured.runs as { started_at: string }[];
  assert.ok(recentRuns.every((r) => Date.parse(r.started_at) >= since));
  assert.ok(recentRuns.length < s.seeded.runs.length);
  for (const limit of [0, 201, 2.5]) {
    const bad = await s.call("list_runs", { limit });
    assert.equal(bad.isError, true, `limit ${limit}`);
    assert.match(bad.text, /limit/);
  }
  const badSince = await s.call("list_runs", { since: "whenever" });
  assert.equal(badSince.isError, true);
});

Deno.test("status, cost, pause and resume answer the CLI's and the web's shapes", async () => {
  await using s = await mcpScene();
  const status = await s.call("status");
  assert.equal(status.isError, false, status.text);
  assert.ok("runner" in status.structured && "today" in status.structured, status.text);
  const cost = await s.call("cost", { since: "7d", name: TASKS.daily });
  assert.equal(cost.isError, false, cost.text);
  assert.deepEqual(JSON.parse(cost.text), cost.structured);
  const badCost = await s.call("cost", { since: "soon" });
  assert.equal(badCost.isError, true);
  const paused = await s.call("pause", { for: "2h" });
  assert.match(String(paused.structured.message), /^The queue is paused until /);
  assert.ok((paused.structured.paused as { until: string | null }).until);
  const run = await s.call("run_task", { name: TASKS.daily });
  assert.notEqual(run.structured.paused, null);
  assert.equal(s.runnersStarted(), 0, "a paused queue starts no runner");
  const badPause = await s.call("pause", { for: "a while" });
  assert.equal(badPause.isError, true);
  const resumed = await s.call("resume");
  assert.equal(resumed.structured.resumed, true);
  assert.equal(resumed.structured.queued, 1);
  const again = await s.call("resume");
  assert.equal(again.structured.message, "The queue was not paused.");
});

Deno.test("show_run of a run still queued or running answers where it is, not an error", async () => {
  await using s = await mcpScene();
  const queued = await s.call("run_task", { name: TASKS.daily });
  const id = String(queued.structured.run_id);
  const waiting = await s.call("show_run", { id });
  assert.equal(waiting.isError, false, waiting.text);
  assert.deepEqual(waiting.structured, {
    record: null,
    pending: { run_id: id, task: TASKS.daily, state: "queued", position: 1, run_at: null },
  });
  const store = await Store.open(pathsUnder(s.home).state, systemClock);
  try {
    const now = new Date(systemClock.now()).toISOString();
    const mine: Lease = { pid: Deno.pid, started: "x", acquired_at: now, heartbeat_at: now };
    assert.ok(await store.acquireLease(mine, (await store.lease())?.versionstamp ?? null));
    const taken = await store.takeNext(mine, now);
    assert.equal(taken?.id, id);
    await store.setClaudePid(id, 4242, {
      command: "claude",
      argv: [],
      cwd: null,
      prompt_file: null,
    });
  } finally {
    store.close();
  }
  const running = await s.call("show_run", { id });
  assert.equal(running.isError, false, running.text);
  assert.equal((running.structured.pending as { state: string }).state, "running");
  assert.equal((running.structured.pending as { pid: number }).pid, 4242);
  const unknown = await s.call("show_run", { id: "20261125-120000-zzzzzz" });
  assert.equal(unknown.isError, true);
  assert.match(unknown.text, /has no record/);
});
