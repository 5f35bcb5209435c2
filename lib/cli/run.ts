/**
 * @module
 * `clodputer run <task>`: runs a task in the foreground with live progress, prints its result.
 */

import { loadGlobalConfig, loadTask } from "../config/load.ts";
import { runTask } from "../run/run_task.ts";
import type { ProgressEvent } from "../run/stream.ts";
import { ensureDir } from "../sys/fs.ts";
import { runDir } from "../sys/paths.ts";
import { activityOf, progressLine, runSummary, spinnerLine } from "../ui/run_view.ts";
import type { Deps } from "./deps.ts";

/** Options of `run`. */
export interface RunCommandOptions {
  json: boolean;
}

/** Runs the command; returns the exit code (0 success, 1 the task failed). */
export async function runCommand(
  deps: Deps,
  taskName: string,
  options: RunCommandOptions,
): Promise<number> {
  const { out, clock } = deps;
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const loaded = await loadTask(deps.paths, taskName, deps.env, { global });
  for (const w of loaded.warnings) {
    out.error(
      `warning: ${w.where.file}:${w.where.line ?? "?"}: ${w.message}${
        w.hint ? ` (${w.hint})` : ""
      }`,
    );
  }
  await ensureDir(deps.paths.home);

  const cancel = new AbortController();
  const removeSignal = deps.onSignal((signal) => {
    if (!cancel.signal.aborted) {
      out.clearStatus();
      out.error(`${signal} received: stopping ${taskName} and cleaning up its processes`);
      cancel.abort(signal);
    }
  });

  // Live progress: a spinner on a terminal, plain lines otherwise (never with --json).
  const live = out.errIsTerminal && !options.json;
  let activity = "starting";
  let turns = 0;
  const started = clock.now();
  const stopSpinner = new AbortController();
  const spinner = live
    ? (async () => {
      for (let frame = 0; !stopSpinner.signal.aborted; frame++) {
        out.status(spinnerLine(taskName, clock.now() - started, activity, frame));
        await clock.sleep(100, stopSpinner.signal);
      }
    })()
    : Promise.resolve();
  const onEvent = (event: ProgressEvent) => {
    if (event.kind === "tool" || event.kind === "text") turns++;
    if (live) {
      activity = activityOf(event, turns) ?? activity;
    } else if (!options.json) {
      const line = progressLine(event);
      if (line) out.error(line);
    }
  };

  let record;
  try {
    record = await runTask(deps, loaded, {
      global,
      signal: cancel.signal,
      onEvent,
      onStart: ({ runId, pid }) => {
        if (!live && !options.json) {
          out.error(`started ${taskName}: run ${runId}, claude pid ${pid}`);
        }
      },
    });
  } finally {
    stopSpinner.abort();
    await spinner;
    out.clearStatus();
    removeSignal();
  }

  if (options.json) {
    out.json(record);
  } else {
    for (
      const line of runSummary(record, { color: out.color, runDir: runDir(deps.paths, record.id) })
    ) {
      out.line(line);
    }
  }
  return record.status === "succeeded" ? 0 : 1;
}
