/**
 * @module
 * The state store on Deno KV: `Store`, the one object callers use, open on one KV file. Each
 * method is one key family's (`store/<family>.ts`) or one of the steps across families
 * (`store/steps.ts`); the KV handle and its retries are `store/core.ts`.
 */

import type { Clock } from "../sys/clock.ts";
import type { FileStamp } from "../sys/file_stamp.ts";
import type { TallyRow } from "./ledger.ts";
import type { SessionState } from "../run/session.ts";
import type { DayRow } from "./store/ledger.ts";
import * as attention from "./store/attention.ts";
import * as cancel from "./store/cancel.ts";
import * as canary from "./store/canary.ts";
import { KvCore, type Versioned, withLockRetry } from "./store/core.ts";
import * as holds from "./store/holds.ts";
import * as ledger from "./store/ledger.ts";
import * as lease from "./store/lease.ts";
import * as overdue from "./store/overdue.ts";
import { type NewItem, queued } from "./store/queue.ts";
import * as running from "./store/running.ts";
import * as runs from "./store/runs.ts";
import * as scheduler from "./store/scheduler.ts";
import * as sessionStore from "./store/sessions.ts";
import * as steps from "./store/steps.ts";
import type { ClaimResult, EnqueueResult } from "./store/steps.ts";
import * as watcher from "./store/watcher.ts";
import type {
  Attention,
  CanaryResult,
  Hold,
  Lease,
  OwedMemo,
  QueueItem,
  RaisedAlarm,
  RunningItem,
  RunSummary,
  ScheduleCacheEntry,
  ScheduleState,
  StartedCommand,
  TickBeat,
} from "./types.ts";

export { isCorruptError, isLockedError, type Versioned, withLockRetry } from "./store/core.ts";
export { AUTH_CANARY_MS, holdInForce } from "./store/holds.ts";
export { sameRunner } from "./store/lease.ts";
export { isDue, type NewItem } from "./store/queue.ts";
export type { ClaimResult, EnqueueResult } from "./store/steps.ts";
export type { DayRow } from "./store/ledger.ts";

/** The store. Open one per process; close it when done. */
export class Store implements Disposable {
  #core: KvCore;

  constructor(kv: Deno.Kv, clock: Clock, path = ":memory:") {
    this.#core = new KvCore(kv, clock, path);
  }

  /** Opens the KV file at `path` (an in-memory store for ":memory:"), retrying a locked file. */
  static async open(path: string, clock: Clock): Promise<Store> {
    const kv = await withLockRetry(
      clock,
      `open the state store "${path}"`,
      () => Deno.openKv(path),
    );
    return new Store(kv, clock, path);
  }

