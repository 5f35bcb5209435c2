/**
 * @module
 * The task and global config schemas (the only importer of zod): defaults, rules, and problems
 * worded for a person, each with the path of the offending value.
 */

import { isAbsolute, join } from "../sys/path.ts";
import { z } from "zod";
import { validateCron } from "../schedule/cron_expr.ts";
import { closest, didYouMean } from "./_suggest.ts";
import { TASK_NAME_RULE, taskNameProblem } from "./names.ts";
import { checkToolRule } from "./tools.ts";

// ---------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------

/** Claude Code's permission modes (`--permission-mode`). */
export const PERMISSION_MODES = [
  "default",
  "acceptEdits",
  "plan",
  "bypassPermissions",
  "auto",
  "manual",
  "dontAsk",
] as const;

/** One of Claude Code's permission modes. */
export type PermissionMode = typeof PERMISSION_MODES[number];

/**
 * Modes the earlier Clodputer accepted that Claude Code does not have. They load, and leave the
 * mode unset, so claude uses its own default (in `-p` mode: anything not allowed is denied).
 */
export const LEGACY_PERMISSION_MODES: readonly string[] = ["rejectEdits", "prompt"];

/** What a cron task does about runs missed while the machine was off. */
export type CatchUp = "skip" | "run_once" | "run_all";

/** When a dependency counts as met. */
export type DependencyCondition = "success" | "complete" | "always";

/** A cron schedule. */
export interface ScheduleConfig {
  type: "cron";
  expression: string;
  timezone?: string;
  catch_up: CatchUp;
  /** Seconds: missed slots older than this are never caught up. */
  catch_up_max_age?: number;
}

/** What starts a task besides its schedule. */
export type TriggerConfig =
  | { type: "manual" }
  | {
    type: "file_watch";
    path: string;
    pattern: string;
    event: "created" | "modified" | "deleted";
    /** Milliseconds. */
    debounce: number;
    /** Watch subfolders too. */
    recursive: boolean;
    /** Globs of files never handed over (besides editor, system and download noise). */
    ignore: string[];
  }
  | { type: "interval"; seconds: number };

/** Another task that must have run first. */
export interface Dependency {
  task: string;
  condition: DependencyCondition;
  /** Seconds: the other task's run must be at most this old. */
  max_age?: number;
}

/** One `on_success` / `on_failure` action. */
export type Action = { log: string } | { notify: boolean } | { retry: boolean };

/** When a task's runs are notified: on failures, after every run, or never. */
export type NotifyWhen = "failures" | "always" | "never";

/** The `task:` section: what claude is asked and how it runs. */
export interface TaskSpec {
  prompt: string;
  allowed_tools: string[];
  disallowed_tools: string[];
  permission_mode?: PermissionMode;
  /** Seconds. */
  timeout: number;
  /** Seconds of silence before the run is killed; the global `idle_timeout` when unset. */
  idle_timeout?: number;
  context: Record<string, unknown>;
  /** Absolute path (a leading `~/` is expanded at load). */
  mcp_config?: string;
  max_retries: number;
  retry_backoff_seconds: number;
  max_retry_delay: number;
  model?: string;
  max_turns?: number;
  /** Absolute path (a leading `~/` is expanded at load). */
  working_directory?: string;
  env: Record<string, string>;
  append_system_prompt?: string;
  max_cost_usd?: number;
}

/** A task config, parsed, normalised and with every default filled. */
export interface TaskConfig {
  name: string;
  description?: string;
  enabled: boolean;
  priority: "normal" | "high";
  schedule?: ScheduleConfig;
  trigger?: TriggerConfig;
  depends_on: Dependency[];
  task: TaskSpec;
  on_success: Action[];
  on_failure: Action[];
  /**
   * When runs are notified. Unset: as `on_success`/`on_failure` say with `- notify:`, else on
   * failures of unattended runs.
   */
  notify?: NotifyWhen;
}

/** Where notifications go (config.yaml's `notify:`). */
export interface NotifySettings {
  /** Desktop notifications: Notification Center through osascript; notify-send on Linux. */
  macos: boolean;
  /** A URL that gets each notification as a JSON POST. */
  webhook?: string;
  /** The webhook body: the event as JSON, or Slack's `{"text": ...}`. */
  format: "json" | "slack";
  /** A program (argv) that gets each notification as JSON on its stdin. */
  command?: string[];
}

/** The optional global settings in `$CLODPUTER_HOME/config.yaml`. */
export interface GlobalConfig {
  /** The claude executable: a path, or a name looked up on PATH. */
  claude?: string;
  /** Seconds: the timeout of tasks that set none. */
  default_timeout?: number;
  /** Seconds of silence before a run is killed. */
  idle_timeout: number;
  /** Seconds between SIGTERM and SIGKILL. */
  grace_period: number;
  /** Bytes kept of each of stdout and stderr, per run. */
  max_output_bytes: number;
  log: { max_bytes: number; keep_months: number };
  /** How many finished runs are kept (records and their folders), and for how many days. */
  runs: { keep: number; max_age_days: number };
  /** The earlier format's switch: false turns every notification off, true turns on desktop ones. */
  notifications?: boolean;
  notify?: NotifySettings;
  /** Spending limits (US dollars) over every task: a run is not started once one is spent. */
  budget?: { daily_usd?: number; monthly_usd?: number };
}

/** One problem found by a schema: a message, what to write, and the path of the value. */
export interface SchemaIssue {
  path: (string | number)[];
  message: string;
  hint?: string;
  /** Point at the key itself (an unknown key) rather than at its value. */
  at: "value" | "key";
}

