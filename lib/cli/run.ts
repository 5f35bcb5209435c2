/**
 * @module
 * `clodputer run <task>`: queues the task, and unless a live runner holds the lease, becomes the
 * runner and drains the queue. `--wait` follows this run to its end and exits with its result;
 * `--now` does the same with live progress.
 */

import { join } from "../sys/path.ts";
import { loadGlobalConfig, loadTask } from "../config/load.ts";
import type { GlobalConfig } from "../config/types.ts";
import { openStore } from "../queue/open.ts";
import { readPause } from "../queue/pause.ts";
import { becomeRunner, drain, notifyLost, type RunnerHooks, startable } from "../queue/runner.ts";
import { describePause } from "../ui/pause.ts";
import type { Store } from "../queue/store.ts";
import type { Priority, RunSummary } from "../queue/types.ts";
import { runnerAlive } from "../queue/alive.ts";
import { EventLog } from "../log/writer.ts";
import { secretEnvValues } from "../log/redact.ts";
import { OutputTail } from "../run/follow.ts";
import { readRecord, recordFromSummary, type RunRecord } from "../run/record.ts";
import { newRunId } from "../run/run_id.ts";
import { runDir } from "../sys/paths.ts";
import type { ProcInfo } from "../sys/proc.ts";
import { formatCost, formatDuration } from "../ui/duration.ts";
import { describeOutcome, runSummary } from "../ui/run_view.ts";
import { Progress } from "./_progress.ts";
import type { Deps } from "./deps.ts";

/** Options of `run`. */
export interface RunCommandOptions {
  json: boolean;
  /** Follow this run to its end with live progress. */
  now: boolean;
  /** Follow this run to its end. */
  wait: boolean;
  priority: Priority;
}

/** A follower looks again after this long at first, then twice as long each time, up to MAX. */
const FOLLOW_FIRST_MS = 5;
const FOLLOW_MAX_MS = 200;

/** Runs the command; returns the exit code. */
export async function runCommand(
  deps: Deps,
  taskName: string,
  options: RunCommandOptions,
): Promise<number> {
  // The runner lease names this process by its start time, which only `ps` knows: look it up
  // while the task loads instead of after.
  const self = deps.proc.info(deps.selfPid).catch(() => undefined);
  try {
    return await queueAndRun(deps, taskName, { ...options, self });
  } finally {
    await self;
  }
}

