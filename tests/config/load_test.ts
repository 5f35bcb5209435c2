/**
 * @module
 * Loading task files and the global config: every problem at its exact line and column,
 * `{{ env.NAME }}` substitution, task lookup, and task files in the earlier format.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { listTaskNames, loadGlobalConfig, loadTask } from "../../lib/config/load.ts";
import { loadTaskFile, parseGlobalSource, parseTaskSource } from "../../lib/config/parse.ts";
import { MAX_TASK_FILE_BYTES } from "../../lib/config/source.ts";
import { MAX_ALIAS_EXPANSION } from "../../lib/config/yaml.ts";
import { ConfigError, NotFoundError, UsageError } from "../../lib/errors.ts";
import { type Env, envFrom } from "../../lib/sys/env.ts";
import { type Paths, pathsUnder } from "../../lib/sys/paths.ts";

const FILE = "tasks/daily-email.yaml";
const ENV = envFrom({ HOME: "/home/me" });
const LEGACY = join(import.meta.dirname ?? ".", "..", "fixtures", "config", "legacy");

type Row = [line: number | undefined, column: number | undefined, field: string, message: string];

/** The ConfigError `fn` throws, as rows of [line, column, field, message]. */
function problems(fn: () => unknown): { error: ConfigError; rows: Row[] } {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const rows = error.issues.map((i): Row => [
      i.where.line,
      i.where.column,
      i.where.field ?? "",
      i.message,
    ]);
    return { error, rows };
  }
  assert.fail("expected a ConfigError");
}

function parse(source: string, env: Env = ENV) {
  return parseTaskSource(source, { file: FILE, env });
}

async function tempPaths(): Promise<Paths & AsyncDisposable> {
  const home = await Deno.makeTempDir({ prefix: "clodputer-config-" });
  await Deno.mkdir(join(home, "tasks"));
  return {
    ...pathsUnder(home),
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true });
    },
  };
}

Deno.test("parseTaskSource() loads a minimal task and takes the name from the file", () => {
  const loaded = parseTaskSource("task:\n  prompt: Hi\n", {
    file: "/x/tasks/hello.yaml",
    env: ENV,
  });
  assert.equal(loaded.name, "hello");
  assert.equal(loaded.config.name, "hello");
  assert.equal(loaded.file, "/x/tasks/hello.yaml");
  assert.equal(loaded.config.task.prompt, "Hi");
  assert.deepEqual(loaded.secretValues, []);
  assert.deepEqual(loaded.warnings, []);
});

Deno.test("parseTaskSource() reports every problem at once, each at its exact line and column", () => {
  const source = [
    "name: daily-email", //               1
    "enabled: maybe", //                  2
    "task:", //                           3
    "  promt: Summarise my inbox", //     4
    "  timeout: ten", //                  5
    "  allowed_tools:", //                6
    "    - Read", //                      7
    "    - Reed", //                      8
    "    - bash", //                      9
    "  permission_mode: acceptEdit", //  10
    "schedule:", //                      11
    "  type: cron", //                   12
    '  expression: "0 8 * * *"', //      13
    "  timezone: Mars/Olympus", //       14
    "on_failure:", //                    15
    "  - notfy: true", //                16
    "",
  ].join("\n");
  const { error, rows } = problems(() => parse(source));
  assert.equal(error.message, `Cannot load task "daily-email": 9 problems in ${FILE}`);
  assert.equal(error.exitCode, 2);
  assert.deepEqual(error.where, { file: FILE });
  assert.deepEqual(rows, [
    [2, 10, "enabled", '"enabled" must be true or false, got "maybe"'],
    [3, 1, "task.prompt", 'Missing "prompt" under "task"'],
    [4, 3, "task.promt", 'Unknown key "promt" in "task"'],
    [5, 12, "task.timeout", '"timeout" must be a positive number of seconds, got "ten"'],
    [8, 7, "task.allowed_tools[1]", 'Unknown tool "Reed" in "allowed_tools"'],
    [9, 7, "task.allowed_tools[2]", 'Unknown tool "bash" in "allowed_tools"'],
    [
      10,
      20,
      "task.permission_mode",
      '"permission_mode" must be one of default, acceptEdits, plan, bypassPermissions, auto, ' +
      'manual, dontAsk, got "acceptEdit"',
    ],
    [
      14,
      13,
      "schedule.timezone",
      '"timezone" must be an IANA time zone name such as "America/New_York", got "Mars/Olympus"',
    ],
    [16, 5, "on_failure[0].notfy", 'Unknown key "notfy" in "on_failure"'],
  ]);
  assert.deepEqual(error.issues.map((i) => i.hint), [
    "write enabled: true",
    'add prompt: "Summarise my unread email" under task:',
    'did you mean "prompt"?',
    "write timeout: 600",
    'did you mean "Read"?',
    'did you mean "Bash"?',
    'did you mean "acceptEdits"? write permission_mode: acceptEdits',
    "write timezone: America/New_York, or leave it out to use the machine's time zone",
    'did you mean "notify"?',
  ]);
  assert.ok(error.issues.every((i) => i.where.file === FILE));
});