/** The outcome of validating parsed YAML data. */
export type Validation<T> =
  | { ok: true; value: T; warnings: SchemaIssue[] }
  | { ok: false; issues: SchemaIssue[]; warnings: SchemaIssue[] };

// ---------------------------------------------------------------------------------------------
// Defaults and keys
// ---------------------------------------------------------------------------------------------

/** The defaults a task gets for what it leaves out. */
export interface TaskDefaults {
  enabled: true;
  priority: "normal";
  timeout: number;
  max_retries: number;
  retry_backoff_seconds: number;
  max_retry_delay: number;
  catch_up: "skip";
  condition: "success";
  pattern: string;
  event: "created";
  debounce: number;
}

/** Defaults of a task, as the earlier Clodputer had them (plus ours for the new fields). */
export const TASK_DEFAULTS: Readonly<TaskDefaults> = Object.freeze({
  enabled: true,
  priority: "normal",
  timeout: 3600,
  max_retries: 0,
  retry_backoff_seconds: 60,
  max_retry_delay: 3600,
  catch_up: "skip",
  condition: "success",
  pattern: "*",
  event: "created",
  debounce: 1000,
});

/** Defaults of the global config. */
export const GLOBAL_DEFAULTS: Readonly<GlobalConfig> = Object.freeze({
  idle_timeout: 600,
  grace_period: 5,
  max_output_bytes: 10 * 1024 * 1024,
  log: Object.freeze({ max_bytes: 10 * 1024 * 1024, keep_months: 6 }),
  runs: Object.freeze({ keep: 1000, max_age_days: 90 }),
});

/**
 * Top-level keys the earlier Clodputer wrote into task files for information (run statistics and
 * provenance); they are accepted and ignored.
 */
export const INFORMATIONAL_KEYS: readonly string[] = [
  "created",
  "created_by",
  "last_run",
  "run_count",
  "success_rate",
  "total_cost",
];

/** Global-config keys of the earlier Clodputer (queue resource limits), accepted and ignored. */
export const GLOBAL_INFORMATIONAL_KEYS: readonly string[] = ["queue"];

const TOP_KEYS = [
  "name",
  "description",
  "enabled",
  "priority",
  "schedule",
  "trigger",
  "depends_on",
  "task",
  "on_success",
  "on_failure",
  "notify",
];
const SCHEDULE_KEYS = ["type", "expression", "timezone", "catch_up", "catch_up_max_age"];
const TRIGGER_KEYS: Record<string, string[]> = {
  manual: ["type"],
  file_watch: ["type", "path", "pattern", "event", "debounce", "recursive", "ignore"],
  interval: ["type", "seconds"],
};
const DEPENDENCY_KEYS = ["task", "condition", "max_age"];
const TASK_KEYS = [
  "prompt",
  "allowed_tools",
  "disallowed_tools",
  "permission_mode",
  "timeout",
  "idle_timeout",
  "context",
  "mcp_config",
  "max_retries",
  "retry_backoff_seconds",
  "max_retry_delay",
  "model",
  "max_turns",
  "working_directory",
  "env",
  "append_system_prompt",
  "max_cost_usd",
];
const ACTION_KEYS = ["log", "notify", "retry"];
const SECTIONS: readonly (readonly [string, readonly string[]])[] = [
  ["task", TASK_KEYS],
  ["schedule", SCHEDULE_KEYS.filter((k) => k !== "type")],
  ["trigger", ["path", "pattern", "event", "debounce", "seconds"]],
];
const GLOBAL_KEYS = [
  "claude",
  "default_timeout",
  "idle_timeout",
  "grace_period",
  "max_output_bytes",
  "log",
  "runs",
  "notifications",
  "notify",
  "budget",
];
const GLOBAL_BUDGET_KEYS = ["daily_usd", "monthly_usd"];
const GLOBAL_NOTIFY_KEYS = ["macos", "webhook", "format", "command"];
const GLOBAL_LOG_KEYS = ["max_bytes", "keep_months"];
const GLOBAL_RUNS_KEYS = ["keep", "max_age_days"];

// ---------------------------------------------------------------------------------------------
// Field descriptions: what each value must be and an example line to write
// ---------------------------------------------------------------------------------------------

interface FieldInfo {
  expect: string;
  example: string;
  values?: readonly string[];
}

const SECONDS = "a positive number of seconds";

