/**
 * @module
 * Doctor's task check: no tasks, misnamed files, invalid configs, load warnings, the MCP config,
 * the working directory, the watched folder; on macOS, a task in a folder macOS guards is told
 * what needs Full Disk Access under each scheduler.
 */

import assert from "node:assert/strict";
import { checkTasks } from "../../lib/doctor/checks/tasks.ts";
import type { DoctorContext } from "../../lib/doctor/types.ts";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { FakeProc } from "../fakes/proc.ts";
import { join } from "node:path";
import { ConfigError } from "../../lib/errors.ts";
import { doctorScene } from "./context.ts";

Deno.test("checkTasks() names cron, or the LaunchAgent's program, for a task in a guarded folder", async () => {
  const env = envFrom({ HOME: "/Users/me" });
  const task = parseTaskSource(
    "task:\n  prompt: hi\n  working_directory: /Users/me/Documents/notes\n",
    { file: "/Users/me/.clodputer/tasks/notes.yaml", env },
  );
  const ctx = {
    paths: pathsUnder("/Users/me/.clodputer"),
    env,
    proc: new FakeProc([]),
    clock: systemClock,
    os: "darwin",
    selfPid: 1,
    executable: "/opt/homebrew/bin/clodputer",
    shim: null,
    global: new Error("unused"),
    tasks: [{ name: "notes", task }],
    misnamed: [],
  } as unknown as DoctorContext;
  const fda = (await checkTasks(ctx)).find((r) => r.id === "task:notes:fda");
  assert.equal(fda?.status, "warn");
  assert.equal(
    fda?.fix,
    "System Settings > Privacy & Security > Full Disk Access: add /usr/sbin/cron when the " +
      "crontab runs clodputer, or, with install --launchd, the program the LaunchAgent starts " +
      "(/opt/homebrew/bin/clodputer); after an upgrade macOS may need the grant again",
  );
});

Deno.test("checkTasks() returns nothing when tasks is a file (the home check's finding)", async () => {
  await using s = await doctorScene({ tasksFolder: false });
  await Deno.writeTextFile(s.ctx().paths.tasks, "");
  assert.deepEqual(await checkTasks(s.ctx()), []);
});

Deno.test("checkTasks() warns when there are no tasks, then names each misnamed file", async () => {
  await using s = await doctorScene();
  const { paths } = s.ctx();
  const misnamed = [
    {
      name: "Daily.yaml",
      file: join(paths.tasks, "Daily.yaml"),
      problem: "has uppercase letters",
      rename: "daily.yaml",
    },
    {
      name: "!.yaml",
      file: join(paths.tasks, "!.yaml"),
      problem: "has no letter or digit",
      rename: undefined,
    },
  ];
  const results = await checkTasks(s.ctx({ misnamed }));
  assert.deepEqual(results.map((r) => [r.id, r.status]), [
    ["tasks", "warn"],
    ["task-file:Daily.yaml", "fail"],
    ["task-file:!.yaml", "fail"],
  ]);
  assert.deepEqual(results[0], {
    id: "tasks",
    status: "warn",
    message: `There are no tasks in ${paths.tasks}`,
    fix: "create one: clodputer new <name> (see clodputer new --list)",
  });
  assert.equal(
    results[1]?.message,
    'The file name "Daily.yaml" is not a valid task name: "Daily" has uppercase letters, so it is not loaded',
  );
  assert.equal(
    results[1]?.fix?.startsWith('rename "Daily.yaml" to "daily.yaml": a task name is'),
    true,
  );
  assert.equal(
    results[2]?.fix?.startsWith("rename the file, for example to daily-email.yaml: a task name is"),
    true,
  );
});

Deno.test("checkTasks() counts the valid configs first and fails each invalid one with its fix", async () => {
  await using s = await doctorScene();
  const tasks = [
    s.task("good", "task:\n  prompt: hi\n"),
    {
      name: "hinted",
      error: new ConfigError("timeout must be a number", { hint: "write timeout: 600" }),
    },
    { name: "plain", error: new Error("cannot read it") },
  ];
  assert.deepEqual(await checkTasks(s.ctx({ tasks })), [{
    id: "tasks",
    status: "ok",
    message: "1 of 3 task configs are valid",
  }, {
    id: "task:hinted",
    status: "fail",
    message: 'Task "hinted" is invalid: timeout must be a number',
    fix: "write timeout: 600",
  }, {
    id: "task:plain",
    status: "fail",
    message: 'Task "plain" is invalid: cannot read it',
    fix: "run: clodputer validate plain",
  }]);
  const none = await checkTasks(s.ctx({ tasks: tasks.slice(1) }));
  assert.deepEqual(none.map((r) => r.id), ["task:hinted", "task:plain"], "no ok line");
});

