/**
 * @module
 * The task and global schemas on parsed data: defaults, normalisation, and problem paths.
 */

import assert from "node:assert/strict";
import { GLOBAL_DEFAULTS, TASK_DEFAULTS } from "../../lib/config/fields.ts";
import {
  type TaskValidationOptions,
  validateGlobal,
  validateTask,
} from "../../lib/config/schema.ts";
import type { SchemaIssue, TaskConfig } from "../../lib/config/types.ts";

const base: TaskValidationOptions = { fallbackName: "hello", home: "/home/me" };

function issues(data: unknown, options = base): [string, string, string | undefined][] {
  const result = validateTask(data, options);
  assert.equal(result.ok, false, "expected problems");
  return result.ok ? [] : result.issues.map((i: SchemaIssue) => [pathOf(i), i.message, i.hint]);
}

function pathOf(issue: SchemaIssue): string {
  return issue.path.join(".") + (issue.at === "key" ? " (key)" : "");
}

function config(data: unknown, options = base): TaskConfig {
  const result = validateTask(data, options);
  if (!result.ok) assert.fail(JSON.stringify(result.issues));
  return result.value;
}

Deno.test("validateTask() fills every default of the earlier format", () => {
  assert.deepEqual(config({ task: { prompt: "Hi" } }), {
    name: "hello",
    enabled: true,
    priority: "normal",
    depends_on: [],
    task: {
      prompt: "Hi",
      allowed_tools: [],
      disallowed_tools: [],
      timeout: 3600,
      context: {},
      max_retries: 0,
      retry_backoff_seconds: 60,
      max_retry_delay: 3600,
      env: {},
      session: "new",
      session_max_age: 604_800,
      session_max_runs: 20,
    },
    on_success: [],
    on_failure: [],
  });
});

Deno.test("validateTask() fills the defaults inside schedule, trigger and depends_on", () => {
  const c = config({
    task: { prompt: "Hi" },
    schedule: { type: "cron", expression: "0 8 * * *" },
    trigger: { type: "file_watch", path: "/in" },
    depends_on: [{ task: "other" }],
  });
  assert.deepEqual(c.schedule, { type: "cron", expression: "0 8 * * *", catch_up: "skip" });
  assert.deepEqual(c.trigger, {
    type: "file_watch",
    path: "/in",
    pattern: "*",
    event: "created",
    debounce: 1000,
    recursive: false,
    ignore: [],
  });
  assert.deepEqual(c.depends_on, [{ task: "other", condition: "success" }]);
  assert.deepEqual(config({ task: { prompt: "Hi" }, trigger: { type: "manual" } }).trigger, {
    type: "manual",
  });
});

Deno.test("validateTask() reads the fields Clodputer added beside the earlier ones", () => {
  const c = config({
    task: {
      prompt: "Hi",
      model: "sonnet",
      max_turns: 5,
      working_directory: "/srv/site",
      env: { MODE: "nightly" },
      append_system_prompt: "Be brief",
      idle_timeout: 120,
      max_cost_usd: 0.25,
      max_retries: 3,
      retry_backoff_seconds: 10,
      max_retry_delay: 600,
      session: "continue",
      session_max_age: "3d",
      session_max_runs: 5,
    },
  });
  assert.deepEqual(c.task, {
    prompt: "Hi",
    allowed_tools: [],
    disallowed_tools: [],
    timeout: 3600,
    idle_timeout: 120,
    context: {},
    max_retries: 3,
    retry_backoff_seconds: 10,
    max_retry_delay: 600,
    model: "sonnet",
    max_turns: 5,
    working_directory: "/srv/site",
    env: { MODE: "nightly" },
    append_system_prompt: "Be brief",
    max_cost_usd: 0.25,
    session: "continue",
    session_max_age: 259_200,
    session_max_runs: 5,
  });
});