const TASK_FIELDS: Record<string, FieldInfo> = {
  "": {
    expect: "a mapping of settings",
    example: "name: my-task, then task: with prompt: under it",
  },
  name: { expect: "a task name", example: "name: daily-email" },
  description: { expect: "text", example: 'description: "Drafts my morning email"' },
  enabled: { expect: "true or false", example: "enabled: true" },
  priority: {
    expect: '"normal" or "high"',
    example: "priority: normal",
    values: ["normal", "high"],
  },
  schedule: {
    expect: "a mapping with type: cron and expression:",
    example: 'schedule: then, indented below it, type: cron and expression: "0 8 * * *"',
  },
  "schedule.type": { expect: '"cron"', example: "type: cron", values: ["cron"] },
  "schedule.expression": { expect: "a cron expression", example: 'expression: "0 8 * * *"' },
  "schedule.timezone": { expect: "a time zone name", example: "timezone: America/New_York" },
  "schedule.catch_up_max_age": {
    expect: 'seconds, or a duration such as "6h", "2d" or "30m"',
    example: "catch_up_max_age: 6h",
  },
  "schedule.catch_up": {
    expect: "skip, run_once or run_all",
    example: "catch_up: skip",
    values: ["skip", "run_once", "run_all"],
  },
  trigger: {
    expect: "a mapping with type: manual, file_watch or interval",
    example: "trigger: then, indented below it, type: file_watch and path: ~/Inbox",
  },
  "trigger.type": {
    expect: "manual, file_watch or interval",
    example: "type: file_watch",
    values: ["manual", "file_watch", "interval"],
  },
  "trigger.path": { expect: "a folder path", example: "path: ~/Inbox" },
  "trigger.pattern": { expect: "a file name pattern", example: 'pattern: "*.md"' },
  "trigger.event": {
    expect: "created, modified or deleted",
    example: "event: created",
    values: ["created", "modified", "deleted"],
  },
  "trigger.debounce": { expect: "a number of milliseconds, 0 or more", example: "debounce: 1000" },
  "trigger.recursive": { expect: "true or false", example: "recursive: true" },
  "trigger.ignore": { expect: "a list of file name patterns", example: 'ignore: ["*.tmp"]' },
  "trigger.seconds": { expect: "a positive whole number of seconds", example: "seconds: 3600" },
  depends_on: {
    expect: "a list of tasks",
    example: "depends_on: then - task: other-task below it",
  },
  "depends_on.*": { expect: "a mapping with task:", example: "- task: other-task" },
  "depends_on.*.task": { expect: "a task name", example: "task: other-task" },
  "depends_on.*.condition": {
    expect: "success, complete or always",
    example: "condition: success",
    values: ["success", "complete", "always"],
  },
  "depends_on.*.max_age": {
    expect: 'seconds, or a duration such as "6h", "1d" or "30m"',
    example: "max_age: 1d",
  },
  task: {
    expect: "a mapping with prompt: and the task's settings",
    example: 'task: then, indented below it, prompt: "What Claude should do"',
  },
  "task.prompt": { expect: "text", example: 'prompt: "Summarise my unread email"' },
  "task.allowed_tools": { expect: "a list of tool names", example: "allowed_tools: [Read, Write]" },
  "task.allowed_tools.*": { expect: "a tool name", example: "- Read" },
  "task.disallowed_tools": { expect: "a list of tool names", example: "disallowed_tools: [Bash]" },
  "task.disallowed_tools.*": { expect: "a tool name", example: "- Bash" },
  "task.permission_mode": {
    expect: PERMISSION_MODES.join(", ").replace(/, (?=[^,]*$)/, " or "),
    example: "permission_mode: acceptEdits",
    values: PERMISSION_MODES,
  },
  "task.timeout": { expect: SECONDS, example: "timeout: 600" },
  "task.idle_timeout": { expect: SECONDS, example: "idle_timeout: 300" },
  "task.context": {
    expect: "a mapping of names to values",
    example: "context: then key: value lines indented below it",
  },
  "task.mcp_config": { expect: "a file path", example: "mcp_config: ~/.clodputer/mcp.json" },
  "task.max_retries": { expect: "a whole number, 0 or more", example: "max_retries: 2" },
  "task.retry_backoff_seconds": {
    expect: "a number of seconds, 1 or more",
    example: "retry_backoff_seconds: 60",
  },
  "task.max_retry_delay": {
    expect: "a number of seconds, 1 or more",
    example: "max_retry_delay: 3600",
  },
  "task.model": { expect: "a model name", example: "model: sonnet" },
  "task.max_turns": { expect: "a positive whole number", example: "max_turns: 10" },
  "task.working_directory": { expect: "a folder path", example: "working_directory: ~/Projects" },
  "task.env": {
    expect: "a mapping of variable names to values",
    example: 'env: then NAME: "value" lines indented below it',
  },
  "task.env.*": { expect: "text", example: 'NAME: "value"' },
  "task.append_system_prompt": { expect: "text", example: 'append_system_prompt: "Be brief"' },
  "task.max_cost_usd": { expect: "a positive number of US dollars", example: "max_cost_usd: 0.5" },
  on_success: { expect: "a list of actions", example: "on_success: then - notify: true below it" },
  "on_success.*": { expect: "an action (log, notify or retry)", example: "- notify: true" },
  "on_success.*.log": { expect: "text", example: '- log: "{{ name }} finished"' },
  "on_success.*.notify": { expect: "true or false", example: "- notify: true" },
  "on_success.*.retry": { expect: "true or false", example: "- retry: true" },
  on_failure: { expect: "a list of actions", example: "on_failure: then - notify: true below it" },
  "on_failure.*": { expect: "an action (log, notify or retry)", example: "- notify: true" },
  "on_failure.*.log": { expect: "text", example: '- log: "{{ name }} failed: {{ error }}"' },
  "on_failure.*.notify": { expect: "true or false", example: "- notify: true" },
  "on_failure.*.retry": { expect: "true or false", example: "- retry: true" },
  notify: {
    expect: "failures, always or never",
    example: "notify: failures",
    values: ["failures", "always", "never"],
  },
};

