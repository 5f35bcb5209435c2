/**
 * @module
 * `clodputer queue`: the running item and every queued one; `queue remove <id>`, `queue clear`.
 */

import { UsageError } from "../errors.ts";
import { clearQueue, removeQueued } from "../state/remove.ts";
import { describeRetry } from "../state/retry.ts";
import { lookAtQueue, type QueueView } from "../state/view.ts";
import { formatDuration, localTime, zoneLabel } from "../ui/duration.ts";
import { table } from "../ui/table.ts";
import type { Deps } from "./deps.ts";

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
  // Local times; the header names their zone once (`--json` keeps ISO UTC).
  const zone = zoneLabel(Date.parse(view.queued[0]?.enqueued_at ?? ""));
  lines.push(
    ...table(
      ["#", "ID", "TASK", "PRIORITY", "TRIGGER", `ENQUEUED (${zone})`],
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
          q.run_at === undefined ? "" : ` (not before ${localTime(q.run_at)})`
        }`,
        localTime(q.enqueued_at),
      ]),
    ),
  );
  return lines;
}

/** `queue`. */
export async function queueCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const view = await lookAtQueue(deps);
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
  const removed = await removeQueued(deps, id, "queue remove");
  if (!removed) {
    throw new UsageError(`Cannot remove "${id}": no queued item has that id`, {
      hint:
        "list the queue with: clodputer queue (a running task is stopped with clodputer cancel)",
    });
  }
  if (options.json) deps.out.json({ removed });
  else deps.out.line(`removed ${removed.task} (${removed.id}) from the queue`);
  return 0;
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
  const removed = await clearQueue(deps, "queue clear");
  if (options.json) deps.out.json({ removed });
  else deps.out.line(`removed ${removed.length} queued task${removed.length === 1 ? "" : "s"}`);
  return 0;
}
