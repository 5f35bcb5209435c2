/**
 * @module
 * `clodputer resume <run-id|task>`: reopens a run's Claude session interactively
 * (`claude --resume <session>`) in the run's working directory, with the task's environment.
 * (`clodputer resume` with no argument resumes a paused queue: lib/cli/pause.ts.)
 */

import { ClodputerError, UsageError } from "../errors.ts";
import { loadGlobalConfig, loadTask } from "../config/load.ts";
import { findTemplateVariables, renderTemplate, TemplateError } from "../config/template.ts";
import { claudeEnv } from "../run/argv.ts";
import { findClaude } from "../run/claude_path.ts";
import type { RunRecord } from "../run/record.ts";
import { describeDamage } from "../log/state_file.ts";
import { findRunFor } from "../status/find_run.ts";
import { readSecret } from "../run/secrets.ts";
import type { Deps } from "./deps.ts";

/** What `resume <target>` starts: claude, its arguments, where, and with which environment. */
export interface ResumePlan {
  run: RunRecord;
  session: string;
  command: string;
  args: string[];
  /** The run's working directory; undefined when the run had none (this process's own). */
  cwd: string | undefined;
  env: Record<string, string>;
}

/** Finds the run of `target` (a run id, or a task's last run). @throws {NotFoundError} */
async function findRun(deps: Deps, target: string): Promise<RunRecord> {
  const { record, damaged } = await findRunFor(deps, target, "resume");
  if (damaged) {
    deps.out.error(`warning: ${describeDamage(damaged)}; using what the store kept of the run`);
  }
  return record;
}

/**
 * Works out how to reopen the session of `target`'s run.
 * @throws {NotFoundError} for an unknown run or task.
 * @throws {UsageError} when the run has no Claude session.
 */
export async function planResume(deps: Deps, target: string): Promise<ResumePlan> {
  const run = await findRun(deps, target);
  const session = run.claude?.session_id;
  if (!session) {
    throw new UsageError(
      `Cannot resume run "${run.id}" of "${run.task}": it has no Claude session (${
        run.status === "skipped" ? "it was skipped" : "claude never reported one"
      })`,
      { hint: `see what happened with: clodputer show ${run.id}` },
    );
  }
  const global = await loadGlobalConfig(deps.paths, deps.env);
  // The task's environment, as a run would have it; a task that is gone or broken has none.
  let taskEnv: Record<string, string> = {};
  let workingDirectory: string | undefined;
  try {
    const loaded = await loadTask(deps.paths, run.task, deps.env, { global });
    workingDirectory = loaded.config.task.working_directory;
    const secrets: Record<string, string> = {};
    const scope = { name: loaded.name, context: loaded.config.task.context, secrets };
    const names = Object.values(loaded.config.task.env).flatMap(findTemplateVariables)
      .filter((v) => v.startsWith("secrets.")).map((v) => v.split(".")[1] ?? "");
    for (const name of new Set(names)) {
      const secret = await readSecret(deps, name);
      if (secret !== undefined) secrets[name] = secret;
    }
    for (const [key, value] of Object.entries(loaded.config.task.env)) {
      try {
        taskEnv[key] = renderTemplate(value, scope);
      } catch (error) {
        if (!(error instanceof TemplateError)) throw error;
        throw new UsageError(
          `Cannot resume run "${run.id}": env "${key}" of task "${run.task}": ${error.message}`,
          { hint: `fix the template in ${loaded.file}, or export the secret it names` },
        );
      }
    }
  } catch (error) {
    if (error instanceof UsageError || !(error instanceof ClodputerError)) throw error;
    taskEnv = {};
  }
  const claude = await findClaude(deps.env, global.claude, deps.paths.config);
  if (!claude.found) {
    throw new ClodputerError(`Cannot resume run "${run.id}": ${claude.message}`, {
      hint: claude.hint,
    });
  }
  return {
    run,
    session,
    command: claude.path,
    args: ["--resume", session],
    cwd: run.cwd ?? workingDirectory,
    env: claudeEnv(deps.env.toObject(), taskEnv),
  };
}

/** `resume <run-id|task>`: runs claude interactively; exits 0 when it does, else 1. */
export async function resumeSessionCommand(
  deps: Deps,
  target: string,
  options: { json: boolean },
): Promise<number> {
  const plan = await planResume(deps, target);
  if (options.json) {
    // Nothing interactive to print as JSON: say what would run.
    deps.out.json({
      run_id: plan.run.id,
      task: plan.run.task,
      session_id: plan.session,
      command: [plan.command, ...plan.args],
      cwd: plan.cwd ?? null,
    });
    return 0;
  }
  deps.out.error(
    `Resuming ${plan.run.task}'s session ${plan.session} (run ${plan.run.id})` +
      (plan.cwd ? ` in ${plan.cwd}` : ""),
  );
  const child = deps.proc.spawn(plan.command, {
    args: plan.args,
    env: plan.env,
    cwd: plan.cwd,
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  });
  // Ctrl-C belongs to claude (it shares the terminal); other signals are passed on to it.
  const off = deps.onSignal((signal) => {
    if (signal !== "SIGINT") deps.proc.signal(child.pid, signal);
  });
  try {
    const exit = await child.status;
    return exit.code === 0 && exit.signal === null ? 0 : 1;
  } finally {
    off();
  }
}
