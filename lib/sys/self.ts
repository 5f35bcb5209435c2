/**
 * @module
 * How to start this same clodputer again from cron or launchd: the installed binary by a path
 * that survives upgrades, or, from source, deno with the flags of `deno task clodputer`.
 */

import { dirname, fromFileUrl, join } from "./path.ts";

/** The words between `deno run` and `main.ts` in the `clodputer` task. @throws {Error} */
export function runFlags(command: string): string[] {
  const words = command.trim().split(/\s+/);
  if (words[0] !== "deno" || words[1] !== "run" || words.at(-1) !== "main.ts") {
    throw new Error(`Cannot read the flags of the clodputer task: "${command}"`);
  }
  return words.slice(2, -1);
}

/** What is running now. */
export interface SelfFacts {
  /** True in a `deno compile` binary. */
  standalone: boolean;
  /** The executable: the binary, or deno. */
  execPath: string;
  /** The entry module's URL (main.ts when run from source). */
  mainModule: string;
  /** The `clodputer` task's command from deno.json. */
  taskCommand: string;
}

/** The facts of this process. */
export function selfFacts(taskCommand: string): SelfFacts {
  return {
    standalone: Deno.build.standalone,
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    taskCommand,
  };
}

/** How cron starts clodputer: an argv prefix (the command, then `tick` or another verb). */
export interface SelfCommand {
  kind: "binary" | "source";
  argv: string[];
}

/**
 * The Homebrew link for a binary in a Cellar (`<prefix>/Cellar/clodputer/<version>/bin/x` ->
 * `<prefix>/bin/x`), which stays put across `brew upgrade`; undefined elsewhere. Pure.
 */
export function homebrewLink(path: string): string | undefined {
  const m = path.match(/^(.*)\/Cellar\/[^/]+\/[^/]+\/bin\/([^/]+)$/);
  return m ? `${m[1]}/bin/${m[2]}` : undefined;
}

/**
 * The command that starts this clodputer again. Pure: `resolveLink` tells whether the Homebrew
 * link exists and points at the same binary.
 */
export function selfCommand(
  facts: SelfFacts,
  linkIsSame: (link: string) => boolean = () => false,
): SelfCommand {
  if (facts.standalone) {
    const link = homebrewLink(facts.execPath);
    return { kind: "binary", argv: [link && linkIsSame(link) ? link : facts.execPath] };
  }
  const main = fromFileUrl(facts.mainModule);
  return {
    kind: "source",
    argv: [
      facts.execPath,
      "run",
      ...runFlags(facts.taskCommand),
      "--config",
      join(dirname(main), "deno.json"),
      main,
    ],
  };
}

/** True when `link` resolves to the same file as `target`. */
export function sameFile(link: string, target: string): boolean {
  try {
    return Deno.realPathSync(link) === Deno.realPathSync(target);
  } catch {
    return false;
  }
}
