/**
 * @module
 * The steps that change several key families in one atomic KV operation: queue an item, take
 * one out (a person's removal settles its slot), take the next item, claim a lost run's
 * recovery, finish a run (summary, ledger, failures), claim a schedule's due slots and hand a
 * watched file over. Each checks what it read, so two processes at once never both win.
 */

import type { FileStamp } from "../../sys/file_stamp.ts";
import type { Attention, Hold, Lease, QueueItem, RunningItem, RunSummary } from "../types.ts";
import { addFailure, ATTENTION_KEY } from "./attention.ts";
import { cancelKey } from "./cancel.ts";
import type { KvCore } from "./core.ts";
import { HOLD_KEY, holdInForce } from "./holds.ts";
import { addToDays, addToLedger, daysReady, ledgerReady } from "./ledger.ts";
import { LEASE_KEY, sameRunner } from "./lease.ts";
import { dismissedKey } from "./overdue.ts";
import {
  isDue,
  itemKey,
  type NewItem,
  queued,
  queuedKey,
  queueEntries,
  queueItem,
  SEQ_KEY,
} from "./queue.ts";
import { RUNNING_KEY } from "./running.ts";
import { lastKey, runKey, runStartKey, runTaskKey, shortenOutcome } from "./runs.ts";
import { scheduleKey, type ScheduleState } from "./scheduler.ts";
import { watchFileKey } from "./watcher.ts";

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

/**
 * Adds a task to the queue. A task that is already queued is not queued again (the existing
 * item is returned); a running task may be queued once more behind itself.
 */
export function enqueue(core: KvCore, input: NewItem, now: string): Promise<EnqueueResult> {
  return core.transact(`queue task "${input.task}"`, async () => {
    const [seq, marker] = await core.kv.getMany<[number, string]>([
      SEQ_KEY,
      queuedKey(input.task),
    ]);
    if (marker.value !== null) {
      const items = await queued(core);
      const existing = items.find((q) => q.id === marker.value);
      if (existing) {
        return { kind: "duplicate", existing, position: items.indexOf(existing) + 1 };
      }
    }
    const next = (seq.value ?? 0) + 1;
    const item = queueItem(input, now, next);
    const res = await core.kv.atomic()
      .check(seq)
      .check(marker)
      .set(SEQ_KEY, next)
      .set(itemKey(input.priority, next), item)
      .set(queuedKey(input.task), input.id)
      .commit();
    if (!res.ok) return undefined;
    const position = (await queued(core)).findIndex((q) => q.id === item.id) + 1;
    return { kind: "queued", item, position };
  });
}

/** The slot (ISO) a queued item was scheduled for; undefined for any other trigger. */
function scheduledSlot(item: QueueItem): string | undefined {
  const slot = item.trigger.slot;
  return item.trigger.type === "schedule" && typeof slot === "string" ? slot : undefined;
}

/**
 * Removes one queued item by id; returns it, or undefined when it is not queued. Removing a
 * scheduled run settles its slot for the dead-man's switch (a person chose not to run it).
 */
export function remove(core: KvCore, id: string): Promise<QueueItem | undefined> {
  return core.transact<{ item: QueueItem | undefined }>(
    `remove "${id}" from the queue`,
    async () => {
      const entry = (await queueEntries(core)).find((e) => e.value.id === id);
      if (!entry) return { item: undefined };
      const task = entry.value.task;
      const [marker, dismissed] = await Promise.all([
        core.kv.get<string>(queuedKey(task)),
        core.kv.get<string>(dismissedKey(task)),
      ]);
      const op = core.kv.atomic().check(entry).check(marker).check(dismissed)
        .delete(entry.key);
      if (marker.value === id) op.delete(marker.key);
      const slot = scheduledSlot(entry.value);
      if (slot !== undefined && (dismissed.value === null || dismissed.value < slot)) {
        op.set(dismissedKey(task), slot);
      }
      return (await op.commit()).ok ? { item: entry.value } : undefined;
    },
  ).then((r) => r.item);
}

/** Removes every queued item; returns them. */
export async function clear(core: KvCore): Promise<QueueItem[]> {
  const removed: QueueItem[] = [];
  for (const item of await queued(core)) {
    const gone = await remove(core, item.id);
    if (gone) removed.push(gone);
  }
  return removed;
}

/**
 * Claims the recovery of the running item: one atomic step that succeeds only while it is
 * still the running item and nobody else is recovering it (a claim whose process `isGone` is
 * taken over). The claimant finishes the run; every other caller gets undefined and writes
 * nothing, so a lost run is finished exactly once.
 */
export function claimRecovery(
  core: KvCore,
  by: { pid: number; at: string },
  isGone: (pid: number) => Promise<boolean>,
): Promise<RunningItem | undefined> {
  return core.transact<{ item: RunningItem | undefined }>(
    "claim the recovery of the running item",
    async () => {
      const running = await core.kv.get<RunningItem>(RUNNING_KEY);
      const item = running.value;
      if (item === null) return { item: undefined };
      if (item.recovering && !(await isGone(item.recovering.pid))) return { item: undefined };
      const claimed: RunningItem = { ...item, recovering: by };
      const ok = await core.kv.atomic().check(running).set(RUNNING_KEY, claimed).commit();
      return ok.ok ? { item: claimed } : undefined;
    },
  ).then((r) => r.item);
}

/**
 * Moves the first queued item (or, with `only`, that item) to running, in one atomic step that
 * also checks the lease is still `mine`. Undefined when there is no such item or the lease was
 * lost.
 */
