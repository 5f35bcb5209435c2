/**
 * @module
 * Starts claude for one run and watches it: its own session, the run mark, output to capped
 * files, a total and an idle clock, cancellation, and cleanup of everything it left.
 */

import { join } from "../sys/posix_path.ts";
import type { Clock } from "../sys/clock.ts";
import { type Exit, type Proc, SpawnError } from "../sys/proc.ts";
import { redactDeep } from "../log/redact.ts";
import { CappedFile, type CaptureStats, pump } from "./capture.ts";
import { type CleanupReport, cleanupRun, RUN_MARK } from "./cleanup.ts";
import { decideOutcome, type Outcome, type StopReason } from "./outcome.ts";
import {
  type ClaudeResult,
  describeEvent,
  LineSplitter,
  parseEventLine,
  parseResult,
  type ProgressEvent,
} from "./stream.ts";

/** Everything needed to run claude once. */
export interface ExecuteOptions {
  runId: string;
  /** The claude executable (absolute path). */
  command: string;
  args: string[];
  /** Written to claude's stdin in full, then stdin is closed (`claude -p` reads it to EOF). */
  stdin: string;
  /** The child's whole environment; the run mark is added. */
  env: Record<string, string>;
  cwd?: string | undefined;
  /** Where `stdout` and `stderr` are written (must exist). */
  runDir: string;
  /** Values kept out of the `stdout` and `stderr` files (credential shapes always are). */
  secrets?: readonly string[] | undefined;
  timeoutMs: number;
  idleTimeoutMs: number;
  graceMs: number;
  /** Per stream. */
  maxOutputBytes: number;
  /** Aborting stops the run; the abort reason (a string such as "SIGINT") says by whom. */
  signal?: AbortSignal | undefined;
  /** Called for each event worth showing. */
  onEvent?: ((event: ProgressEvent) => void) | undefined;
  /** Called once claude has started. */
  onStart?: ((pid: number) => void) | undefined;
  /**
   * The task's `max_cost_usd`. claude is given `--max-budget-usd` too; this is the watch for a
   * claude that does not stop there: a result whose total cost is over it stops the run.
   */
  maxCostUsd?: number | undefined;
}

/** What one execution produced. */
export interface Execution {
  outcome: Outcome;
  pid: number | null;
  exit: Exit | null;
  claude: ClaudeResult | null;
  cleanup: CleanupReport | null;
  stdout: CaptureStats;
  stderr: CaptureStats;
  started_ms: number;
  ended_ms: number;
}

/** The seams the executor uses. */
export interface ExecutorDeps {
  proc: Proc;
  clock: Clock;
  selfPid: number;
}

const MAX_LINE_BYTES = 32 * 1024 * 1024;
const STDERR_TAIL_BYTES = 4096;
const DRAIN_MS = 2000;