async function queueAndRun(
  deps: Deps,
  taskName: string,
  options: RunCommandOptions & { self: Promise<ProcInfo | undefined> },
): Promise<number> {
  const { out, clock, paths } = deps;
  const global = await loadGlobalConfig(paths, deps.env);
  const loaded = await loadTask(paths, taskName, deps.env, { global });
  for (const w of loaded.warnings) {
    out.error(
      `warning: ${w.where.file}:${w.where.line ?? "?"}: ${w.message}${
        w.hint ? ` (${w.hint})` : ""
      }`,
    );
  }
  const follow = options.now || options.wait;

  const { store, movedAside } = await openStore(paths, clock);
  const log = new EventLog(
    paths,
    clock,
    { maxBytes: global.log.max_bytes, keepMonths: global.log.keep_months },
    [...loaded.secretValues, ...secretEnvValues(deps.env.toObject())],
  );
  const stop = new AbortController();
  let ourId = "";
  const removeSignal = deps.onSignal((signal) => {
    if (stop.signal.aborted) return;
    out.clearStatus();
    out.error(`${signal} received: stopping ${taskName} and cleaning up its processes`);
    stop.abort(signal);
    // A follower's run belongs to another process: ask that runner to cancel it.
    if (ourId) void cancelFollowed(store, ourId, signal);
  });
  try {
    if (movedAside) {
      out.error(
        `warning: the state store could not be read; it was moved to ${movedAside} and a fresh one ` +
          "started (clodputer doctor lists it)",
      );
    }
    const queued = await store.enqueue({
      id: newRunId(clock.now()),
      task: loaded.name,
      priority: options.priority,
      trigger: { type: "manual" },
    }, new Date(clock.now()).toISOString());
    const item = queued.kind === "queued" ? queued.item : queued.existing;
    ourId = item.id;
    if (queued.kind === "queued") {
      await log.append({
        event: "task_queued",
        run_id: item.id,
        task: item.task,
        trigger: item.trigger.type,
        priority: item.priority,
        position: queued.position,
      }).catch(() => {}); // the queue holds the item either way
    }
    if (!options.json) {
      out.error(
        queued.kind === "queued"
          ? `queued ${item.task} as ${item.id} (position ${queued.position})`
          : `${item.task} is already queued as ${item.id} (position ${queued.position}); not queued again`,
      );
    }

    const paused = await readPause(paths, clock.now());
    if (paused && !options.json) {
      out.error(
        follow
          ? `the queue is ${describePause(paused)}: running only ${item.task}`
          : `the queue is ${describePause(paused)}: ${item.task} waits ` +
            `(clodputer resume, or run it now with: clodputer run ${item.task} --now)`,
      );
    }

    const progress = new Progress(out, clock, {
      task: item.task,
      quiet: options.json || !options.now,
    });
    const ran: RunRecord[] = [];
    const hooks: RunnerHooks = {
      onStart: (running, pid) => {
        if (running.id === ourId && options.now) {
          progress.restartClock();
          progress.activity(`started: claude pid ${pid}`);
        } else if (!options.json) {
          out.error(`running ${running.task} (${running.id}), claude pid ${pid}`);
        }
      },
      onEvent: (running, event) => {
        if (running.id === ourId) progress.event(event);
      },
      onFinish: (running, record) => {
        ran.push(record);
        if (running.id !== ourId && !options.json) out.error(oneLine(record));
      },
    };

    progress.start();
    let record: RunRecord | undefined;
    try {
      record = await runOrFollow(deps, store, {
        log,
        id: ourId,
        global,
        follow,
        stop: stop.signal,
        hooks,
        progress,
        json: options.json,
        self: options.self,
      });
    } finally {
      await progress.stop();
    }

    if (!follow) {
      if (options.json) {
        out.json({
          id: item.id,
          task: item.task,
          duplicate: queued.kind === "duplicate",
          paused: paused ?? null,
          runs: ran,
        });
      } else {
        const ours = ran.find((r) => r.id === ourId);
        if (ours) {
          for (
            const line of runSummary(ours, { color: out.color, runDir: runDir(paths, ours.id) })
          ) out.line(line);
        }
      }
      return stop.signal.aborted ? 1 : 0;
    }
    if (!record) {
      out.error(`${item.task} (${item.id}) was removed from the queue before it ran`);
      return 1;
    }
    if (options.json) {
      out.json(record);
    } else {
      for (
        const line of runSummary(record, { color: out.color, runDir: runDir(paths, record.id) })
      ) out.line(line);
    }
    return record.status === "succeeded" ? 0 : 1;
  } finally {
    removeSignal();
    store.close();
  }
}

/**
 * Becomes the runner if it can and drains the queue; as a follower, waits for run `id` to end
 * (taking over if the runner dies meanwhile). Returns run `id`'s record when following.
 */
