/**
 * @module
 * Doctor: every task config is valid, and what loads with a warning is named; its MCP config, working directory and watched folder are
 * usable; on macOS, nothing sits behind Full Disk Access.
 */

import { misnamedMessage } from "../../config/names.ts";
import { ClodputerError, firstProblem } from "../../errors.ts";
import { exists, isDirectory, readTextIfExists } from "../../sys/fs.ts";
import { macProtectedFolders } from "../../sys/paths.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

/** Checks the task files. */
export async function checkTasks(ctx: DoctorContext): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  // A tasks that is not a folder is the home check's finding (home:tasks-folder).
  if (
    ctx.tasks.length === 0 && !(await isDirectory(ctx.paths.tasks)) && await exists(ctx.paths.tasks)
  ) {
    return [];
  }
  // A file whose name is no task name is never loaded: say so, with the rename to make.
  for (const m of ctx.misnamed) {
    const { message, hint } = misnamedMessage(m);
    results.push({ id: `task-file:${m.name}`, status: "fail", message, fix: hint });
  }
  if (ctx.tasks.length === 0) {
    return [{
      id: "tasks",
      status: "warn",
      message: `There are no tasks in ${ctx.paths.tasks}`,
      fix: "create one: clodputer new <name> (see clodputer new --list)",
    }, ...results];
  }
  const home = ctx.env.get("HOME") ?? "";
  const guarded = macProtectedFolders(home);
  let valid = 0;
  for (const entry of ctx.tasks) {
    if ("error" in entry) {
      results.push({
        id: `task:${entry.name}`,
        status: "fail",
        message: `Task "${entry.name}" is invalid: ${firstProblem(entry.error)}`,
        fix: entry.error instanceof ClodputerError && entry.error.hint
          ? entry.error.hint
          : `run: clodputer validate ${entry.name}`,
      });
      continue;
    }
    valid++;
    const { config, name } = entry.task;
    entry.task.warnings.forEach((w, index) => {
      results.push({
        id: `task:${name}:warning:${index + 1}`,
        status: "warn",
        message: `Task "${name}": ${w.message}`,
        ...(w.hint === undefined ? {} : { fix: w.hint }),
      });
    });
    const mcp = config.task.mcp_config;
    if (mcp) {
      const text = await readTextIfExists(mcp).catch(() => undefined);
      let problem: string | undefined;
      if (text === undefined) problem = "does not exist or cannot be read";
      else {
        try {
          const parsed = JSON.parse(text);
          if (typeof parsed?.mcpServers !== "object" || parsed.mcpServers === null) {
            problem = 'has no "mcpServers" object';
          }
        } catch (error) {
          problem = `is not valid JSON (${error instanceof Error ? error.message : error})`;
        }
      }
      results.push(
        problem
          ? {
            id: `task:${name}:mcp`,
            status: "fail",
            message: `Task "${name}": mcp_config ${mcp} ${problem}`,
            fix: `fix ${mcp}, or remove mcp_config from the task`,
          }
          : {
            id: `task:${name}:mcp`,
            status: "ok",
            message: `Task "${name}": MCP config ${mcp} parses`,
          },
      );
    }
    const cwd = config.task.working_directory;
    if (cwd && !(await isDirectory(cwd))) {
      results.push({
        id: `task:${name}:cwd`,
        status: "fail",
        message: `Task "${name}": working_directory ${cwd} is not a folder`,
        fix: `create it (mkdir -p ${cwd}) or fix working_directory`,
      });
    }
    const trigger = config.trigger;
    if (trigger?.type === "file_watch") {
      const readable = await Deno.readDir(trigger.path)[Symbol.asyncIterator]().next().then(
        () => true,
        () => false,
      );
      if (!(await isDirectory(trigger.path))) {
        results.push({
          id: `task:${name}:watch`,
          status: "warn",
          message: `Task "${name}": the watched folder ${trigger.path} does not exist yet`,
          fix: `create it: mkdir -p ${trigger.path}`,
        });
      } else if (!readable) {
        results.push({
          id: `task:${name}:watch`,
          status: "fail",
          message: `Task "${name}": the watched folder ${trigger.path} cannot be read`,
          fix: `check its permissions (ls -ld ${trigger.path})`,
        });
      }
    }
    if (ctx.os === "darwin") {
      const paths = [cwd, trigger?.type === "file_watch" ? trigger.path : undefined].filter((
        p,
      ): p is string => !!p);
      const hit = paths.find((p) => guarded.some((g) => p === g || p.startsWith(`${g}/`)));
      if (hit) {
        results.push({
          id: `task:${name}:fda`,
          status: "warn",
          message:
            `Task "${name}" uses ${hit}, which macOS guards: scheduled runs fail there without Full Disk Access`,
          fix: "System Settings > Privacy & Security > Full Disk Access: add /usr/sbin/cron when " +
            "the crontab runs clodputer, or, with install --launchd, the program the LaunchAgent " +
            `starts (${ctx.executable}); after an upgrade macOS may need the grant again`,
        });
      }
    }
  }
  if (valid > 0) {
    results.unshift({
      id: "tasks",
      status: "ok",
      message: `${valid} of ${ctx.tasks.length} task configs are valid`,
    });
  }
  return results;
}
