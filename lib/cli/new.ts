/**
 * @module
 * `clodputer new <name> [--from <example>]`: writes tasks/<name>.yaml from a shipped example,
 * then says what to do next for what starts it (a schedule, a folder watch, an interval, a
 * person); `--list` shows the examples. Never overwrites.
 */

import { closest } from "../config/_suggest.ts";
import { type Example, exampleAs, EXAMPLES } from "../config/examples.ts";
import { validateTaskName } from "../config/names.ts";
import { IoError, NotFoundError, UsageError } from "../errors.ts";
import { ensureDir } from "../sys/fs.ts";
import { taskFile } from "../sys/paths.ts";
import { table } from "../ui/table.ts";
import type { Deps } from "./deps.ts";

/** The example used when `--from` is not given: a manual task, safe to run by hand. */
export const DEFAULT_EXAMPLE = "summarise-repo";

/** `new`. */
export async function newCommand(
  deps: Deps,
  name: string | undefined,
  options: { from?: string | undefined; list: boolean; json: boolean },
): Promise<number> {
  const { out } = deps;
  if (options.list) {
    if (options.json) {
      out.json(EXAMPLES.map((e) => ({ name: e.name, summary: e.summary })));
    } else {
      out.line("Examples (clodputer new <name> --from <example>):");
      for (
        const line of table(["EXAMPLE", "WHAT IT DOES"], EXAMPLES.map((e) => [e.name, e.summary]))
      ) {
        out.line(`  ${line}`);
      }
    }
    return 0;
  }
  if (!name) {
    throw new UsageError("Cannot create a task without a name", {
      hint:
        "run: clodputer new <name> [--from <example>] (see the examples with: clodputer new --list)",
    });
  }
  validateTaskName(name);
  const fromName = options.from ?? DEFAULT_EXAMPLE;
  const example = EXAMPLES.find((e) => e.name === fromName);
  if (!example) {
    const match = closest(fromName, EXAMPLES.map((e) => e.name));
    throw new NotFoundError(`Cannot find the example "${fromName}"`, {
      hint: `${match ? `did you mean "${match}"? ` : ""}the examples are: ${
        EXAMPLES.map((e) => e.name).join(", ")
      }`,
    });
  }
  const file = taskFile(deps.paths, name);
  await ensureDir(deps.paths.tasks);
  try {
    await Deno.writeTextFile(file, exampleAs(example, name), { createNew: true, mode: 0o600 });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) {
      throw new UsageError(`Cannot create task "${name}": ${file} exists already`, {
        hint: `edit that file, or choose another name (it was not changed)`,
      });
    }
    throw new IoError("write", file, { cause: error });
  }
  if (options.json) {
    out.json({ name, file, from: example.name });
  } else {
    out.line(`created ${file} from the example "${example.name}"`);
    out.line("next:");
    for (const line of nextSteps(name, example)) out.line(`  ${line}`);
  }
  return 0;
}

/** What to do after `new`, by what starts the task: numbered steps, each with its command. Pure. */
export function nextSteps(name: string, example: Pick<Example, "summary" | "startedBy">): string[] {
  const edit = (what: string) => `1. edit it: ${what} (${example.summary})`;
  const watcher = "clodputer watch (or clodputer install: every tick keeps a watcher running)";
  switch (example.startedBy) {
    case "schedule":
      return [
        edit("the schedule, the prompt, allowed_tools, working_directory"),
        `2. check it (the claude command it runs, its next runs): clodputer validate ${name}`,
        "3. schedule it: clodputer install (once for every task: a tick every minute runs what " +
        "is due)",
        `   to try it at once: clodputer run ${name} --now`,
      ];
    case "file_watch":
      return [
        edit("the folder it watches, the pattern, the prompt, allowed_tools"),
        `2. try it on one file, as the watcher would hand it over: clodputer run ${name} ` +
        "--file <a file> --now",
        `3. run it for every new file: ${watcher}`,
      ];
    case "interval":
      return [
        edit("the interval, the prompt, allowed_tools, working_directory"),
        `2. run it once and watch: clodputer run ${name} --now`,
        `3. run it at its interval: ${watcher}`,
      ];
    case "manual":
      return [
        edit("the prompt, allowed_tools, working_directory"),
        `2. run it once and watch: clodputer run ${name} --now`,
      ];
  }
}
