/**
 * @module
 * Every key of a task file and of config.yaml, defined once: what its value must be, a line to
 * write, the words it takes, its default and what it does. The schemas (schema.ts) take their
 * known keys and defaults from here, problems (issues.ts) their wording, and
 * docs/task-reference.md (scripts/task_reference.ts) its text. A field is keyed by its path
 * pattern: `task.timeout`, `depends_on.*.task` (`*` is any list item), `""` the file itself.
 *
 * This module holds data only: the task runner, the canary and the views read the defaults
 * without loading zod.
 */

import type { TaskDefaults } from "./types.ts";
import { PERMISSION_MODES } from "./types.ts";
import { GLOBAL_DEFAULTS } from "./defaults.ts";

/** One key: how problems with it are worded, and how the reference describes it. */
export interface Field {
  /** What the value must be, as in `"timeout" must be <expect>`. */
  expect: string;
  /** A line to write, as in `write <example>`. */
  example: string;
  /** The words it takes, when it is one of a few (offered as did-you-means). */
  values?: readonly string[];
  /** What it does, for the reference (Markdown). Every key has one; `""` and `*` items need none. */
  doc?: string;
  /** Its default, as the reference shows it. */
  default?: string | number | boolean;
  /** Must be written. */
  required?: boolean;
  /** Under `trigger`: the trigger types that take this key (every type when unset). */
  types?: readonly string[];
}

/** A field table: path pattern to field. */
export type Fields = Readonly<Record<string, Field>>;

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
  session: "new",
  session_max_age: 7 * 86_400,
  session_max_runs: 20,
});

/** Defaults of the global config (kept in defaults.ts, which the log reads without this table). */
export { GLOBAL_DEFAULTS };

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

const SECONDS = "a positive number of seconds";
const DURATION = 'seconds, or a duration such as "6h", "2d" or "30m"';
const ACTION_DOC = "Written to the execution log, with `{{ name }}`, `{{ status }}`, " +
  "`{{ error }}` and `{{ result }}` (Claude's reply, parsed when it is JSON) filled in.";

