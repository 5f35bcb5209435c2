/**
 * @module
 * Whether a finished run is notified: the task's `notify:`, its earlier-format `- notify:`
 * actions, or the default (failures of unattended runs). Pure.
 */

import type { Action, NotifyWhen } from "../config/types.ts";
import type { FinalStatus } from "../run/outcome.ts";
import type { Trigger } from "../run/record.ts";

/** What of a task the decision reads (absent when its config could not be loaded). */
export interface NotifyPolicy {
  notify?: NotifyWhen | undefined;
  on_success: Action[];
  on_failure: Action[];
}

/** Triggers with nobody watching: a person is told of their failures by default. */
const UNATTENDED: ReadonlySet<Trigger["type"]> = new Set([
  "schedule",
  "cron",
  "file_watch",
  "interval",
  "retry",
]);

/** Statuses that count as failures. A cancel is somebody's decision, not a failure. */
const FAILURES: ReadonlySet<FinalStatus> = new Set([
  "failed",
  "timed_out",
  "lost",
  "over_budget",
  "auth_failed",
]);

/** True when the run's status counts as a failure for notifications. */
export function isFailure(status: FinalStatus): boolean {
  return FAILURES.has(status);
}

function actionSays(actions: Action[]): boolean | undefined {
  let says: boolean | undefined;
  for (const action of actions) if ("notify" in action) says = action.notify;
  return says;
}

/**
 * Decides whether a run that ended with `status`, started by `trigger`, is notified.
 * `notify:` wins; then the `- notify:` action of `on_success`/`on_failure` (which apply to every
 * trigger, as in the earlier format); else failures of unattended runs only. The doctor's canary
 * is never notified.
 */
export function shouldNotify(
  run: { status: FinalStatus; trigger: Trigger["type"] },
  policy: NotifyPolicy | undefined,
): boolean {
  if (run.trigger === "canary") return false;
  const failure = isFailure(run.status);
  switch (policy?.notify) {
    case "never":
      return false;
    case "always":
      return true;
    case "failures":
      return failure;
    case undefined:
      break;
  }
  if (policy !== undefined) {
    const action = failure
      ? actionSays(policy.on_failure)
      : run.status === "succeeded"
      ? actionSays(policy.on_success)
      : undefined;
    if (action !== undefined) return action;
  }
  return failure && UNATTENDED.has(run.trigger);
}
