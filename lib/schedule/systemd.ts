/**
 * @module
 * The systemd user timer alternative to the crontab (Linux, where Fedora and Arch ship no cron):
 * `clodputer-tick.service` (a oneshot that runs `clodputer tick`) and `clodputer-tick.timer` (every
 * minute, on the second), in `$XDG_CONFIG_HOME/systemd/user`: render and read back (pure), where
 * the files live, and the one way to run `systemctl --user` and `loginctl`.
 */

import { ClodputerError } from "../errors.ts";
import { join } from "../sys/posix_path.ts";
import type { Env } from "../sys/env.ts";
import type { Output, Proc } from "../sys/proc.ts";

/** The service unit's file name. */
export const SYSTEMD_SERVICE = "clodputer-tick.service";
/** The timer unit's file name: what `systemctl --user enable --now` starts. */
export const SYSTEMD_TIMER = "clodputer-tick.timer";

/** The folder of the user's own units: `$XDG_CONFIG_HOME/systemd/user` (~/.config by default). */
export function unitDir(env: Env): string {
  const config = env.get("XDG_CONFIG_HOME") || join(env.get("HOME") ?? "", ".config");
  return join(config, "systemd", "user");
}

/** The symlink `systemctl --user enable` makes: present while the timer is enabled. */
export function wantsLink(env: Env): string {
  return join(unitDir(env), "timers.target.wants", SYSTEMD_TIMER);
}

/**
 * One word of a unit's command line or Environment= assignment, in double quotes: a backslash and
 * a double quote escaped C-style, `%` doubled (systemd's specifiers) and, in ExecStart='s
 * arguments (not its executable), `$` doubled (its variable expansion).
 */
export function unitWord(word: string, { dollar }: { dollar: boolean }): string {
  let out = word.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("%", "%%");
  if (dollar) out = out.replaceAll("$", "$$$$");
  return `"${out}"`;
}

const HEAD = "# Written by `clodputer install --systemd`; `clodputer uninstall` removes it.";

/** The service unit: a oneshot that runs the tick with its variables. Pure. */
export function renderService(input: {
  argv: readonly string[];
  env: Readonly<Record<string, string>>;
}): string {
  const env = Object.entries(input.env)
    .map(([k, v]) => `Environment=${unitWord(`${k}=${v}`, { dollar: false })}`);
  return [
    HEAD,
    "[Unit]",
    "Description=Clodputer tick: queue the scheduled tasks that are due, keep the watcher alive",
    "",
    "[Service]",
    "Type=oneshot",
    ...env,
    `ExecStart=${input.argv.map((a, i) => unitWord(a, { dollar: i > 0 })).join(" ")}`,
    // The tick leaves a detached runner (and the watcher) behind: stopping the unit when the tick
    // exits must not kill them, as cron does not.
    "KillMode=process",
    "",
  ].join("\n");
}

/**
 * The timer unit: every minute on the second. Not Persistent: after sleep or a reboot the next
 * minute's tick catches up by each task's own `catch_up` rule. Pure.
 */
export function renderTimer(): string {
  return [
    HEAD,
    "[Unit]",
    "Description=Clodputer tick every minute",
    "",
    "[Timer]",
    "OnCalendar=*-*-* *:*:00",
    "AccuracySec=1s",
    "Persistent=false",
    `Unit=${SYSTEMD_SERVICE}`,
    "",
    "[Install]",
    "WantedBy=timers.target",
    "",
  ].join("\n");
}

/** Why systemd would refuse `path` as ExecStart='s executable, or undefined when it takes it. */
export function executableUnsafe(path: string): string | undefined {
  // systemd's string_is_safe(): no control character, quote or backslash.
  // deno-lint-ignore no-control-regex
  return /["'\\\x00-\x1f\x7f]/.test(path)
    ? "systemd refuses an executable whose path holds a quote, a backslash or a control character"
    : undefined;
}

/**
 * Reads one double-quoted word list as `renderService` writes it (`$$` read as `$` from the word
 * `dollarFrom` on); undefined when it cannot.
 */
function readWords(text: string, { dollarFrom }: { dollarFrom: number }): string[] | undefined {
  const words: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === " ") {
      i++;
      continue;
    }
    if (text[i] !== '"') return undefined;
    let word = "";
    i++;
    for (;; i++) {
      const ch = text[i];
      if (ch === undefined) return undefined;
      if (ch === '"') break;
      if (ch === "\\") word += text[++i] ?? "";
      else if (ch === "%" && text[i + 1] === "%") word += text[++i];
      else if (words.length >= dollarFrom && ch === "$" && text[i + 1] === "$") word += text[++i];
      else word += ch;
    }
    i++;
    words.push(word);
  }
  return words;
}

/** The ExecStart argv and Environment= variables of a service this module wrote. Pure. */
export function readService(
  text: string,
): { argv: string[]; env: Record<string, string> } | undefined {
  let argv: string[] | undefined;
  const env: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const exec = line.match(/^ExecStart=(.*)$/);
    if (exec) argv = readWords(exec[1] ?? "", { dollarFrom: 1 });
    const assign = line.match(/^Environment=(.*)$/);
    const word = assign ? readWords(assign[1] ?? "", { dollarFrom: Infinity })?.[0] : undefined;
    const eq = word?.indexOf("=") ?? -1;
    if (word !== undefined && eq > 0) env[word.slice(0, eq)] = word.slice(eq + 1);
  }
  return argv && argv.length > 0 ? { argv, env } : undefined;
}

/**
 * Runs `systemctl` or `loginctl` with what they need of the environment: the user's bus
 * (XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS) and XDG_CONFIG_HOME, where systemctl looks for the
 * user's units. @throws {ClodputerError} when the program cannot be started.
 */
export async function systemdTool(
  deps: { proc: Proc; env: Env },
  command: "systemctl" | "loginctl",
  args: string[],
): Promise<Output> {
  const env: Record<string, string> = { PATH: deps.env.get("PATH") ?? "/usr/bin:/bin" };
  for (
    const name of [
      "HOME",
      "USER",
      "LOGNAME",
      "XDG_RUNTIME_DIR",
      "DBUS_SESSION_BUS_ADDRESS",
      "XDG_CONFIG_HOME",
    ]
  ) {
    const value = deps.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  try {
    return await deps.proc.output(command, { args, env });
  } catch (error) {
    throw new ClodputerError(
      `Cannot run ${command}: ${error instanceof Error ? error.message : error}`,
      { hint: `${command} comes with systemd; use the crontab where there is no systemd` },
    );
  }
}

/**
 * Whether the timer runs, by `systemctl --user is-active` (`live`), or else by the enable
 * symlink alone (no process: for status, polled). Undefined when it runs; else why not.
 */
export async function timerInactive(
  deps: { proc: Proc; env: Env },
  { live }: { live: boolean },
): Promise<string | undefined> {
  if (!live) {
    const link = await Deno.lstat(wantsLink(deps.env)).catch(() => undefined);
    return link
      ? undefined
      : `the timer is not enabled (systemctl --user enable --now ${SYSTEMD_TIMER})`;
  }
  let out: Output;
  try {
    out = await systemdTool(deps, "systemctl", ["--user", "is-active", SYSTEMD_TIMER]);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const state = out.stdout.trim();
  if (state === "active") return undefined;
  const said = state || out.stderr.trim().split("\n")[0] || `exit code ${out.code}`;
  return `the timer is not active (systemctl --user is-active ${SYSTEMD_TIMER}: ${said})`;
}