Deno.test("parseTaskSource() says 1 problem, and suggests the right time zone", () => {
  const { error, rows } = problems(() =>
    parse(
      'task:\n  prompt: Hi\nschedule:\n  type: cron\n  expression: "* * * * *"\n' +
        "  timezone: America/Los_Angles\n",
    )
  );
  assert.equal(error.message, `Cannot load task "daily-email": 1 problem in ${FILE}`);
  assert.deepEqual(rows.map((r) => r.slice(0, 3)), [[6, 13, "schedule.timezone"]]);
  assert.equal(
    error.issues[0]?.hint,
    'did you mean "America/Los_Angeles"? write timezone: America/Los_Angeles',
  );
});

Deno.test("parseTaskSource() reports YAML syntax errors at their line and column", () => {
  const cases: [string, Row][] = [
    [
      "name: x\ntask:\n  prompt: hi\n  prompt: again\n",
      [4, 3, "", 'Invalid YAML: the key "prompt" appears twice in the same mapping'],
    ],
    [
      "task:\n  prompt: hi\n timeout: 5\n",
      [3, 1, "", "Invalid YAML: All mapping items must start at the same column"],
    ],
    [
      "task:\n  prompt: hi\n  allowed_tools: [Read, Write\n",
      [
        // yaml reports an unclosed bracket where the input ends.
        4,
        1,
        "",
        "Invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]",
      ],
    ],
  ];
  for (const [source, row] of cases) {
    const { error, rows } = problems(() => parse(source));
    assert.deepEqual(rows[0], row, source);
    assert.match(error.message, /^Cannot load task "daily-email": \d problems? in tasks\//);
  }
  const { error } = problems(() => parse("task:\n  prompt: hi\n  prompt: again\n"));
  assert.equal(error.issues[0]?.hint, "remove one of them");
});

Deno.test("parseTaskSource() rejects an empty file and a file that is not a mapping", () => {
  const cases: [string, string][] = [
    ["", "The file is empty"],
    ["\n  \n", "The file is empty"],
    ["# only a comment\n", "The file has no settings"],
    ["- a\n- b\n", "The file must be a mapping of settings, not a single value or a list"],
    ["just text\n", "The file must be a mapping of settings, not a single value or a list"],
  ];
  for (const [source, message] of cases) {
    const { rows } = problems(() => parse(source));
    assert.deepEqual(rows, [[1, 1, "", message]], JSON.stringify(source));
  }
});

Deno.test("parseTaskSource() points a key with no value at the key", () => {
  const { rows } = problems(() => parse("name: daily-email\ntask:\n"));
  assert.deepEqual(rows, [[
    2,
    1,
    "task",
    `"task" must be a mapping with prompt: and the task's settings, got nothing`,
  ]]);
});

Deno.test("parseTaskSource() says to quote a template that YAML read as a mapping", () => {
  const { error, rows } = problems(() => parse("task:\n  prompt: {{ name }}\n"));
  assert.deepEqual(rows, [[2, 11, "task.prompt", '"prompt" must be text, got a mapping']]);
  assert.equal(
    error.issues[0]?.hint,
    'put the text in quotes, for example prompt: "{{ name }} ..."',
  );
});

Deno.test("parseTaskSource() substitutes {{ env.NAME }} everywhere and keeps other templates", () => {
  const env = envFrom({ HOME: "/home/me", USER: "bob", TOKEN: "s3cret-token", EMPTY: "" });
  const loaded = parse(
    [
      "task:",
      '  prompt: "Hi {{ env.USER }}, {{env.TOKEN}} {{ secrets.X }} {{ name }} {{ context.a }}"',
      "  append_system_prompt: |",
      '    You work for {{ env.USER }}{{ env.EMPTY }}. {{ env.NOPE | default("n/a") }}',
      "  context:",
      "    token: '{{ env.TOKEN }}'",
      "    list: ['{{ env.USER }}', 3]",
      "  env:",
      '    API_TOKEN: "{{ env.TOKEN }}"',
      "on_success:",
      '  - log: "{{ name }} ran for {{ env.USER }}: {{ result.n | default(0) }}"',
      "",
    ].join("\n"),
    env,
  );
  const task = loaded.config.task;
  assert.equal(task.prompt, "Hi bob, s3cret-token {{ secrets.X }} {{ name }} {{ context.a }}");
  assert.equal(task.append_system_prompt, "You work for bob. n/a\n");
  assert.deepEqual(task.context, { token: "s3cret-token", list: ["bob", 3] });
  assert.deepEqual(task.env, { API_TOKEN: "s3cret-token" });
  assert.deepEqual(loaded.config.on_success, [
    { log: "{{ name }} ran for bob: {{ result.n | default(0) }}" },
  ]);
  assert.deepEqual(loaded.secretValues.sort(), ["bob", "s3cret-token"]);
});

Deno.test("parseTaskSource() names each missing environment variable at its line and column", () => {
  const source = [
    "task:", //                                                    1
    "  prompt: |", //                                              2
    "    Read {{ env.INBOX }} and", //                             3
    "    write to {{ env.OUT }} and {{ env.OUT }}", //             4
    '  mcp_config: "{{ env.MCP }}"', //                            5
    "  context:", //                                               6
    "    key: x {{ env.A.B }}", //                                 7
    "",
  ].join("\n");
  const { error, rows } = problems(() => parse(source));
  assert.deepEqual(rows, [
    [3, 10, "task.prompt", 'Environment variable "INBOX" is not set (used in "task.prompt")'],
    [4, 14, "task.prompt", 'Environment variable "OUT" is not set (used in "task.prompt")'],
    [4, 32, "task.prompt", 'Environment variable "OUT" is not set (used in "task.prompt")'],
    [5, 16, "task.mcp_config", 'Environment variable "MCP" is not set (used in "task.mcp_config")'],
    [
      7,
      12,
      "task.context.key",
      '"{{ env.A.B }}" is not an environment variable: write {{ env.NAME }}',
    ],
  ]);
  assert.equal(
    error.issues[0]?.hint,
    "export INBOX in the shell that runs clodputer; for scheduled runs, add the line " +
      "INBOX=value above the clodputer entries of the crontab (crontab -e)",
  );
});

Deno.test("parseTaskSource() checks template syntax where templates are filled at run time", () => {
  const source = [
    "description: 'Uses {{ odd | syntax }} freely'", //                1
    "task:", //                                                        2
    "  prompt: |", //                                                  3
    "    Count {{ context.items | lenght }} items", //                 4
    "on_success:", //                                                  5
    '  - log: "done {{ result.n | default(0 }}"', //                   6
    "",
  ].join("\n");
  const { error, rows } = problems(() => parse(source));
  assert.deepEqual(rows, [
    [
      4,
      11,
      "task.prompt",
      'Invalid template "{{ context.items | lenght }}": Unknown template filter "lenght"',
    ],
    [
      6,
      16,
      "on_success[0].log",
      'Invalid template "{{ result.n | default(0 }}": Filter "default" is missing its closing ")"',
    ],
  ]);
  assert.equal(error.issues[0]?.hint, 'did you mean "length"?');
});

Deno.test("parseTaskSource() leaves informational keys alone, even with templates in them", () => {
  const loaded = parse(
    "task:\n  prompt: Hi\ncreated_by: '{{ env.NOPE }}'\nlast_run: 2025-10-09\nrun_count: 3\n",
  );
  assert.equal("created_by" in loaded.config, false);
  assert.equal("run_count" in loaded.config, false);
});

Deno.test("parseTaskSource() names the task by its file; a different name: is a label and a warning", () => {
  const loaded = parse("description: x\nname: daily-mail\ntask:\n  prompt: Hi {{ name }}\n");
  assert.equal(loaded.name, "daily-email");
  assert.equal(loaded.config.name, "daily-email");
  assert.equal(loaded.label, "daily-mail");
  assert.deepEqual(loaded.warnings, [{
    message: '"name" is "daily-mail" but the file is daily-email.yaml: the task is known as ' +
      '"daily-email"',
    hint: "rename the file to daily-mail.yaml, or write name: daily-email",
    where: { file: FILE, line: 2, column: 7, field: "name" },
  }]);
  // A name: that matches, or none at all, is no label and no warning.
  for (const source of ["name: daily-email\ntask:\n  prompt: Hi\n", "task:\n  prompt: Hi\n"]) {
    const same = parse(source);
    assert.equal(same.name, "daily-email");
    assert.equal("label" in same, false);
    assert.deepEqual(same.warnings, []);
  }
  // The file's stem must be a task name, whatever name: says.
  const { rows } = problems(() =>
    parseTaskSource("name: good\ntask:\n  prompt: Hi\n", { file: "/t/Bad Name.yaml", env: ENV })
  );
  assert.deepEqual(rows, [[
    undefined,
    undefined,
    "",
    'The file name "Bad Name.yaml" is not a valid task name',
  ]]);
});

Deno.test("parseTaskSource() uses the default timeout it is given", () => {
  const loaded = parseTaskSource("task:\n  prompt: Hi\n", {
    file: FILE,
    env: ENV,
    defaultTimeout: 1200,
  });
  assert.equal(loaded.config.task.timeout, 1200);
});

Deno.test("parseTaskSource() puts warnings on the line of what they are about", () => {
  const loaded = parse("task:\n  prompt: Hi\n  allowed_tools:\n    - Read\n    - Terminal\n");
  assert.deepEqual(
    loaded.warnings.map((w) => [w.where.line, w.where.column, w.where.field, w.hint]),
    [[5, 7, "task.allowed_tools[1]", "use Bash instead"]],
  );
});

Deno.test("parseTaskSource() reads YAML anchors and merge keys, as PyYAML did", () => {
  const loaded = parse(
    [
      "task:",
      "  prompt: Hi",
      "on_success:",
      '  - &note {log: "{{ name }} done"}',
      "on_failure:",
      "  - <<: *note",
      "    notify: true",
      "",
    ].join("\n"),
  );
  assert.deepEqual(loaded.config.on_success, [{ log: "{{ name }} done" }]);
  assert.deepEqual(loaded.config.on_failure, [{ log: "{{ name }} done" }, { notify: true }]);
});

/** A YAML alias bomb: ten values, each level ten aliases of the one before, nine levels. */
function aliasBomb(levels = 9): string {
  const out = ["task:", "  prompt: Hi", "  context:", `    l0: &l0 [${Array(10).fill('"x"')}]`];
  for (let i = 1; i < levels; i++) {
    out.push(`    l${i}: &l${i} [${Array(10).fill(`*l${i - 1}`)}]`);
  }
  return out.join("\n") + "\n";
}

Deno.test("parseTaskSource() refuses an alias bomb at the alias that crosses the limit", () => {
  assert.equal(MAX_ALIAS_EXPANSION, 100_000);
  const { error, rows } = problems(() => parse(aliasBomb()));
  assert.equal(error.message, `Cannot load task "daily-email": 1 problem in ${FILE}`);
  assert.equal(error.exitCode, 2);
  // Aliases of levels 1 to 3 add 12330 values; each alias of level 3 adds 11111 more, so the
  // eighth one on line 8 (l4, column 42) crosses 100000.
  assert.deepEqual(rows, [[
    8,
    42,
    "",
    "Too many YAML aliases: the file expands beyond 100000 values",
  ]]);
  assert.equal(error.issues[0]?.hint, "write the values out, or use fewer anchors and aliases");
  // The same bomb in the global config.
  const global = problems(() =>
    parseGlobalSource(aliasBomb(), { file: "/h/config.yaml", env: ENV })
  );
  assert.deepEqual(global.rows[0]?.slice(0, 2), [8, 42]);
});

Deno.test("parseTaskSource() reads many aliases that stay under the limit", () => {
  // 300 uses of one anchor: yaml's own guard (100 aliases) refused this.
  const loaded = parse(
    `task:\n  prompt: Hi\n  allowed_tools: &tools [Read]\n  context:\n    x: [${
      Array(300).fill("*tools")
    }]\n`,
  );
  assert.equal((loaded.config.task.context.x as unknown[]).length, 300);
  assert.deepEqual(
    parse(aliasBomb(4)).config.task.context.l3,
    Array(10).fill(Array(10).fill(Array(10).fill(Array(10).fill("x")))),
  );
});

Deno.test("parseTaskSource() refuses an alias to the value that contains it", () => {
  const { rows } = problems(() => parse("task:\n  prompt: Hi\n  context: &c\n    me: *c\n"));
  assert.deepEqual(rows, [[4, 9, "", 'The alias "*c" refers to the value that contains it']]);
});

Deno.test("loadTaskFile() gives each unusable file its own problem, naming the file", async () => {
  await using paths = await tempPaths();
  const at = (name: string) => join(paths.tasks, `${name}.yaml`);
  await Deno.writeFile(at("latin1"), new TextEncoder().encode("task:\n  prompt: caf\u0000\n"));
  const latin = new TextEncoder().encode("task:\n  prompt: café \u0000\n");
  latin[latin.indexOf(0)] = 0xe9; // "é" in Latin-1 after the UTF-8 one
  await Deno.writeFile(at("latin1"), latin);
  await Deno.writeFile(at("empty"), new Uint8Array());
  await Deno.mkdir(at("folder"));
  await Deno.symlink(join(paths.tasks, "gone.yaml"), at("dangling"));
  await Deno.writeTextFile(at("huge"), `task:\n  prompt: "${"x".repeat(MAX_TASK_FILE_BYTES)}"\n`);
  await Deno.writeTextFile(
    at("just-fits"),
    `task:\n  prompt: "${"x".repeat(MAX_TASK_FILE_BYTES - 20)}"\n`.padEnd(MAX_TASK_FILE_BYTES),
  );
  const cases: [string, Row, string][] = [
    [
      "latin1",
      [2, 16, "", "The file is not UTF-8 text: byte 0xe9 at offset 22 is not valid UTF-8"],
      `save it as UTF-8, for example: iconv -f latin1 -t utf-8 ${at("latin1")}`,
    ],
    [
      "empty",
      [1, 1, "", "The file is empty"],
      'write name: my-task, then task: with prompt: "What Claude should do" under it',
    ],
    [
      "folder",
      [undefined, undefined, "", "This is a folder, not a task file"],
      `a task is one YAML file; move or rename the folder ${at("folder")}`,
    ],
    [
      "dangling",
      [
        undefined,
        undefined,
        "",
        `The file is a symbolic link to "${join(paths.tasks, "gone.yaml")}", which does not exist`,
      ],
      `fix or remove the link: ls -l ${at("dangling")}`,
    ],
    [
      "huge",
      [
        undefined,
        undefined,
        "",
        `The file is ${MAX_TASK_FILE_BYTES + 19} bytes, over the limit of 1048576 bytes (1 MiB)`,
      ],
      "a task file holds settings and a prompt; keep long text in a file the prompt names",
    ],
  ];
  assert.equal(MAX_TASK_FILE_BYTES, 1024 * 1024);
  for (const [name, row, hint] of cases) {
    for (
      const load of [() => loadTask(paths, name, ENV), () => loadTaskFile(at(name), { env: ENV })]
    ) {
      await assert.rejects(load, (error: unknown) => {
        assert.ok(error instanceof ConfigError, `${name}: ${error}`);
        assert.equal(error.message, `Cannot load task "${name}": 1 problem in ${at(name)}`);
        assert.deepEqual(
          error.issues.map((
            i,
          ): Row => [i.where.line, i.where.column, i.where.field ?? "", i.message]),
          [row],
          name,
        );
        assert.equal(error.issues[0]?.where.file, at(name));
        assert.equal(error.issues[0]?.hint, hint, name);
        return true;
      });
    }
  }
  assert.equal(
    (await loadTask(paths, "just-fits", ENV)).config.task.prompt.length,
    MAX_TASK_FILE_BYTES - 20,
  );
});

Deno.test("loadGlobalConfig() refuses a config.yaml that is not UTF-8 or too big", async () => {
  await using paths = await tempPaths();
  await Deno.writeFile(paths.config, new Uint8Array([0x61, 0x3a, 0x20, 0xff, 0x0a]));
  await assert.rejects(() => loadGlobalConfig(paths, ENV), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.message, `Cannot load the global config: 1 problem in ${paths.config}`);
    assert.deepEqual(error.issues[0]?.where, { file: paths.config, line: 1, column: 4 });
    return true;
  });
});

