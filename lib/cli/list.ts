/**
 * @module
 * `clodputer list`: every task with its trigger (cron with a description and the next run in
 * the task's time zone, folder watches, intervals, manual), disabled ones marked, invalid ones
 * listed with their error. The list is read by `listTasks()` (lib/status/task_list.ts) and drawn
 * by `renderTaskList()` (lib/ui/task_list.ts).
 */

import { listTasks } from "../status/task_list.ts";
import { describePause } from "../ui/pause.ts";
import { renderTaskList } from "../ui/task_list.ts";
import type { Deps } from "./deps.ts";

/** `list`. */
export async function listCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const { rows, paused } = await listTasks(deps);
  if (options.json) {
    deps.out.json(rows);
    return 0;
  }
  for (
    const line of renderTaskList(rows, { color: deps.out.color, tasksDir: deps.paths.tasks })
  ) deps.out.line(line);
  if (paused) {
    deps.out.line("");
    deps.out.line(
      deps.out.color.yellow(
        `The queue is ${describePause(paused)}: tasks are queued, none starts (clodputer resume).`,
      ),
    );
  }
  return 0;
}
