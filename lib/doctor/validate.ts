/**
 * @module
 * The dry run of `validate`: loads and checks every task (or the named ones), works out the exact
 * claude command line each would run, its trigger and next runs, and warns about risky but legal
 * choices. Kept below the faces so that any of them can check tasks.
 */

import { type LoadedTask, loadGlobalConfig, loadTask, loadTaskText } from "../config/load.ts";
import { misnamedMessage, readTaskFolder } from "../config/names.ts";
import type { GlobalConfig, TaskConfig } from "../config/types.ts";
import { ClodputerError, issueWhere, NotFoundError, problemsOf, UsageError } from "../errors.ts";
import { redact, redactDeep, secretEnvValues } from "../log/redact.ts";
import { claudeArgs } from "../run/argv.ts";
import { findClaude } from "../run/claude_path.ts";
import { describeCron } from "../schedule/cron_describe.ts";
import { formatInZone, nextRuns } from "../config/cron_expr.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import { isDirectory } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";

/** What the dry run needs: the home's paths, the environment (claude, secrets) and the clock. */
export interface ValidateDeps {
  paths: Paths;
  env: Env;
  clock: Clock;
}

/** A timeout longer than this is probably a mistake (4 hours). */
export const LONG_TIMEOUT_SECONDS = 4 * 3600;

/** One task's dry run; also the `--json` form. */
export interface Validation {
  name: string;
  /** The file's `name:` when it differs from the file name (the earlier format allowed it). */
  label: string | null;
  file: string;
  valid: boolean;
  /** False for a task with `enabled: false`: it has no next runs. */
  enabled: boolean;
  problems: { message: string; where: string | null; hint: string | null }[];
  warnings: string[];
  trigger: string | null;
  next_runs: string[];
  /** claude's command line; the prompt is given on its stdin, never in argv. */
  argv: string[];
  /** The prompt as written (templates are filled when a run starts). */
  prompt: string | null;
}

/** The name the dry run gives the prompt's file in the command line it shows. */
export const PROMPT_PLACEHOLDER = "prompt.txt";

/** The prompt in one short line, with its size, as the dry run shows it. Pure. */
export function promptPreview(prompt: string, max = 60): string {
  const flat = prompt.replace(/\s+/g, " ").trim();
  const shown = flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
  const bytes = new TextEncoder().encode(prompt).length;
  return `"${shown}" (${bytes} bytes, given on stdin; templates are filled when a run starts)`;
}

/** Risky but legal choices in a valid task; `upcoming` are its next runs (two or more). */
export async function riskWarnings(config: TaskConfig, upcoming: Date[]): Promise<string[]> {
  const out: string[] = [];
  const s = config.schedule;
  if (s) {
    const [a, b] = upcoming;
    if (a && b && b.getTime() - a.getTime() <= 60_000) {
      out.push(
        `The schedule "${s.expression}" runs every minute: each run costs tokens; is that meant?`,
      );
    }
  }
  if (config.task.allowed_tools.length === 0) {
    out.push(
      "No tools are allowed: Claude can only answer in text (add allowed_tools, e.g. [Read])",
    );
  }
  if (config.task.timeout > LONG_TIMEOUT_SECONDS) {
    out.push(
      `The timeout is ${config.task.timeout} s (over 4 hours): a stuck run holds the queue that long`,
    );
  }
  const t = config.trigger;
  if (t?.type === "file_watch" && !(await isDirectory(t.path))) {
    out.push(`The watched folder ${t.path} does not exist yet`);
  }
  const cwd = config.task.working_directory;
  if (cwd && !(await isDirectory(cwd))) {
    out.push(
      `The working_directory ${cwd} is not a folder: the run fails to start until it exists ` +
        `(mkdir -p ${cwd})`,
    );
  }
  return out;
}

/** The task's triggers in words: its cron schedule, its watch or interval, or manual. */
export function triggerText(config: TaskConfig): string {
  const parts: string[] = [];
  const s = config.schedule;
  if (s) {
    parts.push(
      `cron "${s.expression}" (${describeCron(s.expression)})${
        s.timezone ? `, ${s.timezone}` : ""
      }`,
    );
  }
  const t = config.trigger;
  if (t?.type === "file_watch") {
    parts.push(`watch ${t.path} for ${t.pattern} (${t.event}, debounce ${t.debounce} ms)`);
  }
  if (t?.type === "interval") parts.push(`every ${t.seconds} s`);
  if (parts.length === 0) parts.push("manual (clodputer run)");
  return parts.join("; ");
}