// ---------------------------------------------------------------------------------------------
// The earlier format
// ---------------------------------------------------------------------------------------------

async function loadLegacy(name: string) {
  return await loadTaskFile(join(LEGACY, `${name}.yaml`), {
    env: envFrom({ HOME: "/home/me", CALENDAR_EMAIL: "me@example.com" }),
  });
}

Deno.test("loadTaskFile() loads every task file of the earlier format unchanged", async () => {
  const names = (await Array.fromAsync(Deno.readDir(LEGACY)))
    .map((e) => e.name.replace(/\.yaml$/, "")).sort();
  assert.deepEqual(names, [
    "calendar-sync",
    "daily-email",
    "file-watcher",
    "hourly-digest",
    "manual-review",
    "manual-task",
    "project-watcher",
    "todo-triage",
  ]);
  for (const name of names) {
    const loaded = await loadLegacy(name);
    assert.equal(loaded.name, name);
    assert.equal(loaded.config.name, name);
  }
});

Deno.test("loadTaskFile() loads the earlier templates whose name: differs, under their file name", async () => {
  const watcher = await loadLegacy("file-watcher");
  assert.equal(watcher.name, "file-watcher");
  assert.equal(watcher.label, "project-watcher");
  assert.deepEqual(watcher.config.trigger, {
    type: "file_watch",
    path: "/home/me/Projects",
    pattern: "*.md",
    event: "created",
    debounce: 1000,
    recursive: false,
    ignore: [],
  });
  assert.deepEqual(watcher.warnings.map((w) => [w.where.line, w.where.column, w.message, w.hint]), [
    [
      3,
      7,
      '"name" is "project-watcher" but the file is file-watcher.yaml: the task is known as ' +
      '"file-watcher"',
      "rename the file to project-watcher.yaml, or write name: file-watcher",
    ],
  ]);
  const manual = await loadLegacy("manual-task");
  assert.equal(manual.name, "manual-task");
  assert.equal(manual.label, "manual-review");
  assert.deepEqual(manual.config.trigger, { type: "manual" });
  assert.equal(manual.config.task.timeout, 600);
  assert.equal(manual.warnings.length, 1);
});

