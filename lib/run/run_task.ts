/**
 * @module
 * One run of one task: fill in its templates, find claude, execute, and keep the record.
 */

import { isAbsolute, join } from "../sys/posix_path.ts";
import type { GlobalConfig } from "../config/types.ts";
import type { LoadedTask } from "../config/load.ts";
import { findTemplateVariables, renderTemplate, TemplateError } from "../config/template.ts";
import { redact, redactDeep, secretEnvValues } from "../log/redact.ts";
import type { Clock } from "../sys/clock.ts";
import { currentDirectory, type Env } from "../sys/env.ts";
import { ensureDir, isDirectory, writeFileAtomic } from "../sys/fs.ts";
import { type Paths, runDir } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import { claudeArgs, claudeEnv, PROMPT_FILE } from "./argv.ts";
import { findClaude } from "./claude_path.ts";
import { execute } from "./executor.ts";
import { buildRecord, emptyExecution, type RunRecord, saveRecord, type Trigger } from "./record.ts";
import type { Outcome } from "./outcome.ts";
import { newRunId } from "./run_id.ts";
import { lookupSecret } from "./secret_stores.ts";
import { secretSetCommand } from "./secrets.ts";
import { ClodputerError } from "../errors.ts";
import type { ProgressEvent } from "./stream.ts";

/** The seams a run needs. */
export interface RunDeps {
  proc: Proc;
  clock: Clock;
  env: Env;
  paths: Paths;
  os: string;
  selfPid: number;
}

/** A run that has started: claude's pid and exactly how it was started. */
export interface StartedRun {
  runId: string;
  pid: number;
  command: string;
  argv: string[];
  cwd: string | null;
  /** The file holding the prompt given on stdin. */
  promptFile: string;
}

/** How this run was asked for. */
export interface RunTaskOptions {
  /** The id to use (the queue assigns one); a new one otherwise. */
  runId?: string | undefined;
  trigger?: Trigger | undefined;
  /** Values for `{{ context.* }}` from the trigger (merged over the task's `context`). */
  context?: Record<string, unknown> | undefined;
  /** Values for `{{ metadata.* }}` from the trigger. */
  metadata?: Record<string, unknown> | undefined;
  /** Aborting cancels the run; the reason says by whom. */
  signal?: AbortSignal | undefined;
  onEvent?: ((event: ProgressEvent) => void) | undefined;
  /** Called once the run has an id and claude a pid. */
  onStart?: ((info: StartedRun) => void) | undefined;
}

/**
 * Keeps the record of a run that could not start: outcome `failed_to_spawn`, or the `outcome`
 * given (`skipped` for a spent budget).
 */
export async function recordNotStarted(
  deps: Pick<RunDeps, "clock" | "paths">,
  input: {
    runId: string;
    task: string;
    trigger: Trigger;
    startedMs: number;
    message: string;
    hint: string;
    command?: string;
    cwd?: string | null;
    outcome?: Outcome;
  },
): Promise<RunRecord> {
  const dir = runDir(deps.paths, input.runId);
  await ensureDir(dir);
  const execution = emptyExecution(
    input.outcome ?? { kind: "failed_to_spawn", message: input.message, hint: input.hint },
    { startedMs: input.startedMs, endedMs: deps.clock.now() },
  );
  const record = buildRecord({
    id: input.runId,
    task: input.task,
    trigger: input.trigger,
    command: input.command ?? "claude",
    argv: [],
    cwd: input.cwd ?? null,
    execution,
  });
  await saveRecord(dir, record);
  return record;
}

