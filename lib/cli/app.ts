/**
 * @module
 * The CLI's entry: the real-world seams, and the dispatch. The few commands that run all the time
 * (`tick` every minute, `status --json` for the menu bar, `--version`) are answered without
 * loading commander; every other command goes through the command tree in program.ts. Each
 * command's module is imported only when that command runs.
 */

import { UsageError } from "../errors.ts";
import { lazy } from "../lazy.ts";
import { type Clock, shiftedClock, systemClock } from "../sys/clock.ts";
import {
  osName,
  processEnv,
  selfPid,
  stderrIsTerminal,
  stdoutIsTerminal,
  terminalColumns,
} from "../sys/env.ts";
import { resolvePaths } from "../sys/paths.ts";
import { systemProc } from "../sys/proc.ts";
import { onTerminationSignal } from "../sys/signals.ts";
import { confirm, stdinIsTerminal } from "../sys/tty.ts";
import { consoleOutput, type Output } from "../ui/output.ts";
import type { Deps } from "./deps.ts";
import { type GlobalFlags, globalFlags, VERSION } from "./global_flags.ts";

/** The real console, with colour only on a terminal and never under NO_COLOR. */
export function realOutput(): Output {
  const noColor = processEnv().get("NO_COLOR");
  return consoleOutput({
    isTerminal: stdoutIsTerminal(),
    errIsTerminal: stderrIsTerminal(),
    columns: terminalColumns(),
    noColor: noColor !== undefined && noColor !== "",
  });
}

/** The real clock, or one shifted to start at `fakeTime` (an ISO time; a testing aid). */
export function clockFrom(fakeTime: string | undefined): Clock {
  if (!fakeTime) return systemClock;
  const start = Date.parse(fakeTime);
  if (Number.isNaN(start)) {
    throw new UsageError(`CLODPUTER_FAKE_TIME is not a time: "${fakeTime}"`, {
      hint: "unset it, or give an ISO time such as 2026-11-26T08:00:00Z",
    });
  }
  return shiftedClock(start);
}

/** Builds the real-world seams. */
export function realDeps(flags: GlobalFlags, out: Output): Deps {
  const env = processEnv();
  return {
    clock: clockFrom(env.get("CLODPUTER_FAKE_TIME")),
    proc: systemProc(),
    env,
    paths: resolvePaths(env),
    out,
    selfPid: selfPid(),
    os: osName(),
    debug: flags.debug,
    onSignal: onTerminationSignal,
    confirm: async (question) => stdinIsTerminal() ? await confirm(question) : undefined,
  };
}

/** Runs one command answered without commander. */
type FastCommand = (deps: () => Deps, out: Output) => Promise<number>;

/**
 * A form of command line answered without commander: the command to run, or undefined when
 * `args` is not exactly of this form (then commander parses it, and reports what is wrong).
 * A matcher accepts only what commander would accept the same way, and nothing else.
 */
type FastMatcher = (args: string[]) => FastCommand | undefined;

/** Matches exactly these words, in this order. */
function exactly(words: string, command: FastCommand): FastMatcher {
  return (args) => (args.join(" ") === words ? command : undefined);
}

const version: FastCommand = (_deps, out) => {
  out.line(VERSION);
  return Promise.resolve(0);
};

const status = (json: boolean): FastCommand => async (deps) =>
  (await lazy<typeof import("./status.ts")>("lib/cli/status.ts")).statusCommand(deps(), { json });

const tick = (run: boolean, runner = false): FastCommand => async (deps) =>
  (await lazy<typeof import("./tick.ts")>("lib/cli/tick.ts")).tickCommand(deps(), {
    run,
    runner,
    verbose: false,
  });

/**
 * `logs` with at most `--tail <n>` (or `-n <n>`, `--tail=<n>`, n a whole number) and `--json`,
 * each once, in any order: the last events of the log, as commander would run them.
 */
