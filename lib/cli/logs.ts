/**
 * @module
 * `clodputer logs`: the execution log as lines for people (coloured on a terminal) or as raw
 * JSON lines; `--tail`, `--follow`, `--task`, `--since`, `--until`, `--status`, `--run`.
 */

import { followEvents, matchesFilter } from "../log/reader.ts";
import type { Deps } from "./deps.ts";
import { logsTailCommand, printEvent, printTail, type TailOptions, tailPlan } from "./logs_tail.ts";
import { lazy } from "../lazy.ts";

/** Options of `logs`. */
export interface LogsOptions extends TailOptions {
  follow: boolean;
  run?: string | undefined;
}

/** `logs`. */
export async function logsCommand(deps: Deps, options: LogsOptions): Promise<number> {
  if (options.run !== undefined) {
    const { showCommand } = await lazy<typeof import("./show.ts")>("lib/cli/show.ts");
    return await showCommand(deps, options.run, { json: options.json });
  }
  if (!options.follow) return await logsTailCommand(deps, options);
  const { clock, paths } = deps;
  const plan = tailPlan(options, clock.now());
  const { filter } = plan;
  // Where following starts is taken before the tail is read, so nothing written in between is
  // missed; what the tail printed already is skipped.
  const followFrom = await Deno.stat(paths.log).then((s) => s.size, () => 0);
  const events = await printTail(deps, plan, options);
  const printed = new Set(events.map((e) => JSON.stringify(e)));
  // Follow until SIGINT/SIGTERM/SIGHUP; the log may rotate meanwhile.
  const { loadGlobalConfig } = await lazy<typeof import("../config/load.ts")>("lib/config/load.ts");
  await loadGlobalConfig(paths, deps.env); // fail early on a bad config, as every command does
  const stop = new AbortController();
  const remove = deps.onSignal(() => stop.abort());
  try {
    const follow = followEvents(paths, clock, {
      signal: stop.signal,
      fromEnd: true,
      fromOffset: followFrom,
    });
    for await (const e of follow) {
      if (filter.until !== undefined && Date.parse(e.ts) >= filter.until) break;
      if (matchesFilter(e, filter) && !printed.has(JSON.stringify(e))) {
        printEvent(deps.out, e, options);
      }
    }
  } finally {
    remove();
  }
  return 0;
}
