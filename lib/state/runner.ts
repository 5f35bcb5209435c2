/**
 * @module
 * The runner: takes the lease (recovering from a dead runner first), then drains the queue one
 * task at a time, with a heartbeat and cancel requests, and gives the lease back.
 */

import { type LoadedTask, loadTask } from "../config/load.ts";
import { renderTemplate } from "../config/template.ts";
import { runLogActions } from "../run/actions.ts";
import { recordSkipped, unmetDependencies } from "./dependencies.ts";
import { secretEnvValues } from "../log/redact.ts";
import { notifyRun, type NotifyTuning } from "../notify/notify.ts";
import type { NotifyPolicy } from "../notify/policy.ts";
import type { GlobalConfig } from "../config/types.ts";
import { ClodputerError } from "../errors.ts";
import { readRecord, type RunRecord, saveRecord } from "../run/record.ts";
import { recordNotStarted, type RunDeps, runTask } from "../run/run_task.ts";
import type { ProgressEvent } from "../run/stream.ts";
import { type RunSession, sessionAfter, type SessionState } from "../run/session.ts";
import { rm } from "../sys/fs.ts";
import type { ProcInfo } from "../sys/proc.ts";
import { type Paths, runDir } from "../sys/paths.ts";
import type { Clock } from "../sys/clock.ts";
import { checkBudget } from "./budget.ts";
import { readRunnerLease } from "./alive.ts";
import { HEARTBEAT_MS } from "./lease.ts";
import { type BudgetDecision, tokensOf } from "./ledger.ts";
import { readPause } from "./pause.ts";
import {
  applyFollowUp,
  AUTH_FIX,
  decideFollowUp,
  followUpId,
  releaseAfterSuccess,
} from "./follow_up.ts";
import { type RetrySettings, retrySettingsOf } from "./retry.ts";
import { recoverLostRun } from "./recover.ts";
import { holdInForce, isDue, type Store } from "./store.ts";
import type { Lease, QueueItem, RunningItem, RunSummary } from "./types.ts";
import { emit, type EventSink, runError, runEvents } from "./run_events.ts";

/** How often the runner looks for a cancel request for its running item. */
export const CANCEL_POLL_MS = 250;

/** What happened when this process tried to become the runner. */
export type Role =
  | { role: "runner"; lease: Lease; recovered: RunSummary | undefined }
  | { role: "follower"; lease: Lease };

