/**
 * @module
 * `clodputer completions bash|zsh|fish`: shell completion scripts, generated from the command
 * tree (program.ts describes it as a {@linkcode CompletionCommand}), so commands and flags
 * cannot drift from what the CLI accepts. Task names are not in the script: at a position that
 * takes a task, the script runs `clodputer completions --tasks` (answered in app.ts without
 * commander), which lists the `tasks/*.yaml` stems of the Clodputer home. That keeps one
 * definition of where the home is (CLODPUTER_HOME, else ~/.clodputer) and of what a task name is.
 */

import { UsageError } from "../errors.ts";
import { listTaskNames } from "../config/names.ts";
import type { Deps } from "./deps.ts";

/** The shells a script is generated for. */
export const SHELLS = ["bash", "zsh", "fish"] as const;

/** A shell a script is generated for. */
export type Shell = typeof SHELLS[number];

/** What a word at some position may be: nothing offered, a task name, or one of fixed words. */
export type CompletionValue =
  | { kind: "any" }
  | { kind: "task" }
  | { kind: "choice"; choices: readonly string[] };

/** One option: its spellings (`-n`, `--tail`) and the value it takes, if any. */
export interface CompletionOption {
  flags: readonly string[];
  description: string;
  value?: CompletionValue;
  /** The value as `--help` shows it: `<lines>` (required) or `[x]` (optional); for the man page. */
  valueName?: string;
  /** The value used when the option is not given, when there is one (for the man page). */
  defaultValue?: string;
}

/** One positional argument: what it may be, and its name and description (for the man page). */
export interface CompletionArgument {
  value: CompletionValue;
  variadic: boolean;
  /** The bare name (`task`); `required` says whether `--help` shows it as `<task>` or `[task]`. */
  name: string;
  required: boolean;
  description: string;
}

/**
 * One command of the tree, with its visible options, positional arguments and subcommands. The
 * man page (man.ts) is generated from the same tree.
 */
export interface CompletionCommand {
  name: string;
  description: string;
  options: readonly CompletionOption[];
  /** Positional arguments in order; a variadic one is last. */
  args: readonly CompletionArgument[];
  commands: readonly CompletionCommand[];
}

/**
 * Prints the completion script for `shell`, or (with `tasks`) the task names, one a line.
 * @throws {UsageError} when no shell is named.
 */
export async function completionsCommand(
  deps: () => Deps,
  options: { shell: string | undefined; tasks: boolean; tree: () => CompletionCommand },
): Promise<number> {
  if (options.tasks) return await completionTasksCommand(deps());
  const shell = options.shell;
  if (shell === undefined) {
    // No shell: how to install each, here (users of the binary have no docs/ folder).
    for (const line of COMPLETIONS_USAGE) deps().out.line(line);
    return 0;
  }
  if (!(SHELLS as readonly string[]).includes(shell)) {
    throw new UsageError(`Unknown shell "${shell}"`, {
      hint: `use one of: ${SHELLS.join(", ")}; clodputer completions alone says how to ` +
        "install each",
    });
  }
  deps().out.line(completionScript(shell as Shell, options.tree()).replace(/\n$/, ""));
  return 0;
}

/** What `clodputer completions` with no shell prints: how to install the script for each shell. */
export const COMPLETIONS_USAGE: readonly string[] = [
  "usage: clodputer completions bash|zsh|fish",
  "Prints the completion script for that shell to stdout. Install it:",
  "",
  "  bash   put this line in ~/.bashrc:",
  "           source <(clodputer completions bash)",
  "         or write it once where bash-completion looks:",
  "           clodputer completions bash > ~/.local/share/bash-completion/completions/clodputer",
  "",
  "  zsh    write it as _clodputer in a folder on $fpath, before compinit runs:",
  "           mkdir -p ~/.zfunc && clodputer completions zsh > ~/.zfunc/_clodputer",
  "           and in ~/.zshrc: fpath=(~/.zfunc $fpath); autoload -U compinit; compinit",
  "         or, after compinit in ~/.zshrc: source <(clodputer completions zsh)",
  "",
  "  fish   clodputer completions fish > ~/.config/fish/completions/clodputer.fish",
  "",
  "Regenerate the script after upgrading Clodputer: commands and options are written into it.",
];

/** `completions --tasks`: the task names, one a line (what the scripts offer for a task). */
export async function completionTasksCommand(deps: Deps): Promise<number> {
  for (const name of await listTaskNames(deps.paths)) deps.out.line(name);
  return 0;
}

/** The completion script for `shell`. */
export function completionScript(shell: Shell, tree: CompletionCommand): string {
  switch (shell) {
    case "bash":
      return bashScript(tree);
    case "zsh":
      return zshScript(tree);
    case "fish":
      return fishScript(tree);
  }
}

/** Every command of the tree with its path of names from the root ("" for the root). */
function walk(tree: CompletionCommand, path = ""): { path: string; command: CompletionCommand }[] {
  return [
    { path, command: tree },
    ...tree.commands.flatMap((c) => walk(c, path === "" ? c.name : `${path} ${c.name}`)),
  ];
}