Deno.test("validateTask() names a wrong session setting and what it takes", () => {
  const problems = (task: Record<string, unknown>) =>
    issues({ task: { prompt: "Hi", ...task } }).map(([path, message]) => `${path}: ${message}`);
  assert.match(
    problems({ session: "resume" }).join("\n"),
    /task\.session: "session" must be new or continue, got "resume"/,
  );
  assert.match(problems({ session_max_runs: 0 }).join("\n"), /task\.session_max_runs/);
  assert.match(problems({ session_max_age: "soon" }).join("\n"), /task\.session_max_age/);
});

Deno.test("validateTask() accepts five-field cron expressions and shortcuts", () => {
  for (const expression of ["0 8 * * 1-5", "@daily", "*/10 * * * *"]) {
    assert.equal(
      config({ task: { prompt: "Hi" }, schedule: { type: "cron", expression } }).schedule
        ?.expression,
      expression,
    );
  }
});

Deno.test("validateTask() uses the global default_timeout when the task sets none", () => {
  assert.equal(
    config({ task: { prompt: "Hi" } }, { ...base, defaultTimeout: 120 }).task.timeout,
    120,
  );
  assert.equal(
    config({ task: { prompt: "Hi", timeout: 30 } }, { ...base, defaultTimeout: 120 }).task.timeout,
    30,
  );
});

Deno.test("validateTask() treats a key with no value as absent", () => {
  const c = config({
    description: null,
    enabled: null,
    schedule: null,
    task: { prompt: "Hi", timeout: null, allowed_tools: null, mcp_config: null },
    on_success: null,
  });
  assert.equal(c.enabled, true);
  assert.equal(c.task.timeout, 3600);
  assert.deepEqual(c.task.allowed_tools, []);
  assert.equal("description" in c, false);
  assert.equal("schedule" in c, false);
  assert.equal("mcp_config" in c.task, false);
});

Deno.test("validateTask() reads YAML 1.1 yes/no/on/off as booleans, as PyYAML did", () => {
  const cases: [unknown, boolean][] = [["yes", true], ["No", false], ["ON", true], ["off", false]];
  for (const [value, expected] of cases) {
    assert.equal(
      config({ enabled: value, task: { prompt: "Hi" } }).enabled,
      expected,
      String(value),
    );
  }
  assert.deepEqual(issues({ enabled: "maybe", task: { prompt: "Hi" } }), [
    ["enabled", '"enabled" must be true or false, got "maybe"', "write enabled: true"],
  ]);
});

Deno.test("validateTask() splits a legacy action with several keys and drops empty ones", () => {
  const c = config({
    task: { prompt: "Hi" },
    on_success: [{ log: "done", notify: "yes" }, { notify: null }, {}],
    on_failure: [{ retry: true }],
  });
  assert.deepEqual(c.on_success, [{ log: "done" }, { notify: true }]);
  assert.deepEqual(c.on_failure, [{ retry: true }]);
});

Deno.test("validateTask() expands ~/ in paths and rejects relative ones", () => {
  const c = config({
    task: { prompt: "Hi", mcp_config: "~/mcp.json", working_directory: "~" },
    trigger: { type: "file_watch", path: "~/Inbox" },
  });
  assert.equal(c.task.mcp_config, "/home/me/mcp.json");
  assert.equal(c.task.working_directory, "/home/me");
  assert.deepEqual(c.trigger && "path" in c.trigger ? c.trigger.path : undefined, "/home/me/Inbox");
  assert.deepEqual(issues({ task: { prompt: "Hi", mcp_config: "./mcp.json" } }), [[
    "task.mcp_config",
    '"mcp_config" must be an absolute path or start with ~/, got "./mcp.json"',
    "write mcp_config: ~/mcp.json if it is in your home folder, or the full path from /",
  ]]);
  assert.deepEqual(
    issues({ task: { prompt: "Hi", working_directory: "~/x" } }, {
      fallbackName: "hello",
      home: "",
    }),
    [[
      "task.working_directory",
      '"working_directory" starts with ~ but HOME is not set, got "~/x"',
      "write the full path from /, or set HOME",
    ]],
  );
});

