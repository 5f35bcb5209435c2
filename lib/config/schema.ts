/**
 * @module
 * The zod schemas of a task file and of config.yaml (the only importer of zod): the rules of each
 * value and the normalised result. Which keys exist, their defaults and how problems are worded
 * come from fields.ts; each schema's shape is checked against it at compile time (`satisfies
 * Shape<...>`), so a key cannot be added to one and not the other.
 */

import { isAbsolute, join } from "../sys/posix_path.ts";
import { z } from "zod";
import { validateCron } from "./cron_expr.ts";
import { closest } from "./_suggest.ts";
import {
  GLOBAL_DEFAULTS,
  GLOBAL_FIELDS,
  GLOBAL_INFORMATIONAL_KEYS,
  INFORMATIONAL_KEYS,
  type KeysUnder,
  keysUnder,
  TASK_DEFAULTS,
  TASK_FIELDS,
  TRIGGER_TYPES,
} from "./fields.ts";
import { dedupe, isRecord, type IssueContext, patternOf, translate, valueAt } from "./issues.ts";
import { TASK_NAME_RULE, taskNameProblem } from "./names.ts";
import { checkToolRule } from "./tools.ts";
import {
  type Action,
  type GlobalConfig,
  LEGACY_PERMISSION_MODES,
  PERMISSION_MODES,
  type PermissionMode,
  type SchemaIssue,
  type TaskConfig,
  type Validation,
} from "./types.ts";

/** A zod shape with exactly the keys fields.ts defines under `P`. */
type TaskShape<P extends string> = Record<KeysUnder<typeof TASK_FIELDS, P>, z.ZodType>;
type GlobalShape<P extends string> = Record<KeysUnder<typeof GLOBAL_FIELDS, P>, z.ZodType>;

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
    z.strictObject(
      {
        log: z.string().optional(),
        notify: boolish().optional(),
        retry: boolish().optional(),
      } satisfies TaskShape<"on_success.*"> & TaskShape<"on_failure.*">,
    ),
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

  const schedule = z.strictObject(
    {
      type: z.literal("cron"),
      expression: z.string().trim().min(1).superRefine((expression, ctx) => {
        if (expression === "") return; // reported as missing already
        const check = validateCron(expression);
        if (!check.ok) custom(ctx, check.message, check.hint);
      }),
      timezone: opt(timezoneField().optional()),
      catch_up: opt(z.enum(["skip", "run_once", "run_all"]).default(TASK_DEFAULTS.catch_up)),
      catch_up_max_age: opt(durationSeconds().optional()),
    } satisfies TaskShape<"schedule">,
  );

  // Each type's keys are some of trigger's; which ones is checked against fields.ts's `types:` by
  // tests/config/fields_test.ts.
  const trigger = z.discriminatedUnion("type", [
    z.strictObject({ type: z.literal("manual") } satisfies Partial<TaskShape<"trigger">>),
    z.strictObject(
      {
        type: z.literal("file_watch"),
        path: pathField("path", home),
        pattern: opt(z.string().min(1).default(TASK_DEFAULTS.pattern)),
        event: opt(z.enum(["created", "modified", "deleted"]).default(TASK_DEFAULTS.event)),
        debounce: opt(z.number().min(0).default(TASK_DEFAULTS.debounce)),
        recursive: opt(boolish().default(false)),
        ignore: opt(z.array(z.string().min(1)).default([])),
      } satisfies Partial<TaskShape<"trigger">>,
    ),
    z.strictObject(
      {
        type: z.literal("interval"),
        seconds: z.int().positive(),
      } satisfies Partial<TaskShape<"trigger">>,
    ),
  ]);

  const dependency = z.strictObject(
    {
      task: taskNameField("task"),
      condition: opt(z.enum(["success", "complete", "always"]).default(TASK_DEFAULTS.condition)),
      max_age: opt(durationSeconds().optional()),
    } satisfies TaskShape<"depends_on.*">,
  );

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

  const spec = z.strictObject(
    {
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
      session: opt(z.enum(["new", "continue"]).default(TASK_DEFAULTS.session)),
      session_max_age: opt(durationSeconds().default(TASK_DEFAULTS.session_max_age)),
      session_max_runs: opt(z.int().positive().default(TASK_DEFAULTS.session_max_runs)),
    } satisfies TaskShape<"task">,
  );

  const top = {
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
  } satisfies TaskShape<"">;
  return z.strictObject({ ...top, ...informational });
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
    : result.error.issues.flatMap((issue) => translate(issue, data, TASK_ISSUES));
  issues.push(...crossChecks(data));
  if (!result.success || issues.length > 0) {
    return { ok: false, issues: dedupe(issues), warnings: found };
  }
  const d = result.data;
  if (d.task.session === "continue" && d.task.working_directory === undefined) {
    found.push({
      path: ["task", "session"],
      message: "session: continue without a working_directory: claude keeps a session under " +
        "the folder it ran in, so runs started from another folder (cron's and launchd's is " +
        "your home folder) start a new session",
      hint: "set working_directory, for example working_directory: ~/, so every run continues",
      at: "value",
    });
  }
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