Deno.test("loadTaskFile() reads an earlier-format cron task with its statistics keys", async () => {
  const loaded = await loadLegacy("daily-email");
  assert.deepEqual(loaded.config, {
    name: "daily-email",
    description: "Drafts a morning summary of unread email using the Gmail MCP.",
    enabled: true,
    priority: "normal",
    schedule: {
      type: "cron",
      expression: "0 8 * * *",
      timezone: "America/Los_Angeles",
      catch_up: "skip",
    },
    depends_on: [],
    task: {
      prompt: "Read the unread emails of the last 24 hours with the Gmail MCP.\n" +
        "Reply with a JSON object:\n" +
        '{"task": "daily-email", "status": "completed", "summary": "...", "action_items": [...]}\n',
      allowed_tools: ["Read", "Write", "mcp__gmail"],
      disallowed_tools: [],
      timeout: 900,
      context: {},
      max_retries: 0,
      retry_backoff_seconds: 60,
      max_retry_delay: 3600,
      env: {},
      session: "new",
      session_max_age: 604_800,
      session_max_runs: 20,
    },
    on_success: [{ log: "{{name}} completed at {{ context.now }}" }, { notify: false }],
    on_failure: [{ log: "{{name}} failed: {{error}}" }, { notify: true }],
  });
  assert.deepEqual(loaded.warnings, []);
});

