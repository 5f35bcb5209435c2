/**
 * @module
 * `doctor --canary`: one tiny real `claude -p` run in the environment cron gives its jobs (no
 * shell profile, PATH=/usr/bin:/bin, SHELL=/bin/sh), through the same executor and cleanup as
 * every run. It costs a few tokens, so it runs only when asked. Its outcome is kept for status.
 */

import type { LoadedTask } from "../config/load.ts";
import type { GlobalConfig } from "../config/types.ts";
import { TASK_DEFAULTS } from "../config/fields.ts";
import { openStore } from "../state/open.ts";
import type { CanaryResult } from "../state/types.ts";
import { findClaude } from "../run/claude_path.ts";
import { describeOutcome } from "../run/describe.ts";
import { runTask } from "../run/run_task.ts";
import type { Clock } from "../sys/clock.ts";
import { type Env, envFrom } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import { CRON_PATH } from "./checks/claude.ts";
import type { CheckResult } from "./types.ts";

/** The environment cron gives a job: what the canary runs with. */
export function cronEnvironment(env: Env): Record<string, string> {
  const out: Record<string, string> = { PATH: CRON_PATH, SHELL: "/bin/sh" };
  for (const name of ["HOME", "USER", "LOGNAME"]) {
    const v = env.get(name);
    if (v) out[name] = v;
  }
  return out;
}

/** The canary task: the smallest real request. */
export function canaryTask(file: string): LoadedTask {
  return {
    name: "canary",
    file,
    secretValues: [],
    warnings: [],
    config: {
      name: "canary",
      enabled: true,
      priority: "normal",
      depends_on: [],
      on_success: [],
      on_failure: [],
      task: {
        prompt: "Reply with exactly the word OK and nothing else.",
        allowed_tools: [],
        disallowed_tools: [],
        timeout: 120,
        idle_timeout: 90,
        context: {},
        env: {},
        max_turns: 1,
        max_retries: TASK_DEFAULTS.max_retries,
        retry_backoff_seconds: TASK_DEFAULTS.retry_backoff_seconds,
        max_retry_delay: TASK_DEFAULTS.max_retry_delay,
        session: "new",
        session_max_age: TASK_DEFAULTS.session_max_age,
        session_max_runs: TASK_DEFAULTS.session_max_runs,
      },
    },
  };
}

/** Runs the canary step by step; each step is a check result. The outcome is kept for status. */
export async function runCanary(
  deps: { paths: Paths; env: Env; proc: Proc; clock: Clock; os: string; selfPid: number },
  global: GlobalConfig,
): Promise<CheckResult[]> {
  const cron = cronEnvironment(deps.env);
  const results: CheckResult[] = [{
    id: "canary:env",
    status: "ok",
    message: `Canary environment as cron: ${
      Object.entries(cron).map(([k, v]) => `${k}=${v}`).join(" ")
    }`,
  }];
  const cronEnv = envFrom(cron);
  const claude = await findClaude(cronEnv, global.claude, deps.paths.config);
  if (!claude.found) {
    results.push({
      id: "canary:claude",
      status: "fail",
      message: `As cron: ${claude.message}`,
      fix: claude.hint,
    });
    return results;
  }
  results.push({ id: "canary:claude", status: "ok", message: `As cron, claude is ${claude.path}` });
  const record = await runTask({ ...deps, env: cronEnv }, canaryTask(deps.paths.config), {
    global,
    trigger: { type: "canary" },
  });
  const ok = record.status === "succeeded";
  const reply = record.claude?.result?.trim().slice(0, 80);
  const message = ok
    ? `Canary run ${record.id} succeeded in ${record.duration_ms} ms${
      reply ? `, reply "${reply}"` : ""
    }`
    : `Canary run ${record.id} ${describeOutcome(record.outcome)}`;
  results.push({
    id: "canary:run",
    status: ok ? "ok" : "fail",
    message,
    ...(ok ? {} : {
      fix: record.claude?.api_error_status === 401 || /log ?in|api key|auth/i.test(message)
        ? "claude has no credentials under cron: see the auth check above (claude setup-token)"
        : `see the run: clodputer show ${record.id}`,
    }),
  });
  const kept: CanaryResult = {
    at: record.ended_at,
    ok,
    message,
    run_id: record.id,
    cost_usd: record.claude?.total_cost_usd ?? null,
  };
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    await store.setCanary(kept);
  } finally {
    store.close();
  }
  return results;
}
