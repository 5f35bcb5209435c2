/**
 * @module
 * `clodputer tick`: what the crontab entry (or LaunchAgent) runs every minute (`tickJob()` in
 * lib/schedule/tick_job.ts: queue due runs, heartbeat, dead-man's switch, keep the watcher alive,
 * hand the queue to a runner). Prints nothing unless `--verbose` (cron mails whatever a job
 * prints); problems go to the execution log and to `cron.log`.
 */

import type { OverdueHook } from "../schedule/overdue_check.ts";
import type { QueueOutcome, TickJobResult } from "../schedule/tick_job.ts";
import { lazy } from "../lazy.ts";
import type { Deps } from "./deps.ts";

/** Options of `tick`. */
export interface TickOptions {
  /** Run the queue after queueing (default); `--no-run` only queues. */
  run: boolean;
  /** Run the queue in this process (`--runner`) instead of a detached runner. */
  runner?: boolean | undefined;
  /** Print what the tick did (for people trying it by hand). */
  verbose: boolean;
  /** Told of each overdue slot when it is first raised (the notifications module). */
  onOverdue?: OverdueHook | undefined;
}

/** `tick`. */
export async function tickCommand(deps: Deps, options: TickOptions): Promise<number> {
  const { tickJob } = await lazy<typeof import("../schedule/tick_job.ts")>(
    "lib/schedule/tick_job.ts",
  );
  const result = await tickJob(deps, options);
  if (options.verbose) { for (const line of verboseLines(result)) deps.out.line(line); }
  return 0;
}

/** What `--verbose` prints of a tick: always at least one line, saying what it did. */
export function verboseLines(result: TickJobResult): string[] {
  if (result.nothingDue) return ["tick: nothing due"];
  const lines: string[] = [];
  for (const e of result.done) {
    lines.push(
      e.event === "watcher_started"
        ? `started the watcher (pid ${e.pid}): it was not running`
        : `${e.event}: ${JSON.stringify(e)}`,
    );
  }
  for (const item of result.queued) {
    const why = item.trigger.type === "schedule"
      ? `for ${item.trigger.slot}`
      : item.trigger.type === "interval"
      ? `(every ${item.trigger.seconds} s)`
      : `(${item.trigger.type})`;
    lines.push(`queued ${item.task} ${why} as ${item.id}`);
  }
  for (const e of result.problems) lines.push(`${e.event}: ${JSON.stringify(e)}`);
  const last = queueLine(result.queue);
  if (last) lines.push(last);
  if (lines.length === 0) lines.push("tick: nothing queued; the queue is left as it is");
  return lines;
}

function queueLine(queue: QueueOutcome): string | undefined {
  switch (queue.kind) {
    case "left":
      return undefined;
    case "held":
      return "the queue is held (claude cannot log in): a run tries again within 10 minutes";
    case "runner_alive":
      return "a runner is alive: it runs the queue";
    case "runner_started":
      return `started a runner (pid ${queue.pid}): it runs the queue`;
    case "ran": {
      const canary = queue.canary
        ? `the queue is held (claude cannot log in): tried ${queue.canary}; `
        : "";
      return queue.ran === "busy"
        ? `${canary}a runner is alive: it runs the queue`
        : `${canary}ran ${queue.ran} task${queue.ran === 1 ? "" : "s"}`;
    }
  }
}
