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
import { ensureDir, isDirectory, readFileBounded, writeFileAtomic } from "../sys/fs.ts";
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
import {
  chooseSession,
  claudeConfigDir,
  lostSessionWords,
  planForRetry,
  type RunSession,
  type SessionPlan,
  type SessionState,
} from "./session.ts";

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
  /**
   * Called once the run has an id and claude a pid; again with the new pid when a continued
   * session was not found and claude is started afresh.
   */
  onStart?: ((info: StartedRun) => void) | undefined;
  /**
   * For a `session: continue` task: the task's session as the store keeps it, and for a retry
   * the failed run whose session choice it repeats.
   */
  session?: {
    state: SessionState | undefined;
    retryOf?: { id: string; session: RunSession } | undefined;
  } | undefined;
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

  const baseArgs = claudeArgs({ ...task, append_system_prompt: appendSystemPrompt });
  // The prompt goes on stdin; a copy (secrets redacted) stays beside the record so `show` can
  // print a command line to paste: `claude -p ... < runs/<id>/prompt`.
  const promptFile = join(dir, PROMPT_FILE);
  await writeFileAtomic(promptFile, redact(prompt, secrets));
  // Where claude runs: the task's folder, else Clodputer's own (cron's and launchd's: the home
  // folder). Recorded either way, so `resume` reopens the session where claude kept it.
  const ranIn = cwd ?? currentDirectory() ?? null;
  const configDir = claudeConfigDir(deps.env.toObject(), taskEnv);
  const plan: SessionPlan | undefined = task.session !== "continue"
    ? undefined
    : options.session?.retryOf
    ? planForRetry(options.session.retryOf.session, options.session.retryOf.id)
    : chooseSession({
      settings: task,
      state: options.session?.state,
      nowMs: startedMs,
      cwd: ranIn ?? "",
      configDir,
    });
  const attempt = (resume: string | undefined, timeoutMs: number) => {
    const args = resume === undefined ? baseArgs : [...baseArgs, "--resume", resume];
    const shownArgs = redactDeep(args, secrets);
    return {
      args,
      execution: execute(deps, {
        runId,
        command: claude.path,
        args,
        stdin: prompt,
        env: claudeEnv(deps.env.toObject(), taskEnv),
        cwd,
        runDir: dir,
        secrets,
        timeoutMs,
        idleTimeoutMs: (task.idle_timeout ?? options.global.idle_timeout) * 1000,
        graceMs: options.global.grace_period * 1000,
        maxOutputBytes: options.global.max_output_bytes,
        signal: options.signal,
        maxCostUsd: task.max_cost_usd,
        // claude's answer that it cannot find the session is not shown: the run goes on afresh.
        onEvent: (event) => {
          const lost = resume !== undefined && event.kind === "result" &&
            lostSessionWords(event.result, "") !== null;
          if (!lost) options.onEvent?.(event);
        },
        onStart: (pid) =>
          options.onStart?.({
            runId,
            pid,
            command: claude.path,
            argv: shownArgs,
            cwd: ranIn,
            promptFile,
          }),
      }),
    };
  };
  const first = attempt(plan?.kind === "continue" ? plan.id : undefined, task.timeout * 1000);
  let args = first.args;
  let execution = await first.execution;
  // A new session begins with this run: its record's start.
  const startedAt = new Date(execution.started_ms).toISOString();
  let session: RunSession | undefined;
  if (plan?.kind === "new") {
    session = {
      mode: "new",
      resumed: null,
      reason: plan.reason,
      run: 1,
      started_at: startedAt,
      config_dir: configDir,
    };
  } else if (plan?.kind === "continue") {
    session = {
      mode: "continued",
      resumed: plan.id,
      reason: null,
      run: plan.runs + 1,
      started_at: plan.started_at,
      config_dir: configDir,
    };
    // A session claude can no longer find (deleted, expired, made elsewhere) is no failure:
    // the run starts afresh, in the time it has left, and says why.
    const words = ["claude_error", "exit_error"].includes(execution.outcome.kind)
      ? lostSessionWords(execution.claude, await stderrHead(dir))
      : null;
    const left = task.timeout * 1000 - (clock.now() - startedMs);
    if (words !== null && left > 0 && !options.signal?.aborted) {
      const again = attempt(undefined, left);
      args = again.args;
      execution = { ...await again.execution, started_ms: execution.started_ms };
      session = {
        mode: "restarted",
        resumed: plan.id,
        reason: `claude: ${words}`,
        run: 1,
        started_at: startedAt,
        config_dir: configDir,
      };
    }
  }
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
      session,
    }),
    secrets,
  );
  await saveRecord(dir, record);
  return record;
}

/** The start of a run's stderr (claude's words when it cannot find a session), or "". */
async function stderrHead(dir: string): Promise<string> {
  const read = await readFileBounded(join(dir, "stderr"), 64 * 1024).catch(() => undefined);
  return read?.kind === "file" ? new TextDecoder().decode(read.bytes) : "";
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
