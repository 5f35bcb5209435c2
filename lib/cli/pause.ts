/**
 * @module
 * `clodputer pause [--for <duration>]`, `resume` and `ack`. A paused queue keeps taking items
 * (the tick and the watcher enqueue as usual) and starts none; `run <task> --now` still runs that
 * one task. `ack` acknowledges the failed runs so far (the menu bar turns from red).
 */

import { openStore } from "../state/open.ts";
import { parseDuration, pauseFor } from "../state/pause.ts";
import { resumeAll } from "../state/resume_queue.ts";
import type { Attention } from "../state/types.ts";
import { localTime } from "../ui/duration.ts";
import { describePause } from "../ui/pause.ts";
import type { Deps } from "./deps.ts";

/** `pause`. */
export async function pauseCommand(
  deps: Deps,
  options: { for?: string | undefined; json: boolean },
): Promise<number> {
  const seconds = options.for === undefined ? undefined : parseDuration(options.for);
  const pause = await pauseFor(deps.paths, deps.clock.now(), { seconds });
  if (options.json) {
    deps.out.json({ paused: pause });
  } else {
    deps.out.line(`The queue is ${describePause(pause)}.`);
    deps.out.line(
      "Tasks are still queued; none starts. clodputer run <task> --now runs one anyway.",
    );
  }
  return 0;
}

/** `resume`. */
export async function resumeCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  // A hold (usage limit, lost credentials) ends too: a person says it is fixed.
  const { was, held, queued } = await resumeAll(deps, { by: "resume" });
  if (options.json) {
    deps.out.json({ resumed: was !== undefined, was: was ?? null, hold: held ?? null, queued });
  } else if (held && !was) {
    deps.out.line(
      `The queue was held (${
        held.kind === "auth" ? "claude could not log in" : "claude's usage limit"
      }): it runs again${queued > 0 ? `: ${queued} queued` : ""}.`,
    );
  } else if (!was) {
    deps.out.line("The queue was not paused.");
  } else {
    deps.out.line(
      `The queue runs again${
        queued > 0 ? `: ${queued} queued, started by the next tick or clodputer run` : ""
      }.`,
    );
  }
  return 0;
}

/** `ack`. */
export async function ackCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const { store } = await openStore(deps.paths, deps.clock);
  let was: Attention | undefined;
  try {
    was = await store.acknowledge();
  } finally {
    store.close();
  }
  if (options.json) {
    deps.out.json({ acknowledged: was ?? null });
  } else if (!was) {
    deps.out.line("No failed runs to acknowledge.");
  } else {
    deps.out.line(
      `Acknowledged ${was.failed} failed run${was.failed === 1 ? "" : "s"} since ${
        localTime(was.since)
      } (the last: ${was.last.task}, run ${was.last.id}).`,
    );
  }
  return 0;
}
