/**
 * @module
 * What the tests of the command tree and of the docs share: the CLI's real command tree, and the
 * Markdown files the docs are made of.
 */

import { join } from "node:path";
import type { CompletionCommand } from "../../lib/cli/completions.ts";
import { buildProgram, describeCommand } from "../../lib/cli/program.ts";
import { recordingOutput } from "../../lib/ui/output.ts";

const ROOT = new URL("../..", import.meta.url).pathname;

/** The CLI's real command tree, as `--help`, completions and `clodputer man` see it. */
export function realTree(): CompletionCommand {
  return describeCommand(buildProgram({
    out: recordingOutput(),
    getDeps: () => {
      throw new Error("no command runs here");
    },
    setExit: () => {},
  }));
}

/** README.md, then each of `also` (paths from the repository root), then docs/**\/*.md; sorted. */
export async function docFiles(also: readonly string[] = []): Promise<string[]> {
  const files = [join(ROOT, "README.md"), ...also.map((path) => join(ROOT, path))];
  const walk = async (dir: string) => {
    for await (const entry of Deno.readDir(dir)) {
      const path = join(dir, entry.name);
      if (entry.isDirectory) await walk(path);
      else if (entry.name.endsWith(".md")) files.push(path);
    }
  };
  await walk(join(ROOT, "docs"));
  return files.sort();
}