const GLOBAL_FIELDS: Record<string, FieldInfo> = {
  "": { expect: "a mapping of settings", example: "grace_period: 5" },
  claude: {
    expect: "a path to the claude executable",
    example: "claude: /opt/homebrew/bin/claude",
  },
  default_timeout: { expect: SECONDS, example: "default_timeout: 1800" },
  idle_timeout: { expect: SECONDS, example: "idle_timeout: 600" },
  grace_period: { expect: "a number of seconds, 0 or more", example: "grace_period: 5" },
  max_output_bytes: {
    expect: "a positive whole number of bytes",
    example: "max_output_bytes: 10485760",
  },
  log: {
    expect: "a mapping with max_bytes: and keep_months:",
    example: "log: then max_bytes: 10485760",
  },
  "log.max_bytes": { expect: "a positive whole number of bytes", example: "max_bytes: 10485760" },
  "log.keep_months": { expect: "a whole number of months, 0 or more", example: "keep_months: 6" },
  runs: {
    expect: "a mapping with keep: and max_age_days:",
    example: "runs: then keep: 1000",
  },
  "runs.keep": { expect: "a positive whole number of runs", example: "keep: 1000" },
  "runs.max_age_days": { expect: "a positive whole number of days", example: "max_age_days: 90" },
  notifications: { expect: "true or false", example: "notifications: true" },
  notify: {
    expect: "a mapping with macos:, webhook: or command:",
    example: "notify: then macos: true below it",
  },
  "notify.macos": { expect: "true or false", example: "macos: true" },
  "notify.webhook": {
    expect: "an http or https URL",
    example: "webhook: https://hooks.example.com/clodputer",
  },
  "notify.format": {
    expect: '"json" or "slack"',
    example: "format: slack",
    values: ["json", "slack"],
  },
  "notify.command": {
    expect: "a list: the program, then its arguments",
    example: 'command: ["/usr/local/bin/my-notifier", "--quiet"]',
  },
  "notify.command.*": { expect: "text", example: '- "/usr/local/bin/my-notifier"' },
  budget: {
    expect: "a mapping with daily_usd: or monthly_usd:",
    example: "budget: then daily_usd: 5 below it",
  },
  "budget.daily_usd": { expect: "a positive number of US dollars", example: "daily_usd: 5" },
  "budget.monthly_usd": { expect: "a positive number of US dollars", example: "monthly_usd: 100" },
};

// ---------------------------------------------------------------------------------------------
// Building blocks
// ---------------------------------------------------------------------------------------------

/** PyYAML (YAML 1.1, the earlier loader) read these as booleans; YAML 1.2 reads them as text. */
const YAML11_BOOLEANS: Readonly<Record<string, boolean>> = {
  yes: true,
  Yes: true,
  YES: true,
  on: true,
  On: true,
  ON: true,
  no: false,
  No: false,
  NO: false,
  off: false,
  Off: false,
  OFF: false,
};

const nullToUndefined = (v: unknown) => (v === null ? undefined : v);

/** A YAML `key:` with no value counts as absent. */
function opt<T extends z.ZodType>(schema: T) {
  return z.preprocess(nullToUndefined, schema);
}

function boolish() {
  return z.preprocess(
    (v) => (typeof v === "string" && v in YAML11_BOOLEANS ? YAML11_BOOLEANS[v] : v),
    z.boolean(),
  );
}

function custom(ctx: z.RefinementCtx, message: string, hint?: string, path?: (string | number)[]) {
  ctx.addIssue({
    code: "custom",
    message,
    params: hint === undefined ? {} : { hint },
    ...(path === undefined ? {} : { path }),
  });
}

/** A path that must be absolute or start with `~/`; `~` is expanded with `home`. */
function pathField(key: string, home: string | undefined) {
  return z.string().min(1).transform((value, ctx) => {
    if (value === "~" || value.startsWith("~/")) {
      if (!home) {
        custom(
          ctx,
          `"${key}" starts with ~ but HOME is not set, got "${value}"`,
          `write the full path from /, or set HOME`,
        );
        return z.NEVER;
      }
      return value === "~" ? home : join(home, value.slice(2));
    }
    if (isAbsolute(value)) return value;
    custom(
      ctx,
      `"${key}" must be an absolute path or start with ~/, got "${value}"`,
      `write ${key}: ~/${value.replace(/^\.\//, "")} if it is in your home folder, ` +
        "or the full path from /",
    );
    return z.NEVER;
  });
}

/**
 * Zones known valid: Intl's list (cheap, ~2 ms), UTC (not in it), and each name found valid so
 * far. Checking another builds a DateTimeFormat: the first one starts ICU's formatting (~20 ms).
 */
let zones: Set<string> | undefined;
function knownZones(): Set<string> {
  return (zones ??= new Set([...Intl.supportedValuesOf("timeZone"), "UTC", "Etc/UTC", "GMT"]));
}

function timezoneField() {
  return z.string().min(1).superRefine((zone, ctx) => {
    if (knownZones().has(zone)) return;
    try {
      new Intl.DateTimeFormat(undefined, { timeZone: zone });
      knownZones().add(zone);
    } catch {
      const match = closest(zone, Intl.supportedValuesOf("timeZone"));
      custom(
        ctx,
        `"timezone" must be an IANA time zone name such as "America/New_York", got "${zone}"`,
        match !== undefined
          ? `did you mean "${match}"? write timezone: ${match}`
          : "write timezone: America/New_York, or leave it out to use the machine's time zone",
      );
    }
  });
}

function taskNameField(key: string) {
  return z.string().superRefine((name, ctx) => {
    const problem = taskNameProblem(name);
    if (problem !== undefined) {
      custom(
        ctx,
        `"${key}" must be a task name, got "${name}": it ${problem}`,
        `use ${TASK_NAME_RULE}`,
      );
    }
  });
}