async function runOrFollow(
  deps: Deps,
  store: Store,
  options: {
    log: EventLog;
    id: string;
    global: GlobalConfig;
    follow: boolean;
    stop: AbortSignal;
    hooks: RunnerHooks;
    progress: Progress;
    json: boolean;
    self: Promise<ProcInfo | undefined>;
  },
): Promise<RunRecord | undefined> {
  const { out, clock } = deps;
  const tail = new OutputTail(join(runDir(deps.paths, options.id), "stdout"));
  let announced = false;
  while (!options.stop.aborted) {
    const role = await becomeRunner(deps, store, {
      graceMs: options.global.grace_period * 1000,
      log: options.log,
      self: options.self,
      global: options.global,
    });
    if (role.role === "runner") {
      if (role.recovered && !options.json) out.error(recoveredLine(role.recovered));
      // A run lost by a dead runner ended unattended: notified while the queue drains.
      const lost = role.recovered
        ? notifyLost(deps, role.recovered.id, { global: options.global, log: options.log })
        : undefined;
      try {
        await drain(deps, store, role.lease, {
          global: options.global,
          stop: options.stop,
          hooks: options.hooks,
          log: options.log,
          exempt: options.follow ? options.id : undefined,
        });
      } finally {
        await lost;
      }
      // A task queued after the last take but before the release saw a live runner and left:
      // look once more, now that the lease is free, so nothing is stranded.
      const exempt = options.follow ? options.id : undefined;
      if (!options.stop.aborted && (await startable(deps, store, exempt))) continue;
      if (!options.follow) return undefined;
      const done = await store.run(options.id);
      if (done) {
        return await readRecord(deps.paths, runDir(deps.paths, done.id), deps.clock.now()) ??
          recordFromSummary(done);
      }
      // Not ours to run after all (the lease was lost meanwhile): follow it.
    } else {
      if (!options.follow) {
        if (!options.json) {
          out.error(
            `runner pid ${role.lease.pid} is running the queue; this task will run in its turn`,
          );
        }
        return undefined;
      }
      if (!announced && !options.json) {
        out.error(`runner pid ${role.lease.pid} is running the queue; following ${options.id}`);
        announced = true;
      }
    }
    // Follow: until our run is recorded, it disappears, or the runner dies. Short runs end
    // soon after they start, so the first looks come quickly.
    let wait = FOLLOW_FIRST_MS;
    while (!options.stop.aborted || options.follow) {
      const done = await store.run(options.id);
      if (done) {
        for (const e of await tail.read()) options.progress.event(e);
        return await readRecord(deps.paths, runDir(deps.paths, done.id), deps.clock.now()) ??
          recordFromSummary(done);
      }
      const running = await store.running();
      if (running?.id === options.id) {
        options.progress.activity(`running (claude pid ${running.claude_pid ?? "?"})`);
        for (const e of await tail.read()) options.progress.event(e);
      } else {
        const queue = await store.queued();
        const position = queue.findIndex((q) => q.id === options.id) + 1;
        if (position === 0 && running?.id !== options.id) {
          // Neither queued, running nor recorded: removed, or finishing right now.
          const again = await store.run(options.id);
          if (again) continue;
          return undefined;
        }
        options.progress.activity(
          `waiting: position ${position}${running ? `, ${running.task} is running` : ""}`,
        );
      }
      if (!await runnerAlive(store, deps.proc, clock)) break; // the runner is gone: take over
      await clock.sleep(wait);
      wait = Math.min(FOLLOW_MAX_MS, wait * 2);
    }
  }
  return options.follow
    ? await readRecord(deps.paths, runDir(deps.paths, options.id), deps.clock.now())
    : undefined;
}

async function cancelFollowed(store: Store, id: string, by: string): Promise<void> {
  try {
    if (!(await store.remove(id))) await store.requestCancel(id, by);
  } catch {
    // the store may be closing; the runner's own signal handling covers the rest
  }
}

function oneLine(record: RunRecord): string {
  const mark = record.status === "succeeded" ? "✓" : "✗";
  return `${mark} ${record.task} ${describeOutcome(record.outcome)} · in ${
    formatDuration(record.duration_ms)
  } · ${formatCost(record.claude?.total_cost_usd)} · run ${record.id}`;
}

function recoveredLine(lost: RunSummary): string {
  const reason = lost.outcome.kind === "lost" ? lost.outcome.reason : lost.status;
  return `recovered: run ${lost.id} of ${lost.task} was lost (${reason}); it is recorded as lost`;
}
