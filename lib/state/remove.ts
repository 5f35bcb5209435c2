/**
 * @module
 * A person taking queued items out (`queue remove`, `queue clear`, `cancel` of a queued run):
 * out of the store, and a `task_removed` event each, so the log says what became of them.
 */

import { openLog } from "../log/writer.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import { withStore } from "./open.ts";
import type { QueueItem } from "./types.ts";

/** What removing queued items touches. */
export interface RemoveDeps {
  paths: Paths;
  clock: Clock;
  env: Env;
}

/** Takes queued item `id` out and logs it (`by`: the command); undefined when none has that id. */
export async function removeQueued(
  deps: RemoveDeps,
  id: string,
  by: string,
): Promise<QueueItem | undefined> {
  const removed = await withStore(deps, (store) => store.remove(id));
  if (removed) await logRemoved(deps, [removed], by);
  return removed;
}

/** Takes every queued item out and logs each (`by`: the command); returns them. */
export async function clearQueue(deps: RemoveDeps, by: string): Promise<QueueItem[]> {
  const removed = await withStore(deps, (store) => store.clear());
  await logRemoved(deps, removed, by);
  return removed;
}

/**
 * Writes a `task_removed` event for each queued item a person took out (`by`: the command), so
 * the log says what became of it. A scheduled run's slot is settled by its removal (see
 * Store.remove), and the event carries the slot.
 */
export async function logRemoved(deps: RemoveDeps, items: QueueItem[], by: string): Promise<void> {
  if (items.length === 0) return;
  const log = openLog(deps);
  for (const item of items) {
    await log.append({
      event: "task_removed",
      run_id: item.id,
      task: item.task,
      trigger: item.trigger.type,
      ...(typeof item.trigger.slot === "string" ? { slot: item.trigger.slot } : {}),
      by,
    }).catch(() => {}); // the item is out of the queue either way
  }
}
