/**
 * @module
 * `clodputer validate [name...]`: a dry run. Loads and checks every task (or the named ones),
 * prints the exact claude command line each would run, its trigger and next runs, and warns
 * about risky but legal choices. Exit 2 when any task is invalid.
 */

import { loadGlobalConfig, loadTask } from "../config/load.ts";
import { misnamedMessage, readTaskFolder } from "../config/names.ts";
import type { TaskConfig } from "../config/types.ts";
import { ClodputerError, ConfigError, issueWhere, NotFoundError, UsageError } from "../errors.ts";
import { redact, redactDeep, secretEnvValues } from "../log/redact.ts";
import { claudeArgs } from "../run/argv.ts";
import { findClaude } from "../run/claude_path.ts";
import { describeCron } from "../schedule/cron_describe.ts";
import { formatInZone, nextRuns } from "../config/cron_expr.ts";
import { isDirectory } from "../sys/fs.ts";
import type { Colors } from "../ui/color.ts";
import { commandLine } from "../ui/shell_quote.ts";
import type { Deps } from "./deps.ts";

/** A timeout longer than this is probably a mistake (4 hours). */
export const LONG_TIMEOUT_SECONDS = 4 * 3600;

/** One task's dry run; also the `--json` form. */
export interface Validation {
  name: string;
  /** The file's `name:` when it differs from the file name (the earlier format allowed it). */
  label: string | null;
  file: string;
  valid: boolean;
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

function promptPreview(prompt: string, max = 60): string {
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

function triggerText(config: TaskConfig): string {
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

/** Dry-runs the named tasks (all when none are named). */
export async function validateTasks(
  deps: Deps,
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
      problems: [{ message, where: m.file, hint }],
      warnings: [],
      trigger: null,
      next_runs: [],
      argv: [],
      prompt: null,
    });
  }
  for (const name of all) {
    const file = `${deps.paths.tasks}/${name}.yaml`;
    try {
      const loaded = await loadTask(deps.paths, name, deps.env, { global });
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
      out.push({
        name,
        label: loaded.label ?? null,
        file,
        valid: true,
        problems: [],
        warnings: [
          ...loaded.warnings.map((w) =>
            `${issueWhere(w)}: ${w.message}${w.hint ? ` (${w.hint})` : ""}`
          ),
          ...await riskWarnings(config, upcoming),
        ],
        trigger: triggerText(config),
        next_runs: runs,
        // What looks secret is not printed: values of secret-looking variables, credentials.
        argv: redactDeep([command, ...claudeArgs(config.task)], secrets),
        prompt: redact(config.task.prompt, secrets),
      });
    } catch (error) {
      if (error instanceof NotFoundError || error instanceof UsageError) throw error;
      if (!(error instanceof ClodputerError)) throw error;
      const problems = error instanceof ConfigError && error.issues.length > 0
        ? error.issues.map((i) => ({
          message: i.message,
          where: issueWhere(i),
          hint: i.hint ?? null,
        }))
        : [{ message: error.message, where: null, hint: error.hint ?? null }];
      out.push({
        name,
        label: null,
        file,
        valid: false,
        problems,
        warnings: [],
        trigger: null,
        next_runs: [],
        argv: [],
        prompt: null,
      });
    }
  }
  return out;
}

/** Renders the dry run for a person. Pure. */
export function renderValidation(results: Validation[], c: Colors): string[] {
  const lines: string[] = [];
  for (const v of results) {
    if (!v.valid) {
      lines.push(
        `${c.red("✗")} ${v.name}: ${v.problems.length} problem${
          v.problems.length === 1 ? "" : "s"
        }`,
      );
      for (const p of v.problems) {
        lines.push(`  ${p.where ? `${p.where}: ` : ""}${p.message}`);
        if (p.hint) lines.push(`    hint: ${p.hint}`);
      }
      continue;
    }
    lines.push(`${c.green("✓")} ${v.name}${v.label === null ? "" : ` (name: ${v.label})`}`);
    lines.push(`  trigger: ${v.trigger}`);
    if (v.next_runs.length > 0) lines.push(`  next:    ${v.next_runs.join(", ")}`);
    lines.push(`  claude:  ${commandLine(v.argv, PROMPT_PLACEHOLDER)}`);
    if (v.prompt !== null) lines.push(`  ${PROMPT_PLACEHOLDER}: ${promptPreview(v.prompt)}`);
    for (const w of v.warnings) lines.push(c.yellow(`  ! ${w}`));
  }
  const bad = results.filter((v) => !v.valid).length;
  lines.push(
    "",
    results.length === 0
      ? "No tasks to validate"
      : bad === 0
      ? `${results.length} task${results.length === 1 ? "" : "s"} valid`
      : `${bad} of ${results.length} task${results.length === 1 ? "" : "s"} invalid`,
  );
  return lines;
}

/** `validate`. */
export async function validateCommand(
  deps: Deps,
  names: string[],
  options: { json: boolean; count: string },
): Promise<number> {
  const count = Number(options.count);
  if (!Number.isInteger(count) || count < 0 || count > 100) {
    throw new UsageError(
      `Cannot preview "${options.count}" runs: --count takes a whole number from 0 to 100`,
      {
        hint: "for example: --count 5",
      },
    );
  }
  const results = await validateTasks(deps, names, count);
  if (options.json) deps.out.json(results);
  else for (const line of renderValidation(results, deps.out.color)) deps.out.line(line);
  return results.some((v) => !v.valid) ? 2 : 0;
}
