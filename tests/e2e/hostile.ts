/**
 * @module
 * Task files for the e2e tests of hostile and earlier-format input.
 */

import { join } from "node:path";
import { REPO_ROOT, type TempHome } from "./cli.ts";

/** A YAML alias bomb: ten values, each level ten aliases of the one before, nine levels. */
export const ALIAS_BOMB: string = [
  "name: bomb",
  "task:",
  "  prompt: hi",
  "  context:",
  `    l0: &l0 [${Array(10).fill('"x"')}]`,
  ...Array.from({ length: 8 }, (_, i) => `    l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`)}]`),
  "",
].join("\n");

/** Where the alias bomb crosses the limit: the eighth alias of level 4 (see load_test.ts). */
export const ALIAS_BOMB_AT = "bomb.yaml:9:42";

/** Copies an earlier-format task file from the fixtures into the home's tasks. */
export async function copyLegacy(home: TempHome, name: string): Promise<string> {
  const file = join(home.clodputerHome, "tasks", `${name}.yaml`);
  await Deno.copyFile(
    join(REPO_ROOT, "tests", "fixtures", "config", "legacy", `${name}.yaml`),
    file,
  );
  return file;
}