/** Hooks for showing what the runner does. */
export interface RunnerHooks {
  onStart?(item: RunningItem, pid: number): void;
  onEvent?(item: RunningItem, event: ProgressEvent): void;
  onFinish?(item: RunningItem, record: RunRecord): void;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * Takes the runner lease unless a live runner holds it. A dead runner's lease is taken over and
 * its running item recorded as lost, its processes killed.
 */
export async function becomeRunner(
  deps: RunDeps,
  store: Store,
  options: {
    graceMs: number;
    log?: EventSink | undefined;
    /** This process as `ps` shows it, when the caller has already started looking. */
    self?: Promise<ProcInfo | undefined> | undefined;
    /** The global settings, to load a lost run's task and retry it (lost is transient). */
    global?: GlobalConfig | undefined;
  },
): Promise<Role> {
  const me = await (options.self ?? deps.proc.info(deps.selfPid));
  const now = iso(deps.clock.now());
  const mine: Lease = {
    pid: deps.selfPid,
    started: me?.started ?? "",
    acquired_at: now,
    heartbeat_at: now,
  };
  for (let attempt = 0; attempt < 50; attempt++) {
    const current = await readRunnerLease(store, deps.proc, deps.clock);
    let reason = "no runner held the lease";
    if (current) {
      if (current.live) return { role: "follower", lease: current.lease };
      reason = current.reason;
    }
    if (await store.acquireLease(mine, current?.versionstamp ?? null)) {
      const recovered = await recoverLostRun(deps, store, { reason, graceMs: options.graceMs });
      if (recovered) {
        const record = await readRecord(
          deps.paths,
          runDir(deps.paths, recovered.id),
          deps.clock.now(),
        );
        if (record) await emit(options.log, runEvents(record));
        if (record && options.global) {
          await emit(options.log, await retryLost(deps, store, record, options.global));
        }
      }
      return { role: "runner", lease: mine, recovered };
    }
    // Someone changed the lease meanwhile: look again.
  }
  const current = await store.lease();
  if (current) return { role: "follower", lease: current.lease };
  throw new ClodputerError("Cannot take the runner lease: it kept changing", {
    hint: "try again, or run clodputer doctor",
  });
}

/** A run lost with a dead runner is retried like any transient failure, if its task says so. */
async function retryLost(
  deps: RunDeps,
  store: Store,
  record: RunRecord,
  global: GlobalConfig,
): Promise<{ event: string; [key: string]: unknown }[]> {
  let loaded;
  try {
    loaded = await loadTask(deps.paths, record.task, deps.env, { global });
  } catch {
    return []; // The task's file is gone or broken: nothing to retry.
  }
  const decided = decideFollowUp(record, {
    nowMs: deps.clock.now(),
    settings: retrySettingsOf(loaded.config),
    random: Math.random(),
    newId: followUpId,
  });
  if (decided.followUp.kind !== "retry") return [];
  await saveRecord(runDir(deps.paths, record.id), decided.record);
  const applied = await applyFollowUp(store, decided.followUp, {
    record: decided.record,
    item: { priority: loaded.config.priority },
    clock: deps.clock,
  });
  return applied.events;
}

/** The summary the store keeps of a finished run. */
export function summarize(record: RunRecord, item: QueueItem): RunSummary {
  return {
    id: record.id,
    task: record.task,
    status: record.status,
    outcome: record.outcome,
    trigger: record.trigger,
    enqueued_at: item.enqueued_at,
    started_at: record.started_at,
    ended_at: record.ended_at,
    duration_ms: record.duration_ms,
    cost_usd: record.claude?.total_cost_usd ?? null,
    session_id: record.claude?.session_id ?? null,
    tokens: tokensOf(record.claude),
    model_usage: record.claude?.model_usage ?? null,
  };
}

/**
 * True when a runner would start something now: an item is queued and the queue is not paused,
 * or the paused queue holds `exempt` (the run a person is following).
 */
export async function startable(
  deps: { paths: Paths; clock: Clock },
  store: Store,
  exempt?: string,
): Promise<boolean> {
  const nowMs = deps.clock.now();
  const all = await store.queued();
  const isExempt = exempt !== undefined && all.some((q) => q.id === exempt);
  // Items waiting for their time (a retry's backoff) do not count until it comes.
  if (!all.some((q) => isDue(q, nowMs))) return isExempt;
  if (await readPause(deps.paths, nowMs)) return isExempt;
  if (holdInForce(await store.hold(), nowMs)) return isExempt;
  return true;
}

/**
 * Drains the queue while holding `mine`: one task at a time until the queue is empty (or paused:
 * then only `exempt` may start), `stop` aborts (the current run is cancelled with its reason), or
 * the lease is lost. Returns the records of the runs it ran. Releases the lease at the end.
 *
 * Each finished run is notified (lib/notify) in the background while the next one runs; after
 * the lease is released, the drain waits for the notifications still going, each bounded by its
 * own time limits, so a slow webhook never holds up the queue.
 */
export async function drain(
  deps: RunDeps,
  store: Store,
  mine: Lease,
  options: {
    global: GlobalConfig;
    stop: AbortSignal;
    hooks?: RunnerHooks | undefined;
    log?: EventSink | undefined;
    /** The run a person follows (`run --now`/`--wait`): it starts even when the queue is paused. */
    exempt?: string | undefined;
    /** Timing and transport of notifications (tests shorten them). */
    notify?: NotifyTuning | undefined;
    /** An item to try first although the queue is held for lost credentials (the canary). */
    canary?: string | undefined;
  },
): Promise<RunRecord[]> {
  const { clock } = deps;
  const records: RunRecord[] = [];
  const notifying: Promise<void>[] = [];
  let lostLease = false;
  let current: AbortController | undefined;

  // Heartbeat: proves this runner alive; notices when another process took the lease.
  const stopBeat = new AbortController();
  const beat = (async () => {
    while (!stopBeat.signal.aborted) {
      await clock.sleep(HEARTBEAT_MS, stopBeat.signal);
      if (stopBeat.signal.aborted) break;
      if (!(await store.heartbeat(mine, iso(clock.now())))) {
        lostLease = true;
        current?.abort("lost the runner lease");
        break;
      }
    }
  })();

  try {
    while (!options.stop.aborted && !lostLease) {
      const paused = await readPause(deps.paths, clock.now());
      if (paused && options.exempt === undefined) break;
      const canary = records.length === 0 && !paused ? options.canary : undefined;
      let item = await store.takeNext(mine, iso(clock.now()), paused ? options.exempt : canary);
      if (!item && !paused && options.exempt !== undefined) {
        // The run a person follows starts even under a hold, or before its retry time.
        item = await store.takeNext(mine, iso(clock.now()), options.exempt);
      }
      if (!item) break;
      const budget = await checkBudget(store, options.global.budget, clock.now());
      if (!budget.ok) {
        const skipped = await skipOverBudget(deps, store, { ...options, mine, item, budget });
        records.push(skipped.record);
        if (!skipped.kept) {
          lostLease = true;
          break;
        }
        options.hooks?.onFinish?.(item, skipped.record);
        notifying.push(skipped.notifying);
        continue;
      }
      current = new AbortController();
      const run = current;
      const onStop = () => run.abort(String(options.stop.reason ?? "stopped"));
      options.stop.addEventListener("abort", onStop, { once: true });
      const stopPoll = new AbortController();
      const poll = (async () => {
        while (!stopPoll.signal.aborted && !run.signal.aborted) {
          const by = await store.cancelRequest(item.id);
          if (by) run.abort(by);
          await clock.sleep(CANCEL_POLL_MS, stopPoll.signal);
        }
      })();
      let record: RunRecord;
      let policy: NotifyPolicy | undefined;
      let secrets: string[] = [];
      let settings: RetrySettings | undefined;
      try {
        ({ record, policy, secrets, settings } = await runOne(deps, store, item, {
          ...options,
          signal: run.signal,
        }));
      } finally {
        stopPoll.abort();
        await poll;
        options.stop.removeEventListener("abort", onStop);
      }
      // A transient failure is retried later; a usage limit or lost login holds the queue.
      const decided = decideFollowUp(record, {
        nowMs: clock.now(),
        settings,
        random: Math.random(),
        newId: followUpId,
      });
      if (decided.record !== record) {
        record = decided.record;
        await saveRecord(runDir(deps.paths, record.id), record);
      }
      records.push(record);
      if (!(await store.finish(summarize(record, item), mine))) {
        lostLease = true;
        break;
      }
      await emit(options.log, runEvents(record));
      const applied = await applyFollowUp(store, decided.followUp, { record, item, clock });
      await emit(options.log, applied.events);
      await emit(options.log, await releaseAfterSuccess(store, record));
      const auth = decided.followUp.kind === "hold" && decided.followUp.hold.kind === "auth";
      options.hooks?.onFinish?.(item, record);
      notifying.push(notifyRun(deps, record, {
        global: options.global,
        policy,
        error: auth ? `${runError(record)}. To fix: ${AUTH_FIX}` : runError(record),
        secrets: [...secrets, ...secretEnvValues(deps.env.toObject())],
        log: options.log,
        tuning: options.notify,
        // Lost credentials are told once, whatever the policy: the queue stops until fixed.
        ...(auth ? { force: applied.newHold } : {}),
      }));
      await pruneRuns(deps, store, options.global);
    }
  } finally {
    stopBeat.abort();
    await beat;
    if (!lostLease) await store.releaseLease(mine);
    await Promise.all(notifying);
  }
  return records;
}

/**
 * Records a queued item the global budget does not let start: a `skipped` run, a
 * `budget_exceeded` event, and (once per spent day or month) a notification whatever the task's
 * policy. `kept` is false when the lease was lost before the run could be recorded.
 */
async function skipOverBudget(
  deps: RunDeps,
  store: Store,
  options: {
    mine: Lease;
    item: RunningItem;
    budget: Extract<BudgetDecision, { ok: false }>;
    global: GlobalConfig;
    log?: EventSink | undefined;
    notify?: NotifyTuning | undefined;
  },
): Promise<{ record: RunRecord; kept: boolean; notifying: Promise<void> }> {
  const { item, budget } = options;
  const record = await recordNotStarted(deps, {
    runId: item.id,
    task: item.task,
    trigger: item.trigger,
    startedMs: deps.clock.now(),
    message: budget.reason,
    hint: "",
    outcome: { kind: "skipped", reason: budget.reason },
  });
  if (!(await store.finish(summarize(record, item), options.mine))) {
    return { record, kept: false, notifying: Promise.resolve() };
  }
  const notify = await store.raiseBudget(budget.period, budget.key);
  const { ok: _, ...detail } = budget;
  await emit(options.log, [
    { event: "budget_exceeded", run_id: item.id, task: item.task, ...detail, notify },
    ...runEvents(record),
  ]);
  const notifying = notify
    ? notifyRun(deps, record, {
      global: options.global,
      policy: { notify: "always", on_success: [], on_failure: [] },
      error: budget.reason,
      secrets: secretEnvValues(deps.env.toObject()),
      log: options.log,
      tuning: options.notify,
    })
    : Promise.resolve();
  return { record, kept: true, notifying };
}

async function runOne(
  deps: RunDeps,
  store: Store,
  item: RunningItem,
  options: {
    global: GlobalConfig;
    signal: AbortSignal;
    hooks?: RunnerHooks | undefined;
    log?: EventSink | undefined;
  },
): Promise<{
  record: RunRecord;
  policy: NotifyPolicy | undefined;
  secrets: string[];
  settings?: RetrySettings | undefined;
}> {
  let loaded;
  try {
    loaded = await loadTask(deps.paths, item.task, deps.env, { global: options.global });
  } catch (error) {
    // The config changed (or went) since it was queued: the run fails, the queue goes on.
    if (!(error instanceof ClodputerError)) throw error;
    const record = await recordNotStarted(deps, {
      runId: item.id,
      task: item.task,
      trigger: item.trigger,
      startedMs: deps.clock.now(),
      message: error.message,
      hint: error.hint ?? "fix the task's config, then run it again",
    });
    return { record, policy: undefined, secrets: [] };
  }
  // depends_on is judged now, against each dependency's last run.
  const unmet = await unmetDependencies(store, loaded.config.depends_on, deps.clock.now());
  if (unmet !== undefined) {
    const record = await recordSkipped(deps, {
      runId: item.id,
      task: item.task,
      trigger: item.trigger,
      reason: unmet,
    });
    return { record, policy: loaded.config, secrets: loaded.secretValues };
  }
  let recordingPid = Promise.resolve();
  let told = false;
  const session = loaded.config.task.session === "continue"
    ? await sessionInput(deps, store, item)
    : undefined;
  const record = await runTask(deps, loaded, {
    global: options.global,
    runId: item.id,
    trigger: item.trigger,
    context: item.context,
    // The earlier format's spelling of trigger data: {{ metadata.path }}.
    metadata: item.context,
    signal: options.signal,
    session,
    onEvent: (event) => options.hooks?.onEvent?.(item, event),
    onStart: ({ pid, command, argv, cwd, promptFile }) => {
      // A second start (a lost session begun afresh) updates the pid; the run started once.
      const first = !told;
      told = true;
      recordingPid = recordingPid.then(() =>
        store.setClaudePid(item.id, pid, { command, argv, cwd, prompt_file: promptFile })
      ).then(() =>
        first
          ? emit(options.log, [{
            event: "task_started",
            run_id: item.id,
            task: item.task,
            trigger: item.trigger.type,
            priority: item.priority,
            pid,
          }])
          : undefined
      );
      if (first) options.hooks?.onStart?.(item, pid);
    },
  });
  await recordingPid;
  if (session !== undefined) {
    const after = sessionAfter(session.state, record);
    if (after !== undefined) await store.setSession(record.task, after);
  }
  await applyLogActions(deps, record, { loaded, context: item.context });
  return {
    record,
    policy: loaded.config,
    secrets: loaded.secretValues,
    settings: retrySettingsOf(loaded.config),
  };
}

/**
 * What a `session: continue` run needs to choose its session: the task's session as kept, and
 * for a retry the first failed run's session choice (it is repeated, whatever happened since).
 */
async function sessionInput(
  deps: RunDeps,
  store: Store,
  item: RunningItem,
): Promise<{ state: SessionState | undefined; retryOf?: { id: string; session: RunSession } }> {
  const state = await store.session(item.task);
  const failedId = item.trigger.type === "retry" && typeof item.trigger.retry_of === "string"
    ? item.trigger.retry_of
    : undefined;
  if (failedId === undefined) return { state };
  const failed = await readRecord(deps.paths, runDir(deps.paths, failedId), deps.clock.now());
  if (failed?.session === undefined) return { state };
  return { state, retryOf: { id: failedId, session: failed.session } };
}

/** Renders the run's `- log:` actions into its record (saved again), never failing the run. */
async function applyLogActions(
  deps: RunDeps,
  record: RunRecord,
  options: { loaded: LoadedTask; context: Record<string, unknown> | undefined },
): Promise<void> {
  const { config, secretValues } = options.loaded;
  // The task's context as the run saw it: its own templates filled from the trigger data.
  const trigger = options.context ?? {};
  const scope = { name: record.task, metadata: trigger, context: trigger };
  const fill = (v: unknown): unknown =>
    typeof v === "string"
      ? renderTemplate(v, scope, { onMissing: "keep" })
      : Array.isArray(v)
      ? v.map(fill)
      : v !== null && typeof v === "object"
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, fill(x)]))
      : v;
  const report = runLogActions(record, {
    onSuccess: config.on_success,
    onFailure: config.on_failure,
    error: runError(record),
    context: {
      ...fill(config.task.context) as Record<string, unknown>,
      ...trigger,
      now: record.started_at,
    },
    secrets: [...secretValues, ...secretEnvValues(deps.env.toObject())],
  });
  if (report.logs.length === 0 && report.errors.length === 0) return;
  record.actions = report;
  await saveRecord(runDir(deps.paths, record.id), record);
}

/** Prunes run summaries and folders beyond the configured count and age. */
async function pruneRuns(deps: RunDeps, store: Store, global: GlobalConfig): Promise<void> {
  const before = iso(deps.clock.now() - global.runs.max_age_days * 86_400_000);
  for (const id of await store.prune({ keep: global.runs.keep, before })) {
    await rm(runDir(deps.paths, id));
  }
}
