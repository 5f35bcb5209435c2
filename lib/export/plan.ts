/**
 * @module
 * What every exporter needs of a task: its schedule as one cron and the zone it is read in (a cron
 * schedule as written; an interval as the cron it equals, when it divides evenly), or why it
 * cannot be exported (a folder watch, a task with no schedule, an interval no cron says). The
 * exporters (github_actions.ts, kubernetes.ts) draw their files from this; `files.ts` writes them.
 * Pure.
 */

import { findTemplateVariables } from "../config/template.ts";
import type { TaskConfig } from "../config/types.ts";
import { UsageError } from "../errors.ts";

/**
 * The credentials claude reads from its environment (`claude setup-token`'s OAuth token, or an
 * API key): every export maps them from the scheduler's secrets (one of them is enough).
 */
export const CREDENTIALS = ["CLAUDE_CODE_OAUTH_TOKEN", "ANTHROPIC_API_KEY"] as const;

/** A task's schedule as the exporters see it. */
export interface ExportSchedule {
  /** Five fields, read in `timezone`. */
  cron: string;
  /** The IANA zone the cron is read in. */
  timezone: string;
  /** Where the cron came from: the task's `schedule:`, or its interval trigger. */
  from: "schedule" | "interval";
}

/**
 * The cron an interval of `seconds` equals, when one does: whole minutes that divide an hour
 * (`*\/15 * * * *`), whole hours that divide a day (`0 *\/6 * * *`), or a day.
 * @throws {UsageError} naming the task otherwise.
 */
export function intervalCron(task: string, seconds: number): string {
  const refuse = (why: string) =>
    new UsageError(`Cannot export ${task}: its interval of ${seconds} s ${why}`, {
      hint:
        "use an interval of whole minutes dividing an hour (1, 2, 3, 4, 5, 6, 10, 12, 15, 20, " +
        "30, 60), whole hours dividing a day (2, 3, 4, 6, 8, 12, 24), or a cron schedule:",
    });
  if (seconds % 60 !== 0) throw refuse("is not whole minutes, which cron cannot say");
  const minutes = seconds / 60;
  if (minutes < 60) {
    if (60 % minutes !== 0) throw refuse(`does not divide an hour evenly (${minutes} min)`);
    return minutes === 1 ? "* * * * *" : `*/${minutes} * * * *`;
  }
  if (minutes % 60 !== 0) throw refuse("is more than an hour but not whole hours");
  const hours = minutes / 60;
  if (hours === 24) return "0 0 * * *";
  if (hours > 24 || 24 % hours !== 0) throw refuse(`does not divide a day evenly (${hours} h)`);
  return hours === 1 ? "0 * * * *" : `0 */${hours} * * *`;
}

/**
 * The schedule to export of `config`, read in its `timezone` (else `machineZone`: an interval has
 * no zone, and a cron schedule without one is read in the machine's, as the tick reads it).
 * @throws {UsageError} naming the task: a folder watch, no schedule, an interval no cron says.
 */
export function exportSchedule(config: TaskConfig, machineZone: string): ExportSchedule {
  const name = config.name;
  if (config.trigger?.type === "file_watch") {
    throw new UsageError(
      `Cannot export ${name}: it watches a folder (${config.trigger.path}), which runs on this ` +
        "machine's files; another scheduler has no such folder to watch",
      { hint: `export the tasks that have a schedule, or give ${name} a cron schedule instead` },
    );
  }
  if (config.schedule) {
    return {
      cron: config.schedule.expression,
      timezone: config.schedule.timezone ?? machineZone,
      from: "schedule",
    };
  }
  if (config.trigger?.type === "interval") {
    return { cron: intervalCron(name, config.trigger.seconds), timezone: "UTC", from: "interval" };
  }
  throw new UsageError(`Cannot export ${name}: it has no schedule (it runs only when asked)`, {
    hint: `give it a schedule: (schedule: { type: cron, expression: "0 9 * * *" }) to export it`,
  });
}

/**
 * The names of the task's `{{ secrets.NAME }}` uses, in the order they first appear in its
 * prompt, env, context and log actions: what an exporter maps to the scheduler's secrets.
 */
export function secretNames(config: TaskConfig): string[] {
  const texts = [
    config.task.prompt,
    config.task.append_system_prompt ?? "",
    ...Object.values(config.task.env),
    JSON.stringify(config.task.context),
    JSON.stringify([...config.on_success, ...config.on_failure]),
  ];
  const names: string[] = [];
  for (const text of texts) {
    for (const variable of findTemplateVariables(text)) {
      const name = variable.startsWith("secrets.") ? variable.slice("secrets.".length) : undefined;
      if (name !== undefined && !names.includes(name)) names.push(name);
    }
  }
  return names;
}
