/**
 * @module
 * `clodputer validate [name...]`: a dry run. Loads and checks every task (or the named ones),
 * prints the exact claude command line each would run, its trigger and next runs, and warns
 * about risky but legal choices. Exit 2 when any task is invalid. The checks are
 * `validateTasks()` (lib/doctor/validate.ts), drawn by `renderValidation()` (lib/ui/validate.ts).
 */

import { validateTasks } from "../doctor/validate.ts";
import { UsageError } from "../errors.ts";
import { renderValidation } from "../ui/validate.ts";
import type { Deps } from "./deps.ts";

/** `validate`. */
export async function validateCommand(
  deps: Deps,
  names: string[],
  options: { json: boolean; count: string },
): Promise<number> {
  const count = Number(options.count);
  if (!Number.isInteger(count) || count < 0 || count > 100) {
    throw new UsageError(
      `Cannot preview "${options.count}" runs: --count takes a whole number from 0 to 100`,
      {
        hint: "for example: --count 5",
      },
    );
  }
  const results = await validateTasks(deps, names, count);
  if (options.json) deps.out.json(results);
  else for (const line of renderValidation(results, deps.out.color)) deps.out.line(line);
  return results.some((v) => !v.valid) ? 2 : 0;
}
