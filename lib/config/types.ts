/**
 * @module
 * The shapes of a loaded task and of config.yaml, as the rest of Clodputer reads them, and of a
 * problem found in one. Types and the permission modes only: importing this loads nothing.
 */

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
  /** `continue`: each run continues the Claude session of the task's last run (lib/run/session.ts). */
  session: SessionMode;
  /** Seconds: a session older than this is not continued. */
  session_max_age: number;
  /** A session that has had this many runs is not continued. */
  session_max_runs: number;
}

/** Whether a task's runs start a new Claude session or continue the last one. */
export type SessionMode = "new" | "continue";

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
  session: "new";
  session_max_age: number;
  session_max_runs: number;
}
