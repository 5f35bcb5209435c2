/**
 * @module
 * `clodputer status`: raises what is overdue (the dead-man's switch), reads the status
 * (lib/status/read.ts) and shows it (lib/ui/status.ts), or prints it as JSON.
 */

import { withStore } from "../state/open.ts";
import type { OverdueHook } from "../schedule/overdue_check.ts";
import { raiseOverdueAlarms } from "../status/overdue_alarms.ts";
import { readStatus } from "../status/read.ts";
import { renderStatus } from "../ui/status.ts";
import type { Deps } from "./deps.ts";

/** Options of `status`. */
export interface StatusOptions {
  json: boolean;
  /** Told of each overdue slot when it is first raised (default: config.yaml's channels). */
  onOverdue?: OverdueHook | undefined;
}

/** `status`. */
export async function statusCommand(deps: Deps, options: StatusOptions): Promise<number> {
  const view = await withStore(deps, async (store) => {
    const overdue = await raiseOverdueAlarms(deps, { store, notify: options.onOverdue });
    return await readStatus(deps, { store, overdue });
  });
  if (options.json) deps.out.json(view);
  else for (const line of renderStatus(view, deps.out.color)) deps.out.line(line);
  return 0;
}
