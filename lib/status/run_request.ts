/**
 * @module
 * "Run this task now" from a face that is not a terminal (the web dashboard, the MCP server):
 * load the task, check the file of a run on a file, queue it under the duplicate rule, start a
 * runner unless the queue is paused, and say what happened. The CLI's `run` follows its run in
 * the terminal instead (lib/state/run_or_follow.ts).
 */

import { loadGlobalConfig, loadTask } from "../config/load.ts";
import { UsageError } from "../errors.ts";
import { logSettings, openLog } from "../log/writer.ts";
import type { Trigger } from "../run/record.ts";
import type { RunDeps } from "../run/run_task.ts";
import { withStore } from "../state/open.ts";
import { type Pause, readPause } from "../state/pause.ts";
import { fileOf, type QueuedRun, queueRun } from "../state/queue_run.ts";
import { startRunner } from "../state/start_runner.ts";
import type { Store } from "../state/store.ts";
import { isAbsolute, join } from "../sys/posix_path.ts";
import { checkFileToRun, exampleFile, type FileRun, fileUse } from "../watch/file_run.ts";

/** What a face asks for. */
export interface RunRequestInput {
  /** The task's name. */
  task: string;
  /** For a run on a file: its path (absolute, or relative to a watched folder), else absent. */
  file?: unknown;
  /** Who asks, for the log: "web", "mcp". */
  by: string;
  /** The run's trigger type: a person's click is `manual`; Claude's request through MCP `mcp`. */
  trigger: "manual" | "mcp";
  /**
   * The run the asker runs inside (its `CLODPUTER_RUN_ID`), if any: a run may not start its own
   * task again (a loop).
   */
  insideRun?: string | undefined;
}

/** What the request did. */
export interface RequestedRun {
  queued: QueuedRun;
  /** The pause the run waits behind, if the queue is paused. */
  paused: Pause | undefined;
  /** The file the run is for, if any. */
  file: string | undefined;
  /** Something to tell the asker that did not stop the run. */
  warning: string | undefined;
}

/** What starting a runner needs: the run's seams, and a stand-in for tests. */
export type RunRequestDeps = RunDeps & {
  startRunner?: ((store: Store) => Promise<number | undefined>) | undefined;
};

/**
 * Queues a run of `input.task` and starts a runner for it (unless the queue is paused): returns
 * at once, with the run's id, before the run starts.
 * @throws {NotFoundError} when there is no such task. @throws {ConfigError} when it does not load.
 * @throws {UsageError} for a file it cannot run on, or a run inside its own task's run.
 * @throws {QueuedForAnotherFileError} when it is queued already for another file.
 */
export async function requestRun(
  deps: RunRequestDeps,
  input: RunRequestInput,
): Promise<RequestedRun> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const loaded = await loadTask(deps.paths, input.task, deps.env, { global });
  const onFile = await fileFor(loaded, input.file);
  const log = openLog(deps, { settings: logSettings(global.log), secrets: loaded.secretValues });
  const now = deps.clock.now();
  const trigger: Trigger | undefined = onFile.run
    ? { ...onFile.run.trigger, type: input.trigger }
    : input.trigger === "manual"
    ? undefined
    : { type: input.trigger };
  const { queued, paused } = await withStore(deps, async (store) => {
    if (input.insideRun !== undefined) {
      const running = await store.running();
      if (running?.id === input.insideRun && running.task === loaded.name) {
        throw new UsageError(
          `Cannot run ${loaded.name} from inside its own run ${running.id}: it would start ` +
            "itself again and again",
          { hint: "a task may queue other tasks; to run this one again, ask after this run ends" },
        );
      }
    }
    const queued = await queueRun(store, log, {
      task: loaded.name,
      priority: "normal",
      nowMs: now,
      trigger,
      context: onFile.run?.context,
    });
    const paused = await readPause(deps.paths, now);
    if (!paused) {
      const pid = deps.startRunner ? await deps.startRunner(store) : await startRunner(deps, store);
      // As the tick logs the runner it starts: `logs` shows it, and tests wait for it.
      if (pid !== undefined) {
        await log.append({ event: "runner_started", pid, by: input.by }).catch(() => {});
      }
    }
    return { queued, paused };
  });
  return { queued, paused, file: fileOf(queued.item), warning: onFile.warning };
}

/** The file of a run on a file, as `run --file` takes it, for a face with no current folder. */
async function fileFor(
  loaded: Awaited<ReturnType<typeof loadTask>>,
  file: unknown,
): Promise<{ run: FileRun | undefined; warning: string | undefined }> {
  const name = loaded.name;
  const use = fileUse(loaded.config);
  if (file === undefined || file === null) {
    if (use.kind !== "needs") return { run: undefined, warning: undefined };
    throw new UsageError(
      `Cannot run ${name} without a file: it watches ${use.watch.folder}, and each of its runs ` +
        "is for one file (its prompt is filled from it)",
      { hint: `give the file to run it on as "file", such as ${exampleFile(use.watch)}` },
    );
  }
  if (typeof file !== "string" || file.trim() === "") {
    throw new UsageError(`"file" must be the path of a file, not ${JSON.stringify(file)}`, {
      hint: use.kind === "needs"
        ? `such as ${exampleFile(use.watch)}`
        : `leave "file" out: ${name} takes none`,
    });
  }
  if (use.kind === "none") {
    throw new UsageError(
      `Cannot run ${name} on a file: it does not watch a folder, and no template of it uses a ` +
        "file variable ({{ context.file_path }} and the rest)",
      { hint: `leave "file" out to run it` },
    );
  }
  // A relative path is read from the watched folder (a face has no current folder of yours).
  let path = file;
  if (!isAbsolute(file)) {
    if (use.kind !== "needs") {
      throw new UsageError(`Cannot run ${name} on "${file}": give the file's absolute path`, {
        hint: "such as /Users/you/notes/today.txt",
      });
    }
    path = join(use.watch.folder, file);
  }
  path = path.replace(/(.)\/+$/, "$1");
  const { run, why } = await checkFileToRun(
    name,
    use,
    path,
    use.kind === "needs"
      ? `a relative path is read from the watched folder ${use.watch.folder}`
      : "give the path of a file that exists",
  );
  return {
    run,
    warning: why
      ? `the watcher would not hand ${path} over (${why}); running on it anyway`
      : undefined,
  };
}