Deno.test("validateTask() keeps legacy permission modes out of claude's argv, with a warning", () => {
  const result = validateTask({ task: { prompt: "Hi", permission_mode: "prompt" } }, base);
  assert.ok(result.ok);
  assert.equal("permission_mode" in result.value.task, false);
  assert.deepEqual(result.warnings.map((w) => w.path), [["task", "permission_mode"]]);
  for (
    const mode of [
      "default",
      "acceptEdits",
      "plan",
      "bypassPermissions",
      "auto",
      "manual",
      "dontAsk",
    ]
  ) {
    assert.equal(
      config({ task: { prompt: "Hi", permission_mode: mode } }).task.permission_mode,
      mode,
    );
  }
});

Deno.test("validateTask() writes numbers and booleans in env as text", () => {
  assert.deepEqual(
    config({ task: { prompt: "Hi", env: { DEBUG: 1, FAST: true, NAME: "x" } } }).task.env,
    { DEBUG: "1", FAST: "true", NAME: "x" },
  );
  assert.deepEqual(issues({ task: { prompt: "Hi", env: { "BAD-NAME": "x", OK: [1] } } }), [
    [
      "task.env.BAD-NAME",
      'Environment variable name "BAD-NAME" is not valid',
      "use letters, digits and _, not starting with a digit",
    ],
    ["task.env.OK", '"OK" must be text, got a list', 'write NAME: "value"'],
  ]);
});

Deno.test("validateTask() words each problem with the field, the value and what to write", () => {
  const cases: [unknown, [string, string, string | undefined][]][] = [
    [{}, [[
      "task",
      'Missing "task"',
      'add task: then, indented below it, prompt: "What Claude should do"',
    ]]],
    [{ task: {} }, [[
      "task.prompt",
      'Missing "prompt" under "task"',
      'add prompt: "Summarise my unread email" under task:',
    ]]],
    [{ task: { prompt: "  " } }, [[
      "task.prompt",
      '"prompt" must not be empty',
      'write prompt: "Summarise my unread email"',
    ]]],
    [{ task: "do it" }, [[
      "task",
      `"task" must be a mapping with prompt: and the task's settings, got "do it"`,
      'write task: then, indented below it, prompt: "What Claude should do"',
    ]]],
    [{ task: { prompt: "Hi", timeout: 0 } }, [[
      "task.timeout",
      '"timeout" must be a positive number of seconds, got 0',
      "write timeout: 600",
    ]]],
    [{ task: { prompt: "Hi", max_retries: 1.5 } }, [[
      "task.max_retries",
      '"max_retries" must be a whole number, 0 or more, got 1.5',
      "write max_retries: 2",
    ]]],
    [{ task: { prompt: "Hi", allowed_tools: "Read" } }, [[
      "task.allowed_tools",
      '"allowed_tools" must be a list of tool names, got "Read"',
      "write allowed_tools: [Read, Write]",
    ]]],
    [{ task: { prompt: "Hi", allowed_tools: [5] } }, [[
      "task.allowed_tools.0",
      'Item 1 of "allowed_tools" must be a tool name, got 5',
      "write - Read",
    ]]],
    [{ task: { prompt: "Hi" }, priority: "urgent" }, [[
      "priority",
      '"priority" must be "normal" or "high", got "urgent"',
      "write priority: normal",
    ]]],
    [{ task: { prompt: "Hi" }, priority: "hihg" }, [[
      "priority",
      '"priority" must be "normal" or "high", got "hihg"',
      'did you mean "high"? write priority: high',
    ]]],
    [{ task: { prompt: "Hi" }, schedule: { expression: "* * * * *" } }, [[
      "schedule.type",
      'Missing "type" under "schedule"',
      "add type: cron under schedule:",
    ]]],
    [{ task: { prompt: "Hi" }, schedule: { type: "cron", expression: " " } }, [[
      "schedule.expression",
      '"expression" must be a cron expression, got " "',
      'write expression: "0 8 * * *"',
    ]]],
    [{ task: { prompt: "Hi" }, trigger: { type: "interval", seconds: 0 } }, [[
      "trigger.seconds",
      '"seconds" must be a positive whole number of seconds, got 0',
      "write seconds: 3600",
    ]]],
    [{ task: { prompt: "Hi" }, trigger: {} }, [[
      "trigger.type",
      'Missing "type" under "trigger"',
      "add type: file_watch under trigger:",
    ]]],
    [{ task: { prompt: "Hi" }, depends_on: [{ task: "x", max_age: -1 }] }, [[
      "depends_on.0.max_age",
      '"max_age" must be seconds, or a duration such as "6h", "1d" or "30m", got -1',
      "write max_age: 1d",
    ]]],
    [{ task: { prompt: "Hi" }, on_failure: ["notify"] }, [[
      "on_failure.0",
      'Item 1 of "on_failure" must be an action (log, notify or retry), got "notify"',
      "write - notify: true",
    ]]],
    [{ task: { prompt: "Hi" }, on_failure: [{ notify: "loud" }] }, [[
      "on_failure.0.notify",
      '"notify" must be true or false, got "loud"',
      "write - notify: true",
    ]]],
    [{ task: { prompt: "Hi", context: [1] } }, [[
      "task.context",
      '"context" must be a mapping of names to values, got a list',
      "write context: then key: value lines indented below it",
    ]]],
    [{ task: { prompt: "Hi", max_cost_usd: "1$" } }, [[
      "task.max_cost_usd",
      '"max_cost_usd" must be a positive number of US dollars, got "1$"',
      "write max_cost_usd: 0.5",
    ]]],
  ];
  for (const [data, expected] of cases) {
    assert.deepEqual(issues(data), expected, JSON.stringify(data));
  }
});

