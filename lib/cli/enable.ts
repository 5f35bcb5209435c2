/**
 * @module
 * `clodputer enable <task>` / `clodputer disable <task>`: switches a task on or off by its file's
 * `enabled:` line (lib/doctor/task_write.ts), every other line as written.
 */

import { setTaskEnabled } from "../doctor/task_write.ts";
import type { Deps } from "./deps.ts";

/** `enable` and `disable`. */
export async function enableCommand(
  deps: Deps,
  task: string,
  options: { enabled: boolean; json: boolean },
): Promise<number> {
  const change = await setTaskEnabled(deps, task, options.enabled);
  if (options.json) {
    deps.out.json(change);
    return 0;
  }
  const state = change.enabled ? "enabled" : "disabled";
  deps.out.line(
    change.changed
      ? `${change.task} is ${state} (${change.file}: enabled: ${change.enabled})`
      : `${change.task} was ${state} already (nothing changed)`,
  );
  if (change.changed && !change.enabled) {
    deps.out.line("  its schedule, watch and interval start no run until it is enabled again");
  }
  return 0;
}
