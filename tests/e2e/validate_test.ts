/**
 * @module
 * `clodputer validate` end to end: the dry run of good tasks, every kind of user error by its
 * text (what, where as file:line:column, how to fix), and the risky-choice warnings.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, tempHome } from "./cli.ts";

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
      "mismatch",
      "name: other\ntask:\n  prompt: hi\n",
      /mismatch\.yaml:1:7: "name" must match the file name: the file is mismatch\.yaml but name is "other"/,
      /hint: /,
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
  const badCount = await runCli(home, ["validate", "--count", "lots"]);
  assert.equal(badCount.code, 2);
  assert.match(
    badCount.stderr,
    /Cannot preview "lots" runs: --count takes a whole number from 0 to 100/,
  );
});
