/**
 * @module
 * `clodputer man`: the manual page, clodputer(1), as roff (man(7) macros). Its COMMANDS and
 * OPTIONS are generated from the command tree (program.ts describes it as a
 * {@linkcode CompletionCommand}, as for shell completion), so they cannot drift from what the CLI
 * accepts; the rest (what Clodputer does, its files, environment and exit codes) is written here.
 * The Homebrew formula installs it with `clodputer man > man1/clodputer.1`; anywhere else,
 * `clodputer man | man -l -` shows it.
 */

import type { CompletionArgument, CompletionCommand, CompletionOption } from "./completions.ts";
import type { Deps } from "./deps.ts";

/** What the page says besides the tree: the version and the date in its header. */
export interface ManPageOptions {
  version: string;
  /** The date in the footer, `YYYY-MM-DD`. */
  date: string;
}

/** Prints the manual page for `tree`, dated today (by the deps' clock). */
export function manCommand(
  deps: Deps,
  options: { tree: () => CompletionCommand; version: string },
): Promise<number> {
  const date = new Date(deps.clock.now()).toISOString().slice(0, 10);
  deps.out.line(manPage(options.tree(), { version: options.version, date }).replace(/\n$/, ""));
  return Promise.resolve(0);
}

/** The page: man(7) source for section 1, one macro or text line a line. Pure. */
export function manPage(tree: CompletionCommand, options: ManPageOptions): string {
  const name = tree.name;
  const lines = [
    `.TH ${name.toUpperCase()} 1 ${quoted(options.date)} ${quoted(`${name} ${options.version}`)} ${
      quoted("User Commands")
    }`,
    ".SH NAME",
    `${escape(name)} \\- ${escape(tree.description)}`,
    ".SH SYNOPSIS",
    `${bold(name)} [${italic("global options")}] ${italic("command")} [${italic("options")}] [${
      italic("arguments")
    }]`,
    ".br",
    `${bold(name)} ${bold("--help")} | ${bold("--version")}`,
    ...DESCRIPTION,
    ".SH OPTIONS",
    "These global options may be given before or after the command.",
    ...tree.options.flatMap(optionItem),
    ".SH COMMANDS",
    `Every command also takes ${bold("-h")}, ${bold("--help")}: its usage, as below.`,
    ...commandsOf(tree, [name]).flatMap(({ path, command }) => commandSection(path, command)),
    ...STATIC_SECTIONS,
  ];
  return `${wrap(lines).join("\n")}\n`;
}

/** The longest text line, in bytes (mandoc -Tlint asks for 80). */
const LINE_BYTES = 80;

/**
 * Breaks long text lines at spaces (roff fills them back into paragraphs). Macro lines and the
 * tag line after `.TP` (which must stay one line) are left whole; a piece that would start with
 * `.` or `'` is guarded by `\&`.
 */