/** Runs claude to its end (or stops it), cleans up, and returns what happened. */
export async function execute(deps: ExecutorDeps, options: ExecuteOptions): Promise<Execution> {
  const { proc, clock } = deps;
  const started = clock.now();
  const secrets = options.secrets ?? [];
  const stdoutFile = await CappedFile.create(
    join(options.runDir, "stdout"),
    options.maxOutputBytes,
    secrets,
  );
  const stderrFile = await CappedFile.create(
    join(options.runDir, "stderr"),
    options.maxOutputBytes,
    secrets,
  );
  const finish = (fields: Partial<Execution> & { outcome: Outcome }): Execution => {
    stdoutFile.close();
    stderrFile.close();
    return {
      pid: null,
      exit: null,
      claude: null,
      cleanup: null,
      stdout: stdoutFile.stats(),
      stderr: stderrFile.stats(),
      started_ms: started,
      ended_ms: clock.now(),
      ...fields,
    };
  };

  let child;
  try {
    child = proc.spawn(options.command, {
      args: options.args,
      env: { ...options.env, [RUN_MARK]: options.runId },
      cwd: options.cwd,
      detached: true,
      stdin: "piped",
    });
  } catch (error) {
    if (!(error instanceof SpawnError)) throw error;
    return finish({
      outcome: {
        kind: "failed_to_spawn",
        message: `Cannot start claude at "${options.command}": ${error.osMessage}`,
        hint: spawnHint(error, options),
      },
    });
  }
  options.onStart?.(child.pid);
  const feeding = feed(child.stdin, options.stdin);

  let lastActivity = clock.now();
  let result: ClaudeResult | undefined;
  let stderrTail = "";
  const splitter = new LineSplitter(MAX_LINE_BYTES);
  // Clodputer's own cost watch: claude reports its running total with each result.
  let overBudget: StopReason | undefined;
  const budgetHit = new AbortController();
  const onLine = (line: string) => {
    const event = parseEventLine(line);
    if (!event) return;
    if (event.type === "result") {
      result = parseResult(event);
      const cost = result.total_cost_usd;
      const max = options.maxCostUsd;
      if (!overBudget && max !== undefined && cost !== null && cost > max) {
        overBudget = {
          kind: "over_budget",
          message: `the run cost $${cost} so far, over max_cost_usd $${max}: Clodputer stopped it`,
          cost_usd: cost,
        };
        budgetHit.abort();
      }
    }
    // The live view (run --now) shows what the files would: redacted.
    if (options.onEvent) {
      for (const e of describeEvent(event)) options.onEvent(redactDeep(e, secrets));
    }
  };
  // A full disk stops the run: its output can no longer be kept, and the state store is next.
  let diskFull: StopReason | undefined;
  const diskHit = new AbortController();
  const onDiskFull = (path: string) => {
    diskFull ??= { kind: "disk_full", path };
    diskHit.abort();
  };
  stdoutFile.onDiskFull = onDiskFull;
  stderrFile.onDiskFull = onDiskFull;
  const decoder = new TextDecoder();
  const stdoutPump = pump(child.stdout as ReadableStream<Uint8Array>, stdoutFile, (chunk) => {
    lastActivity = clock.now();
    for (const line of splitter.push(chunk)) onLine(line);
  });
  const stderrPump = pump(child.stderr as ReadableStream<Uint8Array>, stderrFile, (chunk) => {
    lastActivity = clock.now();
    stderrTail = (stderrTail + decoder.decode(chunk.subarray(-STDERR_TAIL_BYTES), { stream: true }))
      .slice(-STDERR_TAIL_BYTES);
  });

  // The watchdog: total clock, idle clock, cancellation.
  const stopWatch = new AbortController();
  const wake = AbortSignal.any([
    stopWatch.signal,
    budgetHit.signal,
    diskHit.signal,
    ...(options.signal ? [options.signal] : []),
  ]);
  const watchdog = (async (): Promise<StopReason | undefined> => {
    while (!stopWatch.signal.aborted) {
      if (diskFull) return diskFull;
      if (overBudget) return overBudget;
      if (options.signal?.aborted) {
        return { kind: "cancelled", by: String(options.signal.reason ?? "user") };
      }
      const now = clock.now();
      const totalLeft = started + options.timeoutMs - now;
      const idleLeft = lastActivity + options.idleTimeoutMs - now;
      if (totalLeft <= 0) {
        return { kind: "timed_out", clock: "total", limit_seconds: options.timeoutMs / 1000 };
      }
      if (idleLeft <= 0) {
        return { kind: "timed_out", clock: "idle", limit_seconds: options.idleTimeoutMs / 1000 };
      }
      await clock.sleep(Math.min(totalLeft, idleLeft), wake);
    }
    return undefined;
  })();

  const first = await Promise.race([
    child.status.then((exit) => ({ exit, stopped: undefined })),
    watchdog.then((stopped) => ({ exit: undefined, stopped })),
  ]);
  stopWatch.abort();
  const stopped = first.stopped;

  // Whatever ended the run, every process it started goes now. A leftover holding the output
  // pipes must not keep the run open, so the streams are drained only after the cleanup.
  const cleanup = await cleanupRun({ proc, clock }, {
    rootPid: child.pid,
    runId: options.runId,
    graceMs: options.graceMs,
    selfPid: deps.selfPid,
  });
  const exit = first.exit ?? await child.status;
  await drain([feeding, stdoutPump, stderrPump], clock);
  const tail = splitter.flush();
  if (tail !== undefined) onLine(tail);
  if (diskFull) {
    // Room for the record: the output kept so far goes (it is what filled the disk, or part).
    await stdoutFile.truncate();
    await stderrFile.truncate();
  }

  return finish({
    outcome: decideOutcome({
      stopped: diskFull ?? budgetStop(stopped, overBudget, result),
      exit,
      result,
      stderrTail,
    }),
    pid: child.pid,
    exit,
    claude: result ?? null,
    cleanup,
  });
}