/** A value as the scripts' tables spell it: `task`, `any`, or `choice a b c`. */
function kindWord(value: CompletionValue): string {
  switch (value.kind) {
    case "any":
    case "task":
      return value.kind;
    case "choice":
      return ["choice", ...value.choices].join(" ");
  }
}

/** Single-quotes `text` for bash, zsh and fish alike (no escapes inside but the quote itself). */
function quote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** fish quotes differently: backslash escapes inside single quotes. */
function fishQuote(text: string): string {
  return `'${text.replaceAll("\\", "\\\\").replaceAll("'", "\\'")}'`;
}

/** The index of the variadic positional, or -1. */
function variadicIndex(command: CompletionCommand): number {
  return command.args.findIndex((a) => a.variadic);
}

/**
 * The tables bash and zsh share (their `case` is the same): `_clodputer_node PATH` sets
 * `commands`, `flags` and `variadic` for a command; `_clodputer_kind PATH KEY` sets `kind`
 * (`task`, `any`, `choice ...`, or empty) for an option KEY or a positional `#N`.
 */
function posixTables(tree: CompletionCommand, describe: boolean): string {
  const nodes = walk(tree);
  const nodeCases = nodes.map(({ path, command }) => {
    const names = command.commands.map((c) => c.name);
    const flags = command.options.flatMap((o) => o.flags);
    const lines = [
      `    ${quote(path)})`,
      `      commands=(${names.map(quote).join(" ")})`,
      `      flags=(${flags.map(quote).join(" ")})`,
    ];
    if (describe) {
      const commands = command.commands.map((c) => `${c.name}:${c.description}`);
      const described = command.options.flatMap((o) => o.flags.map((f) => `${f}:${o.description}`));
      lines.push(
        `      dcommands=(${commands.map(quote).join(" ")})`,
        `      dflags=(${described.map(quote).join(" ")})`,
      );
    }
    return `${lines.join("\n")}\n      variadic=${variadicIndex(command)} ;;`;
  });
  const kindCases = nodes.flatMap(({ path, command }) => [
    ...command.options.filter((o) => o.value !== undefined).map((o) =>
      `    ${o.flags.map((f) => quote(`${path}|${f}`)).join("|")}) kind=${
        quote(kindWord(o.value as CompletionValue))
      } ;;`
    ),
    ...command.args.map((a, i) =>
      `    ${quote(`${path}|#${i}`)}) kind=${quote(kindWord(a.value))} ;;`
    ),
  ]);
  return `_clodputer_node() {
  case "$1" in
${nodeCases.join("\n")}
    *) commands=() flags=() dcommands=() dflags=() variadic=-1 ;;
  esac
}

_clodputer_kind() {
  case "$1|$2" in
${kindCases.join("\n")}
    *) kind= ;;
  esac
}
`;
}

/**
 * The walk over the words before the cursor, shared by bash and zsh: finds the command path
 * (`cmd`), counts positionals (`npos`) and notes a pending option value (`wanted`). Each shell
 * sets `words_`, `cur`, `first` (the index of the word after `clodputer`) and `last` (the index
 * of the cursor's word, which is not walked): zsh counts from 1, bash from 0.
 */
const POSIX_WALK =
  `  local cmd="" npos=0 wanted="" ended="" w i kind commands flags dcommands dflags variadic
  for ((i = first; i < last; i++)); do
    w="\${words_[i]}"
    if [[ -n "$wanted" ]]; then wanted=""; continue; fi
    if [[ -z "$ended" && "$w" == "--" ]]; then ended=1; continue; fi
    if [[ -z "$ended" && "$w" == -* ]]; then
      if [[ "$w" != *=* ]]; then _clodputer_kind "$cmd" "$w"; wanted="$kind"; fi
      continue
    fi
    _clodputer_node "$cmd"
    if ((npos == 0)) && [[ " \${commands[*]} " == *" $w "* ]]; then
      cmd="\${cmd:+$cmd }$w"
      continue
    fi
    npos=$((npos + 1))
  done
  _clodputer_node "$cmd"
  if [[ -n "$wanted" ]]; then
    kind="$wanted"
  elif [[ -z "$ended" && "$cur" == -* ]]; then
    kind=flags
  elif ((npos == 0)) && ((\${#commands[@]} > 0)); then
    kind=commands
  else
    if ((variadic >= 0 && npos > variadic)); then npos=$variadic; fi
    _clodputer_kind "$cmd" "#$npos"
  fi
`;

function bashScript(tree: CompletionCommand): string {
  return `# bash completion for clodputer (generated by: clodputer completions bash)
# Load it with: source <(clodputer completions bash)   (clodputer completions: how to install)

${posixTables(tree, false)}
_clodputer() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" first=1 last=$COMP_CWORD
  local -a words_=("\${COMP_WORDS[@]}")
${POSIX_WALK}  case "$kind" in
    flags) COMPREPLY=($(compgen -W "\${flags[*]}" -- "$cur")) ;;
    commands) COMPREPLY=($(compgen -W "\${commands[*]}" -- "$cur")) ;;
    task) COMPREPLY=($(compgen -W "$(clodputer completions --tasks 2>/dev/null)" -- "$cur")) ;;
    choice\\ *) COMPREPLY=($(compgen -W "\${kind#choice }" -- "$cur")) ;;
    *) COMPREPLY=() ;;
  esac
}

complete -F _clodputer clodputer
`;
}

