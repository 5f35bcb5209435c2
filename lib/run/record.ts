/**
 * @module
 * The run record: what happened in one run and what it cost, kept as `runs/<id>/result.json`.
 */

import { join } from "../sys/posix_path.ts";
import {
  checkFields,
  isNumber,
  isRecord,
  isStrings,
  readStateFile,
  type StateRead,
  type StateShape,
  typeName,
} from "../log/state_file.ts";
import { writeFileAtomic } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";
import type { Exit } from "../sys/proc.ts";
import type { CaptureStats } from "./capture.ts";
import type { CleanupReport } from "./cleanup.ts";
import { type FinalStatus, type Outcome, statusOf } from "./outcome.ts";
import type { ClaudeResult } from "./stream.ts";
import type { Execution } from "./executor.ts";
import type { RunSession } from "./session.ts";

/** What the store keeps of a finished run (the whole record is in runs/<id>/result.json). */
export interface RunSummary {
  id: string;
  task: string;
  status: FinalStatus;
  outcome: Outcome;
  trigger: Trigger;
  enqueued_at: string | null;
  started_at: string;
  ended_at: string;
  duration_ms: number;
  cost_usd: number | null;
  session_id: string | null;
  /** The tokens claude reported (absent in summaries kept before the ledger). */
  tokens?: Tokens | null;
  /** claude's `modelUsage`: tokens and cost by model (absent in summaries kept before). */
  model_usage?: Record<string, unknown> | null;
}

/** The tokens one run used, from claude's `usage`. */
export interface Tokens {
  input: number;
  output: number;
  cache_read: number;
  cache_creation: number;
}

