/**
 * @module
 * `clodputer menubar print` (what the menu bar plugin shows, every 10 s: kept light, no yaml,
 * zod or commander) and `clodputer menubar open <run>` (the failure item: acknowledge, then show).
 */

import { ClodputerError, UsageError } from "../errors.ts";
import { lazy } from "../lazy.ts";
import { withStore } from "../state/open.ts";
import { raiseOverdueAlarms } from "../status/overdue_alarms.ts";
import { readStatus, type StatusView } from "../status/read.ts";
import { runNowTasks } from "../status/run_now.ts";
import { isAbsolute } from "../sys/posix_path.ts";
import { selfArgv } from "../sys/self.ts";
import { menuHost, renderMenu, renderMenuError } from "../ui/menubar.ts";
import type { Deps } from "./deps.ts";

/**
 * `menubar print`: the menu in the plugin format of the host that runs it (SwiftBar or xbar, told
 * by the variables it sets; the plugin script passes its environment on). With `plugin` (the installed plugin's
 * path), each action runs through the plugin, which sets the environment clodputer needs.
 * A status that cannot be read is shown in the menu, not as a failure of the plugin.
 */
export async function menubarPrintCommand(
  deps: Deps,
  options: { plugin: string | undefined },
): Promise<number> {
  if (options.plugin !== undefined && !isAbsolute(options.plugin)) {
    throw new UsageError(`Cannot use the plugin path "${options.plugin}": it is not absolute`, {
      hint: "give the full path, as clodputer menubar install writes it",
    });
  }
  const self = options.plugin === undefined ? selfArgv() : [options.plugin];
  const nowMs = deps.clock.now();
  const host = menuHost((name) => deps.env.get(name));
  let lines: string[];
  try {
    // Run now offers the tasks a click can run: not the folder watches (a run needs a file).
    const [view, tasks] = await Promise.all([lookAtStatus(deps), runNowTasks(deps)]);
    lines = renderMenu(view, { tasks: tasks.offered, needFile: tasks.needFile, self, nowMs, host });
  } catch (error) {
    if (!(error instanceof ClodputerError)) throw error;
    lines = renderMenuError(error.message, { tasks: [], self, nowMs, host });
  }
  for (const line of lines) deps.out.line(line);
  return 0;
}

/** Raises what is overdue (the menu bar is often what looks next), then reads the status. */
async function lookAtStatus(deps: Deps): Promise<StatusView> {
  return await withStore(deps, async (store) => {
    const overdue = await raiseOverdueAlarms(deps, { store });
    return await readStatus(deps, { store, overdue });
  });
}

/** `menubar open <run>`: what the menu's failure item runs: acknowledge the failures, show one. */
export async function menubarOpenCommand(deps: Deps, run: string): Promise<number> {
  const { ackCommand } = await lazy<typeof import("./pause.ts")>("lib/cli/pause.ts");
  await ackCommand(deps, { json: false });
  deps.out.line("");
  const { showCommand } = await lazy<typeof import("./show.ts")>("lib/cli/show.ts");
  return await showCommand(deps, run, { json: false });
}