/** Runs a loaded task once and returns its record, already saved to `runs/<id>/result.json`. */
export async function runTask(
  deps: RunDeps,
  loaded: LoadedTask,
  options: { global: GlobalConfig } & RunTaskOptions,
): Promise<RunRecord> {
  const { clock, paths } = deps;
  const task = loaded.config.task;
  const runId = options.runId ?? newRunId(clock.now());
  const dir = runDir(paths, runId);
  await ensureDir(paths.runs);
  await ensureDir(dir);
  const trigger = options.trigger ?? { type: "manual" };
  const startedMs = clock.now();
  // Kept out of every file the run writes: the task's {{ env.* }} values, and the values of
  // environment variables whose names look secret (a Bash tool may print the environment).
  const secrets = [...loaded.secretValues, ...secretEnvValues(deps.env.toObject())];

  const failEarly = (message: string, hint: string, command = "claude") =>
    recordNotStarted(deps, {
      runId,
      task: loaded.name,
      trigger,
      startedMs,
      message,
      hint,
      command,
      cwd: task.working_directory ?? null,
    });

  // Templates filled when the run is created: trigger data, the time, and secrets. Context
  // values may themselves be templates (`file_path: "{{ metadata.path }}"`), so they are filled
  // first and the prompt sees the result.
  const now = new Date(startedMs).toISOString();
  const scope: Record<string, unknown> = {
    name: loaded.name,
    metadata: options.metadata ?? {},
    trigger,
    context: { ...options.context, now },
  };
  const templated = [
    task.prompt,
    task.append_system_prompt ?? "",
    ...stringsIn(task.context),
    ...Object.values(task.env),
  ];
  const secretNames = templated.flatMap((t) => findTemplateVariables(t))
    .filter((v) => v.startsWith("secrets."))
    .map((v) => v.slice("secrets.".length).split(".")[0] ?? "");
  const secretScope: Record<string, string> = {};
  for (const name of new Set(secretNames)) {
    let found: Awaited<ReturnType<typeof lookupSecret>>;
    try {
      found = await lookupSecret(deps, name);
    } catch (error) {
      // the secrets file is readable by others, or damaged: say so, with its fix
      if (!(error instanceof ClodputerError)) throw error;
      return await failEarly(
        `Cannot start task "${loaded.name}": ${error.message}`,
        error.hint ?? "",
      );
    }
    if (!found.found) {
      // A keyring that is there but did not answer (no session bus under cron) is worth naming.
      const unreachable = found.unavailable.filter((u) => !u.absent)
        .map((u) => ` (${u.store} did not answer: ${u.reason})`).join("");
      return await failEarly(
        `Cannot start task "${loaded.name}": secret "${name}" was not found${unreachable}`,
        `store it with: ${secretSetCommand(name)} (it asks for the value)`,
      );
    }
    const value = found.value;
    secretScope[name] = value;
    secrets.push(value);
  }
  scope.secrets = secretScope;

  let prompt: string;
  let appendSystemPrompt: string | undefined;
  let taskEnv: Record<string, string>;
  try {
    // env values may name secrets (a token kept in the Keychain, not in the file).
    taskEnv = Object.fromEntries(
      Object.entries(task.env).map(([k, v]) => [k, renderTemplate(v, scope)]),
    );
    const context = renderDeep(task.context, scope);
    scope.context = { ...context, ...options.context, now };
    prompt = renderTemplate(task.prompt, scope);
    appendSystemPrompt = task.append_system_prompt === undefined
      ? undefined
      : renderTemplate(task.append_system_prompt, scope);
    secrets.push(...secretEnvValues(taskEnv));
  } catch (error) {
    if (!(error instanceof TemplateError)) throw error;
    return await failEarly(
      `Cannot start task "${loaded.name}": ${error.message}`,
      `fix the template in ${loaded.file}, or give the run that value`,
    );
  }

  const claude = await findClaude(deps.env, options.global.claude, paths.config);
  if (!claude.found) return await failEarly(claude.message, claude.hint);

  const cwd = task.working_directory;
  if (cwd !== undefined) {
    const ok = isAbsolute(cwd) && await isDirectory(cwd);
    if (!ok) {
      return await failEarly(
        `Cannot start task "${loaded.name}": working_directory "${cwd}" is not a folder`,
        `create it, or fix working_directory in ${loaded.file}`,
        claude.path,
      );
    }
  }

  const args = claudeArgs({ ...task, append_system_prompt: appendSystemPrompt });
  // The prompt goes on stdin; a copy (secrets redacted) stays beside the record so `show` can
  // print a command line to paste: `claude -p ... < runs/<id>/prompt`.
  const promptFile = join(dir, PROMPT_FILE);
  await writeFileAtomic(promptFile, redact(prompt, secrets));
  const shownArgs = redactDeep(args, secrets);
  // Where claude runs: the task's folder, else Clodputer's own (cron's and launchd's: the home
  // folder). Recorded either way, so `resume` reopens the session where claude kept it.
  const ranIn = cwd ?? currentDirectory() ?? null;
  const execution = await execute(deps, {
    runId,
    command: claude.path,
    args,
    stdin: prompt,
    env: claudeEnv(deps.env.toObject(), taskEnv),
    cwd,
    runDir: dir,
    secrets,
    timeoutMs: task.timeout * 1000,
    idleTimeoutMs: (task.idle_timeout ?? options.global.idle_timeout) * 1000,
    graceMs: options.global.grace_period * 1000,
    maxOutputBytes: options.global.max_output_bytes,
    signal: options.signal,
    maxCostUsd: task.max_cost_usd,
    onEvent: options.onEvent,
    onStart: (pid) =>
      options.onStart?.({
        runId,
        pid,
        command: claude.path,
        argv: shownArgs,
        cwd: ranIn,
        promptFile,
      }),
  });
  const record = redactDeep(
    buildRecord({
      id: runId,
      task: loaded.name,
      trigger,
      command: claude.path,
      argv: args,
      promptFile,
      cwd: ranIn,
      execution,
      maxCostUsd: task.max_cost_usd,
    }),
    secrets,
  );
  await saveRecord(dir, record);
  return record;
}

/** Every string inside a JSON-like value. */
function stringsIn(value: unknown): string[] {
  if (typeof value === "string") return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === "object") return Object.values(value).flatMap(stringsIn);
  return [];
}

/** Fills the templates in every string of a JSON-like value. */
function renderDeep(
  value: Record<string, unknown>,
  scope: Record<string, unknown>,
): Record<string, unknown> {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return renderTemplate(v, scope);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    }
    return v;
  };
  return walk(value) as Record<string, unknown>;
}