/** The task file's keys (`tasks/<name>.yaml`). */
export const TASK_FIELDS = {
  "": {
    expect: "a mapping of settings",
    example: "name: my-task, then task: with prompt: under it",
  },
  name: {
    expect: "a task name",
    example: "name: daily-email",
    doc: "A label. The task is known by its file's name (`tasks/daily-email.yaml` is " +
      "`daily-email`); a `name:` that differs is shown beside it, and `validate` warns.",
  },
  description: {
    expect: "text",
    example: 'description: "Drafts my morning email"',
    doc: "One line about the task, shown by `list` and `show`.",
  },
  enabled: {
    expect: "true or false",
    example: "enabled: true",
    default: TASK_DEFAULTS.enabled,
    doc: "`false` stops the schedule and the trigger from queueing the task; " +
      "`clodputer run` still runs it by hand.",
  },
  priority: {
    expect: '"normal" or "high"',
    example: "priority: normal",
    values: ["normal", "high"],
    default: TASK_DEFAULTS.priority,
    doc: "`high` runs go ahead of every `normal` one in the queue (first in, first out within " +
      "a priority).",
  },
  schedule: {
    expect: "a mapping with type: cron and expression:",
    example: 'schedule: then, indented below it, type: cron and expression: "0 8 * * *"',
    doc: "When the task runs by the clock. `clodputer install` adds the one crontab entry " +
      "(or LaunchAgent) that runs `clodputer tick` every minute. See " +
      "[scheduling.md](scheduling.md).",
  },
  "schedule.type": {
    expect: '"cron"',
    example: "type: cron",
    values: ["cron"],
    required: true,
    doc: "Always `cron`.",
  },
  "schedule.expression": {
    expect: "a cron expression",
    example: 'expression: "0 8 * * *"',
    required: true,
    doc: "Five fields: minute, hour, day of month, month, day of week (`0 8 * * 1-5` is 08:00 " +
      "on weekdays). `validate` prints it in words and the next runs.",
  },
  "schedule.timezone": {
    expect: "a time zone name",
    example: "timezone: America/New_York",
    default: "the machine's time zone",
    doc: "The IANA zone the expression is read in.",
  },
  "schedule.catch_up": {
    expect: "skip, run_once or run_all",
    example: "catch_up: skip",
    values: ["skip", "run_once", "run_all"],
    default: TASK_DEFAULTS.catch_up,
    doc: "What to do about slots missed while the machine was off or asleep: `skip` them " +
      "(each is logged), run once for all of them (`run_once`), or once for each (`run_all`).",
  },
  "schedule.catch_up_max_age": {
    expect: DURATION,
    example: "catch_up_max_age: 6h",
    doc: "Missed slots older than this are never caught up.",
  },
  trigger: {
    expect: "a mapping with type: manual, file_watch or interval",
    example: "trigger: then, indented below it, type: file_watch and path: ~/Inbox",
    doc: "What else starts the task: a file in a watched folder, or an interval. See " +
      "[watching.md](watching.md).",
  },
  "trigger.type": {
    expect: "manual, file_watch or interval",
    example: "type: file_watch",
    values: ["manual", "file_watch", "interval"],
    required: true,
    doc: "`manual` (only `clodputer run`), `file_watch` (a file in `path`) or `interval` " +
      "(every `seconds`).",
  },
  "trigger.path": {
    expect: "a folder path",
    example: "path: ~/Inbox",
    required: true,
    types: ["file_watch"],
    doc: "The folder to watch: absolute, or starting with `~/`.",
  },
  "trigger.pattern": {
    expect: "a file name pattern",
    example: 'pattern: "*.md"',
    default: TASK_DEFAULTS.pattern,
    types: ["file_watch"],
    doc: "Only files whose name matches this glob start a run.",
  },
  "trigger.event": {
    expect: "created, modified or deleted",
    example: "event: created",
    values: ["created", "modified", "deleted"],
    default: TASK_DEFAULTS.event,
    types: ["file_watch"],
    doc: "Which change starts a run: a new file, a changed one, or one that left.",
  },
  "trigger.debounce": {
    expect: "a number of milliseconds, 0 or more",
    example: "debounce: 1000",
    default: TASK_DEFAULTS.debounce,
    types: ["file_watch"],
    doc: "How long a file must stay unchanged before it is handed over, so a file still being " +
      "written or copied waits.",
  },
  "trigger.recursive": {
    expect: "true or false",
    example: "recursive: true",
    default: false,
    types: ["file_watch"],
    doc: "Watch subfolders too.",
  },
  "trigger.ignore": {
    expect: "a list of file name patterns",
    example: 'ignore: ["*.tmp"]',
    default: "none",
    types: ["file_watch"],
    doc: "Globs of files never handed over, besides editor, system and download noise.",
  },
  "trigger.seconds": {
    expect: "a positive whole number of seconds",
    example: "seconds: 3600",
    required: true,
    types: ["interval"],
    doc: "Run every this many seconds, counted from the end of the last run.",
  },
  depends_on: {
    expect: "a list of tasks",
    example: "depends_on: then - task: other-task below it",
    default: "none",
    doc: "Tasks whose last run must meet a condition first; when one does not, the run is " +
      "recorded as `skipped`. See [dependencies.md](dependencies.md).",
  },
  "depends_on.*": { expect: "a mapping with task:", example: "- task: other-task" },
  "depends_on.*.task": {
    expect: "a task name",
    example: "task: other-task",
    required: true,
    doc: "The other task.",
  },
  "depends_on.*.condition": {
    expect: "success, complete or always",
    example: "condition: success",
    values: ["success", "complete", "always"],
    default: TASK_DEFAULTS.condition,
    doc: "What the other task's last run must have done: `success` succeeded; `complete` ran " +
      "to its end (succeeded, failed or timed out); `always` anything, or never ran.",
  },
  "depends_on.*.max_age": {
    expect: 'seconds, or a duration such as "6h", "1d" or "30m"',
    example: "max_age: 1d",
    doc: "That run must have ended at most this long ago.",
  },
  task: {
    expect: "a mapping with prompt: and the task's settings",
    example: 'task: then, indented below it, prompt: "What Claude should do"',
    required: true,
    doc: "What Claude is asked, and how the run goes.",
  },
  "task.prompt": {
    expect: "text",
    example: 'prompt: "Summarise my unread email"',
    required: true,
    doc: "Given to `claude -p` on its stdin. `{{ context.now }}`, `{{ context.* }}`, " +
      "`{{ env.NAME }}` and `{{ secrets.NAME }}` are filled in.",
  },
  "task.allowed_tools": {
    expect: "a list of tool names",
    example: "allowed_tools: [Read, Write]",
    default: "none",
    doc: "Tools Claude may use without asking (`--allowedTools`): `Read`, " +
      '`"Bash(git log:*)"`, `mcp__server`. In print mode anything else is denied.',
  },
  "task.allowed_tools.*": { expect: "a tool name", example: "- Read" },
  "task.disallowed_tools": {
    expect: "a list of tool names",
    example: "disallowed_tools: [Bash]",
    default: "none",
    doc: "Tools Claude may never use (`--disallowedTools`).",
  },
  "task.disallowed_tools.*": { expect: "a tool name", example: "- Bash" },
  "task.permission_mode": {
    expect: PERMISSION_MODES.join(", ").replace(/, (?=[^,]*$)/, " or "),
    example: "permission_mode: acceptEdits",
    values: PERMISSION_MODES,
    default: "claude's own",
    doc: "Claude Code's `--permission-mode`.",
  },
  "task.timeout": {
    expect: SECONDS,
    example: "timeout: 600",
    default: TASK_DEFAULTS.timeout,
    doc: "The whole run's limit: past it, claude and everything it started are stopped and " +
      "the run is `timed_out`. config.yaml's `default_timeout` changes the default.",
  },
  "task.idle_timeout": {
    expect: SECONDS,
    example: "idle_timeout: 300",
    default: "config.yaml's idle_timeout",
    doc: "Seconds without any output from claude before the run is stopped.",
  },
  "task.context": {
    expect: "a mapping of names to values",
    example: "context: then key: value lines indented below it",
    default: "none",
    doc: "Values the templates see as `{{ context.NAME }}`.",
  },
  "task.mcp_config": {
    expect: "a file path",
    example: "mcp_config: ~/.clodputer/mcp.json",
    doc: "An MCP servers file for claude's `--mcp-config`: absolute, or starting with `~/`.",
  },
  "task.max_retries": {
    expect: "a whole number, 0 or more",
    example: "max_retries: 2",
    default: TASK_DEFAULTS.max_retries,
    doc: "How many times a run is tried again after a failure that may pass: an API error " +
      "(5xx, 529), a lost connection, an idle timeout, a lost run. See [recovery.md](recovery.md).",
  },
  "task.retry_backoff_seconds": {
    expect: "a number of seconds, 1 or more",
    example: "retry_backoff_seconds: 60",
    default: TASK_DEFAULTS.retry_backoff_seconds,
    doc: "The wait before the first retry; it doubles for each next one.",
  },
  "task.max_retry_delay": {
    expect: "a number of seconds, 1 or more",
    example: "max_retry_delay: 3600",
    default: TASK_DEFAULTS.max_retry_delay,
    doc: "The longest wait between retries.",
  },
  "task.model": {
    expect: "a model name",
    example: "model: sonnet",
    default: "claude's own",
    doc: "claude's `--model`.",
  },
  "task.max_turns": {
    expect: "a positive whole number",
    example: "max_turns: 10",
    doc: "claude's `--max-turns`.",
  },
  "task.working_directory": {
    expect: "a folder path",
    example: "working_directory: ~/Projects",
    default: "the folder Clodputer was started in (the home folder under cron and launchd)",
    doc: "Where claude runs: absolute, or starting with `~/`. A run fails at once when it is " +
      "not a folder.",
  },
  "task.env": {
    expect: "a mapping of variable names to values",
    example: 'env: then NAME: "value" lines indented below it',
    default: "none",
    doc: "Environment variables for claude, on top of Clodputer's own.",
  },
  "task.env.*": { expect: "text", example: 'NAME: "value"' },
  "task.append_system_prompt": {
    expect: "text",
    example: 'append_system_prompt: "Be brief"',
    doc: "claude's `--append-system-prompt`.",
  },
  "task.max_cost_usd": {
    expect: "a positive number of US dollars",
    example: "max_cost_usd: 0.5",
    doc: "claude's `--max-budget-usd`; Clodputer also stops a run that reports more " +
      "(`over_budget`). See [cost.md](cost.md).",
  },
  "task.session": {
    expect: "new or continue",
    example: "session: continue",
    values: ["new", "continue"],
    default: TASK_DEFAULTS.session,
    doc: "`continue`: each run continues the Claude conversation of the task's last run that " +
      "reached a result (`claude -p --resume`), so Claude remembers what it did before; `new`: " +
      "every run starts a fresh conversation. A session is continued only in the same " +
      "working_directory and Claude config folder, and within `session_max_age` and " +
      "`session_max_runs`. See [sessions.md](sessions.md).",
  },
  "task.session_max_age": {
    expect: DURATION,
    example: "session_max_age: 7d",
    default: "7d",
    doc: "With `session: continue`: a session that began longer ago than this is not continued; " +
      "the run starts a new one.",
  },
  "task.session_max_runs": {
    expect: "a positive whole number",
    example: "session_max_runs: 20",
    default: TASK_DEFAULTS.session_max_runs,
    doc: "With `session: continue`: a session that has had this many runs is not continued; " +
      "the run starts a new one. Every continued run sends the whole conversation again, so " +
      "this bounds what each run costs.",
  },
  on_success: {
    expect: "a list of actions",
    example: "on_success: then - notify: true below it",
    default: "none",
    doc: "What to do after a run that succeeded: each item one action.",
  },
  "on_success.*": { expect: "an action (log, notify or retry)", example: "- notify: true" },
  "on_success.*.log": {
    expect: "text",
    example: '- log: "{{ name }} finished"',
    doc: ACTION_DOC,
  },
  "on_success.*.notify": {
    expect: "true or false",
    example: "- notify: true",
    doc: "Send a notification on config.yaml's `notify:` channels.",
  },
  "on_success.*.retry": {
    expect: "true or false",
    example: "- retry: true",
    doc: "Accepted from the earlier format, and has no effect after a success.",
  },
  on_failure: {
    expect: "a list of actions",
    example: "on_failure: then - notify: true below it",
    default: "none",
    doc: "What to do after a run that failed, timed out or was stopped: each item one action.",
  },
  "on_failure.*": { expect: "an action (log, notify or retry)", example: "- notify: true" },
  "on_failure.*.log": {
    expect: "text",
    example: '- log: "{{ name }} failed: {{ error }}"',
    doc: ACTION_DOC,
  },
  "on_failure.*.notify": {
    expect: "true or false",
    example: "- notify: true",
    doc: "Send a notification on config.yaml's `notify:` channels.",
  },
  "on_failure.*.retry": {
    expect: "true or false",
    example: "- retry: true",
    doc: "`true` asks for retries (one when the task sets no `max_retries`); `false` turns " +
      "them off.",
  },
  notify: {
    expect: "failures, always or never",
    example: "notify: failures",
    values: ["failures", "always", "never"],
    default: "failures of unattended runs",
    doc: "Which runs are notified. See [notifications.md](notifications.md).",
  },
} as const satisfies Fields;