Deno.test("validateTask() reports unknown keys at the key, with did-you-mean", () => {
  assert.deepEqual(issues({ task: { promt: "Hi" }, descripton: "x", created: "2025-01-01" }), [
    [
      "task.prompt",
      'Missing "prompt" under "task"',
      'add prompt: "Summarise my unread email" under task:',
    ],
    ["task.promt (key)", 'Unknown key "promt" in "task"', 'did you mean "prompt"?'],
    ["descripton (key)", 'Unknown key "descripton"', 'did you mean "description"?'],
  ]);
  assert.deepEqual(issues({ task: { prompt: "Hi" }, trigger: { type: "manual", path: "/x" } }), [
    ["trigger.path (key)", 'Unknown key "path" in "trigger"', 'known keys in "trigger" are type'],
  ]);
  assert.deepEqual(issues({ prompt: "Hi", task: { prompt: "Hi" } }), [
    ["prompt (key)", 'Unknown key "prompt"', "put prompt: under task:"],
  ]);
});

Deno.test("validateTask() accepts and drops the earlier format's informational keys", () => {
  const c = config({
    task: { prompt: "Hi" },
    created: "2025-10-07T08:00:00Z",
    created_by: "onboarding",
    last_run: null,
    run_count: 3,
    success_rate: 0.5,
    total_cost: 1.25,
  });
  for (
    const key of ["created", "created_by", "last_run", "run_count", "success_rate", "total_cost"]
  ) {
    assert.equal(key in c, false, key);
  }
});

Deno.test("validateTask() checks the name; comparing it with the file is the loader's job", () => {
  assert.deepEqual(issues({ name: "Hello", task: { prompt: "Hi" } }), [[
    "name",
    '"name" must be a task name, got "Hello": it has uppercase letters',
    'use lowercase letters, digits, "-" and "_", starting with a letter or digit, at most 64 characters',
  ]]);
  assert.equal(config({ name: "other", task: { prompt: "Hi" } }).name, "other");
  assert.equal(config({ task: { prompt: "Hi" } }).name, "hello");
});

Deno.test("validateTask() reports a tool both allowed and disallowed at the disallowed item", () => {
  assert.deepEqual(
    issues({
      task: { prompt: "Hi", allowed_tools: ["Read", "Bash"], disallowed_tools: ["Write", "Bash"] },
    }),
    [[
      "task.disallowed_tools.1",
      'Tool "Bash" is in both allowed_tools and disallowed_tools',
      "remove it from one of the two lists",
    ]],
  );
});

