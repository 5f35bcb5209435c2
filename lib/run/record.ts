/**
 * @module
 * The run record: what happened in one run and what it cost, kept as `runs/<id>/result.json`.
 */

import { join } from "../sys/path.ts";
import { readTextIfExists, writeFileAtomic } from "../sys/fs.ts";
import type { Exit } from "../sys/proc.ts";
import type { CaptureStats } from "./capture.ts";
import type { CleanupReport } from "./cleanup.ts";
import { type FinalStatus, type Outcome, statusOf } from "./outcome.ts";
import type { ClaudeResult } from "./stream.ts";
import type { Execution } from "./executor.ts";

/** What started a run. */
export interface Trigger {
  type: "manual" | "schedule" | "cron" | "file_watch" | "interval" | "retry" | "canary";
  [key: string]: unknown;
}

/** One run, start to end. */
export interface RunRecord {
  id: string;
  task: string;
  status: FinalStatus;
  outcome: Outcome;
  trigger: Trigger;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  pid: number | null;
  exit: Exit | null;
  /** The claude executable and its arguments, secrets redacted. */
  command: string;
  argv: string[];
  /**
   * The file holding the prompt claude read on its stdin (secrets redacted). Absent in records
   * of versions that passed the prompt in argv.
   */
  prompt_file?: string | null;
  cwd: string | null;
  claude: ClaudeResult | null;
  cleanup: CleanupReport | null;
  output: { stdout: CaptureStats; stderr: CaptureStats };
  /** Things that did not fail the run but that a person should see. */
  warnings: string[];
  /**
   * What the `on_success` / `on_failure` `- log:` actions wrote, and the ones whose template
   * failed. Absent when the run had no log action.
   */
  actions?: { logs: string[]; errors: string[] };
  /** A transient failure: the retry queued for it (lib/queue/follow_up.ts). */
  next_retry?: {
    run_id: string;
    at: string;
    attempt: number;
    max_attempts: number;
    reason: string;
  };
  /** A usage limit: the run queued again for when it resets. */
  deferred?: { until: string; run_id: string; reason: string };
  /** claude could not log in: the queue is held, the run queued again as `run_id`. */
  auth_hold?: { run_id: string; reason: string; fix: string };
}

/** Builds the record of a finished execution. */
export function buildRecord(input: {
  id: string;
  task: string;
  trigger: Trigger;
  command: string;
  argv: string[];
  promptFile?: string | null | undefined;
  cwd: string | null;
  execution: Execution;
  maxCostUsd?: number | undefined;
}): RunRecord {
  const ex = input.execution;
  return {
    id: input.id,
    task: input.task,
    status: statusOf(ex.outcome),
    outcome: ex.outcome,
    trigger: input.trigger,
    started_at: new Date(ex.started_ms).toISOString(),
    ended_at: new Date(ex.ended_ms).toISOString(),
    duration_ms: ex.ended_ms - ex.started_ms,
    pid: ex.pid,
    exit: ex.exit,
    command: input.command,
    argv: input.argv,
    prompt_file: input.promptFile ?? null,
    cwd: input.cwd,
    claude: ex.claude,
    cleanup: ex.cleanup,
    output: { stdout: ex.stdout, stderr: ex.stderr },
    // A run stopped for max_cost_usd says so in its outcome, not again as a warning.
    warnings: warningsFor(
      ex.claude,
      ex.stdout,
      ex.outcome.kind === "over_budget" ? undefined : input.maxCostUsd,
    ),
  };
}

/** Warnings worth showing for a run that may look fine. */
export function warningsFor(
  claude: ClaudeResult | null,
  stdout: CaptureStats,
  maxCostUsd?: number,
): string[] {
  const out: string[] = [];
  const denials = claude?.permission_denials ?? [];
  if (denials.length > 0) {
    const names = [
      ...new Set(denials.map((d) => {
        const name = (d as { tool_name?: unknown }).tool_name;
        return typeof name === "string" ? name : "?";
      })),
    ];
    out.push(
      `Claude was denied ${denials.length} tool use${denials.length === 1 ? "" : "s"} ` +
        `(${names.join(", ")}): add them to allowed_tools if the task needs them`,
    );
  }
  const cost = claude?.total_cost_usd;
  if (maxCostUsd !== undefined && cost !== null && cost !== undefined && cost > maxCostUsd) {
    out.push(`The run cost $${cost.toFixed(4)}, over max_cost_usd $${maxCostUsd}`);
  }
  if (stdout.truncated && !stdout.disk_full) {
    out.push(`Output was cut at ${stdout.kept} of ${stdout.bytes} bytes (max_output_bytes)`);
  }
  return out;
}

/** The file a run's record is kept in. */
export function recordFile(runDirectory: string): string {
  return join(runDirectory, "result.json");
}

/** Writes `result.json` atomically. */
export async function saveRecord(runDirectory: string, record: RunRecord): Promise<void> {
  await writeFileAtomic(recordFile(runDirectory), JSON.stringify(record, null, 2) + "\n");
}

/** Reads a run's record; undefined when it has none. */
export async function readRecord(runDirectory: string): Promise<RunRecord | undefined> {
  const text = await readTextIfExists(recordFile(runDirectory));
  return text === undefined ? undefined : JSON.parse(text) as RunRecord;
}
