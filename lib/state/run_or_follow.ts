/**
 * @module
 * The one runner loop that `run`, `run --now/--wait`, the tick's detached runner and the faces
 * share: become the runner and drain (runner.ts), look once more after releasing the lease, and,
 * when asked, follow one run to its end while another process runs it (taking over if that
 * runner dies). `runQueue` is the loop without following.
 */

import { loadTask } from "../config/load.ts";
import type { GlobalConfig } from "../config/types.ts";
import { secretEnvValues } from "../log/redact.ts";
import { notifyRun, type NotifyTuning } from "../notify/notify.ts";
import type { NotifyPolicy } from "../notify/policy.ts";
import { OutputTail } from "../run/follow.ts";
import { readRecord, recordFromSummary, type RunRecord } from "../run/record.ts";
import type { RunDeps } from "../run/run_task.ts";
import type { ProgressEvent } from "../run/stream.ts";
import { join } from "../sys/posix_path.ts";
import { runDir } from "../sys/paths.ts";
import type { ProcInfo } from "../sys/proc.ts";
import { runnerAlive } from "./alive.ts";
import { becomeRunner, drain, type RunnerHooks, startable } from "./runner.ts";
import { type EventSink, runError } from "./run_events.ts";
import type { Store } from "./store.ts";
import type { Lease, RunSummary } from "./types.ts";

/** A follower looks again after this long at first, then twice as long each time, up to MAX. */
const FOLLOW_FIRST_MS = 5;
const FOLLOW_MAX_MS = 200;

/** Where a followed run stands while another process runs the queue. */
export type FollowState =
  | { kind: "running"; claudePid: number | undefined }
  | { kind: "waiting"; position: number; running: string | undefined };

/** Hooks of `runOrFollow`: the runner's own, and what a person following a run sees. */
export interface RunOrFollowHooks extends RunnerHooks {
  /** This process took over from a dead runner, whose running item was recorded as lost. */
  onRecovered?(lost: RunSummary): void;
  /** A live runner holds the lease (when following, said once). */
  onBusy?(lease: Lease): void;
  /** The followed run, run by another process: where it stands. */
  onFollowState?(state: FollowState): void;
  /** The followed run, run by another process: its progress, read from its output. */
  onFollowEvent?(event: ProgressEvent): void;
}

/** What `runOrFollow` did: the runs it ran, whether a live runner had the queue, the followed run. */
export interface RunOrFollowResult {
  /** The records of the runs this process ran. */
  records: RunRecord[];
  /** True when it stopped because another runner is alive (not following). */
  busy: boolean;
  /** The followed run's record (undefined when not following, or the run was removed). */
  followed: RunRecord | undefined;
}

/**
 * The one runner loop: unless a live runner holds the lease, becomes the runner (recovering a
 * dead runner's lost run), drains, and looks once more after releasing the lease so an item
 * queued meanwhile is never stranded. With `follow`, run `follow` to its end: it starts even when
 * the queue is paused, and while another runner has it, this process waits for its record
 * (taking over if that runner dies).
 */
export async function runOrFollow(
  deps: RunDeps,
  store: Store,
  options: {
    global: GlobalConfig;
    stop: AbortSignal;
    hooks?: RunOrFollowHooks | undefined;
    log?: EventSink | undefined;
    notify?: NotifyTuning | undefined;
    /** An item to try first under an auth hold (see drain); the first drain only. */
    canary?: string | undefined;
    /** The run to follow to its end (`run --now`/`--wait`). */
    follow?: string | undefined;
    /** This process as `ps` shows it, when the caller has already started looking. */
    self?: Promise<ProcInfo | undefined> | undefined;
  },
): Promise<RunOrFollowResult> {
  const { hooks, follow } = options;
  const records: RunRecord[] = [];
  const notifying: Promise<void>[] = [];
  const result = (busy: boolean, followed?: RunRecord): RunOrFollowResult => ({
    records,
    busy,
    followed,
  });
  let tail: OutputTail | undefined; // the followed run's output, read on from where it stopped
  let announced = false;
  try {
    while (!options.stop.aborted) {
      const role = await becomeRunner(deps, store, {
        graceMs: options.global.grace_period * 1000,
        log: options.log,
        self: options.self,
        global: options.global,
      });
      if (role.role === "runner") {
        if (role.recovered) hooks?.onRecovered?.(role.recovered);
        // A run lost by a dead runner ended unattended: it is notified like any other.
        if (role.recovered) notifying.push(notifyLost(deps, role.recovered.id, options));
        records.push(
          ...await drain(deps, store, role.lease, {
            global: options.global,
            stop: options.stop,
            hooks,
            log: options.log,
            notify: options.notify,
            exempt: follow,
            canary: records.length === 0 ? options.canary : undefined,
          }),
        );
        // A task queued after the last take but before the release saw a live runner and left:
        // look once more, now that the lease is free, so nothing is stranded.
        if (!options.stop.aborted && (await startable(deps, store, follow))) continue;
        if (follow === undefined) return result(false);
        const done = await store.run(follow);
        if (done) return result(false, await recordOf(deps, done));
        // Not ours to run after all (the lease was lost meanwhile): follow it.
      } else {
        if (follow === undefined) {
          hooks?.onBusy?.(role.lease);
          return result(true);
        }
        if (!announced) {
          hooks?.onBusy?.(role.lease);
          announced = true;
        }
      }
      // Follow: until the run is recorded, it disappears, or the runner dies. Short runs end
      // soon after they start, so the first looks come quickly.
      tail ??= new OutputTail(join(runDir(deps.paths, follow), "stdout"));
      const followed = await followRun(deps, store, follow, tail, hooks);
      if (followed !== "runner gone") return result(false, followed);
    }
    return result(
      false,
      follow === undefined
        ? undefined
        : await readRecord(deps.paths, runDir(deps.paths, follow), deps.clock.now()),
    );
  } finally {
    await Promise.all(notifying);
  }
}