Deno.test("validateGlobal() fills defaults and accepts the earlier queue: section", () => {
  const empty = validateGlobal(null);
  assert.ok(empty.ok);
  assert.deepEqual(empty.value, {
    idle_timeout: 600,
    grace_period: 5,
    max_output_bytes: 10 * 1024 * 1024,
    log: { max_bytes: 10 * 1024 * 1024, keep_months: 6 },
    runs: { keep: 1000, max_age_days: 90 },
  });
  assert.deepEqual(empty.value, {
    ...GLOBAL_DEFAULTS,
    log: { ...GLOBAL_DEFAULTS.log },
    runs: { ...GLOBAL_DEFAULTS.runs },
  });
  const full = validateGlobal(
    {
      claude: "~/bin/claude",
      default_timeout: 900,
      grace_period: 0,
      log: { keep_months: 12 },
      notifications: "no",
      queue: { max_parallel: 1, cpu_percent: 85 },
    },
    { home: "/home/me" },
  );
  assert.ok(full.ok);
  assert.deepEqual(full.value, {
    claude: "/home/me/bin/claude",
    default_timeout: 900,
    idle_timeout: 600,
    grace_period: 0,
    max_output_bytes: 10 * 1024 * 1024,
    log: { max_bytes: 10 * 1024 * 1024, keep_months: 12 },
    runs: { keep: 1000, max_age_days: 90 },
    notifications: false,
  });
  const bare = validateGlobal({ claude: "claude-beta" });
  assert.ok(bare.ok && bare.value.claude === "claude-beta");
});

Deno.test("validateGlobal() reports unknown keys with did-you-mean, and bad values", () => {
  const result = validateGlobal({
    grace_priod: 1,
    log: { max_byte: 1 },
    claude: "bin/claude",
    max_output_bytes: 0,
  });
  assert.equal(result.ok, false);
  assert.deepEqual(
    result.ok ? [] : result.issues.map((i) => [pathOf(i), i.message, i.hint]),
    [
      [
        "claude",
        '"claude" must be an absolute path, a path starting with ~/, or a name on PATH, got "bin/claude"',
        "write claude: /opt/homebrew/bin/claude",
      ],
      [
        "max_output_bytes",
        '"max_output_bytes" must be a positive whole number of bytes, got 0',
        "write max_output_bytes: 10485760",
      ],
      ["log.max_byte (key)", 'Unknown key "max_byte" in "log"', 'did you mean "max_bytes"?'],
      ["grace_priod (key)", 'Unknown key "grace_priod"', 'did you mean "grace_period"?'],
    ],
  );
});

Deno.test("validateGlobal() reads runs: keep and max_age_days, and rejects unknown keys there", () => {
  const ok = validateGlobal({ runs: { keep: 50 } });
  assert.ok(ok.ok);
  assert.deepEqual(ok.value.runs, { keep: 50, max_age_days: 90 });
  const bad = validateGlobal({ runs: { kep: 5 } });
  assert.ok(!bad.ok);
  assert.match(bad.issues[0]?.hint ?? "", /did you mean "keep"/);
});

Deno.test("validateTask() reports a bad cron expression with what to write", () => {
  const r = validateTask(
    { name: "t", schedule: { type: "cron", expression: "0 8 * *" }, task: { prompt: "hi" } },
    { fallbackName: "t" },
  );
  assert.ok(!r.ok);
  assert.deepEqual(r.issues.map((i) => [i.path.join("."), i.message]), [
    ["schedule.expression", 'Cron expression "0 8 * *" has 4 fields, expected 5'],
  ]);
  assert.match(r.issues[0]?.hint ?? "", /minute hour day-of-month month day-of-week/);
});

