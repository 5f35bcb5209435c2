/**
 * @module
 * `clodputer queue`: the running item and every queued one; `queue remove <id>`, `queue clear`.
 */

import { UsageError } from "../errors.ts";
import { EventLog } from "../log/writer.ts";
import { secretEnvValues } from "../log/redact.ts";
import { openStore } from "../queue/open.ts";
import { readRunnerLease, type RunnerLease } from "../queue/alive.ts";
import { describeRetry } from "../queue/retry.ts";
import type { Store } from "../queue/store.ts";
import type { QueueItem, RunningItem } from "../queue/types.ts";
import { formatDuration } from "../ui/duration.ts";
import { table } from "../ui/table.ts";
import type { Deps } from "./deps.ts";

/** The queue as `queue --json` prints it. */
export interface QueueView {
  runner: { pid: number; alive: boolean; heartbeat_at: string; reason?: string } | null;
  running: (RunningItem & { elapsed_ms: number }) | null;
  queued: QueueItem[];
}

async function withStore<T>(deps: Deps, work: (store: Store) => Promise<T>): Promise<T> {
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    return await work(store);
  } finally {
    store.close();
  }
}

function runnerView(held: RunnerLease | undefined): QueueView["runner"] {
  if (!held) return null;
  return {
    pid: held.lease.pid,
    alive: held.live,
    heartbeat_at: held.lease.heartbeat_at,
    ...(held.live ? {} : { reason: held.reason }),
  };
}

/** Reads the queue for display. */
export async function readQueue(deps: Deps, store: Store): Promise<QueueView> {
  const [lease, running, queued] = [
    await readRunnerLease(store, deps.proc, deps.clock),
    await store.running(),
    await store.queued(),
  ];
  return {
    runner: runnerView(lease),
    running: running
      ? { ...running, elapsed_ms: deps.clock.now() - Date.parse(running.started_at) }
      : null,
    queued,
  };
}

/** Renders the queue for a person. Pure. */
export function renderQueue(view: QueueView): string[] {
  const lines: string[] = [];
  if (view.running) {
    const r = view.running;
    lines.push(
      `running: ${r.task} (${r.id}) for ${formatDuration(r.elapsed_ms)}, claude pid ${
        r.claude_pid ?? "?"
      }, runner pid ${r.runner_pid}`,
    );
  } else {
    lines.push("running: nothing");
  }
  if (view.runner && !view.runner.alive) {
    lines.push(`! the runner is dead: ${view.runner.reason}; the next clodputer run recovers`);
  }
  if (view.queued.length === 0) {
    lines.push("queued: nothing");
    return lines;
  }
  lines.push(`queued: ${view.queued.length}`, "");
  lines.push(
    ...table(
      ["#", "ID", "TASK", "PRIORITY", "TRIGGER", "ENQUEUED"],
      view.queued.map((
        q,
        i,
      ) => [
        String(i + 1),
        q.id,
        q.task,
        q.priority,
        // A retry or a deferred run waits for its time.
        `${describeRetry(q.trigger) ?? q.trigger.type}${
          q.run_at === undefined ? "" : ` (not before ${q.run_at})`
        }`,
        q.enqueued_at,
      ]),
    ),
  );
  return lines;
}

/** `queue`. */
export async function queueCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const view = await withStore(deps, (store) => readQueue(deps, store));
  if (options.json) deps.out.json(view);
  else for (const line of renderQueue(view)) deps.out.line(line);
  return 0;
}

/** `queue remove <id>`. */
export async function queueRemoveCommand(
  deps: Deps,
  id: string,
  options: { json: boolean },
): Promise<number> {
  const removed = await withStore(deps, (store) => store.remove(id));
  if (!removed) {
    throw new UsageError(`Cannot remove "${id}": no queued item has that id`, {
      hint:
        "list the queue with: clodputer queue (a running task is stopped with clodputer cancel)",
    });
  }
  await logRemoved(deps, [removed], "queue remove");
  if (options.json) deps.out.json({ removed });
  else deps.out.line(`removed ${removed.task} (${removed.id}) from the queue`);
  return 0;
}

/**
 * Writes a `task_removed` event for each queued item a person took out (`by`: the command), so
 * the log says what became of it. A scheduled run's slot is settled by its removal (see
 * Store.remove), and the event carries the slot.
 */
export async function logRemoved(deps: Deps, items: QueueItem[], by: string): Promise<void> {
  if (items.length === 0) return;
  const log = new EventLog(deps.paths, deps.clock, {
    maxBytes: 10 * 1024 * 1024,
    keepMonths: 6,
  }, secretEnvValues(deps.env.toObject()));
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

/** `queue clear`: asks first on a terminal; needs --yes otherwise. */
export async function queueClearCommand(
  deps: Deps,
  options: { json: boolean; yes: boolean },
): Promise<number> {
  if (!options.yes) {
    const answer = await deps.confirm("Remove every queued task?");
    if (answer === undefined) {
      throw new UsageError("Cannot clear the queue without confirmation: no terminal to ask", {
        hint: "run: clodputer queue clear --yes",
      });
    }
    if (!answer) {
      deps.out.error("nothing removed");
      return 1;
    }
  }
  const removed = await withStore(deps, (store) => store.clear());
  await logRemoved(deps, removed, "queue clear");
  if (options.json) deps.out.json({ removed });
  else deps.out.line(`removed ${removed.length} queued task${removed.length === 1 ? "" : "s"}`);
  return 0;
}
