import assert from "node:assert/strict";
import type { Action, NotifyWhen } from "../../lib/config/types.ts";
import { shouldNotify } from "../../lib/notify/policy.ts";
import type { FinalStatus } from "../../lib/run/outcome.ts";
import type { Trigger } from "../../lib/run/record.ts";

function policy(
  notify: NotifyWhen | undefined,
  actions: { on_success?: Action[]; on_failure?: Action[] } = {},
) {
  return {
    notify,
    on_success: actions.on_success ?? [],
    on_failure: actions.on_failure ?? [],
  };
}

const CASES: [
  string,
  FinalStatus,
  Trigger["type"],
  ReturnType<typeof policy> | undefined,
  boolean,
][] = [
  // Default: failures of unattended runs only.
  ["scheduled failure", "failed", "schedule", policy(undefined), true],
  ["cron failure", "timed_out", "cron", policy(undefined), true],
  ["file_watch failure", "failed", "file_watch", policy(undefined), true],
  ["interval failure", "lost", "interval", policy(undefined), true],
  ["retry failure", "failed", "retry", policy(undefined), true],
  ["manual failure", "failed", "manual", policy(undefined), false],
  ["scheduled success", "succeeded", "schedule", policy(undefined), false],
  ["scheduled cancel", "cancelled", "schedule", policy(undefined), false],
  ["unloadable task, scheduled failure", "failed", "schedule", undefined, true],
  ["unloadable task, manual failure", "failed", "manual", undefined, false],
  // notify: wins, for every trigger.
  ["never", "failed", "schedule", policy("never"), false],
  ["always, success", "succeeded", "manual", policy("always"), true],
  ["always, cancel", "cancelled", "schedule", policy("always"), true],
  ["failures, manual failure", "failed", "manual", policy("failures"), true],
  ["failures, success", "succeeded", "schedule", policy("failures"), false],
  [
    "never beats on_failure",
    "failed",
    "schedule",
    policy("never", { on_failure: [{ notify: true }] }),
    false,
  ],
  // The earlier format's actions.
  [
    "on_failure notify: true, manual",
    "failed",
    "manual",
    policy(undefined, { on_failure: [{ notify: true }] }),
    true,
  ],
  [
    "on_failure notify: false, scheduled",
    "failed",
    "schedule",
    policy(undefined, { on_failure: [{ log: "x" }, { notify: false }] }),
    false,
  ],
  [
    "on_success notify: true",
    "succeeded",
    "schedule",
    policy(undefined, { on_success: [{ notify: true }] }),
    true,
  ],
  [
    "on_success notify: false",
    "succeeded",
    "schedule",
    policy(undefined, { on_success: [{ notify: false }] }),
    false,
  ],
  [
    "on_success notify: true does not cover failures",
    "failed",
    "manual",
    policy(undefined, { on_success: [{ notify: true }] }),
    false,
  ],
  // The doctor's canary is never notified.
  ["canary", "failed", "canary", policy("always"), false],
];

for (const [name, status, trigger, p, expected] of CASES) {
  Deno.test(`shouldNotify(): ${name} -> ${expected}`, () => {
    assert.equal(shouldNotify({ status, trigger }, p), expected);
  });
}