/** Waits for run `id`, run by another process, to be recorded; "runner gone" if its runner dies. */
async function followRun(
  deps: RunDeps,
  store: Store,
  id: string,
  tail: OutputTail,
  hooks: RunOrFollowHooks | undefined,
): Promise<RunRecord | undefined | "runner gone"> {
  let wait = FOLLOW_FIRST_MS;
  for (;;) {
    const done = await store.run(id);
    if (done) {
      for (const e of await tail.read()) hooks?.onFollowEvent?.(e);
      return await recordOf(deps, done);
    }
    const running = await store.running();
    if (running?.id === id) {
      hooks?.onFollowState?.({ kind: "running", claudePid: running.claude_pid ?? undefined });
      for (const e of await tail.read()) hooks?.onFollowEvent?.(e);
    } else {
      const queue = await store.queued();
      const position = queue.findIndex((q) => q.id === id) + 1;
      if (position === 0) {
        // Neither queued, running nor recorded: removed, or finishing right now.
        if (await store.run(id)) continue;
        return undefined;
      }
      hooks?.onFollowState?.({ kind: "waiting", position, running: running?.task });
    }
    if (!await runnerAlive(store, deps.proc, deps.clock)) return "runner gone"; // take over
    await deps.clock.sleep(wait);
    wait = Math.min(FOLLOW_MAX_MS, wait * 2);
  }
}

/** A finished run's record, from its folder or (when that is damaged) from the store's summary. */
async function recordOf(deps: RunDeps, done: RunSummary): Promise<RunRecord> {
  return await readRecord(deps.paths, runDir(deps.paths, done.id), deps.clock.now()) ??
    recordFromSummary(done);
}

/**
 * Runs the queue unless a live runner holds the lease (`runOrFollow` without following). Returns
 * the records of the runs it ran, or "busy" when another runner is alive and it ran none.
 */
export async function runQueue(
  deps: RunDeps,
  store: Store,
  options: {
    global: GlobalConfig;
    stop: AbortSignal;
    hooks?: RunnerHooks;
    log?: EventSink | undefined;
    notify?: NotifyTuning | undefined;
    /** An item to try first under an auth hold (see drain). */
    canary?: string | undefined;
  },
): Promise<RunRecord[] | "busy"> {
  const { records, busy } = await runOrFollow(deps, store, options);
  return busy && records.length === 0 ? "busy" : records;
}

/**
 * Notifies a run that a dead runner lost, as any run that ended unattended (its task's policy,
 * the default when its file is gone). Never throws: a failure to notify is logged.
 */
export async function notifyLost(
  deps: RunDeps,
  id: string,
  options: { global: GlobalConfig; log?: EventSink | undefined; notify?: NotifyTuning | undefined },
): Promise<void> {
  const record = await readRecord(deps.paths, runDir(deps.paths, id), deps.clock.now()).catch(() =>
    undefined
  );
  if (!record) return;
  let policy: NotifyPolicy | undefined;
  let secrets: string[] = [];
  try {
    const loaded = await loadTask(deps.paths, record.task, deps.env, { global: options.global });
    policy = loaded.config;
    secrets = loaded.secretValues;
  } catch {
    // The task's file is gone or broken: the default policy applies.
  }
  await notifyRun(deps, record, {
    global: options.global,
    policy,
    error: runError(record),
    secrets: [...secrets, ...secretEnvValues(deps.env.toObject())],
    log: options.log,
    tuning: options.notify,
  });
}