export function takeNext(
  core: KvCore,
  mine: Lease,
  now: string,
  only?: string,
): Promise<RunningItem | undefined> {
  return core.transact<{ item: RunningItem | undefined }>(
    "take the next queued task",
    async () => {
      const lease = await core.kv.get<Lease>(LEASE_KEY);
      if (lease.value === null || !sameRunner(lease.value, mine)) return { item: undefined };
      const running = await core.kv.get<RunningItem>(RUNNING_KEY);
      if (running.value !== null) return { item: undefined };
      const hold = await core.kv.get<Hold>(HOLD_KEY);
      const nowMs = Date.parse(now);
      if (only === undefined && holdInForce(hold.value, nowMs)) return { item: undefined };
      const first = (await queueEntries(core))
        .find((e) => only === undefined ? isDue(e.value, nowMs) : e.value.id === only);
      if (!first) return { item: undefined };
      const marker = await core.kv.get<string>(queuedKey(first.value.task));
      const item: RunningItem = {
        ...first.value,
        started_at: now,
        runner_pid: mine.pid,
        claude_pid: null,
      };
      const op = core.kv.atomic().check(lease).check(running).check(hold).check(first)
        .check(marker).delete(first.key).set(RUNNING_KEY, item);
      if (marker.value === first.value.id) op.delete(marker.key);
      return (await op.commit()).ok ? { item } : undefined;
    },
  ).then((r) => r.item);
}

/**
 * Ends the running item `summary.id`: removes it and keeps the summary with its index keys, in
 * one step that also adds the run's cost and tokens to its day's and month's tallies (the cost
 * ledger) and its outcome to its task's day.
 * With `mine`, only while the lease is still ours (a runner that lost its lease records
 * nothing: the new runner has recorded the run as lost).
 */
export async function finish(core: KvCore, summary: RunSummary, mine?: Lease): Promise<boolean> {
  let ready = true;
  let days = true;
  const done = await core.transact(`record run "${summary.id}"`, async () => {
    const running = await core.kv.get<RunningItem>(RUNNING_KEY);
    const op = core.kv.atomic().check(running);
    if (mine) {
      const lease = await core.kv.get<Lease>(LEASE_KEY);
      if (lease.value === null || !sameRunner(lease.value, mine)) return false;
      op.check(lease);
    }
    if (running.value?.id === summary.id) op.delete(RUNNING_KEY);
    ready = await addToLedger(core, op, summary);
    days = await addToDays(core, op, summary);
    op.set(runKey(summary.id), shortenOutcome(summary)).set(lastKey(summary.task), summary.id)
      .set(runStartKey(summary), summary.id).set(runTaskKey(summary), summary.id)
      .delete(cancelKey(summary.id));
    if (
      summary.status !== "succeeded" && summary.status !== "skipped" &&
      summary.status !== "deferred"
    ) {
      // One more failure a person has not acknowledged yet (status, the menu bar).
      const attention = await core.kv.get<Attention>(ATTENTION_KEY);
      op.check(attention).set(ATTENTION_KEY, addFailure(attention.value, summary));
    }
    return (await op.commit()).ok ? true : undefined;
  });
  if (done && !ready) await ledgerReady(core);
  if (done && !days) await daysReady(core);
  return done;
}

/**
 * Saves a task's new schedule state and queues its due items, in one atomic step that also
 * checks the state is still as `seen`: two ticks at once can never both claim a slot, and a
 * slot is never marked handled without the item that runs it. A task already queued is not
 * queued again: its due slot is folded into that item. Undefined when the state changed
 * meanwhile (read it again and re-plan).
 */
export async function claimSlots(
  core: KvCore,
  task: string,
  seen: string | null,
  state: ScheduleState,
  items: NewItem[],
  now: string,
): Promise<ClaimResult | undefined> {
  const [seq, marker] = await core.retry(
    "read the queue",
    () => core.kv.getMany<[number, string]>([SEQ_KEY, queuedKey(task)]),
  );
  let folded: QueueItem | undefined;
  if (marker.value !== null && items.length > 0) {
    folded = (await queued(core)).find((q) => q.id === marker.value);
  }
  const op = core.kv.atomic()
    .check({ key: scheduleKey(task), versionstamp: seen })
    .check(seq)
    .check(marker)
    .set(scheduleKey(task), state);
  const out: QueueItem[] = [];
  let next = seq.value ?? 0;
  for (const input of folded ? [] : items) {
    next += 1;
    const item = queueItem(input, now, next);
    op.set(itemKey(input.priority, next), item);
    out.push(item);
  }
  if (out.length > 0) {
    op.set(SEQ_KEY, next).set(queuedKey(task), (out[0] as QueueItem).id);
  }
  const res = await core.retry(`claim the due slots of "${task}"`, () => op.commit());
  return res.ok ? { queued: out, folded } : undefined;
}

/**
 * Records a file's new state (null: it is gone) and, with `item`, queues its run, in one step
 * that checks the record is still as `seen`: a file is handed over once, even by two watchers.
 * Undefined when the record changed meanwhile. Items of a watch are never folded together:
 * each file gets its run.
 */
export async function claimFile(
  core: KvCore,
  task: string,
  path: string,
  seen: string | null,
  stamp: FileStamp | null,
  item: NewItem | undefined,
  now: string,
): Promise<QueueItem | null | undefined> {
  const key = watchFileKey(task, path);
  const seq = await core.retry("read the queue", () => core.kv.get<number>(SEQ_KEY));
  const op = core.kv.atomic().check({ key, versionstamp: seen });
  if (stamp === null) op.delete(key);
  else op.set(key, stamp);
  let out: QueueItem | null = null;
  if (item) {
    const next = (seq.value ?? 0) + 1;
    out = queueItem(item, now, next);
    op.check(seq).set(SEQ_KEY, next).set(itemKey(item.priority, next), out);
  }
  const res = await core.retry(`hand over "${path}"`, () => op.commit());
  return res.ok ? out : undefined;
}