const logsTail: FastMatcher = (args) => {
  if (args[0] !== "logs") return undefined;
  let tail: string | undefined;
  let json = false;
  for (let i = 1; i < args.length; i++) {
    const arg = args[i] as string;
    const value = arg.startsWith("--tail=") ? arg.slice("--tail=".length) : undefined;
    if (arg === "--json" && !json) {
      json = true;
    } else if (tail === undefined && value !== undefined && /^\d+$/.test(value)) {
      tail = value;
    } else if (
      tail === undefined && (arg === "--tail" || arg === "-n") && /^\d+$/.test(args[i + 1] ?? "")
    ) {
      tail = args[++i];
    } else {
      return undefined;
    }
  }
  return async (deps) =>
    (await lazy<typeof import("./logs_tail.ts")>("lib/cli/logs_tail.ts")).logsTailCommand(deps(), {
      tail,
      json,
    });
};
const list = (json: boolean): FastCommand => async (deps) =>
  (await lazy<typeof import("./list.ts")>("lib/cli/list.ts")).listCommand(deps(), { json });

const validate = (json: boolean): FastCommand => async (deps) =>
  (await lazy<typeof import("./validate.ts")>("lib/cli/validate.ts")).validateCommand(deps(), [], {
    json,
    count: "3",
  });

/** The watcher daemon, as `watch --daemon` and the tick start it: it holds no commander. */
const watchDaemon: FastCommand = async (deps) =>
  (await lazy<typeof import("./watch.ts")>("lib/cli/watch.ts")).watchCommand(deps(), {
    daemon: false,
    stop: false,
    status: false,
    background: true,
    json: false,
  });

/**
 * `menubar print`, or `menubar print --plugin <path>`: what the menu bar plugin runs every 10 s.
 */
const menubarPrint: FastMatcher = (args) => {
  const [verb, sub, flag, path, ...rest] = args;
  if (verb !== "menubar" || sub !== "print" || rest.length > 0) return undefined;
  if (flag !== undefined && (flag !== "--plugin" || path === undefined || path.startsWith("-"))) {
    return undefined;
  }
  return async (deps) =>
    (await lazy<typeof import("./menubar.ts")>("lib/cli/menubar.ts")).menubarPrintCommand(deps(), {
      plugin: path,
    });
};

/** `completions --tasks`: the task names, which a completion script runs at each TAB on a task. */
const completionTasks: FastCommand = async (deps) =>
  (await lazy<typeof import("./completions.ts")>("lib/cli/completions.ts")).completionTasksCommand(
    deps(),
  );

/** The command lines answered without commander; the first that matches runs. */
const FAST: FastMatcher[] = [
  exactly("--version", version),
  exactly("-V", version),
  exactly("status", status(false)),
  exactly("status --json", status(true)),
  exactly("tick", tick(true)),
  exactly("tick --no-run", tick(false)),
  exactly("tick --runner", tick(true, true)),
  exactly("watch --background", watchDaemon),
  exactly("completions --tasks", completionTasks),
  menubarPrint,
  logsTail,
  // `run <task>` with any of --now, --wait, --json, each once, in any order after the task.
  // Anything else (`--file <path>`, `--priority`, ...) is commander's: it goes through program.ts.
  (args) => {
    const [verb, task, ...flags] = args;
    const allowed = ["--now", "--wait", "--json"];
    if (verb !== "run" || !task || task.startsWith("-")) return undefined;
    if (!flags.every((f) => allowed.includes(f)) || new Set(flags).size !== flags.length) {
      return undefined;
    }
    return async (deps) =>
      (await lazy<typeof import("./run.ts")>("lib/cli/run.ts")).runCommand(deps(), task, {
        json: flags.includes("--json"),
        now: flags.includes("--now"),
        wait: flags.includes("--wait"),
        priority: "normal",
      });
  },
  exactly("list", list(false)),
  exactly("list --json", list(true)),
  exactly("validate", validate(false)),
  exactly("validate --json", validate(true)),
];

/**
 * Parses `args` and runs the chosen command.
 * @returns the process exit code.
 * @throws {ClodputerError} for expected failures; anything else is a bug.
 */
export async function runCli(
  args: string[],
  world: { out: Output; makeDeps: (flags: GlobalFlags, out: Output) => Deps } = {
    out: realOutput(),
    makeDeps: realDeps,
  },
): Promise<number> {
  const fast = FAST.map((match) => match(args)).find((command) => command !== undefined);
  if (fast) {
    const flags = globalFlags(args);
    return await fast(() => world.makeDeps(flags, world.out), world.out);
  }
  const { runProgram } = await lazy<typeof import("./program.ts")>("lib/cli/program.ts");
  return await runProgram(args, world);
}