/**
 * Writes the prompt to claude's stdin and closes it. Runs beside the output pumps, so a claude
 * that writes before it has read everything never blocks; one that exits without reading (or is
 * killed) just ends the write.
 */
function feed(
  stdin: WritableStream<Uint8Array> | null,
  text: string,
): { done: Promise<void>; cancel(): Promise<void> } {
  if (stdin === null) return { done: Promise.resolve(), cancel: () => Promise.resolve() };
  const writer = stdin.getWriter();
  const done = (async () => {
    try {
      await writer.write(new TextEncoder().encode(text));
      await writer.close();
    } catch {
      // EPIPE: claude is gone; its exit status and the cleanup tell the story.
    }
  })();
  // A leftover that inherited stdin and never reads must not keep the run open.
  return { done, cancel: () => writer.abort().catch(() => {}) };
}

/** What to do about a claude that could not start, by the cause the OS gave. Pure. */
export function spawnHint(
  error: SpawnError,
  options: Pick<ExecuteOptions, "command" | "args" | "env">,
): string {
  switch (error.reason) {
    case "not_found":
      return `check that "${options.command}" exists (and, for a script, that the program on its ` +
        "#! line does); set the path with CLODPUTER_CLAUDE or `claude:` in config.yaml";
    case "permission_denied":
      return `make "${options.command}" executable (chmod +x), or point CLODPUTER_CLAUDE or ` +
        "`claude:` in config.yaml at the claude program itself, not a folder";
    case "too_long": {
      const argBytes = options.args.reduce((n, a) => n + a.length + 1, 0);
      const envBytes = Object.entries(options.env)
        .reduce((n, [k, v]) => n + k.length + v.length + 2, 0);
      return `the arguments (${argBytes} bytes) and environment (${envBytes} bytes) exceed the ` +
        "system's limit: shorten the task's env values, append_system_prompt or tool lists " +
        "(the prompt itself goes on stdin and has no limit)";
    }
    case "bad_format":
      return `"${options.command}" is not a program this system can run (wrong architecture, or ` +
        "a script without a #! line): reinstall claude, or point CLODPUTER_CLAUDE at the right one";
    case "other":
      return "see the system's message above; run `clodputer doctor` to check claude";
  }
}

async function drain(
  pumps: { done: Promise<void>; cancel(): Promise<void> }[],
  clock: Clock,
): Promise<void> {
  const timer = new AbortController();
  const all = Promise.all(pumps.map((p) => p.done.catch(() => {})));
  const ended = await Promise.race([
    all.then(() => true),
    clock.sleep(DRAIN_MS, timer.signal).then(() => false),
  ]);
  timer.abort();
  if (!ended) await Promise.all(pumps.map((p) => p.cancel()));
}

/**
 * The stop that decides the outcome. A result over max_cost_usd counts even when claude ended
 * before Clodputer could stop it; when claude stopped itself for `--max-budget-usd`, its own
 * result says so (whichever of the two came first).
 */
function budgetStop(
  stopped: StopReason | undefined,
  overBudget: StopReason | undefined,
  result: ClaudeResult | undefined,
): StopReason | undefined {
  if (stopped !== undefined && stopped.kind !== "over_budget") return stopped;
  if (result?.subtype === "error_max_budget_usd") return undefined;
  return stopped ?? overBudget;
}