Deno.test("checkTasks() warns for each warning a task loaded with, numbered", async () => {
  await using s = await doctorScene();
  const entry = s.task("daily", "name: other\ntask:\n  prompt: hi\n");
  assert.ok("task" in entry);
  const [warning] = entry.task.warnings;
  assert.ok(warning);
  const results = await checkTasks(s.ctx({ tasks: [entry] }));
  assert.deepEqual(results[1], {
    id: "task:daily:warning:1",
    status: "warn",
    message: `Task "daily": ${warning.message}`,
    ...(warning.hint === undefined ? {} : { fix: warning.hint }),
  });
});

Deno.test("checkTasks() checks the MCP config: missing, not JSON, no mcpServers, fine", async () => {
  await using s = await doctorScene();
  const mcp = join(s.root, "mcp.json");
  const tasks = [s.task("m", `task:\n  prompt: hi\n  mcp_config: ${mcp}\n`)];
  const mcpResult = async () =>
    (await checkTasks(s.ctx({ tasks }))).find((r) => r.id === "task:m:mcp");
  const failing = (problem: string) => ({
    id: "task:m:mcp",
    status: "fail",
    message: `Task "m": mcp_config ${mcp} ${problem}`,
    fix: `fix ${mcp}, or remove mcp_config from the task`,
  });
  assert.deepEqual(await mcpResult(), failing("does not exist or cannot be read"));
  await Deno.writeTextFile(mcp, "{ not json");
  const notJson = await mcpResult();
  assert.match(notJson?.message ?? "", /is not valid JSON \(.+\)$/);
  assert.equal(notJson?.fix, `fix ${mcp}, or remove mcp_config from the task`);
  for (const text of ['{"servers": {}}', '{"mcpServers": null}', "[]"]) {
    await Deno.writeTextFile(mcp, text);
    assert.deepEqual(await mcpResult(), failing('has no "mcpServers" object'), text);
  }
  await Deno.writeTextFile(mcp, '{"mcpServers": {}}');
  assert.deepEqual(await mcpResult(), {
    id: "task:m:mcp",
    status: "ok",
    message: `Task "m": MCP config ${mcp} parses`,
  });
});

Deno.test("checkTasks() fails a working_directory that is not a folder", async () => {
  await using s = await doctorScene();
  const missing = join(s.root, "project");
  const tasks = [s.task("w", `task:\n  prompt: hi\n  working_directory: ${missing}\n`)];
  assert.deepEqual((await checkTasks(s.ctx({ tasks })))[1], {
    id: "task:w:cwd",
    status: "fail",
    message: `Task "w": working_directory ${missing} is not a folder`,
    fix: `create it (mkdir -p ${missing}) or fix working_directory`,
  });
  await Deno.mkdir(missing);
  assert.deepEqual((await checkTasks(s.ctx({ tasks }))).map((r) => r.id), ["tasks"]);
});

Deno.test("checkTasks() warns about a watched folder that does not exist yet", async () => {
  await using s = await doctorScene();
  const inbox = join(s.root, "inbox");
  const tasks = [
    s.task("in", `trigger:\n  type: file_watch\n  path: ${inbox}\ntask:\n  prompt: hi\n`),
  ];
  assert.deepEqual((await checkTasks(s.ctx({ tasks })))[1], {
    id: "task:in:watch",
    status: "warn",
    message: `Task "in": the watched folder ${inbox} does not exist yet`,
    fix: `create it: mkdir -p ${inbox}`,
  });
  await Deno.mkdir(inbox);
  assert.deepEqual((await checkTasks(s.ctx({ tasks }))).map((r) => r.id), ["tasks"]);
});

Deno.test("checkTasks() names Full Disk Access for a guarded watched folder, on macOS only", async () => {
  await using s = await doctorScene();
  const env = envFrom({ HOME: "/Users/me" });
  const tasks = [
    s.task(
      "dl",
      "trigger:\n  type: file_watch\n  path: /Users/me/Downloads/in\ntask:\n  prompt: hi\n",
      env,
    ),
  ];
  const mac = await checkTasks(s.ctx({ env, tasks, os: "darwin" }));
  const fda = mac.find((r) => r.id === "task:dl:fda");
  assert.equal(fda?.status, "warn");
  assert.equal(
    fda?.message,
    'Task "dl" uses /Users/me/Downloads/in, which macOS guards: scheduled runs fail there without Full Disk Access',
  );
  const linux = await checkTasks(s.ctx({ env, tasks, os: "linux" }));
  assert.equal(linux.find((r) => r.id === "task:dl:fda"), undefined);
});