  /** Closes the KV handle. */
  close(): void {
    this.#core.kv.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // ---- the queue (store/queue.ts; adding and removing: store/steps.ts) ------------------

  /** Adds a task to the queue, unless it is already queued: see steps.enqueue. */
  enqueue(input: NewItem, now: string): Promise<EnqueueResult> {
    return steps.enqueue(this.#core, input, now);
  }

  /** Every queued item, in the order they will run. */
  queued(): Promise<QueueItem[]> {
    return queued(this.#core);
  }

  /** Removes one queued item by id (settling a scheduled run's slot): see steps.remove. */
  remove(id: string): Promise<QueueItem | undefined> {
    return steps.remove(this.#core, id);
  }

  /** Removes every queued item; returns them. */
  clear(): Promise<QueueItem[]> {
    return steps.clear(this.#core);
  }

  // ---- tasks' Claude sessions (store/sessions.ts) ------------------------------------------

  /** The task's session state (`session: continue`), if any. */
  session(task: string): Promise<SessionState | undefined> {
    return sessionStore.session(this.#core, task);
  }

  /** Every task's session state, by task name. */
  sessions(): Promise<Map<string, SessionState>> {
    return sessionStore.sessions(this.#core);
  }

  /** Keeps the task's session state; undefined removes it. */
  setSession(task: string, state: SessionState | undefined): Promise<void> {
    return sessionStore.setSession(this.#core, task, state);
  }

  // ---- the runner lease (store/lease.ts) -------------------------------------------------

  /** The current lease and its versionstamp, if any. */
  lease(): Promise<{ lease: Lease; versionstamp: string } | undefined> {
    return lease.lease(this.#core);
  }

  /** Takes the lease if it is still as the caller saw it (`expected`). True when taken. */
  acquireLease(mine: Lease, expected: string | null): Promise<boolean> {
    return lease.acquireLease(this.#core, mine, expected);
  }

  /** Refreshes the heartbeat; false when the lease is no longer ours. */
  heartbeat(mine: Lease, now: string): Promise<boolean> {
    return lease.heartbeat(this.#core, mine, now);
  }

  /** Gives the lease up, if it is ours. */
  releaseLease(mine: Lease): Promise<void> {
    return lease.releaseLease(this.#core, mine);
  }

  // ---- running (store/running.ts; taking, recovering, finishing: store/steps.ts) --------

  /** The running item, if any. */
  running(): Promise<RunningItem | undefined> {
    return running.running(this.#core);
  }

  /** Claims the recovery of the running item, for one caller only: see steps.claimRecovery. */
  claimRecovery(
    by: { pid: number; at: string },
    isGone: (pid: number) => Promise<boolean>,
  ): Promise<RunningItem | undefined> {
    return steps.claimRecovery(this.#core, by, isGone);
  }

  /** Moves the first due queued item (or `only`) to running while the lease is `mine`. */
  takeNext(mine: Lease, now: string, only?: string): Promise<RunningItem | undefined> {
    return steps.takeNext(this.#core, mine, now, only);
  }

  /** Records claude's pid, and how it was started, on the running item. */
  setClaudePid(id: string, pid: number, started?: StartedCommand): Promise<void> {
    return running.setClaudePid(this.#core, id, pid, started);
  }

  /** Ends the running item `summary.id` and keeps its summary and tallies: see steps.finish. */
  finish(summary: RunSummary, mine?: Lease): Promise<boolean> {
    return steps.finish(this.#core, summary, mine);
  }

  // ---- the cost ledger (store/ledger.ts) ---------------------------------------------------

  /** The ledger's tallies by day or month and task, from `from` to `to` (both included). */
  costs(
    by: "day" | "month",
    options: { from?: string | undefined; to?: string | undefined } = {},
  ): Promise<TallyRow[]> {
    return ledger.costs(this.#core, by, options);
  }

  /** `task`'s runs per local day by outcome, from `from` (`YYYY-MM-DD`) on; days without runs left out. */
  taskDays(task: string, options: { from: string }): Promise<DayRow[]> {
    return ledger.taskDays(this.#core, task, options);
  }

  /** Records that `period`'s budget was found spent for `key`: true for the one caller. */
  raiseBudget(period: "daily" | "monthly", key: string): Promise<boolean> {
    return ledger.raiseBudget(this.#core, period, key);
  }

  // ---- holds (store/holds.ts) ------------------------------------------------------------

  /** The hold on the queue, if any (it may be over: see holdInForce). */
  hold(): Promise<Hold | undefined> {
    return holds.hold(this.#core);
  }

  /** Holds the queue (replacing any hold). */
  setHold(hold: Hold): Promise<void> {
    return holds.setHold(this.#core, hold);
  }

  /** Releases the hold. Returns the hold that was there, if any. */
  releaseHold(): Promise<Hold | undefined> {
    return holds.releaseHold(this.#core);
  }

  // ---- failures not yet acknowledged (store/attention.ts) ----------------------------------

  /** The failed runs since they were last acknowledged, if any. */
  attention(): Promise<Attention | undefined> {
    return attention.attention(this.#core);
  }

  /** Acknowledges every failure so far. Returns what was acknowledged, if anything. */
  acknowledge(): Promise<Attention | undefined> {
    return attention.acknowledge(this.#core);
  }

  // ---- cancel requests (store/cancel.ts) ---------------------------------------------------

  /** Asks the runner to cancel run `id`. */
  requestCancel(id: string, by: string): Promise<void> {
    return cancel.requestCancel(this.#core, id, by);
  }

  /** Who asked to cancel run `id`, if anyone. */
  cancelRequest(id: string): Promise<string | undefined> {
    return cancel.cancelRequest(this.#core, id);
  }

  // ---- the canary (store/canary.ts) --------------------------------------------------------

  /** Keeps the last canary outcome. */
  setCanary(result: CanaryResult): Promise<void> {
    return canary.setCanary(this.#core, result);
  }

  /** The last canary outcome, if any. */
  canary(): Promise<CanaryResult | undefined> {
    return canary.canary(this.#core);
  }

  // ---- the scheduler (store/scheduler.ts; claiming slots: store/steps.ts) -------------------

  /** A task's schedule state, with its version. */
  scheduleState(task: string): Promise<Versioned<ScheduleState>> {
    return scheduler.scheduleState(this.#core, task);
  }

  /** Every task's schedule state, with its version. */
  scheduleStates(): Promise<Map<string, Versioned<ScheduleState>>> {
    return scheduler.scheduleStates(this.#core);
  }

  /** Saves a task's schedule state and queues its due items at once: see steps.claimSlots. */
  claimSlots(
    task: string,
    seen: string | null,
    state: ScheduleState,
    items: NewItem[],
    now: string,
  ): Promise<ClaimResult | undefined> {
    return steps.claimSlots(this.#core, task, seen, state, items, now);
  }

  /** Forgets a task's schedule state (its file is gone). */
  deleteScheduleState(task: string): Promise<void> {
    return scheduler.deleteScheduleState(this.#core, task);
  }

  /** When scheduling started (set by install): no slot before it is ever run or counted. */
  schedulerSince(): Promise<string | undefined> {
    return scheduler.schedulerSince(this.#core);
  }

  /** Sets (or, with null, clears) when scheduling started. */
  setSchedulerSince(at: string | null): Promise<void> {
    return scheduler.setSchedulerSince(this.#core, at);
  }

  /** The last tick's heartbeat. */
  tickBeat(): Promise<TickBeat | undefined> {
    return scheduler.tickBeat(this.#core);
  }

  /** Records a tick's heartbeat. */
  setTickBeat(beat: TickBeat): Promise<void> {
    return scheduler.setTickBeat(this.#core, beat);
  }

  /** What the tick knows of each task file, by task name. */
  scheduleCache(): Promise<Map<string, ScheduleCacheEntry>> {
    return scheduler.scheduleCache(this.#core);
  }

  /** Updates (or, with undefined, removes) one task file's cache entry. */
  setScheduleCache(task: string, entry: ScheduleCacheEntry | undefined): Promise<void> {
    return scheduler.setScheduleCache(this.#core, task, entry);
  }

  // ---- the dead-man's switch (store/overdue.ts; lib/schedule/overdue_check.ts) ------------

  /** Each scheduled task's owed slot as last worked out, by task name. */
  owedMemos(): Promise<Map<string, OwedMemo>> {
    return overdue.owedMemos(this.#core);
  }

  /** Keeps (or, with undefined, forgets) a task's owed slot. */
  setOwedMemo(task: string, memo: OwedMemo | undefined): Promise<void> {
    return overdue.setOwedMemo(this.#core, task, memo);
  }

  /** Records that the alarm for a task's overdue slot was raised: true for the one caller. */
  raiseOverdue(task: string, raised: RaisedAlarm): Promise<boolean> {
    return overdue.raiseOverdue(this.#core, task, raised);
  }

  /** The last alarm raised for each task, by task name. */
  raisedAlarms(): Promise<Map<string, RaisedAlarm>> {
    return overdue.raisedAlarms(this.#core);
  }

  /** The latest scheduled slot (ISO) whose queued run a person removed, by task name. */
  dismissedSlots(): Promise<Map<string, string>> {
    return overdue.dismissedSlots(this.#core);
  }

  /** Forgets the alarms of a task (its file is gone). */
  forgetOverdue(task: string): Promise<void> {
    return overdue.forgetOverdue(this.#core, task);
  }

  // ---- the watcher (store/watcher.ts; handing a file over: store/steps.ts) -----------------

  /** The files a watch knows (handed over, or there when the watch began), by path. */
  watchFiles(task: string): Promise<Map<string, Versioned<FileStamp>>> {
    return watcher.watchFiles(this.#core, task);
  }

  /** The watch's identity when its files were last taken as known (its folder and pattern). */
  watchBase(task: string): Promise<string | undefined> {
    return watcher.watchBase(this.#core, task);
  }

  /** Starts a watch afresh, taking `files` as known (never handed over). */
  resetWatch(task: string, base: string, files: Map<string, FileStamp>): Promise<void> {
    return watcher.resetWatch(this.#core, task, base, files);
  }

  /** Records a file's new state and queues its run, once even for two watchers (steps). */
  claimFile(
    task: string,
    path: string,
    seen: string | null,
    stamp: FileStamp | null,
    item: NewItem | undefined,
    now: string,
  ): Promise<QueueItem | null | undefined> {
    return steps.claimFile(this.#core, task, path, seen, stamp, item, now);
  }

  /** Forgets everything a watch knew (its task is gone or no longer watches). */
  forgetWatch(task: string): Promise<void> {
    return watcher.forgetWatch(this.#core, task);
  }

  /** Who holds the one-watcher lease. */
  watcherLease(): Promise<Versioned<watcher.WatcherLease>> {
    return watcher.watcherLease(this.#core);
  }

  /** Sets (or, with null, clears) the watcher lease if it is still as `seen`. */
  setWatcherLease(seen: string | null, lease: watcher.WatcherLease | null): Promise<boolean> {
    return watcher.setWatcherLease(this.#core, seen, lease);
  }

  /** When an interval task was first seen (its first interval counts from then). */
  intervalSince(task: string): Promise<string | undefined> {
    return watcher.intervalSince(this.#core, task);
  }

  /** Records when an interval task was first seen. */
  setIntervalSince(task: string, at: string): Promise<void> {
    return watcher.setIntervalSince(this.#core, task, at);
  }

  // ---- run summaries (store/runs.ts) -------------------------------------------------------

  /** One run's summary. */
  run(id: string): Promise<RunSummary | undefined> {
    return runs.run(this.#core, id);
  }

  /** Finished runs, newest first by start time (ids only sort to the second). */
  runs(options: { limit?: number; task?: string } = {}): Promise<RunSummary[]> {
    return runs.runs(this.#core, options);
  }

  /** The newest `limit` runs, or those started since `since`, through the start-time index. */
  recentRuns(options: { limit?: number; since?: string }): Promise<RunSummary[]> {
    return runs.recentRuns(this.#core, options);
  }

  /**
   * `task`'s (null: every task's) newest `limit` runs, or those started before `before`
   * (exclusive on start time, then id), newest first, through the per-task (or start-time) index.
   */
  taskRuns(
    task: string | null,
    options: { limit: number; before?: { started_at: string; id: string } | undefined },
  ): Promise<RunSummary[]> {
    return runs.taskRuns(this.#core, task, options);
  }

  /** The id of a task's last finished run. */
  lastRun(task: string): Promise<string | undefined> {
    return runs.lastRun(this.#core, task);
  }

  /** Deletes summaries beyond the newest `keep` and those started before `before`; their ids. */
  prune(options: { keep: number; before: string }): Promise<string[]> {
    return runs.prune(this.#core, options);
  }
}