/**
 * Where the schema's refinements put warnings: set by validateTask for the length of one
 * (synchronous) parse, so one schema serves every file.
 */
let warningSink: SchemaIssue[] = [];

function toolList(key: string, path: string[]) {
  return z.array(
    z.string().superRefine((rule, ctx) => {
      const check = checkToolRule(rule);
      if (!check.ok) custom(ctx, `${check.message} in "${key}"`, check.hint);
    }),
  ).superRefine((rules) => {
    rules.forEach((rule, index) => {
      const check = checkToolRule(rule);
      if (check.ok && check.warning !== undefined) {
        warningSink.push({
          path: [...path, index],
          message: check.warning.message,
          hint: check.warning.hint,
          at: "value",
        });
      }
    });
  });
}

const positiveSeconds = () => z.number().positive();

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** Seconds as a number, or a duration such as "90s", "30m", "6h", "2d". */
function durationSeconds() {
  return z.union([
    positiveSeconds(),
    z.string().regex(/^\s*\d+(\.\d+)?\s*[smhd]\s*$/).transform((text) => {
      const m = text.trim().match(/^(\d+(?:\.\d+)?)\s*([smhd])$/);
      return Number(m?.[1]) * (DURATION_UNITS[m?.[2] ?? "s"] ?? 1);
    }),
  ]);
}

function actionList() {
  const item = z.preprocess(
    (v) => {
      // The earlier format allowed several keys in one action and null for "no action".
      if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
      return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== null));
    },
    z.strictObject({
      log: z.string().optional(),
      notify: boolish().optional(),
      retry: boolish().optional(),
    }),
  );
  return opt(z.array(item).default([])).transform((items): Action[] =>
    items.flatMap((a) => {
      const out: Action[] = [];
      if (a.log !== undefined) out.push({ log: a.log });
      if (a.notify !== undefined) out.push({ notify: a.notify });
      if (a.retry !== undefined) out.push({ retry: a.retry });
      return out;
    })
  );
}

/** Removes keys whose value is undefined, so optional properties are absent, not undefined. */
function compact<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = v;
  return out as { [K in keyof T]: Exclude<T[K], undefined> };
}

// ---------------------------------------------------------------------------------------------
// The task schema
// ---------------------------------------------------------------------------------------------

/** What validating a task needs besides its data. */
export interface TaskValidationOptions {
  /** `$HOME`, to expand a leading `~/` in paths. */
  home?: string | undefined;
  /** The name to use when the file has no `name:` (its file's stem). */
  fallbackName: string;
  /** Seconds: the timeout when the task sets none (the global `default_timeout`). */
  defaultTimeout?: number | undefined;
}

/**
 * The task schemas built so far, by HOME and default timeout: building one costs several
 * milliseconds (zod compiles each object on its first parse), so a process that loads many
 * files builds it once.
 */
const taskSchemas = new Map<string, ReturnType<typeof buildTaskSchema>>();

function taskSchema(options: TaskValidationOptions) {
  const key = JSON.stringify([options.home ?? null, options.defaultTimeout ?? null]);
  let schema = taskSchemas.get(key);
  if (schema === undefined) {
    schema = buildTaskSchema(options);
    taskSchemas.set(key, schema);
  }
  return schema;
}

