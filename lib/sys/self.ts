/**
 * @module
 * How to start this same clodputer again from cron or launchd: the installed binary by a path
 * that survives upgrades; from source, the `clodputer` shim `deno task install` put on the PATH
 * (scripts/install.ts) when there is one for this checkout; else deno with the flags of
 * `deno task clodputer`.
 */

import denoJson from "../../deno.json" with { type: "json" };
import { delimiter, dirname, fromFileUrl, isAbsolute, join } from "./posix_path.ts";

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
  /** From source: the shim on the PATH (or in deno's install root) that runs this main.ts. */
  shim?: ShimFacts;
}

/** A `clodputer` shim found for this checkout, and why cron could not use it as it is. */
export interface ShimFacts {
  path: string;
  /** Empty when it runs this checkout with an absolute deno and the clodputer task's flags. */
  problems: string[];
}

/** The facts of this process. */
export function selfFacts(taskCommand: string): SelfFacts {
  const facts: SelfFacts = {
    standalone: Deno.build.standalone,
    execPath: Deno.execPath(),
    mainModule: Deno.mainModule,
    taskCommand,
  };
  if (facts.standalone || !facts.mainModule.startsWith("file:")) return facts;
  const env = {
    PATH: Deno.env.get("PATH"),
    HOME: Deno.env.get("HOME"),
    DENO_INSTALL_ROOT: Deno.env.get("DENO_INSTALL_ROOT"),
  };
  const shim = findShim(fromFileUrl(facts.mainModule), {
    candidates: shimCandidates(env),
    flags: runFlags(taskCommand),
  });
  return shim ? { ...facts, shim } : facts;
}

/**
 * Where a `clodputer` shim may be: each PATH folder, then deno's install root
 * (`$DENO_INSTALL_ROOT/bin`, else `~/.deno/bin`). Pure.
 */
export function shimCandidates(
  env: {
    PATH?: string | undefined;
    HOME?: string | undefined;
    DENO_INSTALL_ROOT?: string | undefined;
  },
): string[] {
  const dirs = (env.PATH ?? "").split(delimiter).filter(isAbsolute);
  const root = env.DENO_INSTALL_ROOT ?? (env.HOME ? join(env.HOME, ".deno") : undefined);
  if (root) dirs.push(join(root, "bin"));
  return [...new Set(dirs)].map((d) => join(d, "clodputer"));
}

/** The first candidate that is a shim running `main` (a path), with its problems. */
export function findShim(
  main: string,
  options: { candidates: string[]; flags: string[] },
): ShimFacts | undefined {
  for (const path of options.candidates) {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch {
      continue;
    }
    const argv = shimArgv(text);
    if (!argv || shimMain(argv) !== main) continue;
    return { path, problems: shimProblems(argv, options.flags) };
  }
  return undefined;
}

/**
 * The command a `#!/bin/sh` shim execs (its words, `"$@"` left out), as `deno install` and
 * `deno task install` write it; undefined for any other file. Pure.
 */
export function shimArgv(text: string): string[] | undefined {
  if (!text.startsWith("#!/bin/sh")) return undefined;
  const line = text.split("\n").find((l) => /^exec\s/.test(l));
  if (!line) return undefined;
  const words: string[] = [];
  for (const m of line.slice(4).matchAll(/(?:'[^']*'|\\'|"[^"]*"|[^\s'"\\]+)+/g)) {
    const word = m[0];
    if (word === '"$@"') continue;
    words.push(
      [...word.matchAll(/'([^']*)'|\\(')|"([^"]*)"|([^\s'"\\]+)/g)]
        .map((p) => p[1] ?? p[2] ?? p[3] ?? p[4] ?? "").join(""),
    );
  }
  return words;
}

/** The main.ts a shim runs (a path, also when the shim names a file URL). Pure. */
export function shimMain(argv: string[]): string | undefined {
  const main = argv.at(-1);
  if (!main?.endsWith("/main.ts")) return undefined;
  return main.startsWith("file://") ? fromFileUrl(main) : main;
}

/**
 * Why cron could not start clodputer through this shim: deno called by name (cron's PATH lacks
 * it), or the clodputer task's flags missing (deno 2.9's `deno install -g` drops `-P`). Pure.
 */
export function shimProblems(argv: string[], flags: string[]): string[] {
  const problems: string[] = [];
  const [deno] = argv;
  if (!deno || !isAbsolute(deno)) {
    problems.push(`it calls ${deno ?? "nothing"} by name, which cron's PATH does not have`);
  }
  const missing = flags.filter((f) =>
    !argv.includes(f) && !(f === "-q" && argv.includes("--quiet"))
  );
  if (missing.length > 0) {
    problems.push(`it runs deno without the clodputer task's ${missing.join(" ")}`);
  }
  return problems;
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
  if (facts.shim && facts.shim.problems.length === 0) {
    return { kind: "source", argv: [facts.shim.path] };
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

/** How to start this same clodputer again (the binary, or deno with the `clodputer` task's flags). */
export function thisClodputer(): SelfCommand {
  const facts = selfFacts(denoJson.tasks.clodputer.command);
  return selfCommand(facts, (link) => sameFile(link, facts.execPath));
}

/** The words that start this same clodputer (the binary, or deno with the task's flags). */
export function selfArgv(): string[] {
  return thisClodputer().argv;
}
