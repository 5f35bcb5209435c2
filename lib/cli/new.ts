/**
 * @module
 * `clodputer new <name> [--from <example>]`: writes tasks/<name>.yaml from a shipped example;
 * `--list` shows the examples. Never overwrites.
 */

import { closest } from "../config/_suggest.ts";
import { exampleAs, EXAMPLES } from "../config/examples.ts";
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
    out.line(`  1. edit it: the prompt, allowed_tools, working_directory (${example.summary})`);
    out.line(`  2. run it once and watch: clodputer run ${name} --now`);
  }
  return 0;
}