function zshScript(tree: CompletionCommand): string {
  return `#compdef clodputer
# zsh completion for clodputer (generated by: clodputer completions zsh)
# Put it in a folder on $fpath as _clodputer, or: source <(clodputer completions zsh)
# (clodputer completions, with no shell, says how to install it)

${posixTables(tree, true)}
_clodputer() {
  emulate -L zsh
  local cur="\${words[CURRENT]}" first=2 last=$CURRENT
  local -a words_
  words_=("\${words[@]}")
${POSIX_WALK}  local -a found
  case "$kind" in
    flags) _describe -t options option dflags ;;
    commands) _describe -t commands command dcommands ;;
    task)
      found=(\${(f)"$(clodputer completions --tasks 2>/dev/null)"})
      compadd -a found ;;
    choice\\ *)
      found=(\${=kind#choice })
      compadd -a found ;;
    *) return 1 ;;
  esac
}

if [[ "\${funcstack[1]}" == _clodputer ]]; then
  _clodputer "$@"
else
  compdef _clodputer clodputer
fi
`;
}

function fishScript(tree: CompletionCommand): string {
  const nodes = walk(tree);
  const nodeCases = nodes.map(({ path, command }) => {
    const commands = command.commands.map((c) => `${c.name}\t${c.description}`);
    const flags = command.options.flatMap((o) => o.flags.map((f) => `${f}\t${o.description}`));
    return `        case ${fishQuote(path)}\n` +
      `            set commands ${command.commands.map((c) => fishQuote(c.name)).join(" ")}\n` +
      `            test -n "$argv[2]"; and set commands ${commands.map(fishQuote).join(" ")}\n` +
      `            set flags ${flags.map(fishQuote).join(" ")}\n` +
      `            set variadic ${variadicIndex(command)}`;
  });
  const kindCases = nodes.flatMap(({ path, command }) => [
    ...command.options.filter((o) => o.value !== undefined).map((o) =>
      `        case ${o.flags.map((f) => fishQuote(`${path}|${f}`)).join(" ")}\n` +
      `            echo ${fishQuote(kindWord(o.value as CompletionValue))}`
    ),
    ...command.args.map((a, i) =>
      `        case ${fishQuote(`${path}|#${i}`)}\n            echo ${fishQuote(kindWord(a.value))}`
    ),
  ]);
  return `# fish completion for clodputer (generated by: clodputer completions fish)
# Save it as ~/.config/fish/completions/clodputer.fish, or: clodputer completions fish | source
# (clodputer completions, with no shell, says how to install it)

# Sets the caller's commands (names; with a second argument, name<TAB>description), flags and
# variadic for a command.
function __clodputer_node --no-scope-shadowing
    switch "$argv[1]"
${nodeCases.join("\n")}
        case '*'
            set commands
            set flags
            set variadic -1
    end
end

# Prints what an option (or a positional #N) of a command takes: task, any, choice ..., or nothing.
function __clodputer_kind
    switch "$argv[1]|$argv[2]"
${kindCases.join("\n")}
    end
end

function __clodputer_complete
    set -l words (commandline -opc)
    set -l cur (commandline -ct)
    set -l cmd ''
    set -l npos 0
    set -l wanted ''
    set -l ended ''
    set -l commands
    set -l flags
    set -l variadic -1
    for w in $words[2..-1]
        if test -n "$wanted"
            set wanted ''
            continue
        end
        if test -z "$ended"; and test "$w" = --
            set ended 1
            continue
        end
        if test -z "$ended"; and string match -q -- '-*' $w
            string match -q -- '*=*' $w; or set wanted (__clodputer_kind "$cmd" $w)
            continue
        end
        __clodputer_node "$cmd"
        if test $npos -eq 0; and contains -- $w $commands
            set cmd (string trim -- "$cmd $w")
            continue
        end
        set npos (math $npos + 1)
    end
    __clodputer_node "$cmd" describe
    set -l kind
    if test -n "$wanted"
        set kind $wanted
    else if test -z "$ended"; and string match -q -- '-*' $cur
        printf '%s\\n' $flags
        return
    else if test $npos -eq 0; and test (count $commands) -gt 0
        printf '%s\\n' $commands
        return
    else
        if test $variadic -ge 0; and test $npos -gt $variadic
            set npos $variadic
        end
        set kind (__clodputer_kind "$cmd" "#$npos")
    end
    switch "$kind"
        case task
            clodputer completions --tasks 2>/dev/null
        case 'choice *'
            string split ' ' -- (string replace 'choice ' '' -- $kind)
    end
end

complete -c clodputer -f -a '(__clodputer_complete)'
`;
}