function buildTaskSchema(options: TaskValidationOptions) {
  const home = options.home;
  const informational = Object.fromEntries(
    INFORMATIONAL_KEYS.map((key) => [key, z.unknown().optional()]),
  );

  const schedule = z.strictObject({
    type: z.literal("cron"),
    expression: z.string().trim().min(1).superRefine((expression, ctx) => {
      if (expression === "") return; // reported as missing already
      const check = validateCron(expression);
      if (!check.ok) custom(ctx, check.message, check.hint);
    }),
    timezone: opt(timezoneField().optional()),
    catch_up: opt(z.enum(["skip", "run_once", "run_all"]).default(TASK_DEFAULTS.catch_up)),
    catch_up_max_age: opt(durationSeconds().optional()),
  });

  const trigger = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("manual") }),
    z.strictObject({
      type: z.literal("file_watch"),
      path: pathField("path", home),
      pattern: opt(z.string().min(1).default(TASK_DEFAULTS.pattern)),
      event: opt(z.enum(["created", "modified", "deleted"]).default(TASK_DEFAULTS.event)),
      debounce: opt(z.number().min(0).default(TASK_DEFAULTS.debounce)),
      recursive: opt(boolish().default(false)),
      ignore: opt(z.array(z.string().min(1)).default([])),
    }),
    z.strictObject({ type: z.literal("interval"), seconds: z.int().positive() }),
  ]);

  const dependency = z.strictObject({
    task: taskNameField("task"),
    condition: opt(z.enum(["success", "complete", "always"]).default(TASK_DEFAULTS.condition)),
    max_age: opt(durationSeconds().optional()),
  });

  const envMap = z.record(
    z.string().superRefine((name, ctx) => {
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        custom(
          ctx,
          `Environment variable name "${name}" is not valid`,
          "use letters, digits and _, not starting with a digit",
        );
      }
    }),
    // Numbers and booleans are written as text; anything else must be text already.
    z.preprocess(
      (v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v),
      z.string(),
    ),
  );

  const spec = z.strictObject({
    prompt: z.string().refine((p) => p.trim() !== "", { params: { empty: true } }),
    allowed_tools: opt(toolList("allowed_tools", ["task", "allowed_tools"]).default([])),
    disallowed_tools: opt(
      toolList("disallowed_tools", ["task", "disallowed_tools"]).default([]),
    ),
    permission_mode: opt(z.string().optional()).transform((mode, ctx) => {
      if (mode === undefined) return undefined;
      if ((PERMISSION_MODES as readonly string[]).includes(mode)) return mode as PermissionMode;
      if (LEGACY_PERMISSION_MODES.includes(mode)) {
        warningSink.push({
          path: ["task", "permission_mode"],
          message: `Permission mode "${mode}" is not a Claude Code mode (the earlier Clodputer ` +
            "accepted it), so claude's own default mode is used",
          hint: "write permission_mode: default, or acceptEdits to let Claude edit files",
          at: "value",
        });
        return undefined;
      }
      const match = closest(mode, PERMISSION_MODES);
      custom(
        ctx,
        `"permission_mode" must be one of ${PERMISSION_MODES.join(", ")}, got "${mode}"`,
        match !== undefined
          ? `did you mean "${match}"? write permission_mode: ${match}`
          : "write permission_mode: acceptEdits",
      );
      return z.NEVER;
    }),
    timeout: opt(positiveSeconds().default(options.defaultTimeout ?? TASK_DEFAULTS.timeout)),
    idle_timeout: opt(positiveSeconds().optional()),
    context: opt(z.record(z.string(), z.unknown()).default({})),
    mcp_config: opt(pathField("mcp_config", home).optional()),
    max_retries: opt(z.int().min(0).default(TASK_DEFAULTS.max_retries)),
    retry_backoff_seconds: opt(z.number().min(1).default(TASK_DEFAULTS.retry_backoff_seconds)),
    max_retry_delay: opt(z.number().min(1).default(TASK_DEFAULTS.max_retry_delay)),
    model: opt(z.string().trim().min(1).optional()),
    max_turns: opt(z.int().positive().optional()),
    working_directory: opt(pathField("working_directory", home).optional()),
    env: opt(envMap.default({})),
    append_system_prompt: opt(z.string().optional()),
    max_cost_usd: opt(z.number().positive().optional()),
  });

  return z.strictObject({
    name: opt(taskNameField("name").optional()),
    description: opt(z.string().optional()),
    enabled: opt(boolish().default(TASK_DEFAULTS.enabled)),
    priority: opt(z.enum(["normal", "high"]).default(TASK_DEFAULTS.priority)),
    schedule: opt(schedule.optional()),
    trigger: opt(trigger.optional()),
    depends_on: opt(z.array(dependency).default([])),
    task: spec,
    on_success: actionList(),
    on_failure: actionList(),
    notify: opt(
      z.preprocess(
        // `notify: true` / `false` (or yes/no) read as failures / never.
        (v) => {
          const b = typeof v === "string" && v in YAML11_BOOLEANS ? YAML11_BOOLEANS[v] : v;
          return b === true ? "failures" : b === false ? "never" : v;
        },
        z.enum(["failures", "always", "never"]),
      ).optional(),
    ),
    ...informational,
  });
}

/**
 * Validates a task's parsed YAML and returns it normalised with defaults filled, or every problem
 * found, each with the path of the value it is about.
 */
export function validateTask(
  data: unknown,
  options: TaskValidationOptions,
): Validation<TaskConfig> {
  const found: SchemaIssue[] = [];
  const schema = taskSchema(options);
  warningSink = found;
  let result: ReturnType<typeof schema.safeParse>;
  try {
    result = schema.safeParse(data, { reportInput: true });
  } finally {
    warningSink = [];
  }
  const issues = result.success
    ? []
    : result.error.issues.flatMap((issue) => translate(issue, data, TASK_FIELDS, knownTaskKeys));
  issues.push(...crossChecks(data));
  if (!result.success || issues.length > 0) {
    return { ok: false, issues: dedupe(issues), warnings: found };
  }
  const d = result.data;
  const config: TaskConfig = compact({
    name: d.name ?? options.fallbackName,
    description: d.description,
    enabled: d.enabled,
    priority: d.priority,
    schedule: d.schedule === undefined ? undefined : compact(d.schedule),
    trigger: d.trigger === undefined ? undefined : d.trigger,
    depends_on: d.depends_on.map((dep) => compact(dep)),
    task: compact(d.task),
    on_success: d.on_success,
    on_failure: d.on_failure,
    notify: d.notify,
  });
  return { ok: true, value: config, warnings: found };
}

/** Checks that span fields: tools both allowed and disallowed. */
function crossChecks(data: unknown): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  if (!isRecord(data)) return issues;
  const task = data.task;
  if (isRecord(task) && Array.isArray(task.allowed_tools) && Array.isArray(task.disallowed_tools)) {
    const allowed = new Set(task.allowed_tools.filter((t) => typeof t === "string"));
    task.disallowed_tools.forEach((tool, index) => {
      if (typeof tool === "string" && allowed.has(tool)) {
        issues.push({
          path: ["task", "disallowed_tools", index],
          message: `Tool "${tool}" is in both allowed_tools and disallowed_tools`,
          hint: "remove it from one of the two lists",
          at: "value",
        });
      }
    });
  }
  return issues;
}

