/**
 * @module
 * The state store on Deno KV: the queue, the running item, the runner lease and run summaries.
 * Every state change is one atomic KV operation. SQLite's "database is locked" is retried here
 * with jittered backoff, so callers never see it unless the lock outlasts every retry.
 */

import { IoError, isDiskFull, LockError } from "../errors.ts";
import type { Clock } from "../sys/clock.ts";
import type { FileStamp } from "../sys/file_stamp.ts";
import {
  addTally,
  dayOf,
  emptyTally,
  monthOf,
  type Tally,
  tallyOf,
  type TallyRow,
} from "./ledger.ts";
import type {
  Attention,
  CanaryResult,
  Hold,
  Lease,
  OwedMemo,
  Priority,
  QueueItem,
  RaisedAlarm,
  RunningItem,
  RunSummary,
  ScheduleCacheEntry,
  ScheduleState,
  StartedCommand,
  TickBeat,
} from "./types.ts";

const LOCK_RETRIES = 60;
const CONFLICT_RETRIES = 500;
const MAX_MESSAGE = 2000;
/** Tallies written per atomic step when the ledger is built from the summaries kept. */
const LEDGER_BATCH = 400;

/** A read value with its version, for a later compare-and-set. */
export interface Versioned<T> {
  value: T | undefined;
  versionstamp: string | null;
}

/** The result of claiming a task's due slots. */
export interface ClaimResult {
  /** The items queued. */
  queued: QueueItem[];
  /** The item already queued for the task that the due slot was folded into. */
  folded: QueueItem | undefined;
}

/** The result of an enqueue. */
export type EnqueueResult =
  | { kind: "queued"; item: QueueItem; position: number }
  | { kind: "duplicate"; existing: QueueItem; position: number };

/** What a new queue item needs. */
export interface NewItem {
  id: string;
  task: string;
  priority: Priority;
  trigger: QueueItem["trigger"];
  context?: Record<string, unknown> | undefined;
  /** Not before this time (ISO). */
  run_at?: string | undefined;
}

function queueItem(input: NewItem, now: string, seq: number): QueueItem {
  return {
    id: input.id,
    task: input.task,
    priority: input.priority,
    trigger: input.trigger,
    ...(input.context === undefined ? {} : { context: input.context }),
    enqueued_at: now,
    seq,
    ...(input.run_at === undefined ? {} : { run_at: input.run_at }),
  };
}

/** True when `item` may start at `nowMs` (it has no not-before time, or that time has come). */
export function isDue(item: QueueItem, nowMs: number): boolean {
  return item.run_at === undefined || Date.parse(item.run_at) <= nowMs;
}

/** How often the tick lets one run try under an auth hold (the canary). */
export const AUTH_CANARY_MS = 10 * 60 * 1000;

/** The hold in force at `nowMs` (one whose `until` has passed is over). */
export function holdInForce(hold: Hold | null | undefined, nowMs: number): Hold | undefined {
  if (!hold) return undefined;
  return hold.until === null || Date.parse(hold.until) > nowMs ? hold : undefined;
}

function rank(priority: Priority): number {
  return priority === "high" ? 0 : 1;
}

/** True for SQLite's answer to a concurrent writer. */
export function isLockedError(error: unknown): boolean {
  return error instanceof Error &&
    /database is locked|database table is locked|SQLITE_BUSY/i.test(error.message);
}

/** True when a KV file cannot be used at all (not a database, or damaged). */
export function isCorruptError(error: unknown): boolean {
  return error instanceof Error &&
    /file is not a database|database disk image is malformed|malformed|SQLITE_CORRUPT|SQLITE_NOTADB/i
      .test(error.message);
}

/** Same runner: same pid and same process start time. */
export function sameRunner(a: Lease, b: Lease): boolean {
  return a.pid === b.pid && a.started === b.started;
}

function shortenOutcome(summary: RunSummary): RunSummary {
  const o = summary.outcome;
  if ("message" in o && o.message.length > MAX_MESSAGE) {
    return { ...summary, outcome: { ...o, message: `${o.message.slice(0, MAX_MESSAGE - 1)}…` } };
  }
  return summary;
}

/** The store. Open one per process; close it when done. */
export class Store implements Disposable {
  #kv: Deno.Kv;
  #clock: Clock;
  #path: string;

  constructor(kv: Deno.Kv, clock: Clock, path = ":memory:") {
    this.#kv = kv;
    this.#clock = clock;
    this.#path = path;
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
    this.#kv.close();
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #retry<T>(what: string, op: () => Promise<T>): Promise<T> {
    return withLockRetry(this.#clock, what, op).catch((error) => {
      // A full disk is the user's to fix: say which file could not be written.
      if (isDiskFull(error)) {
        throw new IoError(`${what} in the state store`, this.#path, { cause: error });
      }
      throw error;
    });
  }

