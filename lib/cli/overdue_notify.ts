/**
 * @module
 * The dead-man's switch's notification: what `tick` and `status` hand an overdue alarm to when
 * they raise it. Loads the global settings (and the notifier) only then: an alarm is rare, and
 * both commands run often.
 */

import { lazy } from "../lazy.ts";
import { EventLog } from "../log/writer.ts";
import { secretEnvValues } from "../log/redact.ts";
import type { OverdueHook } from "../schedule/overdue_check.ts";
import type { Deps } from "./deps.ts";

/** Sends each raised alarm on the channels config.yaml's `notify:` turns on, and logs how it went. */
export function overdueNotifier(deps: Deps): OverdueHook {
  return async (alarm) => {
    const { loadGlobalConfig } = await lazy("lib/config/load.ts");
    const global = await loadGlobalConfig(deps.paths, deps.env);
    const { notifyOverdue } = await lazy("lib/notify/notify.ts");
    const log = new EventLog(
      deps.paths,
      deps.clock,
      { maxBytes: global.log.max_bytes, keepMonths: global.log.keep_months },
      secretEnvValues(deps.env.toObject()),
    );
    await notifyOverdue(deps, alarm, { global, log });
  };
}