Deno.test("loadTaskFile() reads an earlier-format watcher, expanding ~ in its paths", async () => {
  const { config } = await loadLegacy("project-watcher");
  assert.deepEqual(config.trigger, {
    type: "file_watch",
    path: "/home/me/Projects/Inbox",
    pattern: "*.md",
    event: "created",
    debounce: 500,
    recursive: false,
    ignore: [],
  });
  assert.equal(config.task.mcp_config, "/home/me/.clodputer/mcp-overrides.json");
  assert.equal(config.task.permission_mode, "acceptEdits");
  assert.deepEqual(config.task.disallowed_tools, ["Bash"]);
  assert.deepEqual(config.task.context, {
    file_path: "{{ metadata.path }}",
    output_dir: "~/Reports",
  });
  assert.equal(config.task.max_retries, 2);
  assert.equal(config.task.retry_backoff_seconds, 30);
});

Deno.test("loadTaskFile() reads an earlier-format task with catch-up, a dependency and placeholders", async () => {
  const loaded = await loadLegacy("calendar-sync");
  assert.deepEqual(loaded.config.schedule, {
    type: "cron",
    expression: "*/30 6-22 * * MON-FRI",
    timezone: "Europe/London",
    catch_up: "run_once",
  });
  assert.deepEqual(loaded.config.depends_on, [
    { task: "daily-email", condition: "complete", max_age: 86400 },
  ]);
  assert.deepEqual(loaded.config.task.context, {
    calendar_email: "me@example.com",
    notion_database_id: "{{ secrets.NOTION_CALENDAR_DB }}",
  });
  assert.deepEqual(loaded.secretValues, ["me@example.com"]);
  assert.equal(loaded.config.task.max_retry_delay, 900);
});