Deno.test("validateTask() reads catch_up_max_age as seconds or a duration, and watch depth and ignores", () => {
  const schedule = (max: unknown) =>
    config({
      task: { prompt: "Hi" },
      schedule: { type: "cron", expression: "0 8 * * *", catch_up_max_age: max },
    }).schedule;
  assert.equal(schedule(3600)?.catch_up_max_age, 3600);
  assert.equal(schedule("6h")?.catch_up_max_age, 21_600);
  assert.equal(schedule("2d")?.catch_up_max_age, 172_800);
  assert.equal(schedule("90m")?.catch_up_max_age, 5400);
  const t = config({
    task: { prompt: "Hi" },
    trigger: { type: "file_watch", path: "/in", recursive: true, ignore: ["draft-*"] },
  }).trigger;
  assert.deepEqual(t?.type === "file_watch" ? [t.recursive, t.ignore] : [], [true, ["draft-*"]]);
});

Deno.test("validateTask() takes canonical time zones, UTC and aliases, and refuses a name no zone has", () => {
  const zone = (timezone: string) => ({
    task: { prompt: "Hi" },
    schedule: { type: "cron", expression: "0 8 * * *", timezone },
  });
  for (const ok of ["Europe/Paris", "UTC", "Etc/UTC", "GMT", "US/Eastern", "Asia/Calcutta"]) {
    assert.equal(config(zone(ok)).schedule?.timezone, ok);
  }
  assert.deepEqual(issues(zone("Europe/Pariss")).map((i) => i[0]), ["schedule.timezone"]);
  assert.match(issues(zone("Europe/Pariss"))[0]?.[2] ?? "", /did you mean "Europe\/Paris"\?/);
});

Deno.test("validateTask() keeps each call's warnings, HOME and default timeout to that call", () => {
  // The schema is built once and reused: nothing of one call may show in the next.
  const legacy = { task: { prompt: "Hi", permission_mode: "prompt", allowed_tools: ["Terminal"] } };
  const clean = { task: { prompt: "Hi", working_directory: "~/w" } };
  const first = validateTask(legacy, base);
  assert.deepEqual(first.warnings.map((w) => w.path), [
    ["task", "allowed_tools", 0],
    ["task", "permission_mode"],
  ]);
  const second = validateTask(clean, base);
  assert.deepEqual(second.warnings, []);
  assert.equal(first.warnings.length, 2);
  assert.equal(
    config(clean, { ...base, home: "/home/other" }).task.working_directory,
    "/home/other/w",
  );
  assert.equal(config(clean).task.working_directory, "/home/me/w");
  assert.equal(config(clean, { ...base, defaultTimeout: 90 }).task.timeout, 90);
  assert.equal(config(clean).task.timeout, TASK_DEFAULTS.timeout);
  const failed = validateTask(
    { task: { prompt: "Hi", permission_mode: "prompt", timeout: -1 } },
    base,
  );
  assert.equal(failed.ok, false);
  assert.deepEqual(failed.warnings.map((w) => w.path), [["task", "permission_mode"]]);
  assert.deepEqual(validateTask(clean, base).warnings, []);
});

Deno.test("validateTask() checks each time zone, known ones again as well", () => {
  const at = (timezone: string) => ({
    schedule: { type: "cron", expression: "0 8 * * *", timezone },
    task: { prompt: "Hi" },
  });
  for (let i = 0; i < 2; i++) {
    assert.equal(config(at("Europe/London")).schedule?.timezone, "Europe/London");
    assert.deepEqual(issues(at("Europe/Londn")).map(([path]) => path), ["schedule.timezone"]);
  }
});

Deno.test("validateTask() warns of session: continue without a working_directory", () => {
  const warnings = (task: Record<string, unknown>) => {
    const r = validateTask({ task: { prompt: "Hi", ...task } }, base);
    assert.ok(r.ok);
    return r.warnings.map((w) => [w.path.join("."), w.message, w.hint]);
  };
  const [warning] = warnings({ session: "continue" });
  assert.equal(warning?.[0], "task.session");
  assert.match(String(warning?.[1]), /claude keeps a session under the folder it ran in/);
  assert.match(String(warning?.[2]), /working_directory: ~\//);
  assert.deepEqual(warnings({ session: "continue", working_directory: "/srv/site" }), []);
  assert.deepEqual(warnings({}), []);
});
