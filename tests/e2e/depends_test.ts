/**
 * @module
 * depends_on, on_success/on_failure log actions and `resume <run-id|task>` end to end: the real
 * CLI as a subprocess, the stand-in claude on PATH, a temp home.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { logEvents, runCli, tempHome } from "./cli.ts";

const BACKUP = `task:
  prompt: "Back up"
  timeout: 60
`;

const REPORT = `task:
  prompt: "Report"
  timeout: 60
depends_on:
  - task: backup
    condition: success
    max_age: 1d
`;

async function readRecord(home: { clodputerHome: string }, id: string) {
  return JSON.parse(
    await Deno.readTextFile(join(home.clodputerHome, "runs", id, "result.json")),
  );
}

Deno.test("an unmet depends_on records the run as skipped, with the reason, and never starts claude", async () => {
  await using home = await tempHome();
  await home.writeTask("backup", BACKUP);
  await home.writeTask("report", REPORT);
  const argv = join(home.root, "argv");

  const skipped = await runCli(home, ["run", "report", "--now"], {
    env: { FAKE_CLAUDE_LOG: argv },
  });
  assert.equal(skipped.code, 1, skipped.stderr);
  assert.match(
    skipped.stdout,
    /report skipped: "backup" has never run \(depends_on needs it to succeed\)/,
  );
  assert.equal(await Deno.stat(argv).catch(() => undefined), undefined, "claude never started");

  const events = await logEvents(home);
  const event = events.find((e) => e.event === "task_skipped");
  assert.ok(event, JSON.stringify(events));
  assert.equal(event.task, "report");
  assert.equal(event.error, '"backup" has never run (depends_on needs it to succeed)');
  const id = String(event.run_id);
  const record = await readRecord(home, id);
  assert.equal(record.status, "skipped");
  assert.deepEqual(record.outcome, {
    kind: "skipped",
    reason: '"backup" has never run (depends_on needs it to succeed)',
  });

  // Visible in show, status and logs; not a failure to acknowledge.
  const show = await runCli(home, ["show", "report"]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.stdout, /^⊘ report skipped: "backup" has never run/);
  const status = JSON.parse((await runCli(home, ["status", "--json"])).stdout);
  assert.equal(JSON.stringify(status).includes('"status":"skipped"'), true, JSON.stringify(status));
  assert.equal(status.attention ?? null, null);
  assert.deepEqual([status.today.failed, status.today.skipped], [0, 1]);
  const statusText = (await runCli(home, ["status"])).stdout;
  assert.match(statusText, /^today: {4}0 succeeded, 0 failed, 1 skipped/m);
  assert.match(statusText, /⊘ {2}report .* skipped /);
  const logs = await runCli(home, ["logs"]);
  assert.match(logs.stdout, /report skipped: "backup" has never run/);

  // Once the dependency has succeeded, the task runs.
  assert.equal((await runCli(home, ["run", "backup", "--now"])).code, 0);
  const ran = await runCli(home, ["run", "report", "--now"]);
  assert.equal(ran.code, 0, ran.stdout + ran.stderr);
  assert.match(ran.stdout, /report succeeded/);

  // max_age, written as a duration: a success older than it does not count.
  await home.writeTask("report", REPORT.replace("max_age: 1d", "max_age: 0.001s"));
  const stale = await runCli(home, ["run", "report", "--now"]);
  assert.equal(stale.code, 1, stale.stderr);
  assert.match(
    stale.stdout,
    /report skipped: "backup" last succeeded (less than a second|\d+ seconds?|\d+ minutes?) ago, max_age 0\.001s/,
  );
});

Deno.test("a depends_on cycle is a config error naming the tasks, at the file and line", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "alpha",
    "task:\n  prompt: a\ndepends_on:\n  - task: beta\n",
  );
  await home.writeTask(
    "beta",
    "task:\n  prompt: b\ndepends_on:\n  - task: gamma\n    condition: complete\n",
  );
  await home.writeTask(
    "gamma",
    "task:\n  prompt: c\ndepends_on:\n  - task: backup\n  - task: alpha\n",
  );
  const r = await runCli(home, ["run", "alpha", "--now"]);
  assert.equal(r.code, 2, r.stdout);
  assert.match(
    r.stderr,
    /alpha\.yaml:4:5: "depends_on" makes a cycle: alpha -> beta -> gamma -> alpha/,
  );
  const g = await runCli(home, ["run", "gamma", "--now"]);
  assert.equal(g.code, 2, g.stdout);
  assert.match(
    g.stderr,
    /gamma\.yaml:5:5: "depends_on" makes a cycle: gamma -> alpha -> beta -> gamma/,
  );
});

Deno.test("log actions render result.* from a JSON reply; a template error goes into the record", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "inbox",
    `task:
  prompt: "Read mail"
  timeout: 60
  context:
    who: me
    team: "{{ name }}-team"
on_success:
  - log: "{{ name }} for {{ context.who }} ({{ context.team }}): {{ result.emails | length }} emails, {{ result.late | default(0) }} late"
  - notify: false
  - log: "{{ result.missing.count }}"
on_failure:
  - log: "{{ name }} failed: {{ error }}"
`,
  );
  const r = await runCli(home, ["run", "inbox", "--now"], {
    env: { FAKE_CLAUDE_SCENARIO: "json-reply" },
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const events = await logEvents(home);
  const logged = events.filter((e) => e.event === "action_log").map((e) => e.message);
  assert.deepEqual(logged, ["inbox for me (inbox-team): 2 emails, 0 late"]);
  const failed = events.filter((e) => e.event === "action_failed");
  assert.equal(failed.length, 1, JSON.stringify(events));
  const error = 'on_success action 3 (log): Template variable "result.missing.count" has no value';
  assert.equal(failed[0]?.error, error);
  const record = await readRecord(home, String(failed[0]?.run_id));
  assert.equal(record.status, "succeeded");
  assert.deepEqual(record.actions, {
    logs: ["inbox for me (inbox-team): 2 emails, 0 late"],
    errors: [error],
  });
  const logs = await runCli(home, ["logs"]);
  assert.match(logs.stdout, /inbox log: inbox for me \(inbox-team\): 2 emails, 0 late/);
  assert.match(logs.stdout, /inbox action failed: on_success action 3/);
  const show = await runCli(home, ["show", "inbox"]);
  assert.match(show.stdout, /action: {4}inbox for me \(inbox-team\): 2 emails, 0 late/);
  assert.match(show.stdout, /action failed: on_success action 3/);

  // A failed run takes on_failure, with {{ error }}.
  const bad = await runCli(home, ["run", "inbox", "--now"], {
    env: { FAKE_CLAUDE_SCENARIO: "error-401" },
  });
  assert.equal(bad.code, 1);
  const again = (await logEvents(home)).filter((e) => e.event === "action_log");
  assert.match(String(again.at(-1)?.message), /^inbox failed: .+/);
});

Deno.test("resume <run-id|task> runs claude --resume <session> in the run's folder with the task's env", async () => {
  await using home = await tempHome();
  const work = join(home.root, "work");
  await Deno.mkdir(work);
  await home.writeTask(
    "hello",
    `task:
  prompt: "Hi"
  timeout: 60
  working_directory: ${work}
  env:
    PROJECT_FLAG: "on"
`,
  );
  assert.equal((await runCli(home, ["run", "hello", "--now"])).code, 0);
  const log = join(home.root, "argv");
  const byTask = await runCli(home, ["resume", "hello"], { env: { FAKE_CLAUDE_LOG: log } });
  assert.equal(byTask.code, 0, byTask.stderr);
  const argv = (await Deno.readTextFile(log)).split("\0").slice(0, -1);
  assert.deepEqual(argv, ["--resume", "eb747026-a985-4f80-a5e9-440d29297dab"]);
  assert.equal((await Deno.readTextFile(`${log}.cwd`)).trim(), await Deno.realPath(work));
  assert.match(await Deno.readTextFile(`${log}.env`), /^PROJECT_FLAG=on$/m);
  assert.match(byTask.stderr, /Resuming hello's session eb747026-a985-4f80-a5e9-440d29297dab/);

  const id = String((await logEvents(home)).find((e) => e.event === "task_completed")?.run_id);
  await Deno.remove(log);
  const byId = await runCli(home, ["resume", id], { env: { FAKE_CLAUDE_LOG: log } });
  assert.equal(byId.code, 0, byId.stderr);
  assert.deepEqual((await Deno.readTextFile(log)).split("\0").slice(0, -1), [
    "--resume",
    "eb747026-a985-4f80-a5e9-440d29297dab",
  ]);

  const json = await runCli(home, ["resume", id, "--json"]);
  assert.equal(json.code, 0, json.stderr);
  assert.equal(JSON.parse(json.stdout).session_id, "eb747026-a985-4f80-a5e9-440d29297dab");

  // A claude that fails exits 1.
  const failing = await runCli(home, ["resume", "hello"], { env: { FAKE_CLAUDE_EXIT: "3" } });
  assert.equal(failing.code, 1);
});

Deno.test("a run without working_directory records the folder it ran in, and resume goes back there", async () => {
  await using home = await tempHome();
  const here = join(home.root, "here");
  const elsewhere = join(home.root, "elsewhere");
  await Deno.mkdir(here);
  await Deno.mkdir(elsewhere);
  await home.writeTask("hello", `task:\n  prompt: "Hi"\n  timeout: 60\n`);
  const run = await runCli(home, ["run", "hello", "--json", "--now"], { cwd: here });
  assert.equal(run.code, 0, run.stderr);
  assert.equal(JSON.parse(run.stdout).cwd, here);
  const show = await runCli(home, ["show", "hello"]);
  assert.match(show.stdout, new RegExp(`^cwd: +${here}$`, "m"));
  const log = join(home.root, "argv");
  const resumed = await runCli(home, ["resume", "hello"], {
    cwd: elsewhere,
    env: { FAKE_CLAUDE_LOG: log },
  });
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal((await Deno.readTextFile(`${log}.cwd`)).trim(), await Deno.realPath(here));
});

Deno.test("resume says clearly when there is no such run or no session; no argument resumes the queue", async () => {
  await using home = await tempHome();
  const unknown = await runCli(home, ["resume", "nosuch"]);
  assert.equal(unknown.code, 2);
  assert.match(
    unknown.stderr,
    /Cannot resume "nosuch": it is neither a run id nor a task that has run/,
  );
  const gone = await runCli(home, ["resume", "20260101-000000-abcdef"]);
  assert.equal(gone.code, 2);
  assert.match(gone.stderr, /Cannot resume run "20260101-000000-abcdef": it has no record/);

  // A skipped run has no session.
  await home.writeTask("report", REPORT);
  assert.equal((await runCli(home, ["run", "report", "--now"])).code, 1);
  const none = await runCli(home, ["resume", "report"]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /it has no Claude session \(it was skipped\)/);

  const queue = await runCli(home, ["resume"]);
  assert.equal(queue.code, 0, queue.stderr);
  assert.match(queue.stdout, /The queue was not paused/);
});
