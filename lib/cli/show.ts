/**
 * @module
 * `clodputer show <run-id|task>`: one run's full record, its output files, the exact claude
 * command line, and the cleanup it needed.
 */

import { join } from "../sys/posix_path.ts";
import { describeOutcome } from "../run/describe.ts";
import type { RunRecord } from "../run/record.ts";
import { findRunFor } from "../status/find_run.ts";
import { describeDamage } from "../log/state_file.ts";
import { runDir } from "../sys/paths.ts";
import type { Colors } from "../ui/color.ts";
import { formatCost, formatDuration, localTimeWithZone } from "../ui/duration.ts";
import { escapeControls } from "../ui/escape.ts";
import { commandLine } from "../ui/shell_quote.ts";
import { runSessionLine, sessionLines } from "../ui/sessions.ts";
import { isRunId } from "../run/run_id.ts";
import { ClodputerError } from "../errors.ts";
import { readSessionViews, type TaskSessionView } from "../status/sessions.ts";
import type { Deps } from "./deps.ts";

/** A run's output file and its size. */
export interface OutputFile {
  name: string;
  path: string;
  bytes: number | null;
}

/** Renders a run record for a person. Pure. */
export function renderRun(record: RunRecord, files: OutputFile[], c: Colors): string[] {
  const ok = record.status === "succeeded";
  const lines = [
    `${
      ok ? c.green("✓") : record.status === "skipped" ? c.yellow("⊘") : c.red("✗")
    } ${record.task} ${describeOutcome(record.outcome)}`,
    `run:       ${record.id}`,
    `trigger:   ${record.trigger.type}`,
    `started:   ${localTimeWithZone(record.started_at)}`,
    `ended:     ${localTimeWithZone(record.ended_at)} (${formatDuration(record.duration_ms)})`,
  ];
  const t = record.trigger;
  // A run on a file: handed over by the watcher (file_watch), or given with run --file (manual).
  if (typeof t.path === "string") {
    // A file name is data: a newline in it must not start a line of its own.
    lines.push(
      `file:      ${escapeControls(t.path)}${typeof t.event === "string" ? ` (${t.event})` : ""}`,
    );
  }
  if (t.type === "retry") {
    lines.push(
      `attempt:   ${t.attempt} of ${t.max_attempts} (retry of ${t.retry_of}, first ${t.first})`,
    );
  }
  if (typeof t.deferred_from === "string") lines.push(`deferred:  from run ${t.deferred_from}`);
  if (record.status === "deferred" || record.status === "auth_failed") {
    lines.push(`status:    ${record.status}`);
  }
  const next = record.next_retry;
  if (next) {
    lines.push(
      `retry:     attempt ${next.attempt} of ${next.max_attempts} queued for ${
        localTimeWithZone(next.at)
      } (run ${next.run_id})`,
    );
  }
  const d = record.deferred;
  if (d) lines.push(`deferred:  until ${d.until} (usage limit); queued again as run ${d.run_id}`);
  if (record.exit) {
    lines.push(
      `exit:      ${
        record.exit.signal ? `killed by ${record.exit.signal}` : `code ${record.exit.code}`
      }`,
    );
  }
  if (record.pid !== null) lines.push(`pid:       ${record.pid}`);
  // The prompt went on claude's stdin; its copy in the run's folder makes the line pasteable.
  lines.push(`command:   ${commandLine([record.command, ...record.argv], record.prompt_file)}`);
  lines.push(`cwd:       ${record.cwd ?? "(Clodputer's own)"}`);
  const cl = record.claude;
  if (cl) {
    lines.push(
      record.session
        ? runSessionLine(record.session, cl.session_id ?? null)
        : `session:   ${cl.session_id ?? "-"}`,
    );
    const turns = cl.num_turns === null || cl.num_turns === undefined
      ? "? turns"
      : `${cl.num_turns} turn${cl.num_turns === 1 ? "" : "s"}`;
    lines.push(`cost:      ${formatCost(cl.total_cost_usd)} · ${turns}`);
    if (cl.result) {
      lines.push("result:");
      for (const l of cl.result.split("\n")) lines.push(`  ${l}`);
    }
  }
  if (!cl && record.session) lines.push(runSessionLine(record.session, null));
  if (record.outcome.kind === "failed_to_spawn") lines.push(`hint:      ${record.outcome.hint}`);
  const cleanup = record.cleanup;
  if (cleanup) {
    if (cleanup.signalled.length === 0) {
      lines.push("cleanup:   nothing was left running");
    } else {
      lines.push(
        `cleanup:   ${cleanup.signalled.length} signals in ${formatDuration(cleanup.duration_ms)}`,
      );
      for (const s of cleanup.signalled) {
        lines.push(
          `  ${String(s.pid).padEnd(7)} ${s.signal.padEnd(7)} ${
            s.found_by.padEnd(4)
          }  ${s.command}`,
        );
      }
    }
    for (const s of cleanup.survivors) lines.push(c.red(`  ! survived: ${s.pid} ${s.command}`));
  }
  for (const w of record.warnings) lines.push(c.yellow(`warning:   ${w}`));
  for (const l of record.actions?.logs ?? []) lines.push(`action:    ${l}`);
  for (const e of record.actions?.errors ?? []) lines.push(c.yellow(`action failed: ${e}`));
  lines.push("files:");
  for (const f of files) {
    lines.push(`  ${f.path}${f.bytes === null ? " (missing)" : ` (${f.bytes} bytes)`}`);
  }
  return lines;
}

async function outputFiles(dir: string): Promise<OutputFile[]> {
  const out: OutputFile[] = [];
  for (const name of ["result.json", "prompt", "stdout", "stderr"]) {
    const path = join(dir, name);
    const bytes = await Deno.stat(path).then((s) => s.size, () => null);
    out.push({ name, path, bytes });
  }
  return out;
}

/** Finds the run: by id, or a task's last run. @throws {NotFoundError} */
export async function findRun(deps: Deps, target: string): Promise<RunRecord> {
  return (await findRunFor(deps, target, "show")).record;
}

/**
 * The session of the task `target` names, when it names one whose runs continue a session (not
 * a run id); undefined otherwise, and when the task can no longer be loaded.
 */
async function taskSessionOf(
  deps: Deps,
  target: string,
): Promise<TaskSessionView | undefined> {
  if (isRunId(target)) return undefined;
  try {
    return (await readSessionViews(deps, target))[0];
  } catch (error) {
    if (error instanceof ClodputerError) return undefined;
    throw error;
  }
}

/** `show`. */
export async function showCommand(
  deps: Deps,
  target: string,
  options: { json: boolean },
): Promise<number> {
  const { record, damaged } = await findRunFor(deps, target, "show");
  const taskSession = await taskSessionOf(deps, target);
  if (damaged) {
    deps.out.error(
      `warning: ${describeDamage(damaged)}; showing what the store kept of the run`,
    );
  }
  if (options.json) {
    deps.out.json({
      ...record,
      ...(damaged
        ? { damaged: { file: damaged.file, problem: damaged.problem, moved_to: damaged.movedTo } }
        : {}),
      ...(taskSession ? { task_session: taskSession } : {}),
    });
  } else {
    const files = await outputFiles(runDir(deps.paths, record.id));
    for (const line of renderRun(record, files, deps.out.color)) deps.out.line(line);
    if (taskSession) {
      deps.out.line(`task ${taskSession.task}'s session now:`);
      for (const line of sessionLines(taskSession, { nowMs: deps.clock.now(), indent: "  " })) {
        deps.out.line(line);
      }
    }
  }
  return 0;
}