/** config.yaml's keys (`$CLODPUTER_HOME/config.yaml`, optional). */
export const GLOBAL_FIELDS = {
  "": { expect: "a mapping of settings", example: "grace_period: 5" },
  claude: {
    expect: "a path to the claude executable",
    example: "claude: /opt/homebrew/bin/claude",
    default: "claude on PATH, else its usual install places",
    doc: "Which claude runs: an absolute path, a path starting with `~/`, or a name looked up " +
      "on PATH. `$CLODPUTER_CLAUDE` wins over it.",
  },
  default_timeout: {
    expect: SECONDS,
    example: "default_timeout: 1800",
    default: TASK_DEFAULTS.timeout,
    doc: "The `timeout` of tasks that set none.",
  },
  idle_timeout: {
    expect: SECONDS,
    example: "idle_timeout: 600",
    default: GLOBAL_DEFAULTS.idle_timeout,
    doc: "Seconds without any output from claude before a run is stopped, for tasks that set " +
      "none.",
  },
  grace_period: {
    expect: "a number of seconds, 0 or more",
    example: "grace_period: 5",
    default: GLOBAL_DEFAULTS.grace_period,
    doc: "Between SIGTERM and SIGKILL when a run is stopped.",
  },
  max_output_bytes: {
    expect: "a positive whole number of bytes",
    example: "max_output_bytes: 10485760",
    default: GLOBAL_DEFAULTS.max_output_bytes,
    doc: "How much of each of claude's stdout and stderr a run keeps.",
  },
  log: {
    expect: "a mapping with max_bytes: and keep_months:",
    example: "log: then max_bytes: 10485760",
    doc: "The execution log (`execution.log`).",
  },
  "log.max_bytes": {
    expect: "a positive whole number of bytes",
    example: "max_bytes: 10485760",
    default: GLOBAL_DEFAULTS.log.max_bytes,
    doc: "Past this size the log is rotated into `archive/`.",
  },
  "log.keep_months": {
    expect: "a whole number of months, 0 or more",
    example: "keep_months: 6",
    default: GLOBAL_DEFAULTS.log.keep_months,
    doc: "How long archives are kept.",
  },
  runs: {
    expect: "a mapping with keep: and max_age_days:",
    example: "runs: then keep: 1000",
    doc: "Which finished runs are kept (records and `runs/<id>/` folders).",
  },
  "runs.keep": {
    expect: "a positive whole number of runs",
    example: "keep: 1000",
    default: GLOBAL_DEFAULTS.runs.keep,
    doc: "How many.",
  },
  "runs.max_age_days": {
    expect: "a positive whole number of days",
    example: "max_age_days: 90",
    default: GLOBAL_DEFAULTS.runs.max_age_days,
    doc: "For how long.",
  },
  notifications: {
    expect: "true or false",
    example: "notifications: true",
    doc: "The earlier format's switch: `false` turns every notification off, `true` turns on " +
      "desktop ones.",
  },
  notify: {
    expect: "a mapping with macos:, webhook: or command:",
    example: "notify: then macos: true below it",
    doc: "Where notifications go. See [notifications.md](notifications.md).",
  },
  "notify.macos": {
    expect: "true or false",
    example: "macos: true",
    default: false,
    doc: "Desktop notifications: Notification Center through osascript; notify-send on Linux.",
  },
  "notify.webhook": {
    expect: "an http or https URL",
    example: "webhook: https://hooks.example.com/clodputer",
    doc: "A URL that gets each notification as a JSON POST.",
  },
  "notify.format": {
    expect: '"json" or "slack"',
    example: "format: slack",
    values: ["json", "slack"],
    default: "json",
    doc: "The webhook's body: the event as JSON, or Slack's `{\"text\": ...}`.",
  },
  "notify.command": {
    expect: "a list: the program, then its arguments",
    example: 'command: ["/usr/local/bin/my-notifier", "--quiet"]',
    doc: "A program that gets each notification as JSON on its stdin.",
  },
  "notify.command.*": { expect: "text", example: '- "/usr/local/bin/my-notifier"' },
  budget: {
    expect: "a mapping with daily_usd: or monthly_usd:",
    example: "budget: then daily_usd: 5 below it",
    doc: "Spending limits over every task: no run starts once one is spent (it is recorded as " +
      "`skipped`). See [cost.md](cost.md).",
  },
  "budget.daily_usd": {
    expect: "a positive number of US dollars",
    example: "daily_usd: 5",
    doc: "Per day.",
  },
  "budget.monthly_usd": {
    expect: "a positive number of US dollars",
    example: "monthly_usd: 100",
    doc: "Per calendar month.",
  },
} as const satisfies Fields;

/** The keys written directly under `P` (`""` is the top level) in a field table `F`. */
export type KeysUnder<F, P extends string> = {
  [K in keyof F & string]: P extends "" ? (K extends "" | `${string}.${string}` ? never : K)
    : K extends `${P}.${infer C}` ? (C extends "*" | `${string}.${string}` ? never : C)
    : never;
}[keyof F & string];

/**
 * The keys written directly under `pattern`, in the table's order; under `trigger` with a
 * `type`, only that type's.
 */
export function keysUnder(fields: Fields, pattern: string, triggerType?: string): string[] {
  const prefix = pattern === "" ? "" : `${pattern}.`;
  const keys: string[] = [];
  for (const [path, field] of Object.entries(fields)) {
    if (path === "" || !path.startsWith(prefix)) continue;
    const key = path.slice(prefix.length);
    if (key === "*" || key.includes(".")) continue;
    if (triggerType !== undefined && field.types && !field.types.includes(triggerType)) continue;
    keys.push(key);
  }
  return keys;
}

/** The trigger types (`trigger.type`'s values). */
export const TRIGGER_TYPES: readonly string[] = TASK_FIELDS["trigger.type"].values;
