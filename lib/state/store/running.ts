/**
 * @module
 * The running item, `["running"]`: the item being run, with the runner's pid and claude's pid.
 * Taking an item, claiming a lost run's recovery and finishing a run are in `steps.ts`.
 */

import type { RunningItem, StartedCommand } from "../types.ts";
import type { KvCore } from "./core.ts";

/** The running item's key. */
export const RUNNING_KEY: Deno.KvKey = ["running"];

/** The running item, if any. */
export function running(core: KvCore): Promise<RunningItem | undefined> {
  return core.value<RunningItem>("read the running item", RUNNING_KEY);
}

/** Records claude's pid, and how it was started, on the running item. */
export function setClaudePid(
  core: KvCore,
  id: string,
  pid: number,
  started?: StartedCommand,
): Promise<void> {
  return core.transact("record claude's pid", async () => {
    const entry = await core.kv.get<RunningItem>(RUNNING_KEY);
    if (entry.value === null || entry.value.id !== id) return true;
    return (await core.kv.atomic().check(entry).set(RUNNING_KEY, {
        ...entry.value,
        claude_pid: pid,
        ...(started ? { started } : {}),
      }).commit())
        .ok
      ? true
      : undefined;
  }).then(() => {});
}
