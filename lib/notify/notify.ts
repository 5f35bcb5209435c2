/**
 * @module
 * Notifies a finished run: decides whether, builds the event, sends it on every configured
 * channel at once (each within its own time limit), and logs each outcome. Never throws.
 */

import type { GlobalConfig } from "../config/types.ts";
import type { RunRecord } from "../run/record.ts";
import {
  type ChannelDeps,
  type ChannelResult,
  type Fetch,
  sendCommand,
  sendDesktop,
  sendWebhook,
} from "./channels.ts";
import { type AnyNotifyEvent, buildEvent, type OverdueEvent, redactText } from "./payload.ts";
import { type NotifyPolicy, shouldNotify } from "./policy.ts";

/** A notification channel's name, as the log calls it. */
export type ChannelName = "desktop" | "webhook" | "command";

/** Timing and transport of the sends; tests shorten the times and pass their own fetch. */
export interface NotifyTuning {
  /** Milliseconds one try may take (default 5 s). */
  timeoutMs?: number | undefined;
  /** Tries of the webhook (default 3). */
  tries?: number | undefined;
  /** Milliseconds before the webhook's second try; doubled before the third (default 1 s). */
  backoffMs?: number | undefined;
  fetch?: Fetch | undefined;
  /** The host name the event carries (default: this machine's). */
  host?: string | undefined;
}

/** The defaults of {@linkcode NotifyTuning}. */
export const NOTIFY_DEFAULTS = { timeoutMs: 5000, tries: 3, backoffMs: 1000 } as const;

/** Where the notifier writes its events (the execution log). */
export interface NotifyLog {
  append(event: { event: string; [key: string]: unknown }): Promise<void>;
}

/** The channels the global settings turn on. `notifications: false` turns every one off. */
export function channelsOf(global: Pick<GlobalConfig, "notify" | "notifications">): ChannelName[] {
  if (global.notifications === false) return [];
  const out: ChannelName[] = [];
  if (global.notify?.macos === true || global.notifications === true) out.push("desktop");
  if (global.notify?.webhook !== undefined) out.push("webhook");
  if (global.notify?.command !== undefined) out.push("command");
  return out;
}

function thisHost(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}

/**
 * Sends the notification of a finished run where the global settings say, if the task's policy
 * (or the default) asks for one. Every channel's outcome becomes a `notify_sent` or
 * `notify_failed` event in `log`. Resolves when every channel is done (each bounded by its
 * limits); never rejects.
 */
export async function notifyRun(
  deps: ChannelDeps,
  record: RunRecord,
  options: {
    global: Pick<GlobalConfig, "notify" | "notifications">;
    policy: NotifyPolicy | undefined;
    /** The run's error text, as the execution log has it. */
    error: string | undefined;
    /** Values to keep out of every payload and message. */
    secrets: readonly string[];
    log: NotifyLog | undefined;
    tuning?: NotifyTuning | undefined;
    /** true: send whatever the policy says; false: do not send. */
    force?: boolean | undefined;
  },
): Promise<void> {
  try {
    const channels = channelsOf(options.global);
    if (channels.length === 0 || options.force === false) return;
    if (
      options.force !== true &&
      !shouldNotify({ status: record.status, trigger: record.trigger.type }, options.policy)
    ) {
      return;
    }
    const tuning = options.tuning ?? {};
    const settings = options.global.notify;
    // A webhook URL often holds a token (Slack's do): it is kept out of messages too.
    const secrets = [...options.secrets, ...(settings?.webhook ? [settings.webhook] : [])];
    const event = buildEvent(record, {
      error: options.error,
      host: tuning.host ?? thisHost(),
      secrets,
    });
    await sendAll(deps, event, {
      channels,
      settings,
      tuning,
      secrets,
      log: options.log,
      fields: { run_id: record.id, task: record.task },
    });
  } catch {
    // Notifications never fail a run or the queue.
  }
}

/**
 * Sends an overdue alarm (the dead-man's switch) on every channel the global settings turn on,
 * whatever the task's policy: a slot that did not run is always worth a person's look. Every
 * outcome is a `notify_sent` / `notify_failed` event with the task and the slot. Never rejects.
 */
export async function notifyOverdue(
  deps: ChannelDeps,
  alarm: {
    task: string;
    slot: string;
    timezone: string | null;
    last_tick: string | null;
    message: string;
  },
  options: {
    global: Pick<GlobalConfig, "notify" | "notifications">;
    log: NotifyLog | undefined;
    tuning?: NotifyTuning | undefined;
  },
): Promise<void> {
  try {
    const channels = channelsOf(options.global);
    if (channels.length === 0) return;
    const tuning = options.tuning ?? {};
    const settings = options.global.notify;
    const secrets = settings?.webhook ? [settings.webhook] : [];
    const event: OverdueEvent = {
      event: "task_overdue",
      task: alarm.task,
      slot: alarm.slot,
      timezone: alarm.timezone,
      last_tick: alarm.last_tick,
      message: alarm.message,
      host: tuning.host ?? thisHost(),
    };
    await sendAll(deps, event, {
      channels,
      settings,
      tuning,
      secrets,
      log: options.log,
      fields: { task: alarm.task, slot: alarm.slot },
    });
  } catch {
    // Notifications never fail a tick or a status.
  }
}

/** Sends `event` on every channel at once and logs each outcome with `fields`. */
async function sendAll(
  deps: ChannelDeps,
  event: AnyNotifyEvent,
  options: {
    channels: ChannelName[];
    settings: GlobalConfig["notify"];
    tuning: NotifyTuning;
    secrets: readonly string[];
    log: NotifyLog | undefined;
    fields: Record<string, unknown>;
  },
): Promise<void> {
  const { settings, tuning } = options;
  const timeoutMs = tuning.timeoutMs ?? NOTIFY_DEFAULTS.timeoutMs;
  const send = (channel: ChannelName): Promise<ChannelResult> => {
    switch (channel) {
      case "desktop":
        return sendDesktop(deps, event, { timeoutMs });
      case "webhook":
        return sendWebhook(deps, event, {
          url: settings?.webhook ?? "",
          format: settings?.format ?? "json",
          fetch: tuning.fetch ?? fetch,
          timeoutMs,
          tries: tuning.tries ?? NOTIFY_DEFAULTS.tries,
          backoffMs: tuning.backoffMs ?? NOTIFY_DEFAULTS.backoffMs,
        });
      case "command":
        return sendCommand(deps, event, { argv: settings?.command ?? [], timeoutMs });
    }
  };
  await Promise.all(options.channels.map(async (channel) => {
    let result: ChannelResult;
    try {
      result = await send(channel);
    } catch (error) {
      result = {
        ok: false,
        attempts: 1,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    const base = { ...options.fields, channel, attempts: result.attempts };
    await append(
      options.log,
      result.ok
        ? { event: "notify_sent", ...base }
        : { event: "notify_failed", ...base, error: redactText(result.error, options.secrets) },
    );
  }));
}

async function append(
  log: NotifyLog | undefined,
  event: { event: string; [key: string]: unknown },
) {
  try {
    await log?.append(event);
  } catch {
    // The log could not be written: nothing more to do.
  }
}
