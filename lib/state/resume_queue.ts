/**
 * @module
 * Letting the queue run again (`clodputer resume` with no argument): the pause ends and a hold
 * (claude's usage limit, lost credentials) is released, as a person says it is fixed; the release
 * is logged. Returns what was so, for each face to word: the CLI now, the web dashboard next.
 */

import { openLog } from "../log/writer.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import { openStore } from "./open.ts";
import { type Pause, resumeQueue } from "./pause.ts";
import type { Hold } from "./types.ts";

/** What resuming ended, and how many runs wait in the queue now. */
export interface Resumed {
  /** The pause that was in force, if any. */
  was: Pause | undefined;
  /** The hold that was released, if any. */
  held: Hold | undefined;
  queued: number;
}

/**
 * Ends the pause and releases any hold; logs a released hold as `queue_released` by `by`
 * ("resume" for the CLI).
 */
export async function resumeAll(
  deps: { paths: Paths; clock: Clock; env?: Env | undefined },
  options: { by: string },
): Promise<Resumed> {
  const was = await resumeQueue(deps.paths, deps.clock.now());
  const { store } = await openStore(deps.paths, deps.clock);
  let queued: number;
  let held: Hold | undefined;
  try {
    held = await store.releaseHold();
    queued = (await store.queued()).length;
  } finally {
    store.close();
  }
  if (held) {
    await openLog(deps).append({
      event: "queue_released",
      kind: held.kind,
      by: options.by,
      run_id: held.run_id,
      task: held.task,
    }).catch(() => {});
  }
  return { was, held, queued };
}
