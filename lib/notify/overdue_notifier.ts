/**
 * @module
 * The dead-man's switch's notification: what raising an overdue alarm (`tick`, `status`) hands
 * each alarm to. Loads the global settings (and the notifier) only then: an alarm is rare, and
 * both commands run often.
 */

import { lazy } from "../lazy.ts";
import { logSettings, openLog } from "../log/writer.ts";
import type { Paths } from "../sys/paths.ts";
import type { ChannelDeps } from "./channels.ts";

/** An overdue alarm as the notifier reads it (the dead-man's switch's `OverdueAlarm`). */
export interface OverdueNotice {
  task: string;
  slot: string;
  timezone: string | null;
  last_tick: string | null;
  message: string;
}

/** What the notifier needs: the channels' seams and where the settings and the log are. */
export type OverdueNotifierDeps = ChannelDeps & { paths: Paths };

/** Sends each raised alarm on the channels config.yaml's `notify:` turns on, and logs how it went. */
export function overdueNotifier(
  deps: OverdueNotifierDeps,
): (alarm: OverdueNotice) => Promise<void> {
  return async (alarm) => {
    const { loadGlobalConfig } = await lazy<typeof import("../config/load.ts")>(
      "lib/config/load.ts",
    );
    const global = await loadGlobalConfig(deps.paths, deps.env);
    const { notifyOverdue } = await lazy<typeof import("./notify.ts")>("lib/notify/notify.ts");
    const log = openLog(deps, { settings: logSettings(global.log) });
    await notifyOverdue(deps, alarm, { global, log });
  };
}
