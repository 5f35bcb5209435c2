/**
 * @module
 * The command tree (commander). Each command's module is imported only when that command runs.
 * Loaded by app.ts for every command but the few it answers without commander.
 */

import {
  Argument,
  Command,
  CommanderError,
  type CommandUnknownOpts,
  Help,
  Option,
} from "commander";
import type { Output } from "../ui/output.ts";
import { type GlobalFlags, globalFlags, VERSION } from "./global_flags.ts";
import type { CompletionCommand, CompletionOption, CompletionValue } from "./completions.ts";
import type { Deps } from "./deps.ts";
import { lazy } from "../lazy.ts";

/** The arguments and options whose value is a task name (shell completion offers the tasks). */
const TAKES_TASK = new WeakSet<object>();

/** A positional argument that names a task, e.g. `taskArgument("<task>", "...")`. */
function taskArgument<Usage extends string>(name: Usage, description: string): Argument<Usage> {
  const argument = new Argument(name, description);
  TAKES_TASK.add(argument);
  return argument;
}

/** An option whose value names a task, e.g. `taskOption("--task <name>", "...")`. */
function taskOption<Usage extends string>(flags: Usage, description: string): Option<Usage> {
  const option = new Option(flags, description);
  TAKES_TASK.add(option);
  return option;
}

/** What a value-taking argument or option may be, for shell completion. */
function completionValue(of: { argChoices?: string[] }): CompletionValue {
  if (TAKES_TASK.has(of)) return { kind: "task" };
  if (of.argChoices) return { kind: "choice", choices: of.argChoices };
  return { kind: "any" };
}

/** A value-taking option's value: what it may be, its name in `--help`, and its default. */
function valueOf(option: Option): Pick<CompletionOption, "value" | "valueName" | "defaultValue"> {
  const name = option.flags.match(/[<[][^<[]*[>\]]$/)?.[0];
  const fallback = option.defaultValueDescription ??
    (option.defaultValue === undefined ? undefined : String(option.defaultValue));
  return {
    value: completionValue(option),
    ...(name === undefined ? {} : { valueName: name }),
    ...(fallback === undefined ? {} : { defaultValue: fallback }),
  };
}

/**
 * The command tree as shell completion and the man page see it: the commands and options `--help`
 * shows (hidden ones left out), each option's spellings, value and default, and each argument's
 * name, description and what it may be.
 */
export function describeCommand(command: CommandUnknownOpts): CompletionCommand {
  const help = new Help();
  return {
    name: command.name(),
    description: command.description(),
    options: help.visibleOptions(command).map((option) => ({
      flags: [option.short, option.long].filter((f): f is string => f !== undefined),
      description: option.description,
      ...(option.required || option.optional ? valueOf(option) : {}),
    })),
    args: command.registeredArguments.map((argument) => ({
      value: completionValue(argument),
      variadic: argument.variadic,
      name: argument.name(),
      required: argument.required,
      description: argument.description,
    })),
    commands: help.visibleCommands(command).map((c) => describeCommand(c)),
  };
}

/**
 * Parses `args` and runs the chosen command.
 * @returns the process exit code.
 * @throws {ClodputerError} for expected failures; anything else is a bug.
 */
export async function runProgram(
  args: string[],
  world: { out: Output; makeDeps: (flags: GlobalFlags, out: Output) => Deps },
): Promise<number> {
  const flags = globalFlags(args);
  const out = world.out;
  let exitCode = 0;
  let deps: Deps | undefined;
  const getDeps = () => (deps ??= world.makeDeps(flags, out));
  const setExit = (code: number) => {
    exitCode = code;
  };
  const program = buildProgram({ out, getDeps, setExit });

  try {
    await program.parseAsync(args, { from: "user" });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === "commander.helpDisplayed" || error.code === "commander.version" ||
        error.code === "commander.help"
      ) {
        return 0;
      }
      // Commander has printed its message (with any did-you-mean) already.
      return 2;
    }
    throw error;
  }
  return exitCode;
}