Deno.test("loadTaskFile() reads what PyYAML and the old loader let through, with warnings", async () => {
  const loaded = await loadLegacy("todo-triage");
  assert.equal(loaded.config.enabled, true);
  assert.equal(loaded.config.priority, "high");
  assert.equal("permission_mode" in loaded.config.task, false);
  assert.deepEqual(loaded.config.task.allowed_tools, ["Read", "Write", "Search"]);
  assert.deepEqual(loaded.config.on_success, [
    { log: "todo-triage processed {{ result.today | length | default(0) }} urgent items" },
    { notify: false },
  ]);
  assert.deepEqual(loaded.config.on_failure, [
    { log: "todo-triage failed: {{error}}" },
    { notify: true },
    { retry: true },
  ]);
  assert.deepEqual(
    loaded.warnings.map((w) => [w.where.line, w.where.field, w.message]),
    [
      [
        24,
        "task.allowed_tools[2]",
        'Tool "Search" is not a Claude Code tool, so it allows nothing (the earlier Clodputer accepted it)',
      ],
      [
        25,
        "task.permission_mode",
        'Permission mode "rejectEdits" is not a Claude Code mode (the earlier Clodputer accepted ' +
        "it), so claude's own default mode is used",
      ],
    ],
  );
});

Deno.test("loadTaskFile() reads earlier-format interval and manual tasks with their defaults", async () => {
  const digest = (await loadLegacy("hourly-digest")).config;
  assert.deepEqual(digest.trigger, { type: "interval", seconds: 3600 });
  assert.equal(digest.task.timeout, 3600);
  assert.equal(digest.enabled, true);
  const review = (await loadLegacy("manual-review")).config;
  assert.equal(review.enabled, false);
  assert.equal("trigger" in review, false);
  assert.equal("schedule" in review, false);
});

