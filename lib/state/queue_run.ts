/**
 * @module
 * A person's (or a face's) "run this task": queue it with a manual trigger, unless it is already
 * queued, and log `task_queued` for a new item. `run`, the dashboard and the coming faces share
 * it; the tick and the watcher queue through their own atomic steps (slots, files). A run by hand
 * on a file (`run <task> --file <path>`) brings its own trigger and trigger data (the watcher's,
 * from lib/watch/file_run.ts).
 */

import { ClodputerError } from "../errors.ts";
import { newRunId } from "../run/run_id.ts";
import type { EventSink } from "./run_events.ts";
import type { Store } from "./store.ts";
import type { Trigger } from "../run/record.ts";
import type { Priority, QueueItem } from "./types.ts";

/** What queueing did: a new item, or the one already queued for the task. */
export interface QueuedRun {
  kind: "queued" | "duplicate";
  /** The new item, or the one already queued (then nothing was added). */
  item: QueueItem;
  /** Its place in the queue, 1 first. */
  position: number;
}

/** What to queue: the task, and, for a run on a file, its trigger and trigger data. */
export interface RunRequest {
  task: string;
  priority: Priority;
  nowMs: number;
  /** What started it; `{ type: "manual" }` when not given. */
  trigger?: Trigger | undefined;
  /** Values for `{{ context.* }}` (and `{{ metadata.* }}`): a file's, for a run on a file. */
  context?: Record<string, unknown> | undefined;
}

/** The task is already queued for another file (or without one): following it would run that. */
export class QueuedForAnotherFileError extends ClodputerError {
  constructor(task: string, file: string | undefined, queued: QueueItem) {
    const other = fileOf(queued);
    super(
      `Cannot queue ${task}${file ? ` for ${file}` : ""}: it is already queued as ${queued.id} ` +
        (other ? `for ${other}` : "without a file"),
      {
        hint: `wait for that run, or take it out of the queue (clodputer cancel ${queued.id}), ` +
          "then run this again",
      },
    );
    this.name = "QueuedForAnotherFileError";
  }
}

/** The file a queued run is for (its `context.file_path`), if any. */
export function fileOf(item: QueueItem): string | undefined {
  const path = item.context?.file_path;
  return typeof path === "string" ? path : undefined;
}

/**
 * Queues `task` (a manual trigger unless `input.trigger` says otherwise) at `nowMs`. A task
 * already queued is not queued again: its item comes back as a duplicate, when it is for the
 * same file (or both for none). The log line is best-effort: the queue holds the item either way.
 * @throws {QueuedForAnotherFileError} when the item queued is for another file (or none).
 */
export async function queueRun(
  store: Store,
  log: EventSink,
  input: RunRequest,
): Promise<QueuedRun> {
  const result = await store.enqueue({
    id: newRunId(input.nowMs),
    task: input.task,
    priority: input.priority,
    trigger: input.trigger ?? { type: "manual" },
    ...(input.context === undefined ? {} : { context: input.context }),
  }, new Date(input.nowMs).toISOString());
  if (result.kind === "duplicate") {
    const file = input.context?.file_path;
    const mine = typeof file === "string" ? file : undefined;
    if (fileOf(result.existing) !== mine) {
      throw new QueuedForAnotherFileError(input.task, mine, result.existing);
    }
    return { kind: "duplicate", item: result.existing, position: result.position };
  }
  const { item, position } = result;
  await log.append({
    event: "task_queued",
    run_id: item.id,
    task: item.task,
    trigger: item.trigger.type,
    // A run on a file names it, as the watcher's task_queued does.
    ...(typeof item.trigger.path === "string" ? { path: item.trigger.path } : {}),
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
