/**
 * @module
 * `clodputer watch`: the folder watcher (and interval triggers). In the foreground it prints a
 * line per event and per run queued, and Ctrl-C stops it; `--daemon` starts it detached and
 * returns once it is watching; `--stop` stops it and waits; `--status` says whether it runs.
 */

import { localTime } from "../ui/duration.ts";
import { skippedLines } from "../ui/missed.ts";
import { startDaemon, stopWatcher, watcherState } from "../watch/daemon.ts";
import { serveWatcher } from "../watch/serve.ts";
import type { Deps } from "./deps.ts";

/** Options of `watch`. */
export interface WatchOptions {
  daemon: boolean;
  stop: boolean;
  status: boolean;
  /** The detached daemon itself: lines go to watcher.log. */
  background: boolean;
  json: boolean;
}

/** `watch`. */
export async function watchCommand(deps: Deps, options: WatchOptions): Promise<number> {
  if (options.status) return await statusOf(deps, options.json);
  if (options.stop) return stop(deps);
  if (options.daemon) return await start(deps);
  return await watchHere(deps, options.background);
}

async function statusOf(deps: Deps, json: boolean): Promise<number> {
  const state = await watcherState(deps.paths, deps.proc, deps.clock.now());
  if (json) {
    deps.out.json(state);
    return 0;
  }
  if (state.state === "running") {
    const i = state.info;
    deps.out.line(`watcher: running (pid ${state.pid}${i ? `, since ${localTime(i.since)}` : ""})`);
    for (const f of i?.folders ?? []) deps.out.line(`  watching ${f}`);
    if (i?.last_event) {
      deps.out.line(`  last event: ${localTime(i.last_event.at)} ${i.last_event.text}`);
    }
    for (const line of skippedLines(i?.skipped)) deps.out.line(`  ${line}`);
  } else if (state.state === "stale") {
    deps.out.line(`watcher: not running (watcher.pid names ${state.pid}, which is gone)`);
  } else {
    deps.out.line("watcher: not running (start it with: clodputer watch --daemon)");
  }
  return 0;
}

async function start(deps: Deps): Promise<number> {
  const started = await startDaemon(deps);
  deps.out.line(`watcher started (pid ${started.pid}); its log: ${deps.paths.watcherLog}`);
  for (const f of started.folders) deps.out.line(`  watching ${f}`);
  return 0;
}

async function stop(deps: Deps): Promise<number> {
  const stopped = await stopWatcher(deps);
  switch (stopped.kind) {
    case "not running":
      deps.out.line("watcher: not running");
      break;
    case "stopped":
      deps.out.line(`watcher stopped (pid ${stopped.pid})`);
      break;
    case "killed":
      deps.out.line(
        `watcher killed (pid ${stopped.pid}): it did not stop within ${stopped.waitedMs / 1000} s`,
      );
      break;
  }
  return 0;
}

async function watchHere(deps: Deps, background: boolean): Promise<number> {
  const stopper = new AbortController();
  const removeSignal = deps.onSignal((signal) => stopper.abort(signal));
  try {
    await serveWatcher(deps, {
      background,
      signal: stopper.signal,
      line: (text) => deps.out.line(text),
      warning: (message) => deps.out.error(`warning: ${message}`),
    });
    return 0;
  } finally {
    removeSignal();
  }
}