/** What started a run. */
export interface Trigger {
  type: "manual" | "schedule" | "cron" | "file_watch" | "interval" | "retry" | "canary" | "mcp";
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
  /**
   * A `session: continue` task's run: whether it continued the task's Claude session, which one,
   * and why not (lib/run/session.ts). Absent for other tasks and in earlier records.
   */
  session?: RunSession;
  /** A transient failure: the retry queued for it (lib/state/follow_up.ts). */
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

/**
 * The execution of a run that claude produced nothing for: one that never started (skipped, or
 * failed to spawn), or one lost with its runner (`pid` and `cleanup` then say what was found).
 */
export function emptyExecution(
  outcome: Outcome,
  times: { startedMs: number; endedMs: number },
  found: { pid?: number | null; cleanup?: CleanupReport | null } = {},
): Execution {
  return {
    outcome,
    pid: found.pid ?? null,
    exit: null,
    claude: null,
    cleanup: found.cleanup ?? null,
    stdout: { bytes: 0, kept: 0, truncated: false },
    stderr: { bytes: 0, kept: 0, truncated: false },
    started_ms: times.startedMs,
    ended_ms: times.endedMs,
  };
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
  session?: RunSession | undefined;
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
    ...(input.session === undefined ? {} : { session: input.session }),
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

/** A value that is absent, or passes `test`. */
function optional(test: (v: unknown) => boolean): (v: unknown) => boolean {
  return (v) => v === undefined || v === null || test(v);
}

const isString = (v: unknown) => typeof v === "string";
const isCount = (v: unknown) => isNumber(v);

/** Every outcome kind, with its fields (a new kind must be added here: deno check says so). */
const OUTCOME_FIELDS: Record<Outcome["kind"], Record<string, [(v: unknown) => boolean, string]>> = {
  success: {},
  claude_error: {
    message: [isString, "a string"],
    api_error_status: [optional(isNumber), "a number or null"],
  },
  exit_error: { code: [isNumber, "a number"], message: [isString, "a string"] },
  signal: { signal: [isString, "a string"] },
  timed_out: { clock: [isString, "a string"], limit_seconds: [isNumber, "a number"] },
  cancelled: { by: [isString, "a string"] },
  failed_to_spawn: { message: [isString, "a string"], hint: [isString, "a string"] },
  lost: { reason: [isString, "a string"] },
  skipped: { reason: [isString, "a string"] },
  over_budget: { message: [isString, "a string"] },
  disk_full: { path: [isString, "a string"] },
};

function checkOutcome(v: unknown): string | undefined {
  if (!isRecord(v) || typeof v.kind !== "string" || !(v.kind in OUTCOME_FIELDS)) {
    return `"outcome.kind" should be one of ${Object.keys(OUTCOME_FIELDS).join(", ")}, got ${
      typeName(isRecord(v) ? v.kind : v)
    }`;
  }
  return checkFields(v, OUTCOME_FIELDS[v.kind as Outcome["kind"]] ?? {}, "outcome");
}

function checkCapture(v: unknown, where: string): string | undefined {
  return checkFields(v, {
    bytes: [isCount, "a number"],
    kept: [isCount, "a number"],
    truncated: [(t) => typeof t === "boolean", "true or false"],
  }, where);
}

function checkClaude(v: unknown): string | undefined {
  if (v === null) return undefined;
  return checkFields(v, {
    result: [optional(isString), "a string or null"],
    session_id: [optional(isString), "a string or null"],
    total_cost_usd: [optional(isNumber), "a number or null"],
    num_turns: [optional(isNumber), "a number or null"],
    permission_denials: [(d) => d === undefined || Array.isArray(d), "a list"],
  }, "claude");
}

function checkCleanup(v: unknown): string | undefined {
  if (v === null) return undefined;
  const problem = checkFields(v, {
    signalled: [Array.isArray, "a list"],
    survivors: [Array.isArray, "a list"],
    duration_ms: [isNumber, "a number"],
  }, "cleanup");
  if (problem !== undefined || !isRecord(v)) return problem;
  for (const s of v.signalled as unknown[]) {
    const p = checkFields(s, {
      pid: [isNumber, "a number"],
      signal: [isString, "a string"],
      found_by: [isString, "a string"],
      command: [isString, "a string"],
    }, "cleanup.signalled[]");
    if (p) return p;
  }
  for (const s of v.survivors as unknown[]) {
    const p = checkFields(
      s,
      { pid: [isNumber, "a number"], command: [isString, "a string"] },
      "cleanup.survivors[]",
    );
    if (p) return p;
  }
  return undefined;
}

/** What `result.json` holds: every field the views read, of its type. */
export const RECORD_SHAPE: StateShape<RunRecord> = {
  check(v) {
    const top = checkFields(v, {
      id: [isString, "a run id"],
      task: [isString, "a task name"],
      status: [isString, "a status"],
      outcome: [isRecord, "an object"],
      trigger: [(t) => isRecord(t) && typeof t.type === "string", "an object with a type"],
      started_at: [isString, "a time"],
      ended_at: [isString, "a time"],
      duration_ms: [isNumber, "a number"],
      pid: [(p) => p === null || isNumber(p), "a number or null"],
      exit: [
        (e) => e === null || (isRecord(e) && (e.signal === null || isString(e.signal))),
        "an object or null",
      ],
      command: [isString, "a string"],
      argv: [isStrings, "a list of strings"],
      prompt_file: [optional(isString), "a string or null"],
      cwd: [(c) => c === null || isString(c), "a string or null"],
      output: [isRecord, "an object"],
      warnings: [isStrings, "a list of strings"],
      actions: [
        (a) => a === undefined || (isRecord(a) && isStrings(a.logs) && isStrings(a.errors)),
        "an object with lists logs and errors",
      ],
      session: [
        (r) =>
          r === undefined || (isRecord(r) && typeof r.mode === "string" && isNumber(r.run) &&
            (r.resumed === null || isString(r.resumed))),
        "an object with mode, resumed and run",
      ],
      next_retry: [optional(isRecord), "an object"],
      deferred: [optional(isRecord), "an object"],
      auth_hold: [optional(isRecord), "an object"],
    });
    if (top !== undefined || !isRecord(v)) return top;
    const output = v.output as Record<string, unknown>;
    return checkOutcome(v.outcome) ?? checkClaude(v.claude ?? null) ??
      checkCleanup(v.cleanup ?? null) ?? checkCapture(output.stdout, "output.stdout") ??
      checkCapture(output.stderr, "output.stderr");
  },
};

/**
 * Reads a run's record: none when it has none; a damaged one is moved aside (and logged) and
 * said in `damaged`.
 */
export async function readRecordChecked(
  paths: Paths,
  runDirectory: string,
  nowMs: number,
): Promise<StateRead<RunRecord>> {
  return await readStateFile(paths, recordFile(runDirectory), RECORD_SHAPE, nowMs);
}

/** Reads a run's record; undefined when it has none or it is damaged (then moved aside). */
export async function readRecord(
  paths: Paths,
  runDirectory: string,
  nowMs: number,
): Promise<RunRecord | undefined> {
  return (await readRecordChecked(paths, runDirectory, nowMs)).value;
}

/**
 * What the store's summary of a run keeps, as a record: for a run whose `result.json` is gone or
 * damaged (no command line, cleanup or output; the session and cost when the summary has them).
 */
export function recordFromSummary(summary: RunSummary): RunRecord {
  const claude: ClaudeResult | null = summary.session_id === null && summary.cost_usd === null
    ? null
    : {
      result: null,
      is_error: false,
      subtype: null,
      api_error_status: null,
      terminal_reason: null,
      session_id: summary.session_id,
      total_cost_usd: summary.cost_usd,
      duration_ms: null,
      num_turns: null,
      usage: null,
      model_usage: null,
      permission_denials: [],
      errors: [],
    };
  return {
    id: summary.id,
    task: summary.task,
    status: summary.status,
    outcome: summary.outcome,
    trigger: summary.trigger,
    started_at: summary.started_at,
    ended_at: summary.ended_at,
    duration_ms: summary.duration_ms,
    pid: null,
    exit: null,
    command: "claude",
    argv: [],
    cwd: null,
    claude,
    cleanup: null,
    output: {
      stdout: { bytes: 0, kept: 0, truncated: false },
      stderr: { bytes: 0, kept: 0, truncated: false },
    },
    warnings: [],
  };
}