function wrap(lines: string[]): string[] {
  return lines.flatMap((line, i) => {
    if (line.startsWith(".") || lines[i - 1] === ".TP") return [line];
    const pieces: string[] = [];
    let current = "";
    for (const word of line.split(" ")) {
      const next = current === "" ? word : `${current} ${word}`;
      if (current !== "" && new TextEncoder().encode(next).length > LINE_BYTES) {
        pieces.push(current);
        current = word;
      } else {
        current = next;
      }
    }
    pieces.push(current);
    return pieces.map((piece) => (/^[.']/.test(piece) ? `\\&${piece}` : piece));
  });
}

/** Every command below `tree`, depth first, with its words from the root (`clodputer queue`). */
function commandsOf(
  tree: CompletionCommand,
  path: string[],
): { path: string[]; command: CompletionCommand }[] {
  return tree.commands.flatMap((command) => {
    const here = [...path, command.name];
    return [{ path: here, command }, ...commandsOf(command, here)];
  });
}

/**
 * One command: a subsection with its synopsis, description, arguments and options. `--help`,
 * which every command takes, is said once for all; its subcommands follow in their own sections.
 */
function commandSection(path: string[], command: CompletionCommand): string[] {
  const options = command.options.filter((option) => !option.flags.includes("--help"));
  const synopsis = [
    bold(path.join(" ")),
    ...(options.length > 0 ? [`[${italic("options")}]`] : []),
    ...command.args.map(argumentUsage),
  ];
  return [
    `.SS ${quoted(path.slice(1).join(" "))}`,
    synopsis.join(" "),
    ".br",
    escape(command.description),
    ...command.args.filter((argument) => argument.description !== "").flatMap((argument) => [
      ".TP",
      argumentUsage(argument),
      escape(argument.description),
    ]),
    ...options.flatMap(optionItem),
  ];
}

/** An argument as the synopsis shows it: `task`, `[target]`, `[tasks ...]`, in italics. */
function argumentUsage(argument: CompletionArgument): string {
  const word = `${italic(argument.name)}${argument.variadic ? " ..." : ""}`;
  return argument.required ? word : `[${word}]`;
}

/** One option as a tagged paragraph: `-n, --tail lines`, then what it does. */
function optionItem(option: CompletionOption): string[] {
  const value = option.valueName === undefined ? "" : ` ${valueUsage(option.valueName)}`;
  const notes = [
    ...(option.value?.kind === "choice" ? [`one of: ${option.value.choices.join(", ")}`] : []),
    ...(option.defaultValue === undefined ? [] : [`default: ${option.defaultValue}`]),
  ];
  const description = notes.length === 0
    ? option.description
    : `${option.description} (${notes.join("; ")})`;
  return [
    ".TP",
    `${option.flags.map((flag) => bold(flag)).join(", ")}${value}`,
    escape(description),
  ];
}

/** `<lines>` as ` lines` in italics, `[x]` as `[x]` with x in italics. */
function valueUsage(valueName: string): string {
  const bare = valueName.slice(1, -1);
  const word = italic(bare.replace(/\.\.\.$/, "")) + (bare.endsWith("...") ? " ..." : "");
  return valueName.startsWith("[") ? `[${word}]` : word;
}

/**
 * Text for a roff text line: backslashes as `\e`, the hyphens of command-line options (`--json`,
 * `claude -p`, `--dry-run`) as `\-` so they print as the ASCII minus a reader types, and a
 * leading `.` or `'` guarded by `\&` so the line is not read as a macro. Newlines become spaces.
 */
export function escape(text: string): string {
  const body = text.replaceAll("\\", "\\e").replace(/\s*\n\s*/g, " ").trim()
    .replace(
      /(^|[\s(/"'`])(--?[A-Za-z][\w-]*)/g,
      (_m, before: string, flag: string) => before + flag.replaceAll("-", "\\-"),
    );
  return /^[.']/.test(body) ? `\\&${body}` : body;
}

/** Bold text (a command or a flag), escaped. */
function bold(text: string): string {
  return `\\fB${escape(text)}\\fR`;
}

/** Italic text (a placeholder), escaped. */
function italic(text: string): string {
  return `\\fI${escape(text)}\\fR`;
}

/** A macro argument in double quotes (a quote inside doubled, as roff reads it). */
function quoted(text: string): string {
  return `"${escape(text).replaceAll('"', '""')}"`;
}

/** A definition list item: a tag, then its text (both roff already). */
function item(tag: string, text: string): string[] {
  return [".TP", tag, text];
}

/** DESCRIPTION: what Clodputer does, and the commands that start things. */
const DESCRIPTION: readonly string[] = [
  ".SH DESCRIPTION",
  `${bold("clodputer")} runs Claude Code (${bold("claude -p")}) for tasks described once in YAML:`,
  "a prompt, the tools Claude may use, a timeout and a cost limit, and when to run: on a cron",
  "schedule, at an interval, when files change in a watched folder, or by hand.",
  "Runs go through one queue, one task at a time.",
  `One crontab entry (or, on macOS, a LaunchAgent), written by ${bold("clodputer install")},`,
  `runs ${bold("clodputer tick")} every minute, which queues the tasks that are due and runs the`,
  "queue.",
  "A run ends within its timeout; then every process it started (MCP servers, shell commands,",
  "escaped grandchildren) is killed, and a JSON record of what happened and what it cost is kept.",
  ".PP",
  `To start: ${bold("clodputer init")} creates the Clodputer home and finds ${bold("claude")};`,
  `${bold("clodputer new")} writes a task from an example;`,
  `${bold("clodputer validate")} checks tasks and shows the command each would run;`,
  `${bold("clodputer run")} ${italic("task")} runs one now;`,
  `${bold("clodputer install")} schedules them;`,
  `${bold("clodputer doctor")} checks everything a scheduled run needs.`,
];

/** FILES, ENVIRONMENT, EXIT STATUS and SEE ALSO. */
const STATIC_SECTIONS: readonly string[] = [
  ".SH FILES",
  `Everything Clodputer keeps is in its home, ${italic("$CLODPUTER_HOME")}, by default ${
    italic("~/.clodputer")
  }:`,
  ...item(
    italic("tasks/*.yaml"),
    `One task a file; the task is known by the file's name (${
      italic("tasks/daily-email.yaml")
    } is the task daily-email).`,
  ),
  ...item(
    italic("config.yaml"),
    `Global settings: which ${bold("claude")}, notifications, log rotation (written by ${
      bold("clodputer init")
    }).`,
  ),
  ...item(
    italic("execution.log"),
    `The execution log, JSON lines: what ran, when and how it ended; rotated into ${
      italic("archive/YYYY-MM.log")
    }.`,
  ),
  ...item(
    italic("runs/<run-id>/"),
    `One folder a run: ${italic("result.json")} (its record), the ${italic("prompt")}, and ${
      italic("stdout")
    } and ${italic("stderr")} of ${bold("claude")}.`,
  ),
  ...item(italic("state.kv"), "The queue, the schedules and the run records (a Deno KV store)."),
  ...item(italic("cron.log"), "What went wrong in a tick (cron mails nothing Clodputer prints)."),
  ...item(
    `${italic("watcher.pid")}, ${italic("watcher.log")}`,
    "The folder watcher's pid and log.",
  ),
  ".SH ENVIRONMENT",
  ...item(
    bold("CLODPUTER_HOME"),
    `The Clodputer home (see ${bold("FILES")}); by default ${italic("$HOME/.clodputer")}.`,
  ),
  ...item(
    bold("CLODPUTER_CLAUDE"),
    `The ${bold("claude")} to run; else ${italic("claude:")} in ${italic("config.yaml")}, else ${
      bold("claude")
    } on ${bold("PATH")}, else the usual install places.`,
  ),
  ...item(bold("HOME"), "Where the default home is."),
  ...item(bold("NO_COLOR"), "When set and not empty: no colour in the output."),
  ...item(
    bold("CLODPUTER_RUN_ID"),
    "Set (not read) by Clodputer: each run's id, in the environment of every process the run starts.",
  ),
  '.SH "EXIT STATUS"',
  ...item("0", "Success."),
  ...item(
    "1",
    `A run that failed, timed out or was cancelled (with ${bold("run --now")} or ${
      bold("run --wait")
    }), a failed ${bold("doctor")} check, or something the machine lacks (${bold("claude")}, ${
      bold("crontab")
    }, a writable home).`,
  ),
  ...item(
    "2",
    "Bad input: an unknown command or option, a missing argument, an invalid task or config file, or a task or run that does not exist.",
  ),
  '.SH "SEE ALSO"',
  `${bold("claude")}(1), ${bold("crontab")}(1), ${bold("crontab")}(5), ${bold("launchctl")}(1)`,
  ".PP",
  "Claude Code: https://docs.anthropic.com/en/docs/claude-code",
  ".br",
  "Clodputer: README.md and docs/ in its source repository.",
];