Deno.test("loadTaskFile() says when the file does not exist", async () => {
  await assert.rejects(
    () => loadTaskFile(join(LEGACY, "nope.yaml"), { env: ENV }),
    (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.message, `Cannot find the task file "${join(LEGACY, "nope.yaml")}"`);
      return true;
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Tasks in $CLODPUTER_HOME
// ---------------------------------------------------------------------------------------------

Deno.test("listTaskNames() lists the valid *.yaml stems, sorted", async () => {
  await using paths = await tempPaths();
  for (const file of ["b.yaml", "a.yaml", "c.yml", "Bad Name.yaml", "notes.txt", "x.yaml.bak"]) {
    await Deno.writeTextFile(join(paths.tasks, file), "task:\n  prompt: Hi\n");
  }
  await Deno.mkdir(join(paths.tasks, "dir.yaml"));
  assert.deepEqual(await listTaskNames(paths), ["a", "b"]);
});

Deno.test("listTaskNames() is empty when there is no tasks folder", async () => {
  await using paths = await tempPaths();
  await Deno.remove(paths.tasks);
  assert.deepEqual(await listTaskNames(paths), []);
});

Deno.test("loadTask() loads tasks/<name>.yaml", async () => {
  await using paths = await tempPaths();
  await Deno.writeTextFile(join(paths.tasks, "daily-email.yaml"), "task:\n  prompt: Hi\n");
  const loaded = await loadTask(paths, "daily-email", ENV);
  assert.equal(loaded.name, "daily-email");
  assert.equal(loaded.file, join(paths.tasks, "daily-email.yaml"));
  assert.equal(loaded.config.task.timeout, 3600);
});

Deno.test("loadTask() says a task is missing, with did-you-mean and where tasks live", async () => {
  await using paths = await tempPaths();
  await Deno.writeTextFile(join(paths.tasks, "daily-email.yaml"), "task:\n  prompt: Hi\n");
  await assert.rejects(
    () => loadTask(paths, "dayly-email", ENV),
    (error: unknown) => {
      assert.ok(error instanceof NotFoundError);
      assert.equal(error.exitCode, 2);
      const file = join(paths.tasks, "dayly-email.yaml");
      assert.equal(error.message, `Cannot find task "dayly-email": there is no ${file}`);
      assert.equal(
        error.hint,
        `did you mean "daily-email"?; tasks live in ${paths.tasks} (ls ${paths.tasks}); ` +
          "create this one with: clodputer new dayly-email",
      );
      return true;
    },
  );
});

Deno.test("loadTask() of a name: that is another file's says which file to run", async () => {
  await using paths = await tempPaths();
  await Deno.copyFile(join(LEGACY, "manual-task.yaml"), join(paths.tasks, "manual-task.yaml"));
  assert.equal((await loadTask(paths, "manual-task", ENV)).label, "manual-review");
  await assert.rejects(() => loadTask(paths, "manual-review", ENV), (error: unknown) => {
    assert.ok(error instanceof NotFoundError);
    assert.equal(error.exitCode, 2);
    assert.equal(
      error.message,
      'Cannot find task "manual-review": the task named "manual-review" is the file ' +
        'manual-task.yaml, known as "manual-task"',
    );
    assert.equal(
      error.hint,
      "run it as: clodputer run manual-task (or rename manual-task.yaml to manual-review.yaml)",
    );
    assert.deepEqual(error.where, { file: join(paths.tasks, "manual-task.yaml") });
    return true;
  });
});

Deno.test("loadTask() says to rename a .yml file", async () => {
  await using paths = await tempPaths();
  await Deno.writeTextFile(join(paths.tasks, "report.yml"), "task:\n  prompt: Hi\n");
  await assert.rejects(() => loadTask(paths, "report", ENV), (error: unknown) => {
    assert.ok(error instanceof NotFoundError);
    assert.match(error.hint ?? "", /^rename report\.yml to report\.yaml; tasks live in /);
    return true;
  });
});

Deno.test("loadTask() rejects a name that is a path before reading anything", async () => {
  await using paths = await tempPaths();
  for (const name of ["../config", "a/b", "/etc/passwd", "."]) {
    await assert.rejects(() => loadTask(paths, name, ENV), UsageError, name);
  }
});

Deno.test("loadTask() applies the global default_timeout to a task without one", async () => {
  await using paths = await tempPaths();
  await Deno.writeTextFile(join(paths.tasks, "a.yaml"), "task:\n  prompt: Hi\n");
  await Deno.writeTextFile(join(paths.tasks, "b.yaml"), "task:\n  prompt: Hi\n  timeout: 5\n");
  await Deno.writeTextFile(paths.config, "default_timeout: 120\n");
  assert.equal((await loadTask(paths, "a", ENV)).config.task.timeout, 120);
  assert.equal((await loadTask(paths, "b", ENV)).config.task.timeout, 5);
  const global = await loadGlobalConfig(paths, ENV);
  const given = await loadTask(paths, "a", ENV, { global: { ...global, default_timeout: 7 } });
  assert.equal(given.config.task.timeout, 7);
});

Deno.test("loadTask() reports a broken task with the task's name and file", async () => {
  await using paths = await tempPaths();
  const file = join(paths.tasks, "broken.yaml");
  await Deno.writeTextFile(file, "task:\n  prompt: Hi\n  timeout: soon\n");
  await assert.rejects(() => loadTask(paths, "broken", ENV), (error: unknown) => {
    assert.ok(error instanceof ConfigError);
    assert.equal(error.message, `Cannot load task "broken": 1 problem in ${file}`);
    assert.deepEqual(error.issues[0]?.where, {
      file,
      line: 3,
      column: 12,
      field: "task.timeout",
    });
    return true;
  });
});

// ---------------------------------------------------------------------------------------------
// The global config
// ---------------------------------------------------------------------------------------------

Deno.test("loadGlobalConfig() gives the defaults when there is no config.yaml", async () => {
  await using paths = await tempPaths();
  assert.deepEqual(await loadGlobalConfig(paths, ENV), {
    idle_timeout: 600,
    grace_period: 5,
    max_output_bytes: 10485760,
    log: { max_bytes: 10485760, keep_months: 6 },
    runs: { keep: 1000, max_age_days: 90 },
  });
});

Deno.test("loadGlobalConfig() reads config.yaml", async () => {
  await using paths = await tempPaths();
  await Deno.writeTextFile(paths.config, "grace_period: 1\nclaude: ~/bin/claude\n");
  const global = await loadGlobalConfig(paths, ENV);
  assert.equal(global.grace_period, 1);
  assert.equal(global.claude, "/home/me/bin/claude");
});

Deno.test("parseGlobalSource() reports every problem at its line and column", () => {
  const source = [
    "grace_priod: 1", //         1
    "log:", //                   2
    "  keep_month: 3", //        3
    "idle_timeout: -1", //       4
    "notifications: sometimes", // 5
    "queue:", //                 6
    "  max_parallel: 1", //      7
    "",
  ].join("\n");
  const { error, rows } = problems(() =>
    parseGlobalSource(source, { file: "/h/config.yaml", env: ENV })
  );
  assert.equal(error.message, "Cannot load the global config: 4 problems in /h/config.yaml");
  assert.deepEqual(rows, [
    [1, 1, "grace_priod", 'Unknown key "grace_priod"'],
    [3, 3, "log.keep_month", 'Unknown key "keep_month" in "log"'],
    [4, 15, "idle_timeout", '"idle_timeout" must be a positive number of seconds, got -1'],
    [5, 16, "notifications", '"notifications" must be true or false, got "sometimes"'],
  ]);
  assert.deepEqual(error.issues.map((i) => i.hint), [
    'did you mean "grace_period"?',
    'did you mean "keep_months"?',
    "write idle_timeout: 600",
    "write notifications: true",
  ]);
});

Deno.test("parseGlobalSource() reports YAML syntax errors", () => {
  const { rows } = problems(() =>
    parseGlobalSource("a: 1\na: 2\n", { file: "/h/config.yaml", env: ENV })
  );
  assert.deepEqual(rows, [[
    2,
    1,
    "",
    'Invalid YAML: the key "a" appears twice in the same mapping',
  ]]);
});

Deno.test("parseTaskSource() refuses a template that would never be filled, or a secret on claude's command line", () => {
  const env = envFrom({ HOME: "/home/me", API_TOKEN: "tok-123456789", MODEL: "opus" });
  const { rows } = problems(() =>
    parse(
      [
        "task:",
        '  prompt: "hi {{ secrets.KEY }}"', // filled when a run starts: fine
        '  model: "{{ secrets.MODEL_NAME }}"',
        '  working_directory: "/work/{{ name }}"',
        '  append_system_prompt: "token {{ secrets.API }} and {{ env.API_TOKEN }}"',
        '  mcp_config: "~/{{ env.MODEL }}.json"', // env, not secret-looking: fine
      ].join("\n"),
      env,
    )
  );
  assert.deepEqual(rows.map(([line, column, field, message]) => [line, column, field, message]), [
    [
      3,
      11,
      "task.model",
      '"{{ secrets.MODEL_NAME }}" in "task.model" is never filled: only {{ env.NAME }} is, when the task loads (the run-time values go in prompt, append_system_prompt, context, env and the on_success/on_failure actions)',
    ],
    [
      4,
      29,
      "task.working_directory",
      '"{{ name }}" in "task.working_directory" is never filled: only {{ env.NAME }} is, when the task loads (the run-time values go in prompt, append_system_prompt, context, env and the on_success/on_failure actions)',
    ],
    [
      5,
      32,
      "task.append_system_prompt",
      '"{{ secrets.API }}" in "task.append_system_prompt" would show a secret to every user of this machine: "task.append_system_prompt" goes on claude\'s command line, which ps shows',
    ],
    [
      5,
      54,
      "task.append_system_prompt",
      '"{{ env.API_TOKEN }}" in "task.append_system_prompt" would show a secret to every user of this machine: "task.append_system_prompt" goes on claude\'s command line, which ps shows',
    ],
  ]);
});

Deno.test("parseTaskSource() leaves labels as written: no value of the environment in name or description", () => {
  const env = envFrom({ HOME: "/home/me", API_TOKEN: "tok-123456789" });
  const loaded = parse(
    'description: "uses {{ env.API_TOKEN }}"\ntask:\n  prompt: "hi"\n  env:\n    T: "{{ secrets.T }}"\n',
    env,
  );
  assert.equal(loaded.config.description, "uses {{ env.API_TOKEN }}");
  assert.deepEqual(loaded.secretValues, []);
});
