/**
 * @module
 * `clodputer run <task>`: queues the task, and unless a live runner holds the lease, becomes the
 * runner and drains the queue. `--wait` follows this run to its end and exits with its result;
 * `--now` does the same with live progress. `--file <path>` runs it on one file, with the trigger
 * data the watcher would hand over for that file (lib/watch/file_run.ts): a folder-watch task
 * needs it.
 */

import { type LoadedTask, loadGlobalConfig, loadTask } from "../config/load.ts";
import { UsageError } from "../errors.ts";
import { openStore } from "../state/open.ts";
import { readPause } from "../state/pause.ts";
import { resetSession } from "../state/session_reset.ts";
import { queueRun, withdrawRun } from "../state/queue_run.ts";
import { type FollowState, runOrFollow, type RunOrFollowHooks } from "../state/run_or_follow.ts";
import { describePause } from "../ui/pause.ts";
import type { Priority, RunSummary } from "../state/types.ts";
import { logSettings, openLog } from "../log/writer.ts";
import { describeOutcome } from "../run/describe.ts";
import type { RunRecord } from "../run/record.ts";
import { currentDirectory } from "../sys/env.ts";
import { runDir } from "../sys/paths.ts";
import { isAbsolute, join } from "../sys/posix_path.ts";
import type { ProcInfo } from "../sys/proc.ts";
import { formatCost, formatDuration } from "../ui/duration.ts";
import { runSummary } from "../ui/run_view.ts";
import { describeReset } from "../ui/sessions.ts";
import { shellQuote } from "../ui/shell_quote.ts";
import { checkFileToRun, exampleFile, type FileRun, fileUse } from "../watch/file_run.ts";
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
  /**
   * `--file`: run it on this file (a relative path is read from the current folder), with the
   * `{{ context.* }}` / `{{ metadata.* }}` values the watcher would hand over for it.
   */
  file?: string | undefined;
  /** `--new-session`: drop the task's Claude session first (a `session: continue` task only). */
  newSession?: boolean | undefined;
}

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
  // Before the store is opened: a usage error queues and records nothing.
  const onFile = await fileFor(deps, loaded, options.file);
  if (options.newSession && loaded.config.task.session !== "continue") {
    throw new UsageError(
      `Cannot start a new session for "${loaded.name}": its runs do not continue a Claude ` +
        "session (session: new), so each run starts a new one anyway",
      {
        hint:
          `leave out --new-session, or set \`session: continue\` in the task: section of ${loaded.file}`,
        where: { file: loaded.file },
      },
    );
  }

  const { store, movedAside } = await openStore(paths, clock);
  const log = openLog(deps, { settings: logSettings(global.log), secrets: loaded.secretValues });
  const stop = new AbortController();
  let ourId = "";
  const removeSignal = deps.onSignal((signal) => {
    if (stop.signal.aborted) return;
    out.clearStatus();
    out.error(`${signal} received: stopping ${taskName} and cleaning up its processes`);
    stop.abort(signal);
    // A follower's run belongs to another process: ask that runner to cancel it.
    if (ourId) void withdrawRun(store, ourId, signal).catch(() => {});
  });
  try {
    if (movedAside) {
      out.error(
        `warning: the state store could not be read; it was moved to ${movedAside} and a fresh one ` +
          "started (clodputer doctor lists it)",
      );
    }
    if (options.newSession) {
      const nowMs = clock.now();
      const dropped = await resetSession(store, loaded.name, new Date(nowMs).toISOString());
      if (!options.json) out.error(describeReset(loaded.name, dropped, nowMs));
    }
    const queued = await queueRun(store, log, {
      task: loaded.name,
      priority: options.priority,
      nowMs: clock.now(),
      trigger: onFile?.trigger,
      context: onFile?.context,
    });
    const item = queued.item;
    const file = onFile?.context.file_path;
    ourId = item.id;
    if (!options.json) {
      const onWhat = file ? ` for ${file}` : "";
      out.error(
        queued.kind === "queued"
          ? `queued ${item.task}${onWhat} as ${item.id} (position ${queued.position})`
          : `${item.task}${onWhat} is already queued as ${item.id} (position ${queued.position}); not queued again`,
      );
    }

    const paused = await readPause(paths, clock.now());
    if (paused && !options.json) {
      out.error(
        follow
          ? `the queue is ${describePause(paused)}: running only ${item.task}`
          : `the queue is ${describePause(paused)}: ${item.task} waits ` +
            `(clodputer resume, or run it now with: clodputer run ${item.task}${
              file ? ` --file ${shellQuote(file)}` : ""
            } --now)`,
      );
    }

    const progress = new Progress(out, clock, {
      task: item.task,
      quiet: options.json || !options.now,
    });
    const ran: RunRecord[] = [];
    const hooks: RunOrFollowHooks = {
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
      onRecovered: (lost) => {
        if (!options.json) out.error(recoveredLine(lost));
      },
      onBusy: (lease) => {
        if (options.json) return;
        out.error(
          follow
            ? `runner pid ${lease.pid} is running the queue; following ${ourId}`
            : `runner pid ${lease.pid} is running the queue; this task will run in its turn`,
        );
      },
      onFollowState: (state) => progress.activity(followLine(state)),
      onFollowEvent: (event) => progress.event(event),
    };

    progress.start();
    let record: RunRecord | undefined;
    try {
      ({ followed: record } = await runOrFollow(deps, store, {
        log,
        global,
        follow: follow ? ourId : undefined,
        stop: stop.signal,
        hooks,
        self: options.self,
      }));
    } finally {
      await progress.stop();
    }

    if (!follow) {
      if (options.json) {
        out.json({
          id: item.id,
          task: item.task,
          ...(file === undefined ? {} : { file }),
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

/** The file a queued run is for (its trigger data's `file_path`, kept by its retries), if any. */

/**
 * The trigger and trigger data of a run on `file` (`--file`), as the watcher would hand that file
 * over; undefined for a run without one. Checks first, and throws a UsageError (nothing queued)
 * for a folder-watch task without a file, a file given to a task that takes none, a file that
 * does not exist (unless the task watches for deleted files: the watcher hands those over gone)
 * or that is a folder. A file the watch would not hand over (another folder, the pattern) is
 * run on anyway, with a warning.
 */
async function fileFor(
  deps: Deps,
  loaded: LoadedTask,
  file: string | undefined,
): Promise<FileRun | undefined> {
  const name = loaded.name;
  const use = fileUse(loaded.config);
  if (file === undefined) {
    if (use.kind !== "needs") return undefined;
    throw new UsageError(
      `Cannot run ${name} without --file: it watches ${use.watch.folder}, and each of its runs ` +
        "is for one file (its prompt is filled from it)",
      {
        hint: `give the file to run it on, as the watcher would hand it over: ` +
          `clodputer run ${name} --file ${shellQuote(exampleFile(use.watch))} --now`,
      },
    );
  }
  if (use.kind === "none") {
    throw new UsageError(
      `Cannot run ${name} on a file: it does not watch a folder, and no template of it uses a ` +
        "file variable ({{ context.file_path }} and the rest)",
      { hint: `run it without --file: clodputer run ${name} --now` },
    );
  }
  const cwd = isAbsolute(file) ? "/" : currentDirectory();
  if (cwd === undefined) {
    throw new UsageError(`Cannot find the file "${file}": the current folder is gone`, {
      hint: "give its absolute path",
    });
  }
  const path = join(cwd, file).replace(/(.)\/+$/, "$1");
  const { run, why } = await checkFileToRun(
    name,
    use,
    path,
    isAbsolute(file)
      ? "give the path of a file that exists"
      : `a relative path is read from the current folder (${cwd}); give a file that exists`,
  );
  if (why) {
    deps.out.error(
      `warning: the watcher would not hand ${path} over to ${name} (${why}); running on it anyway`,
    );
  }
  return run;
}

function oneLine(record: RunRecord): string {
  const mark = record.status === "succeeded" ? "✓" : "✗";
  return `${mark} ${record.task} ${describeOutcome(record.outcome)} · in ${
    formatDuration(record.duration_ms)
  } · ${formatCost(record.claude?.total_cost_usd)} · run ${record.id}`;
}

function followLine(state: FollowState): string {
  switch (state.kind) {
    case "running":
      return `running (claude pid ${state.claudePid ?? "?"})`;
    case "waiting":
      return `waiting: position ${state.position}${
        state.running ? `, ${state.running} is running` : ""
      }`;
  }
}

function recoveredLine(lost: RunSummary): string {
  const reason = lost.outcome.kind === "lost" ? lost.outcome.reason : lost.status;
  return `recovered: run ${lost.id} of ${lost.task} was lost (${reason}); it is recorded as lost`;
}