const TASK_ISSUES: IssueContext = {
  fields: TASK_FIELDS,
  knownKeys(path, data) {
    const pattern = patternOf(path);
    let type: unknown;
    if (pattern === "trigger") type = valueAt(data, [...path, "type"]);
    const keys = keysUnder(
      TASK_FIELDS,
      pattern,
      typeof type === "string" && TRIGGER_TYPES.includes(type) ? type : undefined,
    );
    return keys.length === 0 ? undefined : keys;
  },
  // A section's setting written at the top level gets "put it under <section>:".
  sections: (["task", "schedule", "trigger"] as const).map((section) =>
    [section, keysUnder(TASK_FIELDS, section).filter((key) => key !== "type")] as const
  ),
};

// ---------------------------------------------------------------------------------------------
// The global schema
// ---------------------------------------------------------------------------------------------

function globalSchema(home: string | undefined) {
  const informational = Object.fromEntries(
    GLOBAL_INFORMATIONAL_KEYS.map((key) => [key, z.unknown().optional()]),
  );
  const top = {
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
      z.strictObject(
        {
          max_bytes: opt(z.int().positive().default(GLOBAL_DEFAULTS.log.max_bytes)),
          keep_months: opt(z.int().min(0).default(GLOBAL_DEFAULTS.log.keep_months)),
        } satisfies GlobalShape<"log">,
      ).default({ ...GLOBAL_DEFAULTS.log }),
    ),
    runs: opt(
      z.strictObject(
        {
          keep: opt(z.int().positive().default(GLOBAL_DEFAULTS.runs.keep)),
          max_age_days: opt(z.int().positive().default(GLOBAL_DEFAULTS.runs.max_age_days)),
        } satisfies GlobalShape<"runs">,
      ).default({ ...GLOBAL_DEFAULTS.runs }),
    ),
    notifications: opt(boolish().optional()),
    notify: opt(
      z.strictObject(
        {
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
        } satisfies GlobalShape<"notify">,
      ).optional(),
    ),
    budget: opt(
      z.strictObject(
        {
          daily_usd: opt(z.number().positive().optional()),
          monthly_usd: opt(z.number().positive().optional()),
        } satisfies GlobalShape<"budget">,
      ).optional(),
    ),
  } satisfies GlobalShape<"">;
  return z.strictObject({ ...top, ...informational });
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
        result.error.issues.flatMap((issue) => translate(issue, input, GLOBAL_ISSUES)),
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

const GLOBAL_ISSUES: IssueContext = {
  fields: GLOBAL_FIELDS,
  knownKeys(path) {
    const keys = keysUnder(GLOBAL_FIELDS, patternOf(path));
    return keys.length === 0 ? undefined : keys;
  },
};

/** The task file's and config.yaml's zod schemas, for the test that checks them against fields.ts. */
export function zodSchemas(home: string): { task: z.ZodType; global: z.ZodType } {
  return { task: taskSchema({ fallbackName: "task", home }), global: globalSchema(home) };
}