function knownTaskKeys(path: (string | number)[], data: unknown): string[] | undefined {
  const pattern = patternOf(path);
  switch (pattern) {
    case "":
      return TOP_KEYS;
    case "schedule":
      return SCHEDULE_KEYS;
    case "trigger": {
      const type = valueAt(data, [...path, "type"]);
      return typeof type === "string" && type in TRIGGER_KEYS
        ? TRIGGER_KEYS[type]
        : [...new Set(Object.values(TRIGGER_KEYS).flat())];
    }
    case "depends_on.*":
      return DEPENDENCY_KEYS;
    case "task":
      return TASK_KEYS;
    case "on_success.*":
    case "on_failure.*":
      return ACTION_KEYS;
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------
// The global schema
// ---------------------------------------------------------------------------------------------

function globalSchema(home: string | undefined) {
  const informational = Object.fromEntries(
    GLOBAL_INFORMATIONAL_KEYS.map((key) => [key, z.unknown().optional()]),
  );
  return z.strictObject({
    claude: opt(
      z.string().min(1).transform((value, ctx) => {
        if (value === "~" || value.startsWith("~/")) {
          if (!home) {
            custom(
              ctx,
              `"claude" starts with ~ but HOME is not set, got "${value}"`,
              "write the full path from /",
            );
            return z.NEVER;
          }
          return join(home, value.slice(2));
        }
        if (isAbsolute(value) || !value.includes("/")) return value;
        custom(
          ctx,
          `"claude" must be an absolute path, a path starting with ~/, or a name on PATH, got "${value}"`,
          "write claude: /opt/homebrew/bin/claude",
        );
        return z.NEVER;
      }).optional(),
    ),
    default_timeout: opt(positiveSeconds().optional()),
    idle_timeout: opt(positiveSeconds().default(GLOBAL_DEFAULTS.idle_timeout)),
    grace_period: opt(z.number().min(0).default(GLOBAL_DEFAULTS.grace_period)),
    max_output_bytes: opt(z.int().positive().default(GLOBAL_DEFAULTS.max_output_bytes)),
    log: opt(
      z.strictObject({
        max_bytes: opt(z.int().positive().default(GLOBAL_DEFAULTS.log.max_bytes)),
        keep_months: opt(z.int().min(0).default(GLOBAL_DEFAULTS.log.keep_months)),
      }).default({ ...GLOBAL_DEFAULTS.log }),
    ),
    runs: opt(
      z.strictObject({
        keep: opt(z.int().positive().default(GLOBAL_DEFAULTS.runs.keep)),
        max_age_days: opt(z.int().positive().default(GLOBAL_DEFAULTS.runs.max_age_days)),
      }).default({ ...GLOBAL_DEFAULTS.runs }),
    ),
    notifications: opt(boolish().optional()),
    notify: opt(
      z.strictObject({
        macos: opt(boolish().default(false)),
        webhook: opt(
          z.string().trim().min(1).superRefine((url, ctx) => {
            let ok = false;
            try {
              const parsed = new URL(url);
              ok = parsed.protocol === "http:" || parsed.protocol === "https:";
            } catch {
              ok = false;
            }
            if (!ok) {
              custom(
                ctx,
                `"webhook" must be an http or https URL, got "${url}"`,
                "write webhook: https://hooks.example.com/clodputer",
              );
            }
          }).optional(),
        ),
        format: opt(z.enum(["json", "slack"]).default("json")),
        command: opt(
          z.array(z.string().min(1)).superRefine((argv, ctx) => {
            if (argv.length === 0) {
              custom(
                ctx,
                '"command" must name a program, got an empty list',
                'write command: ["/usr/local/bin/my-notifier"]',
              );
            }
          }).optional(),
        ),
      }).optional(),
    ),
    budget: opt(
      z.strictObject({
        daily_usd: opt(z.number().positive().optional()),
        monthly_usd: opt(z.number().positive().optional()),
      }).optional(),
    ),
    ...informational,
  });
}

/** Validates the global config's parsed YAML (an empty file is all defaults). */
export function validateGlobal(
  data: unknown,
  options: { home?: string | undefined } = {},
): Validation<GlobalConfig> {
  const input = data === null || data === undefined ? {} : data;
  const result = globalSchema(options.home).safeParse(input, { reportInput: true });
  if (!result.success) {
    return {
      ok: false,
      issues: dedupe(
        result.error.issues.flatMap((issue) =>
          translate(issue, input, GLOBAL_FIELDS, knownGlobalKeys)
        ),
      ),
      warnings: [],
    };
  }
  const d = result.data;
  const config: GlobalConfig = compact({
    claude: d.claude,
    default_timeout: d.default_timeout,
    idle_timeout: d.idle_timeout,
    grace_period: d.grace_period,
    max_output_bytes: d.max_output_bytes,
    log: { max_bytes: d.log.max_bytes, keep_months: d.log.keep_months },
    runs: { keep: d.runs.keep, max_age_days: d.runs.max_age_days },
    notifications: d.notifications,
    notify: d.notify === undefined ? undefined : compact(d.notify),
    budget: d.budget === undefined ? undefined : compact(d.budget),
  });
  return { ok: true, value: config, warnings: [] };
}

function knownGlobalKeys(path: (string | number)[]): string[] | undefined {
  const pattern = patternOf(path);
  if (pattern === "") return GLOBAL_KEYS;
  if (pattern === "log") return GLOBAL_LOG_KEYS;
  if (pattern === "runs") return GLOBAL_RUNS_KEYS;
  if (pattern === "notify") return GLOBAL_NOTIFY_KEYS;
  if (pattern === "budget") return GLOBAL_BUDGET_KEYS;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Turning zod issues into problems a person can act on
// ---------------------------------------------------------------------------------------------

type ZodIssue = z.core.$ZodIssue;

function translate(
  issue: ZodIssue,
  data: unknown,
  fields: Record<string, FieldInfo>,
  knownKeys: (path: (string | number)[], data: unknown) => string[] | undefined,
): SchemaIssue[] {
  const path = issue.path.map((p) => (typeof p === "number" ? p : String(p)));
  if (issue.code === "invalid_key" || issue.code === "invalid_element") {
    // A record's key (or a map's element) failed its own schema: report its inner problems here.
    return issue.issues.flatMap((inner) =>
      translate({ ...inner, path: [...issue.path, ...inner.path] }, data, fields, knownKeys)
    );
  }
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => unknownKey(path, key, knownKeys(path, data) ?? []));
  }
  if (issue.code === "custom") {
    const params = (issue.params ?? {}) as { hint?: string; empty?: boolean };
    if (params.empty) {
      const info = fieldInfo(fields, path);
      return [{
        path,
        message: `"${labelOf(path)}" must not be empty`,
        at: "value",
        ...(info ? { hint: `write ${info.example}` } : {}),
      }];
    }
    return [{
      path,
      message: issue.message,
      at: "value",
      ...(params.hint === undefined ? {} : { hint: params.hint }),
    }];
  }
  const value = valueAt(data, path);
  const info = fieldInfo(fields, path);
  const label = labelOf(path);
  if (value === undefined) {
    const parent = path.slice(0, -1);
    const under = parent.length === 0 ? "" : ` under "${labelOf(parent)}"`;
    return [{
      path,
      message: `Missing "${label}"${under}`,
      at: "value",
      hint: `add ${info?.example ?? `${label}:`}${
        under === "" ? "" : ` under ${labelOf(parent)}:`
      }`,
    }];
  }
  const expect = info?.expect ?? describeExpected(issue);
  let hint = info === undefined ? undefined : `write ${info.example}`;
  if (info?.values !== undefined && typeof value === "string") {
    const match = closest(value, info.values);
    if (match !== undefined) hint = `did you mean "${match}"? write ${keyOf(path)}: ${match}`;
  }
  if (patternOf(path) === "trigger.type" && value === "cron") {
    hint = 'a cron schedule goes under schedule:, with type: cron and expression: "0 8 * * *"';
  }
  return [{
    path,
    message: `${quoteLabel(path)} must be ${expect}, got ${repr(value)}`,
    at: "value",
    ...(hint === undefined ? {} : { hint }),
  }];
}

function unknownKey(path: (string | number)[], key: string, known: string[]): SchemaIssue {
  const where = path.length === 0 ? "" : ` in "${labelOf(path)}"`;
  let hint = didYouMean(key, known);
  if (hint === undefined && path.length === 0) {
    // A setting of a section written at the top level (or misspelt there).
    for (const [section, keys] of SECTIONS) {
      const match = keys.includes(key) ? key : closest(key, keys);
      if (match === undefined) continue;
      hint = `${match === key ? "" : `did you mean "${match}"? `}put ${match}: under ${section}:`;
      break;
    }
  }
  return {
    path: [...path, key],
    message: `Unknown key "${key}"${where}`,
    hint: hint ?? `known keys${where} are ${known.join(", ")}`,
    at: "key",
  };
}

function describeExpected(issue: ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.expected === "object"
        ? "a mapping"
        : issue.expected === "array"
        ? "a list"
        : `a ${issue.expected}`;
    case "too_small":
      return `at least ${issue.minimum}`;
    case "too_big":
      return `at most ${issue.maximum}`;
    default:
      return "valid";
  }
}