/**
 * What the command tree's actions use: the console, the seams (built once, on first use), and
 * where a command's exit code goes.
 */
export interface ProgramHooks {
  out: Output;
  getDeps: () => Deps;
  setExit: (code: number) => void;
}

/** The command tree: every command, its options and its action (which loads its module). */
export function buildProgram({ out, getDeps, setExit }: ProgramHooks): CommandUnknownOpts {
  const program = new Command()
    .name("clodputer")
    .description("Cron, a queue and a watchdog for Claude Code")
    .version(VERSION, "-V, --version", "print the version")
    .addOption(new Option("--debug", "show internal details and stacks on errors"))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({
      writeOut: (s) => out.line(s.replace(/\n$/, "")),
      writeErr: (s) => out.error(s.replace(/\n$/, "")),
    });

  program
    .command("run")
    .description("queue a task and, unless a runner is already busy, run the queue")
    .addArgument(taskArgument("<task>", "the task's name (its file is tasks/<task>.yaml)"))
    .option("--now", "follow this run to its end with live progress; exit with its result")
    .option("--wait", "follow this run to its end; exit with its result")
    .option(
      "--file <path>",
      "run it on this file, as the watcher would hand it over (a folder-watch task needs one)",
    )
    .addOption(
      new Option("--priority <priority>", "queue priority").choices(["normal", "high"] as const)
        .default("normal" as const),
    )
    .option(
      "--new-session",
      "start a new Claude session (a session: continue task): as clodputer session reset first",
    )
    .option("--json", "print the run record (with --now/--wait) or what was queued, as JSON")
    .action(async (task, options) => {
      const { runCommand } = await lazy<typeof import("./run.ts")>("lib/cli/run.ts");
      setExit(
        await runCommand(getDeps(), task, {
          json: options.json ?? false,
          now: options.now ?? false,
          wait: options.wait ?? false,
          priority: options.priority,
          file: options.file,
          newSession: options.newSession ?? false,
        }),
      );
    });

  const queue = program
    .command("queue")
    .description("show the running task and the queue")
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { queueCommand } = await lazy<typeof import("./queue.ts")>("lib/cli/queue.ts");
      setExit(await queueCommand(getDeps(), { json: options.json ?? false }));
    });
  queue
    .command("remove")
    .description("take one item out of the queue")
    .argument("<id>", "the queued item's id (see clodputer queue)")
    .option("--json", "print as JSON")
    .action(async (id, options) => {
      const { queueRemoveCommand } = await lazy<typeof import("./queue.ts")>("lib/cli/queue.ts");
      setExit(await queueRemoveCommand(getDeps(), id, { json: options.json ?? false }));
    });
  queue
    .command("clear")
    .description("remove every queued item (asks first on a terminal)")
    .option("--yes", "do not ask")
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { queueClearCommand } = await lazy<typeof import("./queue.ts")>("lib/cli/queue.ts");
      setExit(
        await queueClearCommand(getDeps(), {
          json: options.json ?? false,
          yes: options.yes ?? false,
        }),
      );
    });

  program
    .command("cancel")
    .description("stop a running task (killing every process it started), or unqueue a queued one")
    .addArgument(taskArgument("<target>", "a run id, or a task name"))
    .option("--json", "print as JSON")
    .action(async (target, options) => {
      const { cancelCommand } = await lazy<typeof import("./cancel.ts")>("lib/cli/cancel.ts");
      setExit(await cancelCommand(getDeps(), target, { json: options.json ?? false }));
    });

  program
    .command("pause")
    .description("start no queued task until resume (or for a while); tasks are still queued")
    .option("--for <duration>", "resume by itself after this long: 30m, 2h, 1d")
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { pauseCommand } = await lazy<typeof import("./pause.ts")>("lib/cli/pause.ts");
      setExit(await pauseCommand(getDeps(), { for: options.for, json: options.json ?? false }));
    });

  program
    .command("resume")
    .description(
      "start queued tasks again (ends a pause, and a hold for a usage limit or login); with a run id or task: reopen that run's Claude session",
    )
    .addArgument(taskArgument("[target]", "a run id, or a task (its last run)"))
    .option("--json", "print as JSON (with a target: the session and command, not started)")
    .action(async (target, options) => {
      const json = options.json ?? false;
      if (target === undefined) {
        const { resumeCommand } = await lazy<typeof import("./pause.ts")>("lib/cli/pause.ts");
        setExit(await resumeCommand(getDeps(), { json }));
      } else {
        const { resumeSessionCommand } = await lazy<typeof import("./resume.ts")>(
          "lib/cli/resume.ts",
        );
        setExit(await resumeSessionCommand(getDeps(), target, { json }));
      }
    });

  program
    .command("ack")
    .description("acknowledge the failed runs so far (status and the menu bar stop showing them)")
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { ackCommand } = await lazy<typeof import("./pause.ts")>("lib/cli/pause.ts");
      setExit(await ackCommand(getDeps(), { json: options.json ?? false }));
    });

  program
    .command("cost")
    .description("what runs cost: totals by task, by day and by month")
    .option(
      "--since <when>",
      "count from the day of this time: 2h, 7d, today, 2026-11-01 or 2026-11-01 08:00",
    )
    .addOption(taskOption("--task <task>", "count only this task"))
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { costCommand } = await lazy<typeof import("./cost.ts")>("lib/cli/cost.ts");
      setExit(
        await costCommand(getDeps(), {
          since: options.since,
          task: options.task,
          json: options.json ?? false,
        }),
      );
    });

  program
    .command("status")
    .description("the runner, the queue, the last runs, today's counts and cost")
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { statusCommand } = await lazy<typeof import("./status.ts")>("lib/cli/status.ts");
      setExit(await statusCommand(getDeps(), { json: options.json ?? false }));
    });

  program
    .command("dashboard")
    .description(
      "a live full-screen view: the running task's progress, the queue, recent runs; keys to act",
    )
    .action(async () => {
      const { dashboardCommand } = await lazy<typeof import("./dashboard.ts")>(
        "lib/cli/dashboard.ts",
      );
      setExit(await dashboardCommand(getDeps()));
    });

  program
    .command("web")
    .description(
      "the web dashboard on 127.0.0.1: history, transcripts, cost, logs, live; Ctrl-C stops it",
    )
    .option("--port <n>", "the port (default 7433; 0: any free one)")
    .option("--open", "open it in the browser (the one already running, if any)")
    .option("--stop", "stop the one running for this home")
    .action(async (options) => {
      const { webCommand } = await lazy<typeof import("./web.ts")>("lib/cli/web.ts");
      setExit(
        await webCommand(getDeps(), {
          port: options.port,
          open: options.open ?? false,
          stop: options.stop ?? false,
        }),
      );
    });

  program
    .command("mcp")
    .description(
      "the MCP server on stdin/stdout, so Claude can manage its tasks (see docs/mcp.md)",
    )
    .option("--print-config", "print how to add it to Claude Code and Claude Desktop")
    .option("--json", "with --print-config: print the snippets as JSON")
    .action(async (options) => {
      const { mcpCommand } = await lazy<typeof import("./mcp.ts")>("lib/cli/mcp.ts");
      setExit(
        await mcpCommand(getDeps(), {
          printConfig: options.printConfig ?? false,
          json: options.json ?? false,
        }),
      );
    });

  program
    .command("list")
    .description(
      "every task: its schedule and next run, folder watches, manual; invalid ones with their error",
    )
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { listCommand } = await lazy<typeof import("./list.ts")>("lib/cli/list.ts");
      setExit(await listCommand(getDeps(), { json: options.json ?? false }));
    });

  program
    .command("logs")
    .description("the execution log: what ran, when, and how it ended")
    .option("-n, --tail <lines>", "show the last N matching events (default 20)")
    .option("-f, --follow", "keep printing new events as they come")
    .addOption(taskOption("--task <name>", "only this task's events"))
    .option("--since <when>", "from this time: 2h, 3d, today, 2026-11-25, 2026-11-25 08:00 or ISO")
    .option("--until <when>", "before this time (same forms as --since)")
    .option(
      "--status <status>",
      "only runs that ended so: succeeded, failed, timed_out, cancelled, lost, skipped, over_budget",
    )
    .option("--run <run-id>", "one run's full record (same as clodputer show)")
    .option("--json", "raw JSON lines, as stored")
    .action(async (options) => {
      const { logsCommand } = await lazy<typeof import("./logs.ts")>("lib/cli/logs.ts");
      setExit(
        await logsCommand(getDeps(), {
          tail: options.tail,
          follow: options.follow ?? false,
          task: options.task,
          since: options.since,
          until: options.until,
          status: options.status,
          run: options.run,
          json: options.json ?? false,
        }),
      );
    });

  program
    .command("show")
    .description("one run's full record: outcome, claude's command line, output files, cleanup")
    .addArgument(taskArgument("<run>", "a run id, or a task name for its last run"))
    .option("--json", "print the record as JSON")
    .action(async (target, options) => {
      const { showCommand } = await lazy<typeof import("./show.ts")>("lib/cli/show.ts");
      setExit(await showCommand(getDeps(), target, { json: options.json ?? false }));
    });

  const session = program
    .command("session")
    .description(
      "tasks that remember (session: continue): each one's Claude session and what its next run does",
    )
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { sessionShowCommand } = await lazy<typeof import("./session.ts")>(
        "lib/cli/session.ts",
      );
      setExit(await sessionShowCommand(getDeps(), undefined, { json: options.json ?? false }));
    });
  session
    .command("show")
    .description("a task's Claude session (default: every task with session: continue)")
    .addArgument(taskArgument("[task]", "the task's name"))
    .option("--json", "print as JSON")
    .action(async (task, _options, command) => {
      const { sessionShowCommand } = await lazy<typeof import("./session.ts")>(
        "lib/cli/session.ts",
      );
      // `session --json show` and `session show --json` alike (the parent has --json too).
      const json = command.optsWithGlobals().json === true;
      setExit(await sessionShowCommand(getDeps(), task, { json }));
    });
  session
    .command("reset")
    .description("drop a task's Claude session: its next run starts a new one")
    .addArgument(taskArgument("<task>", "the task's name"))
    .option("--json", "print as JSON")
    .action(async (task, _options, command) => {
      const { sessionResetCommand } = await lazy<typeof import("./session.ts")>(
        "lib/cli/session.ts",
      );
      const json = command.optsWithGlobals().json === true;
      setExit(await sessionResetCommand(getDeps(), task, { json }));
    });

  program
    .command("init")
    .description("create the Clodputer home and config.yaml, and find claude (safe to run again)")
    .option("--json", "print what was done as JSON")
    .action(async (options) => {
      const { initCommand } = await lazy<typeof import("./init.ts")>("lib/cli/init.ts");
      setExit(await initCommand(getDeps(), { json: options.json ?? false }));
    });

  program
    .command("new")
    .description("write tasks/<name>.yaml from an example task (never overwrites)")
    .argument("[name]", "the new task's name: lower-case letters, digits, - and _")
    .option("--from <example>", "the example to start from (see --list)")
    .option("--list", "list the example tasks")
    .option("--json", "print as JSON")
    .action(async (name, options) => {
      const { newCommand } = await lazy<typeof import("./new.ts")>("lib/cli/new.ts");
      setExit(
        await newCommand(getDeps(), name, {
          from: options.from,
          list: options.list ?? false,
          json: options.json ?? false,
        }),
      );
    });

  program
    .command("validate")
    .description("dry run: check tasks, show the claude command each would run and its next runs")
    .addArgument(taskArgument("[tasks...]", "task names (default: every task)"))
    .option("--count <n>", "how many upcoming runs to preview", "3")
    .option("--json", "print as JSON")
    .action(async (tasks, options) => {
      const { validateCommand } = await lazy<typeof import("./validate.ts")>("lib/cli/validate.ts");
      setExit(
        await validateCommand(getDeps(), tasks, {
          json: options.json ?? false,
          count: options.count,
        }),
      );
    });

  program
    .command("install")
    .description(
      "schedule tasks: one crontab entry (or LaunchAgent, or systemd timer) runs clodputer tick " +
        "every minute",
    )
    .option("--launchd", "use a LaunchAgent instead of the crontab (macOS)")
    .option("--systemd", "use a systemd user timer instead of the crontab (Linux)")
    .option("--dry-run", "print what would be written; change nothing")
    .option("--json", "print the result as JSON")
    .action(async (options) => {
      const { installCommand } = await lazy<typeof import("./install.ts")>("lib/cli/install.ts");
      setExit(
        await installCommand(getDeps(), {
          launchd: options.launchd ?? false,
          systemd: options.systemd ?? false,
          dryRun: options.dryRun ?? false,
          json: options.json ?? false,
        }),
      );
    });

  program
    .command("uninstall")
    .description(
      "remove the crontab section, the LaunchAgent and the systemd timer (nothing else)",
    )
    .option("--dry-run", "print what would be removed; change nothing")
    .option("--json", "print the result as JSON")
    .action(async (options) => {
      const { uninstallCommand } = await lazy<typeof import("./install.ts")>("lib/cli/install.ts");
      setExit(
        await uninstallCommand(getDeps(), {
          dryRun: options.dryRun ?? false,
          json: options.json ?? false,
        }),
      );
    });

  program
    .command("tick")
    .description(
      "queue the scheduled tasks that are due, then start a runner for the queue (cron calls this every minute)",
    )
    .option("--no-run", "only queue; leave the running to another runner")
    .option(
      "--runner",
      "run the queue in this process (by default the tick starts a detached runner and exits)",
    )
    .option("--verbose", "say what was queued (tick is silent when all is well)")
    .action(async (options) => {
      const { tickCommand } = await lazy<typeof import("./tick.ts")>("lib/cli/tick.ts");
      setExit(
        await tickCommand(getDeps(), {
          run: options.run,
          runner: options.runner ?? false,
          verbose: options.verbose ?? false,
        }),
      );
    });

  program
    .command("watch")
    .description(
      "watch folders (file_watch tasks) and run interval tasks; Ctrl-C stops it (see --daemon)",
    )
    .option("--daemon", "start it in the background and return once it is watching")
    .option("--stop", "stop the background watcher and wait for it")
    .option("--status", "say whether the watcher runs: pid, since, folders, last event")
    .addOption(new Option("--background", "run as the daemon (used by --daemon)").hideHelp())
    .option("--json", "with --status: as JSON")
    .action(async (options) => {
      const { watchCommand } = await lazy<typeof import("./watch.ts")>("lib/cli/watch.ts");
      setExit(
        await watchCommand(getDeps(), {
          daemon: options.daemon ?? false,
          stop: options.stop ?? false,
          status: options.status ?? false,
          background: options.background ?? false,
          json: options.json ?? false,
        }),
      );
    });

  const menubar = program
    .command("menubar")
    .description("a menu bar item (SwiftBar or xbar plugin): what runs, what failed, the queue");
  menubar
    .command("install")
    .description("write the plugin into SwiftBar's or xbar's plugin folder (or --dir)")
    .option("--dir <folder>", "the plugin folder to write into")
    .option("--json", "print the result as JSON")
    .action(async (options) => {
      const { menubarInstallCommand } = await lazy<typeof import("./menubar_install.ts")>(
        "lib/cli/menubar_install.ts",
      );
      setExit(
        await menubarInstallCommand(getDeps(), { dir: options.dir, json: options.json ?? false }),
      );
    });
  menubar
    .command("uninstall")
    .description("remove the plugin that install wrote (nothing else)")
    .option("--dir <folder>", "the plugin folder it was written into")
    .option("--json", "print the result as JSON")
    .action(async (options) => {
      const { menubarUninstallCommand } = await lazy<typeof import("./menubar_install.ts")>(
        "lib/cli/menubar_install.ts",
      );
      setExit(
        await menubarUninstallCommand(getDeps(), { dir: options.dir, json: options.json ?? false }),
      );
    });
  menubar
    .command("print")
    .description("print what the plugin shows, in SwiftBar's or xbar's plugin format")
    .option("--plugin <path>", "the installed plugin, which the menu's actions run")
    .action(async (options) => {
      const { menubarPrintCommand } = await lazy<typeof import("./menubar.ts")>(
        "lib/cli/menubar.ts",
      );
      setExit(await menubarPrintCommand(getDeps(), { plugin: options.plugin }));
    });
  menubar
    .command("open")
    .description("acknowledge the failed runs and show one (the menu's failure item runs this)")
    .addArgument(taskArgument("<run>", "a run id, or a task name for its last run"))
    .action(async (run) => {
      const { menubarOpenCommand } = await lazy<typeof import("./menubar.ts")>(
        "lib/cli/menubar.ts",
      );
      setExit(await menubarOpenCommand(getDeps(), run));
    });

  const secret = program
    .command("secret")
    .description(
      "keep the values of {{ secrets.NAME }}: the Keychain, the Secret Service or a 0600 file",
    );
  secret
    .command("set")
    .description(
      "store a secret; the value is read from stdin (asked for, not shown, on a terminal)",
    )
    .argument("<name>", "the NAME of {{ secrets.NAME }}")
    .addOption(
      new Option("--store <store>", "keep it here rather than in the first store that works")
        .choices(["keychain", "secret-service", "file"] as const),
    )
    .option("--json", "print the result as JSON")
    .action(async (name, options) => {
      const { secretSetCommand } = await lazy<typeof import("./secret.ts")>("lib/cli/secret.ts");
      setExit(
        await secretSetCommand(getDeps(), name, {
          store: options.store,
          json: options.json ?? false,
        }),
      );
    });
  secret
    .command("list")
    .description("the secrets' names in each store, in the order runs read them (never a value)")
    .option("--json", "print as JSON")
    .action(async (options) => {
      const { secretListCommand } = await lazy<typeof import("./secret.ts")>("lib/cli/secret.ts");
      setExit(await secretListCommand(getDeps(), { json: options.json ?? false }));
    });
  secret
    .command("rm")
    .description("remove a secret from every store that has it")
    .argument("<name>", "the NAME of {{ secrets.NAME }}")
    .option("--json", "print the result as JSON")
    .action(async (name, options) => {
      const { secretRmCommand } = await lazy<typeof import("./secret.ts")>("lib/cli/secret.ts");
      setExit(await secretRmCommand(getDeps(), name, { json: options.json ?? false }));
    });

  const exportCommand = program
    .command("export")
    .description("write the tasks as GitHub Actions workflows or Kubernetes CronJobs");
  exportCommand
    .command("github-actions")
    .description(
      "write one GitHub Actions workflow per task (.github/workflows/clodputer-<task>.yml) that " +
        "runs it with a pinned clodputer release on its schedule",
    )
    .addArgument(taskArgument("[tasks...]", "task names (default: every task with a schedule)"))
    .option("--out <dir>", "the repository's root to write under (default: the current folder)")
    .option(
      "--repo <owner/name>",
      "the GitHub repository whose releases publish clodputer (needed the first time; later " +
        "exports into the same folder read it from the workflows)",
    )
    // Not --version: commander gives that to the program (clodputer --version) wherever it is.
    .option("--release <version>", "the clodputer release to install (default: this version)")
    .option("--sha256 <hex>", "pin the release archive's sha256 in the workflows")
    .option("--dry-run", "print what would be written; write nothing")
    .option("--force", "replace files that an export did not write")
    .option("--json", "print the result as JSON")
    .action(async (tasks, options) => {
      const { exportGithubCommand } = await lazy<typeof import("./export_github.ts")>(
        "lib/cli/export_github.ts",
      );
      setExit(
        await exportGithubCommand(getDeps(), tasks, {
          out: options.out,
          repo: options.repo,
          version: options.release,
          sha256: options.sha256,
          dryRun: options.dryRun ?? false,
          force: options.force ?? false,
          json: options.json ?? false,
        }),
      );
    });
  exportCommand
    .command("kubernetes")
    .description(
      "write a ConfigMap and a CronJob per task (clodputer-<task>.yaml) that run it in the " +
        "Clodputer image",
    )
    .addArgument(taskArgument("[tasks...]", "task names (default: every task with a schedule)"))
    .option("--image <ref>", "the Clodputer image, e.g. ghcr.io/you/clodputer:0.1.0 (required)")
    .option("--namespace <ns>", "the namespace", "default")
    .option("--secret <name>", "the Secret holding the credentials and secrets", "clodputer")
    .option("--claim <name>", "a PersistentVolumeClaim for the homes (default: an emptyDir)")
    .option("--out <dir>", "the folder to write into", "./kubernetes")
    .option("--dry-run", "print what would be written; write nothing")
    .option("--force", "overwrite files that clodputer export did not write")
    .option("--json", "print the files and the skipped tasks as JSON")
    .action(async (tasks, options) => {
      const { exportKubernetesCommand } = await lazy<typeof import("./export_kubernetes.ts")>(
        "lib/cli/export_kubernetes.ts",
      );
      setExit(
        await exportKubernetesCommand(getDeps(), tasks, {
          image: options.image,
          namespace: options.namespace,
          secret: options.secret,
          claim: options.claim,
          out: options.out,
          dryRun: options.dryRun ?? false,
          force: options.force ?? false,
          json: options.json ?? false,
        }),
      );
    });

  program
    .command("doctor")
    .description("check everything a scheduled run needs, and say how to fix what is wrong")
    .option("--canary", "also run one tiny real claude -p as cron would (costs a few tokens)")
    .option("--json", "print the checks as JSON")
    .action(async (options) => {
      const { doctorCommand } = await lazy<typeof import("./doctor.ts")>("lib/cli/doctor.ts");
      setExit(
        await doctorCommand(getDeps(), {
          json: options.json ?? false,
          canary: options.canary ?? false,
        }),
      );
    });

  program
    .command("completions")
    .description("print a shell completion script: commands, options and task names")
    .addArgument(
      new Argument("[shell]", "the shell: bash, zsh or fish (none: how to install each)").choices(
        ["bash", "zsh", "fish"] as const,
      ),
    )
    .addOption(new Option("--tasks", "list the task names (what the scripts run)").hideHelp())
    .action(async (shell, options) => {
      const { completionsCommand } = await lazy<typeof import("./completions.ts")>(
        "lib/cli/completions.ts",
      );
      setExit(
        await completionsCommand(getDeps, {
          shell,
          tasks: options.tasks ?? false,
          tree: () => describeCommand(program),
        }),
      );
    });

  program
    .command("man")
    .description("print the manual page, clodputer(1), as roff: clodputer man | man -l -")
    .action(async () => {
      const { manCommand } = await lazy<typeof import("./man.ts")>("lib/cli/man.ts");
      setExit(
        await manCommand(getDeps(), { tree: () => describeCommand(program), version: VERSION }),
      );
    });

  return program;
}