/**
 * Dry-runs a task file's text as `tasks/<name>.yaml` (not written): the same problems, warnings,
 * trigger and next runs `validate` gives for a file.
 * @throws {UsageError} when `name` is not a valid task name.
 */
export async function validateTaskText(
  deps: ValidateDeps,
  name: string,
  source: string,
  count: number,
): Promise<Validation> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const claude = await findClaude(deps.env, global.claude, deps.paths.config);
  const command = claude.found ? claude.path : "claude";
  const secrets = secretEnvValues(deps.env.toObject());
  return await dryRun(
    deps,
    { global, command, secrets, count },
    name,
    () => loadTaskText(deps.paths, name, source, deps.env, { global }),
  );
}

/** What the dry run of each task shares. */
interface DryRunSetting {
  global: GlobalConfig;
  command: string;
  secrets: string[];
  count: number;
}

/** One task's dry run: `load` gives it, or throws its problems. */
async function dryRun(
  deps: ValidateDeps,
  seen: DryRunSetting,
  name: string,
  load: () => Promise<LoadedTask>,
): Promise<Validation> {
  const { command, secrets, count } = seen;
  const file = `${deps.paths.tasks}/${name}.yaml`;
  try {
    const loaded = await load();
    const { config } = loaded;
    const s = config.schedule;
    // Worked out once: the preview shows `count`, the warnings look at the first two.
    const upcoming = s
      ? nextRuns(s.expression, {
        timezone: s.timezone,
        from: new Date(deps.clock.now()),
        count: Math.max(count, 2),
      })
      : [];
    const runs = upcoming.slice(0, count).map((d) => formatInZone(d, s?.timezone));
    return {
      name,
      label: loaded.label ?? null,
      file,
      valid: true,
      enabled: config.enabled,
      problems: [],
      warnings: [
        ...loaded.warnings.map((w) =>
          `${issueWhere(w)}: ${w.message}${w.hint ? ` (${w.hint})` : ""}`
        ),
        ...await riskWarnings(config, upcoming),
      ],
      trigger: triggerText(config),
      // A disabled task never runs: it has no next run to show.
      next_runs: config.enabled ? runs : [],
      // What looks secret is not printed: values of secret-looking variables, credentials.
      argv: redactDeep([command, ...claudeArgs(config.task)], secrets),
      prompt: redact(config.task.prompt, secrets),
    };
  } catch (error) {
    if (error instanceof NotFoundError || error instanceof UsageError) throw error;
    if (!(error instanceof ClodputerError)) throw error;
    return {
      name,
      label: null,
      file,
      valid: false,
      enabled: false,
      problems: problemsOf(error),
      warnings: [],
      trigger: null,
      next_runs: [],
      argv: [],
      prompt: null,
    };
  }
}

/** Dry-runs the named tasks (all when none are named). */
export async function validateTasks(
  deps: ValidateDeps,
  names: string[],
  count: number,
): Promise<Validation[]> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const claude = await findClaude(deps.env, global.claude, deps.paths.config);
  const command = claude.found ? claude.path : "claude";
  const folder = names.length > 0 ? undefined : await readTaskFolder(deps.paths);
  const all = folder?.names ?? names;
  const secrets = secretEnvValues(deps.env.toObject());
  const out: Validation[] = [];
  // A misnamed file is no task, but validating everything reports it: it is not run either.
  for (const m of folder?.misnamed ?? []) {
    const { message, hint } = misnamedMessage(m);
    out.push({
      name: m.name,
      label: null,
      file: m.file,
      valid: false,
      enabled: false,
      problems: [{ message, where: m.file, hint }],
      warnings: [],
      trigger: null,
      next_runs: [],
      argv: [],
      prompt: null,
    });
  }
  const seen = { global, command, secrets, count };
  for (const name of all) {
    out.push(
      await dryRun(deps, seen, name, () => loadTask(deps.paths, name, deps.env, { global })),
    );
  }
  return out;
}
