/**
 * @module
 * A person's (or a face's) "run this task": queue it with a manual trigger, unless it is already
 * queued, and log `task_queued` for a new item. `run`, the dashboard and the coming faces share
 * it; the tick and the watcher queue through their own atomic steps (slots, files).
 */

import { newRunId } from "../run/run_id.ts";
import type { EventSink } from "./run_events.ts";
import type { Store } from "./store.ts";
import type { Priority, QueueItem } from "./types.ts";

/** What queueing did: a new item, or the one already queued for the task. */
export interface QueuedRun {
  kind: "queued" | "duplicate";
  /** The new item, or the one already queued (then nothing was added). */
  item: QueueItem;
  /** Its place in the queue, 1 first. */
  position: number;
}

/**
 * Queues `task` (manual trigger) at `nowMs`. A task already queued is not queued again: its
 * item comes back as a duplicate. The log line is best-effort: the queue holds the item either way.
 */
export async function queueRun(
  store: Store,
  log: EventSink,
  input: { task: string; priority: Priority; nowMs: number },
): Promise<QueuedRun> {
  const result = await store.enqueue({
    id: newRunId(input.nowMs),
    task: input.task,
    priority: input.priority,
    trigger: { type: "manual" },
  }, new Date(input.nowMs).toISOString());
  if (result.kind === "duplicate") {
    return { kind: "duplicate", item: result.existing, position: result.position };
  }
  const { item, position } = result;
  await log.append({
    event: "task_queued",
    run_id: item.id,
    task: item.task,
    trigger: item.trigger.type,
    priority: item.priority,
    position,
  }).catch(() => {});
  return { kind: "queued", item, position };
}

/**
 * Withdraws run `id` for `by`: takes it out of the queue, or, when it already runs, asks its
 * runner to cancel it (without waiting; `cancelRun()` in cancel.ts waits). For a follower whose
 * run another process runs, on a signal.
 */
export async function withdrawRun(
  store: Store,
  id: string,
  by: string,
): Promise<"removed" | "cancel_requested"> {
  if (await store.remove(id)) return "removed";
  await store.requestCancel(id, by);
  return "cancel_requested";
}
