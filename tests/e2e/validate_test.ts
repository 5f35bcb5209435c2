/**
 * @module
 * `clodputer validate` end to end: the dry run of good tasks, every kind of user error by its
 * text (what, where as file:line:column, how to fix), and the risky-choice warnings.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, tempHome } from "./cli.ts";
import { ALIAS_BOMB, ALIAS_BOMB_AT, copyLegacy } from "./hostile.ts";

Deno.test("validate prints the claude command line, trigger and next runs, and exits 0", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "digest",
    'name: digest\nschedule:\n  type: cron\n  expression: "0 8 * * 1-5"\n  timezone: Asia/Tokyo\ntask:\n  prompt: "Summarise {{ context.now }} and more words to make this long enough to be cut"\n  allowed_tools: [Read, "Bash(git log:*)"]\n  model: sonnet\n',
  );
  const r = await runCli(home, ["validate", "digest", "--count", "4"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.equal(lines[0], "✓ digest");
  assert.equal(
    lines[1],
    '  trigger: cron "0 8 * * 1-5" (At 08:00, Monday through Friday), Asia/Tokyo',
  );
  assert.match(lines[2] as string, /^ {2}next: {4}(\d{4}-\d\d-\d\d 08:00 Asia\/Tokyo(, )?){4}$/);
  assert.match(
    lines[3] as string,
    /^ {2}claude: {2}\S+\/claude -p --output-format stream-json --verbose --model sonnet --allowedTools Read 'Bash\(git log:\*\)' < prompt\.txt$/,
  );
  assert.equal(
    lines[4],
    '  prompt.txt: "Summarise {{ context.now }} and more words to make this lon…" (77 bytes, given on stdin; templates are filled when a run starts)',
  );
  assert.match(r.stdout, /^1 task valid$/m);
  const json = JSON.parse((await runCli(home, ["validate", "--json"])).stdout);
  assert.equal(json[0].next_runs.length, 3);
  assert.equal(json[0].argv.at(-1), "Bash(git log:*)");
  assert.equal(
    json[0].prompt,
    "Summarise {{ context.now }} and more words to make this long enough to be cut",
  );
});

Deno.test("validate shows no next run for a disabled task, and says it is disabled", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "off",
    'name: off\nenabled: false\nschedule:\n  type: cron\n  expression: "0 8 * * *"\ntask:\n  prompt: hi\n',
  );
  const r = await runCli(home, ["validate", "off"]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split("\n");
  assert.equal(lines[1], '  trigger: cron "0 8 * * *" (At 08:00)');
  assert.equal(lines[2], "  next:    none: disabled (enabled: false)");
  const [json] = JSON.parse((await runCli(home, ["validate", "off", "--json"])).stdout);
  assert.equal(json.enabled, false);
  assert.deepEqual(json.next_runs, []);
});

Deno.test("validate names every user error with file:line:column and a fix, and exits 2", async () => {
  await using home = await tempHome();
  const cases: [string, string, RegExp, RegExp][] = [
    ["yaml", "name: yaml\ntask:\n  prompt: [unclosed\n", /yaml\.yaml:\d+:\d+: /, /hint: /],
    [
      "field",
      "name: field\ntask:\n  promt: hi\n  prompt: hi\n",
      /field\.yaml:3:3: Unknown key "promt" in "task"/,
      /hint: did you mean "prompt"\?/,
    ],
    [
      "kind",
      "name: kind\ntask:\n  prompt: hi\n  timeout: ten\n",
      /kind\.yaml:4:12: "timeout" must be a positive number of seconds, got "ten"/,
      /hint: write timeout: 600/,
    ],
    [
      "cron",
      'name: cron\nschedule:\n  type: cron\n  expression: "0 25 * * *"\ntask:\n  prompt: hi\n',
      /cron\.yaml:4:15: Cron expression "0 25 \* \* \*" is invalid: Invalid value for hour: 25/,
      /hint: fields are minute/,
    ],
    [
      "zone",
      'name: zone\nschedule:\n  type: cron\n  expression: "0 8 * * *"\n  timezone: Europe/Londn\ntask:\n  prompt: hi\n',
      /zone\.yaml:5:13: "timezone" must be an IANA time zone name such as "America\/New_York", got "Europe\/Londn"/,
      /hint: did you mean "Europe\/London"\?/,
    ],
    [
      "tool",
      "name: tool\ntask:\n  prompt: hi\n  allowed_tools: [WebFetc]\n",
      /tool\.yaml:4:19: Unknown tool "WebFetc" in "allowed_tools"/,
      /hint: did you mean "WebFetch"\?/,
    ],
    [
      "envvar",
      'name: envvar\ntask:\n  prompt: "{{ env.NOT_SET_ANYWHERE }}"\n',
      /envvar\.yaml:3:\d+: .*NOT_SET_ANYWHERE/,
      /hint: export NOT_SET_ANYWHERE/,
    ],
    [
      "bomb",
      ALIAS_BOMB,
      /bomb\.yaml:9:42: Too many YAML aliases: the file expands beyond 100000 values/,
      /hint: write the values out, or use fewer anchors and aliases/,
    ],
  ];
  for (const [name, yaml] of cases) await home.writeTask(name, yaml);
  const r = await runCli(home, ["validate"]);
  assert.equal(r.code, 2);
  for (const [name, , problem, hint] of cases) {
    const block = r.stdout.split(/\n(?=[✓✗])/).find((b) => b.startsWith(`✗ ${name}:`));
    assert.ok(block, `no block for ${name}:\n${r.stdout}`);
    assert.match(block as string, problem, name);
    assert.match(block as string, hint, name);
  }
  assert.match(r.stdout, /^8 of 8 tasks invalid$/m);
  assert.doesNotMatch(r.stdout + r.stderr, /internal error/);
  assert.doesNotMatch(r.stdout + r.stderr, /at .*\.ts:\d+:\d+/, "no stack traces");
});

Deno.test("validate of a missing task, a bad name and an unreadable file", async () => {
  await using home = await tempHome();
  await home.writeTask("hello", "name: hello\ntask:\n  prompt: hi\n");
  const missing = await runCli(home, ["validate", "helo"]);
  assert.equal(missing.code, 2);
  assert.match(missing.stderr, /^error: Cannot find task "helo": there is no \S+helo\.yaml$/m);
  assert.match(missing.stderr, /^hint: did you mean "hello"\?/m);
  const badName = await runCli(home, ["validate", "../etc/passwd"]);
  assert.equal(badName.code, 2);
  assert.match(badName.stderr, /^error: .*"\.\.\/etc\/passwd"/m);
  await Deno.mkdir(join(home.clodputerHome, "tasks", "dir.yaml"));
  const unreadable = await runCli(home, ["validate", "dir"]);
  assert.equal(unreadable.code, 2);
  assert.match(unreadable.stdout + unreadable.stderr, /dir\.yaml/);
});

Deno.test("validate warns about risky but legal choices", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "risky",
    'name: risky\nschedule:\n  type: cron\n  expression: "* * * * *"\ntrigger:\n  type: file_watch\n  path: ~/nowhere\ntask:\n  prompt: hi\n  timeout: 90000\n',
  );
  const r = await runCli(home, ["validate"]);
  assert.equal(r.code, 0, r.stderr);
  for (
    const w of [
      /! The schedule "\* \* \* \* \*" runs every minute: each run costs tokens; is that meant\?/,
      /! No tools are allowed: Claude can only answer in text/,
      /! The timeout is 90000 s \(over 4 hours\)/,
      /! The watched folder \S+\/nowhere does not exist yet/,
    ]
  ) assert.match(r.stdout, w);
  // The warning looks two runs ahead however many the preview shows.
  for (const count of ["0", "1"]) {
    const few = await runCli(home, ["validate", "--count", count]);
    assert.match(few.stdout, /runs every minute/);
    const next = few.stdout.match(/^ {2}next: {4}(.*)$/m)?.[1];
    assert.equal(next === undefined ? 0 : next.split(", ").length, Number(count));
  }
  const badCount = await runCli(home, ["validate", "--count", "lots"]);
  assert.equal(badCount.code, 2);
  assert.match(
    badCount.stderr,
    /Cannot preview "lots" runs: --count takes a whole number from 0 to 100/,
  );
});

Deno.test("validate of one alias bomb: a config error at file:line:column, exit 2", async () => {
  await using home = await tempHome();
  await home.writeTask("bomb", ALIAS_BOMB);
  for (const args of [["validate", "bomb"], ["validate", "bomb", "--json"]]) {
    const r = await runCli(home, args);
    assert.equal(r.code, 2, r.stderr);
    assert.doesNotMatch(r.stdout + r.stderr, /internal error|Excessive alias count/);
    assert.match(r.stdout, new RegExp(ALIAS_BOMB_AT.replaceAll(".", "\\.")));
  }
});

Deno.test("validate names each unusable task file with its own problem, and exits 2", async () => {
  await using home = await tempHome();
  const tasks = join(home.clodputerHome, "tasks");
  await Deno.writeFile(
    join(tasks, "latin.yaml"),
    new Uint8Array([...new TextEncoder().encode("task:\n  prompt: caf"), 0xe9, 0x0a]),
  );
  await home.writeTask("empty", "");
  await Deno.mkdir(join(tasks, "folder.yaml"));
  await Deno.symlink(join(tasks, "gone.yaml"), join(tasks, "dangling.yaml"));
  await home.writeTask("huge", `task:\n  prompt: "${"x".repeat(1024 * 1024)}"\n`);
  await home.writeTask("fine", "task:\n  prompt: hi\n  allowed_tools: [Read]\n");
  const expected: [string, RegExp][] = [
    [
      "latin",
      /^ {2}\S+\/latin\.yaml:2:14: The file is not UTF-8 text: byte 0xe9 at offset 19 is not valid UTF-8$/m,
    ],
    ["empty", /^ {2}\S+\/empty\.yaml:1:1: The file is empty$/m],
    ["folder", /^ {2}\S+\/folder\.yaml: This is a folder, not a task file$/m],
    [
      "dangling",
      /^ {2}\S+\/dangling\.yaml: The file is a symbolic link to "\S+\/gone\.yaml", which does not exist$/m,
    ],
    [
      "huge",
      /^ {2}\S+\/huge\.yaml: The file is 1048595 bytes, over the limit of 1048576 bytes \(1 MiB\)$/m,
    ],
  ];
  // Each one named on its own, and all together.
  for (const [name, line] of expected) {
    const r = await runCli(home, ["validate", name]);
    assert.equal(r.code, 2, `${name}: ${r.stderr}`);
    assert.match(r.stdout, new RegExp(`^✗ ${name}: 1 problem$`, "m"));
    assert.match(r.stdout, line, name);
    assert.equal(r.stderr, "", name);
  }
  const all = await runCli(home, ["validate"]);
  assert.equal(all.code, 2);
  assert.match(all.stdout, /^✓ fine$/m);
  assert.match(all.stdout, /^4 of 5 tasks invalid$/m, "a folder is not listed as a task");
  for (const [name, line] of expected) if (name !== "folder") assert.match(all.stdout, line);
});

Deno.test("validate warns about a working_directory that does not exist", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "cwd",
    "task:\n  prompt: hi\n  allowed_tools: [Read]\n  working_directory: ~/not-there\n",
  );
  const r = await runCli(home, ["validate"]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stdout,
    new RegExp(
      `^ {2}! The working_directory ${home.home}/not-there is not a folder: the run fails to start ` +
        `until it exists \\(mkdir -p ${home.home}/not-there\\)$`,
      "m",
    ),
  );
  await Deno.mkdir(join(home.home, "not-there"));
  assert.doesNotMatch((await runCli(home, ["validate"])).stdout, /working_directory/);
});

Deno.test("validate loads earlier-format files whose name: differs, warning with the fix", async () => {
  await using home = await tempHome();
  await copyLegacy(home, "file-watcher");
  await copyLegacy(home, "manual-task");
  const r = await runCli(home, ["validate"]);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^✓ file-watcher \(name: project-watcher\)$/m);
  assert.match(r.stdout, /^✓ manual-task \(name: manual-review\)$/m);
  assert.match(
    r.stdout,
    /^ {2}! \S+\/file-watcher\.yaml:3:7: "name" is "project-watcher" but the file is file-watcher\.yaml: the task is known as "file-watcher" \(rename the file to project-watcher\.yaml, or write name: file-watcher\)$/m,
  );
  assert.match(r.stdout, /^2 tasks valid$/m);
  const json = JSON.parse((await runCli(home, ["validate", "--json"])).stdout);
  assert.deepEqual(json.map((v: { name: string; label: string }) => [v.name, v.label]), [
    ["file-watcher", "project-watcher"],
    ["manual-task", "manual-review"],
  ]);
  const byLabel = await runCli(home, ["validate", "manual-review"]);
  assert.equal(byLabel.code, 2);
  assert.match(
    byLabel.stderr,
    /^error: Cannot find task "manual-review": the task named "manual-review" is the file manual-task\.yaml, known as "manual-task"$/m,
  );
});
