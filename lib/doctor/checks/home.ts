/**
 * @module
 * Doctor: the state folder exists, is private, and is writable, and its `tasks` is a folder.
 */

import { join } from "../../sys/posix_path.ts";
import { exists, isDirectory } from "../../sys/fs.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

/** Checks `$CLODPUTER_HOME`. */
export async function checkHome(ctx: DoctorContext): Promise<CheckResult[]> {
  const { home, tasks } = ctx.paths;
  if (!(await isDirectory(home))) {
    return [{
      id: "home",
      status: "fail",
      message: `The state folder ${home} does not exist`,
      fix: "run: clodputer init",
    }];
  }
  const results: CheckResult[] = [];
  // First: nothing runs while tasks is not a folder (run, tick and list refuse it, exit 2).
  if ((await exists(tasks)) && !(await isDirectory(tasks))) {
    results.push({
      id: "home:tasks-folder",
      status: "fail",
      message: `${tasks} is not a folder: no task can be listed, run or scheduled`,
      fix: `move it aside and make the folder: mv ${tasks} ${tasks}.old && mkdir ${tasks}`,
    });
  }
  const mode = ((await Deno.stat(home)).mode ?? 0) & 0o777;
  const probe = join(home, `.doctor-${ctx.selfPid}`);
  let writable = true;
  try {
    await Deno.writeTextFile(probe, "");
    await Deno.remove(probe);
  } catch {
    writable = false;
  }
  if (!writable) {
    results.push({
      id: "home",
      status: "fail",
      message: `The state folder ${home} is not writable`,
      fix: `make it yours and writable: chmod u+rwx ${home}`,
    });
  } else if ((mode & 0o077) !== 0) {
    results.push({
      id: "home",
      status: "warn",
      message: `The state folder ${home} is readable by others (mode ${
        mode.toString(8).padStart(4, "0")
      })`,
      fix: `chmod 700 ${home}`,
    });
  } else {
    results.push({
      id: "home",
      status: "ok",
      message: `State folder ${home} (mode 0700, writable)`,
    });
  }
  if (!(await exists(tasks))) {
    results.push({
      id: "home:tasks",
      status: "warn",
      message: `There is no tasks folder (${tasks})`,
      fix: "run: clodputer init",
    });
  }
  return results;
}
