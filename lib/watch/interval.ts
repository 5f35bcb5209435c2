/**
 * @module
 * Interval triggers: a task runs every N seconds, measured from the end of its last run, and
 * never while it is queued or running. The watcher checks them every few seconds; the tick
 * checks those of 60 s or more, so they work without the watcher too.
 */

import type { Store } from "../state/store.ts";
import type { Priority, QueueItem } from "../state/types.ts";
import { newRunId } from "../run/run_id.ts";

/** A task with an interval trigger. */
export interface IntervalSpec {
  task: string;
  seconds: number;
  priority: Priority;
}

/**
 * Queues each interval task that is due. A task never seen before starts its interval now.
 * Two callers at once queue it once (the store's duplicate rule).
 */
export async function queueDueIntervals(
  store: Store,
  specs: readonly IntervalSpec[],
  nowMs: number,
): Promise<QueueItem[]> {
  const out: QueueItem[] = [];
  if (specs.length === 0) return out;
  const now = new Date(nowMs).toISOString();
  const [queued, running] = await Promise.all([store.queued(), store.running()]);
  for (const spec of specs) {
    if (running?.task === spec.task || queued.some((q) => q.task === spec.task)) continue;
    const lastId = await store.lastRun(spec.task);
    const last = lastId ? await store.run(lastId) : undefined;
    let from = last ? Date.parse(last.ended_at) : undefined;
    if (from === undefined) {
      const since = await store.intervalSince(spec.task);
      if (since === undefined) {
        await store.setIntervalSince(spec.task, now);
        continue;
      }
      from = Date.parse(since);
    }
    if (nowMs - from < spec.seconds * 1000) continue;
    const r = await store.enqueue({
      id: newRunId(nowMs),
      task: spec.task,
      priority: spec.priority,
      trigger: { type: "interval", seconds: spec.seconds },
    }, now);
    if (r.kind === "queued") out.push(r.item);
  }
  return out;
}