  /** Runs `attempt` until it commits (optimistic concurrency: it returns undefined on conflict). */
  async #transact<T>(what: string, attempt: () => Promise<T | undefined>): Promise<T> {
    for (let i = 0; i < CONFLICT_RETRIES; i++) {
      const result = await this.#retry(what, attempt);
      if (result !== undefined) return result;
      await this.#clock.sleep(Math.random() * Math.min(50, 2 + i));
    }
    throw new LockError(`Cannot ${what}: too many concurrent changes`, {
      hint: "try again; if it keeps happening, run clodputer doctor",
    });
  }

  // ---- the queue --------------------------------------------------------------------------

  /**
   * Adds a task to the queue. A task that is already queued is not queued again (the existing
   * item is returned); a running task may be queued once more behind itself.
   */
  enqueue(input: NewItem, now: string): Promise<EnqueueResult> {
    return this.#transact(`queue task "${input.task}"`, async () => {
      const [seq, marker] = await this.#kv.getMany<[number, string]>([["meta", "seq"], [
        "queued",
        input.task,
      ]]);
      if (marker.value !== null) {
        const queued = await this.queued();
        const existing = queued.find((q) => q.id === marker.value);
        if (existing) {
          return { kind: "duplicate", existing, position: queued.indexOf(existing) + 1 };
        }
      }
      const next = (seq.value ?? 0) + 1;
      const item = queueItem(input, now, next);
      const res = await this.#kv.atomic()
        .check(seq)
        .check(marker)
        .set(["meta", "seq"], next)
        .set(["queue", rank(input.priority), next], item)
        .set(["queued", input.task], input.id)
        .commit();
      if (!res.ok) return undefined;
      const position = (await this.queued()).findIndex((q) => q.id === item.id) + 1;
      return { kind: "queued", item, position };
    });
  }

  /** Every queued item, in the order they will run. */
  async queued(): Promise<QueueItem[]> {
    const entries = await this.#retry(
      "read the queue",
      () => Array.fromAsync(this.#kv.list<QueueItem>({ prefix: ["queue"] })),
    );
    return entries.map((e) => e.value);
  }

  /**
   * Removes one queued item by id; returns it, or undefined when it is not queued. Removing a
   * scheduled run settles its slot for the dead-man's switch (a person chose not to run it).
   */
  remove(id: string): Promise<QueueItem | undefined> {
    return this.#transact<{ item: QueueItem | undefined }>(
      `remove "${id}" from the queue`,
      async () => {
        const entry = (await Array.fromAsync(this.#kv.list<QueueItem>({ prefix: ["queue"] })))
          .find((e) => e.value.id === id);
        if (!entry) return { item: undefined };
        const task = entry.value.task;
        const [marker, dismissed] = await Promise.all([
          this.#kv.get<string>(["queued", task]),
          this.#kv.get<string>(["dismissed", task]),
        ]);
        const op = this.#kv.atomic().check(entry).check(marker).check(dismissed)
          .delete(entry.key);
        if (marker.value === id) op.delete(marker.key);
        const slot = scheduledSlot(entry.value);
        if (slot !== undefined && (dismissed.value === null || dismissed.value < slot)) {
          op.set(["dismissed", task], slot);
        }
        return (await op.commit()).ok ? { item: entry.value } : undefined;
      },
    ).then((r) => r.item);
  }

  /** Removes every queued item; returns them. */
  async clear(): Promise<QueueItem[]> {
    const removed: QueueItem[] = [];
    for (const item of await this.queued()) {
      const gone = await this.remove(item.id);
      if (gone) removed.push(gone);
    }
    return removed;
  }

  // ---- the runner lease -------------------------------------------------------------------

  /** The current lease and its versionstamp, if any. */
  async lease(): Promise<{ lease: Lease; versionstamp: string } | undefined> {
    const entry = await this.#retry("read the runner lease", () => this.#kv.get<Lease>(["lease"]));
    return entry.value === null
      ? undefined
      : { lease: entry.value, versionstamp: entry.versionstamp };
  }

  /**
   * Takes the lease if it is still as the caller saw it (`expected`: the versionstamp read, or
   * null for no lease). True when taken.
   */
  async acquireLease(mine: Lease, expected: string | null): Promise<boolean> {
    const res = await this.#retry(
      "take the runner lease",
      () =>
        this.#kv.atomic().check({ key: ["lease"], versionstamp: expected }).set(["lease"], mine)
          .commit(),
    );
    return res.ok;
  }

  /** Refreshes the heartbeat; false when the lease is no longer ours. */
  heartbeat(mine: Lease, now: string): Promise<boolean> {
    return this.#transact("refresh the runner heartbeat", async () => {
      const entry = await this.#kv.get<Lease>(["lease"]);
      if (entry.value === null || !sameRunner(entry.value, mine)) return false;
      const res = await this.#kv.atomic().check(entry).set(["lease"], {
        ...entry.value,
        heartbeat_at: now,
      })
        .commit();
      return res.ok ? true : undefined;
    });
  }

  /** Gives the lease up, if it is ours. */
  async releaseLease(mine: Lease): Promise<void> {
    await this.#transact("release the runner lease", async () => {
      const entry = await this.#kv.get<Lease>(["lease"]);
      if (entry.value === null || !sameRunner(entry.value, mine)) return true;
      return (await this.#kv.atomic().check(entry).delete(["lease"]).commit()).ok
        ? true
        : undefined;
    });
  }

  // ---- running ----------------------------------------------------------------------------

  /** The running item, if any. */
  async running(): Promise<RunningItem | undefined> {
    const entry = await this.#retry(
      "read the running item",
      () => this.#kv.get<RunningItem>(["running"]),
    );
    return entry.value ?? undefined;
  }

  /**
   * Claims the recovery of the running item: one atomic step that succeeds only while it is
   * still the running item and nobody else is recovering it (a claim whose process `isGone` is
   * taken over). The claimant finishes the run; every other caller gets undefined and writes
   * nothing, so a lost run is finished exactly once.
   */
  claimRecovery(
    by: { pid: number; at: string },
    isGone: (pid: number) => Promise<boolean>,
  ): Promise<RunningItem | undefined> {
    return this.#transact<{ item: RunningItem | undefined }>(
      "claim the recovery of the running item",
      async () => {
        const running = await this.#kv.get<RunningItem>(["running"]);
        const item = running.value;
        if (item === null) return { item: undefined };
        if (item.recovering && !(await isGone(item.recovering.pid))) return { item: undefined };
        const claimed: RunningItem = { ...item, recovering: by };
        const ok = await this.#kv.atomic().check(running).set(["running"], claimed).commit();
        return ok.ok ? { item: claimed } : undefined;
      },
    ).then((r) => r.item);
  }

  /**
   * Moves the first queued item (or, with `only`, that item) to running, in one atomic step that
   * also checks the lease is still `mine`. Undefined when there is no such item or the lease was
   * lost.
   */
  takeNext(mine: Lease, now: string, only?: string): Promise<RunningItem | undefined> {
    return this.#transact<{ item: RunningItem | undefined }>(
      "take the next queued task",
      async () => {
        const lease = await this.#kv.get<Lease>(["lease"]);
        if (lease.value === null || !sameRunner(lease.value, mine)) return { item: undefined };
        const running = await this.#kv.get<RunningItem>(["running"]);
        if (running.value !== null) return { item: undefined };
        const hold = await this.#kv.get<Hold>(["hold"]);
        const nowMs = Date.parse(now);
        if (only === undefined && holdInForce(hold.value, nowMs)) return { item: undefined };
        const first = (await Array.fromAsync(this.#kv.list<QueueItem>({ prefix: ["queue"] })))
          .find((e) => only === undefined ? isDue(e.value, nowMs) : e.value.id === only);
        if (!first) return { item: undefined };
        const marker = await this.#kv.get<string>(["queued", first.value.task]);
        const item: RunningItem = {
          ...first.value,
          started_at: now,
          runner_pid: mine.pid,
          claude_pid: null,
        };
        const op = this.#kv.atomic().check(lease).check(running).check(hold).check(first)
          .check(marker).delete(first.key).set(["running"], item);
        if (marker.value === first.value.id) op.delete(marker.key);
        return (await op.commit()).ok ? { item } : undefined;
      },
    ).then((r) => r.item);
  }

  /** Records claude's pid, and how it was started, on the running item. */
  setClaudePid(id: string, pid: number, started?: StartedCommand): Promise<void> {
    return this.#transact("record claude's pid", async () => {
      const entry = await this.#kv.get<RunningItem>(["running"]);
      if (entry.value === null || entry.value.id !== id) return true;
      return (await this.#kv.atomic().check(entry).set(["running"], {
          ...entry.value,
          claude_pid: pid,
          ...(started ? { started } : {}),
        }).commit())
          .ok
        ? true
        : undefined;
    }).then(() => {});
  }

  /**
   * Ends the running item `summary.id`: removes it and keeps the summary, in one step that also
   * adds the run's cost and tokens to its day's and month's tallies (the cost ledger).
   * With `mine`, only while the lease is still ours (a runner that lost its lease records
   * nothing: the new runner has recorded the run as lost).
   */
  async finish(summary: RunSummary, mine?: Lease): Promise<boolean> {
    let ledgerReady = true;
    const done = await this.#transact(`record run "${summary.id}"`, async () => {
      const running = await this.#kv.get<RunningItem>(["running"]);
      const op = this.#kv.atomic().check(running);
      if (mine) {
        const lease = await this.#kv.get<Lease>(["lease"]);
        if (lease.value === null || !sameRunner(lease.value, mine)) return false;
        op.check(lease);
      }
      if (running.value?.id === summary.id) op.delete(["running"]);
      ledgerReady = await this.#tally(op, summary);
      op.set(["run", summary.id], shortenOutcome(summary)).set(["last", summary.task], summary.id)
        .set(["run_start", summary.started_at, summary.id], summary.id)
        .delete(["cancel", summary.id]);
      if (
        summary.status !== "succeeded" && summary.status !== "skipped" &&
        summary.status !== "deferred"
      ) {
        // One more failure a person has not acknowledged yet (status, the menu bar).
        const attention = await this.#kv.get<Attention>(["attention"]);
        op.check(attention).set(
          ["attention"],
          {
            failed: (attention.value?.failed ?? 0) + 1,
            since: attention.value?.since ?? summary.ended_at,
            last: {
              id: summary.id,
              task: summary.task,
              status: summary.status,
              ended_at: summary.ended_at,
            },
          } satisfies Attention,
        );
      }
      return (await op.commit()).ok ? true : undefined;
    });
    if (done && !ledgerReady) await this.#ledgerReady();
    return done;
  }

  /**
   * Adds `summary`'s tally to `op` (checked, so the step fails if another run changed them).
   * A run kept before is not counted again. False when the ledger is not built yet: then the
   * run is left to the build, which `op` tells it to start over.
   */
  async #tally(op: Deno.AtomicOperation, summary: RunSummary): Promise<boolean> {
    const tally = tallyOf(summary);
    const day = dayOf(summary.started_at);
    const [ready, before, byDay, byMonth] = await this.#kv.getMany<
      [number, RunSummary, Tally, Tally]
    >([
      ["ledger", "ready"],
      ["run", summary.id],
      ["cost_day", day, summary.task],
      ["cost_month", monthOf(day), summary.task],
    ]);
    op.check(ready, before);
    if (ready.value === null) {
      op.set(["ledger", "dirty"], summary.id);
      return false;
    }
    if (tally === undefined || before.value !== null) return true;
    op.check(byDay, byMonth)
      .set(byDay.key, addTally(byDay.value ?? emptyTally(), tally))
      .set(byMonth.key, addTally(byMonth.value ?? emptyTally(), tally));
    return true;
  }

  /**
   * Builds the ledger from the run summaries kept, once (a store from before the ledger, or a
   * new one). Each batch is checked against the ledger's state, so a run finished meanwhile
   * makes it start over instead of being missed or counted twice.
   */
  async #ledgerReady(): Promise<void> {
    for (let i = 0; i < CONFLICT_RETRIES; i++) {
      const [ready, dirty] = await this.#retry(
        "read the cost ledger",
        () => this.#kv.getMany<[number, string]>([["ledger", "ready"], ["ledger", "dirty"]]),
      );
      if (ready.value !== null) return;
      const tallies = new Map<string, { key: Deno.KvKey; tally: Tally }>();
      for (const run of await this.runs()) {
        const tally = tallyOf(run);
        if (!tally) continue;
        const day = dayOf(run.started_at);
        for (const key of [["cost_day", day, run.task], ["cost_month", monthOf(day), run.task]]) {
          const id = JSON.stringify(key);
          tallies.set(id, { key, tally: addTally(tallies.get(id)?.tally ?? emptyTally(), tally) });
        }
      }
      const all = [...tallies.values()];
      let ok = true;
      for (let b = 0; ok && b < all.length; b += LEDGER_BATCH) {
        const op = this.#kv.atomic().check(ready, dirty);
        for (const t of all.slice(b, b + LEDGER_BATCH)) op.set(t.key, t.tally);
        ok = (await this.#retry("build the cost ledger", () => op.commit())).ok;
      }
      if (
        ok && (await this.#retry(
          "build the cost ledger",
          () => this.#kv.atomic().check(ready, dirty).set(["ledger", "ready"], 1).commit(),
        )).ok
      ) return;
      await this.#clock.sleep(Math.random() * Math.min(50, 2 + i));
    }
    throw new LockError("Cannot build the cost ledger: too many concurrent changes", {
      hint: "try again; if it keeps happening, run clodputer doctor",
    });
  }

  /**
   * The ledger's tallies by day (`YYYY-MM-DD`) or month (`YYYY-MM`) and task, for the periods
   * from `from` to `to` (both included; either may be left open). Reads only the tallies.
   */
  async costs(
    by: "day" | "month",
    options: { from?: string | undefined; to?: string | undefined } = {},
  ): Promise<TallyRow[]> {
    await this.#ledgerReady();
    const prefix = by === "day" ? "cost_day" : "cost_month";
    const entries = await this.#retry(
      "read the cost ledger",
      () =>
        Array.fromAsync(this.#kv.list<Tally>({
          start: [prefix, options.from ?? ""],
          end: [prefix, `${options.to ?? "\uffff"}\uffff`],
        })),
    );
    return entries.map((e) => ({ ...e.value, period: String(e.key[1]), task: String(e.key[2]) }));
  }

  /**
   * Records that the budget of `period` was found spent for `key` (a day or a month), unless it
   * already was: true for the one caller that should tell a person (once per period).
   */
  raiseBudget(period: "daily" | "monthly", key: string): Promise<boolean> {
    return this.#transact(`record the ${period} budget`, async () => {
      const entry = await this.#kv.get<string>(["budget_notified", period]);
      if (entry.value === key) return false;
      const res = await this.#kv.atomic().check(entry).set(["budget_notified", period], key)
        .commit();
      return res.ok ? true : undefined;
    });
  }

  // ---- holds ------------------------------------------------------------------------------

  /** The hold on the queue, if any (it may be over: see holdInForce). */
  async hold(): Promise<Hold | undefined> {
    const entry = await this.#retry("read the queue hold", () => this.#kv.get<Hold>(["hold"]));
    return entry.value ?? undefined;
  }

  /** Holds the queue (replacing any hold). */
  async setHold(hold: Hold): Promise<void> {
    await this.#retry("hold the queue", () => this.#kv.set(["hold"], hold));
  }

  /** Releases the hold. Returns the hold that was there, if any. */
  releaseHold(): Promise<Hold | undefined> {
    return this.#transact<{ was: Hold | undefined }>("release the queue hold", async () => {
      const entry = await this.#kv.get<Hold>(["hold"]);
      if (entry.value === null) return { was: undefined };
      const ok = (await this.#kv.atomic().check(entry).delete(["hold"]).commit()).ok;
      return ok ? { was: entry.value } : undefined;
    }).then((r) => r.was);
  }

  // ---- failures not yet acknowledged ----

  /** The failed runs since they were last acknowledged, if any. */
  async attention(): Promise<Attention | undefined> {
    const entry = await this.#retry(
      "read the failures",
      () => this.#kv.get<Attention>(["attention"]),
    );
    return entry.value ?? undefined;
  }

  /** Acknowledges every failure so far. Returns what was acknowledged, if anything. */
  acknowledge(): Promise<Attention | undefined> {
    return this.#transact<{ was: Attention | undefined }>("acknowledge the failures", async () => {
      const entry = await this.#kv.get<Attention>(["attention"]);
      if (entry.value === null) return { was: undefined };
      const ok = (await this.#kv.atomic().check(entry).delete(["attention"]).commit()).ok;
      return ok ? { was: entry.value } : undefined;
    }).then((r) => r.was);
  }

  // ---- cancel requests --------------------------------------------------------------------

  /** Asks the runner to cancel run `id`. */
  async requestCancel(id: string, by: string): Promise<void> {
    await this.#retry("request a cancel", () => this.#kv.set(["cancel", id], by));
  }

  /** Who asked to cancel run `id`, if anyone. */
  async cancelRequest(id: string): Promise<string | undefined> {
    const entry = await this.#retry(
      "read a cancel request",
      () => this.#kv.get<string>(["cancel", id]),
    );
    return entry.value ?? undefined;
  }

  // ---- the canary ----

  /** Keeps the last canary outcome. */
  async setCanary(result: CanaryResult): Promise<void> {
    await this.#retry("record the canary", () => this.#kv.set(["canary"], result));
  }

  /** The last canary outcome, if any. */
  async canary(): Promise<CanaryResult | undefined> {
    const entry = await this.#retry(
      "read the canary",
      () => this.#kv.get<CanaryResult>(["canary"]),
    );
    return entry.value ?? undefined;
  }

  // ---- the scheduler ----------------------------------------------------------------------

  /** A task's schedule state, with its version. */
  async scheduleState(task: string): Promise<Versioned<ScheduleState>> {
    const entry = await this.#retry(
      "read a schedule",
      () => this.#kv.get<ScheduleState>(["schedule", task]),
    );
    return { value: entry.value ?? undefined, versionstamp: entry.versionstamp };
  }

  /** Every task's schedule state, with its version. */
  async scheduleStates(): Promise<Map<string, Versioned<ScheduleState>>> {
    const entries = await this.#retry(
      "read the schedules",
      () => Array.fromAsync(this.#kv.list<ScheduleState>({ prefix: ["schedule"] })),
    );
    return new Map(
      entries.map((e) => [String(e.key[1]), { value: e.value, versionstamp: e.versionstamp }]),
    );
  }

  /**
   * Saves a task's new schedule state and queues its due items, in one atomic step that also
   * checks the state is still as `seen`: two ticks at once can never both claim a slot, and a
   * slot is never marked handled without the item that runs it. A task already queued is not
   * queued again: its due slot is folded into that item. Undefined when the state changed
   * meanwhile (read it again and re-plan).
   */
  async claimSlots(
    task: string,
    seen: string | null,
    state: ScheduleState,
    items: NewItem[],
    now: string,
  ): Promise<ClaimResult | undefined> {
    const [seq, marker] = await this.#retry(
      "read the queue",
      () => this.#kv.getMany<[number, string]>([["meta", "seq"], ["queued", task]]),
    );
    let folded: QueueItem | undefined;
    if (marker.value !== null && items.length > 0) {
      folded = (await this.queued()).find((q) => q.id === marker.value);
    }
    const op = this.#kv.atomic()
      .check({ key: ["schedule", task], versionstamp: seen })
      .check(seq)
      .check(marker)
      .set(["schedule", task], state);
    const queued: QueueItem[] = [];
    let next = seq.value ?? 0;
    for (const input of folded ? [] : items) {
      next += 1;
      const item = queueItem(input, now, next);
      op.set(["queue", rank(input.priority), next], item);
      queued.push(item);
    }
    if (queued.length > 0) {
      op.set(["meta", "seq"], next).set(["queued", task], (queued[0] as QueueItem).id);
    }
    const res = await this.#retry(`claim the due slots of "${task}"`, () => op.commit());
    return res.ok ? { queued, folded } : undefined;
  }

  /** Forgets a task's schedule state (its file is gone). */
  async deleteScheduleState(task: string): Promise<void> {
    await this.#retry("forget a schedule", () => this.#kv.delete(["schedule", task]));
  }

  /** When scheduling started (set by install): no slot before it is ever run or counted. */
  async schedulerSince(): Promise<string | undefined> {
    const entry = await this.#retry(
      "read the scheduler's start",
      () => this.#kv.get<string>(["scheduler", "since"]),
    );
    return entry.value ?? undefined;
  }

  /** Sets (or, with null, clears) when scheduling started. */
  async setSchedulerSince(at: string | null): Promise<void> {
    await this.#retry("record the scheduler's start", async () => {
      if (at === null) await this.#kv.delete(["scheduler", "since"]);
      else await this.#kv.set(["scheduler", "since"], at);
    });
  }

  /** The last tick's heartbeat. */
  async tickBeat(): Promise<TickBeat | undefined> {
    const entry = await this.#retry(
      "read the last tick",
      () => this.#kv.get<TickBeat>(["scheduler", "tick"]),
    );
    return entry.value ?? undefined;
  }

  /** Records a tick's heartbeat. */
  async setTickBeat(beat: TickBeat): Promise<void> {
    await this.#retry("record the tick", () => this.#kv.set(["scheduler", "tick"], beat));
  }

  /** What the tick knows of each task file, by task name. */
  async scheduleCache(): Promise<Map<string, ScheduleCacheEntry>> {
    const entries = await this.#retry(
      "read the schedule cache",
      () => Array.fromAsync(this.#kv.list<ScheduleCacheEntry>({ prefix: ["schedule_cache"] })),
    );
    return new Map(entries.map((e) => [String(e.key[1]), e.value]));
  }

  /** Updates (or, with undefined, removes) one task file's cache entry. */
  async setScheduleCache(task: string, entry: ScheduleCacheEntry | undefined): Promise<void> {
    await this.#retry("update the schedule cache", async () => {
      if (entry === undefined) await this.#kv.delete(["schedule_cache", task]);
      else await this.#kv.set(["schedule_cache", task], entry);
    });
  }

  // ---- the dead-man's switch (lib/schedule/overdue_check.ts) -----------------------------

  /** Each scheduled task's owed slot as last worked out, by task name. */
  async owedMemos(): Promise<Map<string, OwedMemo>> {
    const entries = await this.#retry(
      "read the owed slots",
      () => Array.fromAsync(this.#kv.list<OwedMemo>({ prefix: ["owed"] })),
    );
    return new Map(entries.map((e) => [String(e.key[1]), e.value]));
  }

  /** Keeps (or, with undefined, forgets) a task's owed slot. */
  async setOwedMemo(task: string, memo: OwedMemo | undefined): Promise<void> {
    await this.#retry("record an owed slot", async () => {
      if (memo === undefined) await this.#kv.delete(["owed", task]);
      else await this.#kv.set(["owed", task], memo);
    });
  }

  /**
   * Records that the alarm for a task's overdue `slot` was raised, unless it already was: true
   * for the one caller (a tick, a status) that raised it. One key per task holds the last slot
   * raised, so raising a newer slot replaces it.
   */
  raiseOverdue(task: string, raised: RaisedAlarm): Promise<boolean> {
    return this.#transact(`record the alarm of "${task}"`, async () => {
      const entry = await this.#kv.get<RaisedAlarm>(["overdue_raised", task]);
      if (entry.value !== null && entry.value.slot === raised.slot) return false;
      const res = await this.#kv.atomic().check(entry).set(["overdue_raised", task], raised)
        .commit();
      return res.ok ? true : undefined;
    });
  }

  /** The last alarm raised for each task, by task name. */
  async raisedAlarms(): Promise<Map<string, RaisedAlarm>> {
    const entries = await this.#retry(
      "read the alarms",
      () => Array.fromAsync(this.#kv.list<RaisedAlarm>({ prefix: ["overdue_raised"] })),
    );
    return new Map(entries.map((e) => [String(e.key[1]), e.value]));
  }

  /** The latest scheduled slot (ISO) whose queued run a person removed, by task name. */
  async dismissedSlots(): Promise<Map<string, string>> {
    const entries = await this.#retry(
      "read the removed slots",
      () => Array.fromAsync(this.#kv.list<string>({ prefix: ["dismissed"] })),
    );
    return new Map(entries.map((e) => [String(e.key[1]), e.value]));
  }

  /** Forgets the alarms of a task (its file is gone). */
  async forgetOverdue(task: string): Promise<void> {
    await this.#retry("forget an alarm", async () => {
      await this.#kv.atomic().delete(["owed", task]).delete(["overdue_raised", task])
        .delete(["dismissed", task]).commit();
    });
  }

  // ---- the watcher -------------------------------------------------------------------------

  /** The files a watch knows (handed over, or there when the watch began), by path. */
  async watchFiles(task: string): Promise<Map<string, Versioned<FileStamp>>> {
    const entries = await this.#retry(
      "read a watch's files",
      () => Array.fromAsync(this.#kv.list<FileStamp>({ prefix: ["watch_file", task] })),
    );
    return new Map(
      entries.map((e) => [String(e.key[2]), { value: e.value, versionstamp: e.versionstamp }]),
    );
  }

  /** The watch's identity when its files were last taken as known (its folder and pattern). */
  async watchBase(task: string): Promise<string | undefined> {
    const entry = await this.#retry(
      "read a watch",
      () => this.#kv.get<string>(["watch_base", task]),
    );
    return entry.value ?? undefined;
  }

  /**
   * Starts a watch afresh: forgets the files it knew and takes `files` as known (they were there
   * before the watch began, so they are never handed over).
   */
  async resetWatch(task: string, base: string, files: Map<string, FileStamp>): Promise<void> {
    for (const path of (await this.watchFiles(task)).keys()) {
      await this.#retry("forget a watched file", () => this.#kv.delete(["watch_file", task, path]));
    }
    const all = [...files];
    for (let i = 0; i < all.length; i += 200) {
      const op = this.#kv.atomic();
      for (const [path, stamp] of all.slice(i, i + 200)) op.set(["watch_file", task, path], stamp);
      await this.#retry("remember a watch's files", () => op.commit());
    }
    await this.#retry("record a watch", () => this.#kv.set(["watch_base", task], base));
  }

  /**
   * Records a file's new state (null: it is gone) and, with `item`, queues its run, in one step
   * that checks the record is still as `seen`: a file is handed over once, even by two watchers.
   * Undefined when the record changed meanwhile. Items of a watch are never folded together:
   * each file gets its run.
   */
  async claimFile(
    task: string,
    path: string,
    seen: string | null,
    stamp: FileStamp | null,
    item: NewItem | undefined,
    now: string,
  ): Promise<QueueItem | null | undefined> {
    const key = ["watch_file", task, path];
    const seq = await this.#retry("read the queue", () => this.#kv.get<number>(["meta", "seq"]));
    const op = this.#kv.atomic().check({ key, versionstamp: seen });
    if (stamp === null) op.delete(key);
    else op.set(key, stamp);
    let queued: QueueItem | null = null;
    if (item) {
      const next = (seq.value ?? 0) + 1;
      queued = queueItem(item, now, next);
      op.check(seq).set(["meta", "seq"], next).set(["queue", rank(item.priority), next], queued);
    }
    const res = await this.#retry(`hand over "${path}"`, () => op.commit());
    return res.ok ? queued : undefined;
  }

  /** Forgets everything a watch knew (its task is gone or no longer watches). */
  async forgetWatch(task: string): Promise<void> {
    for (const path of (await this.watchFiles(task)).keys()) {
      await this.#retry("forget a watched file", () => this.#kv.delete(["watch_file", task, path]));
    }
    await this.#retry("forget a watch", () => this.#kv.delete(["watch_base", task]));
  }

  /** Who holds the one-watcher lease. */
  async watcherLease(): Promise<Versioned<{ pid: number; started: string }>> {
    const entry = await this.#retry(
      "read the watcher lease",
      () => this.#kv.get<{ pid: number; started: string }>(["watcher"]),
    );
    return { value: entry.value ?? undefined, versionstamp: entry.versionstamp };
  }

  /** Sets (or, with null, clears) the watcher lease if it is still as `seen`. */
  async setWatcherLease(
    seen: string | null,
    lease: { pid: number; started: string } | null,
  ): Promise<boolean> {
    const op = this.#kv.atomic().check({ key: ["watcher"], versionstamp: seen });
    if (lease === null) op.delete(["watcher"]);
    else op.set(["watcher"], lease);
    return (await this.#retry("take the watcher lease", () => op.commit())).ok;
  }

  /** When an interval task was first seen (its first interval counts from then). */
  async intervalSince(task: string): Promise<string | undefined> {
    const entry = await this.#retry(
      "read an interval",
      () => this.#kv.get<string>(["interval_since", task]),
    );
    return entry.value ?? undefined;
  }

  /** Records when an interval task was first seen. */
  async setIntervalSince(task: string, at: string): Promise<void> {
    await this.#retry("record an interval", () => this.#kv.set(["interval_since", task], at));
  }

  // ---- run summaries ----------------------------------------------------------------------

  /** One run's summary. */
  async run(id: string): Promise<RunSummary | undefined> {
    const entry = await this.#retry("read a run", () => this.#kv.get<RunSummary>(["run", id]));
    return entry.value ?? undefined;
  }

  /** Finished runs, newest first by start time (ids only sort to the second). */
  async runs(options: { limit?: number; task?: string } = {}): Promise<RunSummary[]> {
    const all = await this.#retry(
      "read runs",
      () => Array.fromAsync(this.#kv.list<RunSummary>({ prefix: ["run"] })),
    );
    const newestFirst = all.map((e) => e.value)
      .filter((r) => !options.task || r.task === options.task)
      .sort((a, b) =>
        a.started_at === b.started_at
          ? (a.id < b.id ? 1 : -1)
          : (a.started_at < b.started_at ? 1 : -1)
      );
    return options.limit === undefined ? newestFirst : newestFirst.slice(0, options.limit);
  }

  /**
   * The newest `limit` runs by start time, or every run started at or after `since`, newest
   * first, read through the start-time index: the cost follows what is shown, not how many runs
   * are kept. Runs recorded before the index existed are indexed on first use.
   */
  async recentRuns(options: { limit?: number; since?: string }): Promise<RunSummary[]> {
    await this.#indexRuns();
    const selector = options.since === undefined
      ? { prefix: ["run_start"] }
      : { start: ["run_start", options.since], end: ["run_start", "\uffff"] };
    const ids = await this.#retry(
      "read the run index",
      () =>
        Array.fromAsync(
          this.#kv.list<string>(selector, {
            reverse: true,
            ...(options.limit === undefined ? {} : { limit: options.limit }),
          }),
        ),
    );
    const out: RunSummary[] = [];
    for (let i = 0; i < ids.length; i += 10) {
      const batch = ids.slice(i, i + 10).map((e) => ["run", e.value]);
      const got = await this.#retry("read runs", () => this.#kv.getMany<RunSummary[]>(batch));
      for (const entry of got) if (entry.value !== null) out.push(entry.value);
    }
    return out;
  }

  async #indexRuns(): Promise<void> {
    const done = await this.#retry("read the run index", () => this.#kv.get(["meta", "run_index"]));
    if (done.value !== null) return;
    const all = await this.runs();
    for (let i = 0; i < all.length; i += 200) {
      const op = this.#kv.atomic();
      for (const r of all.slice(i, i + 200)) op.set(["run_start", r.started_at, r.id], r.id);
      await this.#retry("index runs", () => op.commit());
    }
    await this.#retry("index runs", () => this.#kv.set(["meta", "run_index"], 1));
  }

  /** The id of a task's last finished run. */
  async lastRun(task: string): Promise<string | undefined> {
    const entry = await this.#retry(
      "read the last run",
      () => this.#kv.get<string>(["last", task]),
    );
    return entry.value ?? undefined;
  }

  /**
   * Deletes summaries beyond the newest `keep`, and those of runs started before `before`;
   * returns their ids. Reads the start-time index, not the summaries.
   */
  async prune(options: { keep: number; before: string }): Promise<string[]> {
    await this.#indexRuns();
    const index = await this.#retry(
      "read the run index",
      () => Array.fromAsync(this.#kv.list<string>({ prefix: ["run_start"] }, { reverse: true })),
    );
    const doomed = index.filter((e, i) => i >= options.keep || String(e.key[1]) < options.before);
    for (const e of doomed) {
      await this.#retry("prune old runs", async () => {
        await this.#kv.atomic().delete(["run", e.value]).delete(e.key).commit();
      });
    }
    return doomed.map((e) => e.value);
  }
}

/** Runs `op`, retrying SQLite's "database is locked" with jittered backoff. @throws {LockError} */
export async function withLockRetry<T>(
  clock: Clock,
  what: string,
  op: () => Promise<T>,
): Promise<T> {
  for (let attempt = 0;; attempt++) {
    try {
      return await op();
    } catch (error) {
      if (!isLockedError(error)) throw error;
      if (attempt >= LOCK_RETRIES) {
        throw new LockError(`Cannot ${what}: the state store stayed locked`, {
          cause: error,
          hint: "another clodputer process holds it; try again, or run clodputer doctor",
        });
      }
      const cap = Math.min(1000, 10 * 2 ** Math.min(attempt, 7));
      await clock.sleep(cap / 2 + Math.random() * cap / 2);
    }
  }
}

/** The slot (ISO) a queued item was scheduled for; undefined for any other trigger. */
function scheduledSlot(item: QueueItem): string | undefined {
  const slot = item.trigger.slot;
  return item.trigger.type === "schedule" && typeof slot === "string" ? slot : undefined;
}