function fieldInfo(
  fields: Record<string, FieldInfo>,
  path: (string | number)[],
): FieldInfo | undefined {
  const pattern = patternOf(path);
  const exact = fields[pattern];
  if (exact !== undefined) return exact;
  const wildcard = [...pattern.split(".").slice(0, -1), "*"].join(".");
  return fields[wildcard];
}

function patternOf(path: (string | number)[]): string {
  return path.map((p) => (typeof p === "number" ? "*" : p)).join(".");
}

/** The last key of a path (the list's key for a list item). */
function keyOf(path: (string | number)[]): string {
  for (let i = path.length - 1; i >= 0; i--) {
    const p = path[i];
    if (typeof p === "string") return p;
  }
  return "";
}

function labelOf(path: (string | number)[]): string {
  return keyOf(path);
}

/** `"timeout"`, or `Item 2 of "allowed_tools"` for a list item. */
function quoteLabel(path: (string | number)[]): string {
  const last = path[path.length - 1];
  if (typeof last === "number") return `Item ${last + 1} of "${keyOf(path)}"`;
  if (path.length === 0) return "The file";
  return `"${last}"`;
}

/** A value as it appears in a message. */
export function repr(value: unknown): string {
  if (value === null) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") {
    const short = value.length > 40 ? `${value.slice(0, 39)}…` : value;
    return JSON.stringify(short);
  }
  return String(value);
}

/** Reads a path from parsed data. */
export function valueAt(data: unknown, path: readonly (string | number)[]): unknown {
  let current = data;
  for (const p of path) {
    if (Array.isArray(current) && typeof p === "number") current = current[p];
    else if (isRecord(current) && Object.hasOwn(current, p)) current = current[p];
    else return undefined;
  }
  return current;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function dedupe(issues: SchemaIssue[]): SchemaIssue[] {
  const seen = new Set<string>();
  return issues.filter((issue) => {
    const key = `${issue.path.join("\u0000")}\u0001${issue.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
