/**
 * @module
 * Raising the dead-man's switch's alarms when someone looks (`status`, the dashboard, the menu
 * bar): each overdue slot not raised before is recorded once, logged as `task_overdue` and
 * handed to the notifier, so a dead scheduler is reported by whatever looks next. The tick does
 * the same at the end of each tick, into its own logs (lib/cli/tick.ts).
 */

import { openLog } from "../log/writer.ts";
import { overdueNotifier } from "../notify/overdue_notifier.ts";
import { withStore } from "../state/open.ts";
import type { Store } from "../state/store.ts";
import { type OverdueCheck, type OverdueHook, raiseOverdue } from "../schedule/overdue_check.ts";
import type { StatusDeps } from "./read.ts";

/**
 * Raises the slots overdue now and not raised before: logs each (and any failed notification)
 * to the execution log and notifies it (`notify`, else the channels of config.yaml). Uses
 * `store` when given, else opens and closes the store. Returns the check, which a read made at
 * the same time may reuse (`readStatus(deps, { overdue })`) instead of checking again.
 */
export async function raiseOverdueAlarms(
  deps: StatusDeps,
  options: { store?: Store | undefined; notify?: OverdueHook | undefined } = {},
): Promise<OverdueCheck> {
  if (options.store === undefined) {
    return await withStore(deps, (store) => raiseOverdueAlarms(deps, { ...options, store }));
  }
  const { check, events } = await raiseOverdue(options.store, {
    nowMs: deps.clock.now(),
    notify: options.notify ?? overdueNotifier(deps),
  });
  if (events.length === 0) return check;
  // Rare (once per overdue slot): the log's default limits, no global config to load.
  const log = openLog(deps);
  for (const e of events) await log.append(e).catch(() => {});
  return check;
}
