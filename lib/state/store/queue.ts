/**
 * @module
 * The queue's keys: `["meta","seq"]` (the last sequence number), `["queue", rank, seq]` (an item,
 * listed in run order) and `["queued", task]` (the id of the task's queued item: the duplicate
 * rule). Adding and removing items are steps across families: `steps.ts`.
 */

import type { Priority, QueueItem } from "../types.ts";
import type { KvCore } from "./core.ts";

/** The last sequence number given to a queue item. */
export const SEQ_KEY: Deno.KvKey = ["meta", "seq"];

/** An item's key: rank 0 (high) before 1 (normal), FIFO by `seq` within a rank. */
export function itemKey(priority: Priority, seq: number): Deno.KvKey {
  return ["queue", priority === "high" ? 0 : 1, seq];
}

/** The key holding the id of `task`'s queued item. */
export function queuedKey(task: string): Deno.KvKey {
  return ["queued", task];
}

/** The prefix every queued item is under. */
export const QUEUE_PREFIX: Deno.KvKey = ["queue"];

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

/** The queue item `input` becomes, queued at `now` as number `seq`. */
export function queueItem(input: NewItem, now: string, seq: number): QueueItem {
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

/** The queued entries, in run order, with their versions (inside a step: not retried). */
export function queueEntries(core: KvCore): Promise<Deno.KvEntry<QueueItem>[]> {
  return Array.fromAsync(core.kv.list<QueueItem>({ prefix: QUEUE_PREFIX }));
}

/** Every queued item, in the order they will run. */
export async function queued(core: KvCore): Promise<QueueItem[]> {
  const entries = await core.retry("read the queue", () => queueEntries(core));
  return entries.map((e) => e.value);
}
