/**
 * @module
 * `install` and `uninstall`: one crontab entry (or one LaunchAgent, or one systemd user timer)
 * that runs `clodputer tick` every minute, written so it calls this same clodputer by an absolute path, with a PATH that
 * reaches claude, and no secret in it. Also reads back what is installed, for status and doctor.
 */

import { dirname, join } from "../sys/posix_path.ts";
import { listTaskNames, loadGlobalConfig, loadTask } from "../config/load.ts";
import { ClodputerError, EnvironmentError, UsageError } from "../errors.ts";
import { pathReachingClaude } from "../run/claude_path.ts";
import { newRunId } from "../run/run_id.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import { ensureDir, readTextIfExists } from "../sys/fs.ts";
import { macProtectedFolders, type Paths, pathsUnder } from "../sys/paths.ts";
import { type Proc, SpawnError } from "../sys/proc.ts";
import type { SelfCommand } from "../sys/self.ts";
import { readCrontabText, writeCrontabText } from "./crontab.ts";
import {
  crontabUnsafe,
  findSection,
  renderSection,
  type SectionTask,
  spliceSection,
} from "./crontab_section.ts";
import { type Backend, forgetInstallRecord, type TickEntry } from "./install_state.ts";
import { LAUNCHD_LABEL, plistPath, renderPlist } from "./launchd.ts";
import {
  executableUnsafe,
  renderService,
  renderTimer,
  SYSTEMD_SERVICE,
  SYSTEMD_TIMER,
  systemdTool,
  unitDir,
} from "./systemd.ts";
import { lazy } from "../lazy.ts";

export { type Backend, readInstall, type TickEntry } from "./install_state.ts";

/** What install and uninstall need. */
export interface InstallDeps {
  proc: Proc;
  env: Env;
  paths: Paths;
  clock: Clock;
  os: string;
  /** How cron starts this clodputer (see lib/sys/self.ts). */
  self: SelfCommand;
  /** The user id, for launchd's gui/<uid> domain. */
  uid: number | undefined;
  /**
   * The executable a LaunchAgent ends up running, which macOS's privacy settings name: deno for a
   * source install (its shim is a script), else the first word of `self.argv`.
   */
  runtime?: string | undefined;
}

/** The entry as install would write it now, with what a person should know about it. */
export async function desiredEntry(
  deps: InstallDeps,
  backend: Backend = "crontab",
): Promise<{ entry: TickEntry; tasks: SectionTask[]; warnings: string[] }> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const { path, warning } = await pathReachingClaude(
    deps.env,
    global.claude,
    deps.paths.config,
    "scheduled runs fail",
  );
  const warnings = warning ? [warning] : [];
  const env: Record<string, string> = {
    PATH: path,
    SHELL: "/bin/sh",
  };
  const userHome = deps.env.get("HOME");
  if (!userHome || pathsUnder(join(userHome, ".clodputer")).home !== deps.paths.home) {
    env.CLODPUTER_HOME = deps.paths.home;
  }
  const denoDir = deps.env.get("DENO_DIR");
  if (deps.self.kind === "source" && denoDir) env.DENO_DIR = denoDir;
  const entry = { argv: [...deps.self.argv, "tick"], env };
  for (
    const [what, value] of [...entry.argv.map((a) => ["the command", a]), ...Object.entries(env)]
  ) {
    const problem = crontabUnsafe(value as string);
    if (problem !== undefined) {
      throw new UsageError(
        `Cannot install: ${what} "${value}" cannot be written safely: ${problem}`,
        {
          hint: "move Clodputer (or CLODPUTER_HOME) to a path without line breaks or backslashes",
        },
      );
    }
  }

  const tasks: SectionTask[] = [];
  const guarded = deps.os === "darwin" ? macProtectedFolders(userHome ?? "") : [];
  for (const name of await listTaskNames(deps.paths)) {
    try {
      const { config } = await loadTask(deps.paths, name, deps.env, { global });
      const s = config.schedule;
      if (!s || !config.enabled) continue;
      tasks.push({ name, expression: s.expression, timezone: s.timezone ?? null });
      const cwd = config.task.working_directory;
      const folder = guarded.find((g) =>
        cwd !== undefined && (cwd === g || cwd.startsWith(`${g}/`))
      );
      if (folder) warnings.push(`${name} works in ${cwd}, ${fullDiskAccess(deps, backend)}`);
    } catch (error) {
      if (!(error instanceof ClodputerError)) throw error;
      warnings.push(`${name} is not scheduled: it does not load (clodputer validate ${name})`);
    }
  }
  return { entry, tasks, warnings };
}

/**
 * What needs Full Disk Access for a task in a protected folder: cron itself, or the program the
 * LaunchAgent starts (a path that an upgrade may change, and with it the grant).
 */
function fullDiskAccess(deps: InstallDeps, backend: Backend): string {
  const where = "System Settings > Privacy & Security > Full Disk Access";
  if (backend === "crontab") {
    return `which macOS protects: cron needs Full Disk Access to read it (${where}: add /usr/sbin/cron)`;
  }
  const program = deps.runtime ?? deps.self.argv[0] ?? "clodputer";
  const what = deps.self.kind === "source" ? "deno, which runs the source install" : "clodputer";
  return `which macOS protects: the LaunchAgent's program needs Full Disk Access to read it ` +
    `(${where}: add ${program}, ${what}); after an upgrade of ${
      deps.self.kind === "source" ? "deno" : "clodputer"
    } macOS may need the grant again (remove it and add it back)`;
}

/** What install did (or, with dryRun, would do). */
export interface InstallResult {
  backend: Backend;
  changed: boolean;
  dryRun: boolean;
  /** The new crontab, the plist, or the two units (each after a `# <path>` line). */
  text: string;
  /** Where the plist (launchd) or the timer unit (systemd) was written. */
  file: string | null;
  /** The copy of what was there before. */
  backup: string | null;
  entry: TickEntry;
  tasks: SectionTask[];
  warnings: string[];
}

/** Installs (or updates) the tick entry. Running it again changes nothing. */
export async function install(
  deps: InstallDeps,
  options: { backend: Backend; dryRun: boolean },
): Promise<InstallResult> {
  if (options.backend === "launchd" && deps.os !== "darwin") {
    throw new UsageError("Cannot install a LaunchAgent: launchd is macOS only", {
      hint: "use the crontab: clodputer install",
    });
  }
  if (options.backend === "systemd" && deps.os === "darwin") {
    throw new UsageError("Cannot install a systemd user timer: there is no systemd on macOS", {
      hint: "use the crontab (clodputer install) or a LaunchAgent (clodputer install --launchd)",
    });
  }
  // What status shows comes from the next full read (see lib/schedule/install_state.ts).
  if (!options.dryRun) await forgetInstallRecord(deps.paths);
  const { entry, tasks, warnings } = await desiredEntry(deps, options.backend);
  const base = { backend: options.backend, dryRun: options.dryRun, entry, tasks, warnings };
  if (options.backend === "systemd") {
    const problem = executableUnsafe(entry.argv[0] ?? "");
    if (problem !== undefined) {
      throw new UsageError(`Cannot install a systemd timer: ${problem}: ${entry.argv[0]}`, {
        hint: "move Clodputer to a path without quotes, or use the crontab: clodputer install",
      });
    }
    return await installSystemd(deps, { ...base, entry });
  }
  if (options.backend === "crontab") {
    const before = await readCrontabText(deps.proc, deps.env, deps.os).catch((error) => {
      throw noCrontab(deps, error) ?? error;
    });
    const found = sectionOrThrow(before);
    const after = spliceSection(before, renderSection(entry));
    if (after === before || options.dryRun) {
      return { ...base, changed: after !== before, text: after, file: null, backup: null };
    }
    const backup = await saveBackup(deps, "crontab", before);
    await writeCrontabText(deps.proc, deps.env, {
      os: deps.os,
      text: after,
      scratchDir: deps.paths.backups,
    });
    if (!found) await startScheduling(deps);
    return { ...base, changed: true, text: after, file: null, backup };
  }

  const home = deps.env.get("HOME") ?? "";
  const file = plistPath(home);
  // Without a working folder launchd starts the tick in /, and so every run of a task without
  // working_directory; cron starts it in the home folder.
  const text = renderPlist({
    argv: entry.argv,
    env: entry.env,
    logPath: deps.paths.cronLog,
    workingDirectory: home,
  });
  const before = await readTextIfExists(file);
  const service = `${domain(deps)}/${LAUNCHD_LABEL}`;
  const loaded = await launchctl(deps, ["print", service]);
  if ((before === text && loaded.code === 0) || options.dryRun) {
    return { ...base, changed: before !== text || loaded.code !== 0, text, file, backup: null };
  }
  if (NO_DOMAIN.test(loaded.stderr)) throw noGuiDomain(deps, loaded.stderr, undefined);
  const backup = before === undefined ? null : await saveBackup(deps, "launchd", before, ".plist");
  await ensureDir(dirname(file), 0o755);
  await Deno.writeTextFile(file, text, { mode: 0o644 });
  if (loaded.code === 0) {
    await launchctl(deps, ["bootout", service]);
    await waitUntilGone(deps, service, file);
  }
  await bootstrap(deps, file);
  if (before === undefined) await startScheduling(deps);
  return { ...base, changed: true, text, file, backup };
}

/** What uninstall removed. */
export interface UninstallResult {
  removed: Backend[];
  backups: string[];
  dryRun: boolean;
  /** The crontab as it would be, with --dry-run. */
  text: string | null;
}

/** Removes the crontab section and the LaunchAgent, where present, and nothing else. */
export async function uninstall(
  deps: InstallDeps,
  options: { dryRun: boolean },
): Promise<UninstallResult> {
  const result: UninstallResult = { removed: [], backups: [], dryRun: options.dryRun, text: null };
  if (!options.dryRun) await forgetInstallRecord(deps.paths);
  let before: string | undefined;
  try {
    before = await readCrontabText(deps.proc, deps.env, deps.os);
  } catch (error) {
    // No cron here at all: then there is no section to remove either (launchd or systemd may
    // still be). On Linux a crontab that refuses is an error: its section may be there.
    if (!(error instanceof ClodputerError)) throw error;
    if (deps.os !== "darwin" && noCrontab(deps, error) === undefined) throw error;
  }
  if (before !== undefined && sectionOrThrow(before)) {
    const after = spliceSection(before, undefined);
    result.text = after;
    result.removed.push("crontab");
    if (!options.dryRun) {
      result.backups.push(await saveBackup(deps, "crontab", before));
      await writeCrontabText(deps.proc, deps.env, {
        os: deps.os,
        text: after,
        scratchDir: deps.paths.backups,
      });
    }
  }
  if (deps.os === "darwin") {
    const file = plistPath(deps.env.get("HOME") ?? "");
    const plist = await readTextIfExists(file);
    if (plist !== undefined) {
      result.removed.push("launchd");
      if (!options.dryRun) {
        result.backups.push(await saveBackup(deps, "launchd", plist, ".plist"));
        await launchctl(deps, ["bootout", `${domain(deps)}/${LAUNCHD_LABEL}`]);
        await Deno.remove(file);
      }
    }
  }
  if (deps.os !== "darwin") await uninstallSystemd(deps, result);
  // Nothing is owed any more (the dead-man's switch stays quiet); install starts afresh.
  if (!options.dryRun && result.removed.length > 0) await setScheduling(deps, null);
  return result;
}

/**
 * On Linux, the error for a crontab command that is not there at all (Fedora and Arch ship no
 * cron): use the systemd timer. Undefined for any other error.
 */
function noCrontab(deps: InstallDeps, error: unknown): UsageError | undefined {
  if (deps.os === "darwin" || !(error instanceof ClodputerError)) return undefined;
  if (!(error.cause instanceof SpawnError) || error.cause.reason !== "not_found") return undefined;
  return new UsageError(
    `Cannot install in the crontab: there is no crontab command on PATH (${error.cause.osMessage})`,
    {
      cause: error,
      hint: "use a systemd user timer instead: clodputer install --systemd (or install cron: " +
        "sudo apt install cron, sudo dnf install cronie, sudo pacman -S cronie)",
    },
  );
}

/** The two unit files and their text, as install writes them for `entry`. */
function unitFiles(deps: InstallDeps, entry: TickEntry): [string, string][] {
  const dir = unitDir(deps.env);
  return [
    [join(dir, SYSTEMD_SERVICE), renderService(entry)],
    [join(dir, SYSTEMD_TIMER), renderTimer()],
  ];
}

/**
 * Writes the two units (when they differ), reloads systemd, enables and starts the timer; says
 * when lingering is off (then the user's timers stop at logout).
 */
async function installSystemd(
  deps: InstallDeps,
  base: Omit<InstallResult, "changed" | "text" | "file" | "backup">,
): Promise<InstallResult> {
  const files = unitFiles(deps, base.entry);
  const text = files.map(([file, body]) => `# ${file}\n${body}`).join("\n");
  const file = files[1]?.[0] ?? null;
  const befores = await Promise.all(files.map(([f]) => readTextIfExists(f)));
  const same = files.every(([, body], i) => befores[i] === body);
  const active = (await systemctl(deps, ["is-active", SYSTEMD_TIMER])).stdout.trim() === "active";
  const warnings = [...base.warnings];
  const result = (changed: boolean): InstallResult => ({
    ...base,
    warnings,
    changed,
    text,
    file,
    backup: null,
  });
  if (base.dryRun) return result(!same || !active);
  const linger = await lingerOff(deps);
  if (linger) warnings.push(linger);
  if (same && active) return result(false);
  let backup: string | null = null;
  for (const [i, [f, body]] of files.entries()) {
    const before = befores[i];
    if (before === body) continue;
    if (before !== undefined && backup === null) {
      backup = await saveBackup(deps, "systemd", before, `-${f.split("/").at(-1)}`);
    }
    await ensureDir(dirname(f), 0o755);
    await Deno.writeTextFile(f, body, { mode: 0o644 });
  }
  for (const args of [["daemon-reload"], ["enable", "--now", SYSTEMD_TIMER]]) {
    const out = await systemctl(deps, args);
    if (out.code !== 0) {
      const said = out.stderr.trim().split("\n").join(" ") || `exit code ${out.code}`;
      throw new EnvironmentError(
        `Cannot start the systemd timer: systemctl --user ${args.join(" ")} failed: ${said}; ` +
          `the unit files are written in ${unitDir(deps.env)}, but no tick runs`,
        {
          hint: /bus|XDG_RUNTIME_DIR/i.test(said)
            ? "systemctl --user needs your login session's user manager: run clodputer install " +
              "--systemd from a login shell (not su or sudo), or turn on lingering first " +
              "(loginctl enable-linger) and log in again"
            : `see why: systemctl --user status ${SYSTEMD_TIMER}; then run: systemctl --user ` +
              `daemon-reload && systemctl --user enable --now ${SYSTEMD_TIMER}`,
        },
      );
    }
  }
  if (befores.every((b) => b === undefined)) await startScheduling(deps);
  return { ...result(true), backup };
}

/** A warning when lingering is off for this user (`loginctl show-user`), else undefined. */
async function lingerOff(deps: InstallDeps): Promise<string | undefined> {
  const user = deps.env.get("USER") || deps.env.get("LOGNAME") || String(deps.uid ?? "");
  let out;
  try {
    out = await systemdTool(deps, "loginctl", ["show-user", user, "-p", "Linger"]);
  } catch {
    return undefined; // no loginctl: nothing known to warn about
  }
  if (out.code !== 0 || out.stdout.trim() !== "Linger=no") return undefined;
  return `lingering is off for ${user}: systemd stops your user timers when you log out, and ` +
    `with them the tick; to keep it running: loginctl enable-linger ${user}`;
}

/** Disables the timer and removes the two unit files, where present (nothing else). */
async function uninstallSystemd(deps: InstallDeps, result: UninstallResult): Promise<void> {
  const dir = unitDir(deps.env);
  const found: [string, string][] = [];
  for (const name of [SYSTEMD_TIMER, SYSTEMD_SERVICE]) {
    const text = await readTextIfExists(join(dir, name));
    if (text !== undefined) found.push([join(dir, name), text]);
  }
  if (found.length === 0) return;
  result.removed.push("systemd");
  if (result.dryRun) return;
  const off = await systemctl(deps, ["disable", "--now", SYSTEMD_TIMER]);
  if (off.code !== 0 && found.some(([f]) => f.endsWith(SYSTEMD_TIMER))) {
    const said = off.stderr.trim().split("\n").join(" ") || `exit code ${off.code}`;
    throw new EnvironmentError(
      `Cannot stop the systemd timer: systemctl --user disable --now ${SYSTEMD_TIMER} failed: ` +
        `${said}; its unit files are left in ${dir}`,
      {
        hint: `run it by hand: systemctl --user disable --now ${SYSTEMD_TIMER}; then ` +
          "clodputer uninstall again",
      },
    );
  }
  for (const [f, text] of found) {
    result.backups.push(await saveBackup(deps, "systemd", text, `-${f.split("/").at(-1)}`));
    await Deno.remove(f);
  }
  await systemctl(deps, ["daemon-reload"]);
}

/** `systemctl --user <args>`. */
function systemctl(deps: InstallDeps, args: string[]) {
  return systemdTool(deps, "systemctl", ["--user", ...args]);
}

function sectionOrThrow(table: string): boolean {
  try {
    return findSection(table) !== undefined;
  } catch (error) {
    throw new UsageError(
      `Cannot change the crontab: ${error instanceof Error ? error.message : error}`,
      {
        hint:
          "edit it with crontab -e: remove the clodputer lines, then run clodputer install again",
      },
    );
  }
}

/** Scheduling starts now: the first tick owes nothing from before. */
function startScheduling(deps: InstallDeps): Promise<void> {
  return setScheduling(deps, new Date(deps.clock.now()).toISOString());
}

/** Records when scheduling started (null: it stopped, nothing is owed). */
async function setScheduling(deps: InstallDeps, since: string | null): Promise<void> {
  const { openStore } = await lazy<typeof import("../state/open.ts")>("lib/state/open.ts");
  const { store } = await openStore(deps.paths, deps.clock);
  try {
    await store.setSchedulerSince(since);
  } finally {
    store.close();
  }
}

async function saveBackup(
  deps: InstallDeps,
  kind: string,
  text: string,
  suffix = "",
): Promise<string> {
  await ensureDir(deps.paths.backups);
  const stamp = newRunId(deps.clock.now());
  const file = join(deps.paths.backups, `${kind}-${stamp}${suffix}`);
  await Deno.writeTextFile(file, text, { mode: 0o600, createNew: true });
  return file;
}

/** What launchctl says when there is no gui/<uid> domain (an SSH login with no GUI session). */
const NO_DOMAIN = /Could not find domain for|Domain does not support specified action/;

/** launchctl's "Bootstrap failed: 5: Input/output error": among others, the old job is still
 * being removed. */
const BUSY = /Bootstrap failed: 5:/;

/** How long the old job may take to go away after bootout. */
export const BOOTOUT_WAIT_MS = 10_000;

/** The pauses between bootstrap attempts that failed with error 5 (so 4 attempts). */
export const BOOTSTRAP_RETRY_MS = [500, 1_000, 2_000];

/** What to run by hand to load the agent. */
function byHand(deps: InstallDeps, file: string): string {
  const service = `${domain(deps)}/${LAUNCHD_LABEL}`;
  return `launchctl bootout ${service}; launchctl bootstrap ${domain(deps)} ${file}`;
}

function noGuiDomain(deps: InstallDeps, said: string, file: string | undefined): EnvironmentError {
  const written = file === undefined
    ? ""
    : `; ${file} is written, and launchd loads it at your next login at the Mac`;
  return new EnvironmentError(
    `Cannot load the LaunchAgent: there is no GUI session for user ${deps.uid ?? 0} ` +
      `(launchctl: ${oneLine(said)}); a LaunchAgent runs in the gui/${deps.uid ?? 0} domain, ` +
      `which exists only while you are logged in at the Mac (not over SSH alone)${written}`,
    {
      hint: "run clodputer install --launchd in a Terminal at the Mac (or over Screen Sharing), " +
        "or use the crontab, which needs no GUI session: clodputer install",
    },
  );
}

function oneLine(text: string): string {
  return text.trim().split("\n").map((l) => l.trim()).filter((l) => l !== "").join(" ");
}

/**
 * Waits, polling `launchctl print` with backoff on the clock, until the booted-out job is gone:
 * launchd removes it in the background, and a bootstrap meanwhile fails with error 5.
 */
async function waitUntilGone(deps: InstallDeps, service: string, file: string): Promise<void> {
  const deadline = deps.clock.now() + BOOTOUT_WAIT_MS;
  let pause = 100;
  while ((await launchctl(deps, ["print", service])).code === 0) {
    const left = deadline - deps.clock.now();
    if (left <= 0) {
      throw new EnvironmentError(
        `Cannot load the LaunchAgent: the old one (${service}) is still loaded ` +
          `${BOOTOUT_WAIT_MS / 1000} s after launchctl bootout; ${file} is already the new one`,
        { hint: `load it by hand: ${byHand(deps, file)}` },
      );
    }
    await deps.clock.sleep(Math.min(pause, left));
    pause = Math.min(pause * 2, 1_000);
  }
}

/** `launchctl bootstrap`, tried again after a pause while it fails with error 5. */
async function bootstrap(deps: InstallDeps, file: string): Promise<void> {
  const pauses = [...BOOTSTRAP_RETRY_MS];
  for (let attempt = 1;; attempt++) {
    const boot = await launchctl(deps, ["bootstrap", domain(deps), file]);
    if (boot.code === 0) return;
    const said = oneLine(boot.stderr) || `exit code ${boot.code}`;
    if (NO_DOMAIN.test(boot.stderr)) throw noGuiDomain(deps, boot.stderr, file);
    const pause = pauses.shift();
    if (BUSY.test(boot.stderr) && pause !== undefined) {
      await deps.clock.sleep(pause);
      continue;
    }
    const tries = attempt === 1 ? "" : ` ${attempt} times`;
    const why = BUSY.test(boot.stderr)
      ? " (launchd says this while it still removes a job of the same label)"
      : "";
    throw new EnvironmentError(
      `Cannot load the LaunchAgent: launchctl bootstrap ${domain(deps)} ${file} failed${tries}: ` +
        `${said}${why}; the file is written but not loaded, so no tick runs`,
      {
        hint: `check the file with: plutil -lint ${file}; then load it by hand: ${
          byHand(deps, file)
        }`,
      },
    );
  }
}

function domain(deps: InstallDeps): string {
  return `gui/${deps.uid ?? 0}`;
}

async function launchctl(deps: InstallDeps, args: string[]) {
  try {
    return await deps.proc.output("launchctl", {
      args,
      env: { PATH: deps.env.get("PATH") ?? "/bin:/usr/bin", HOME: deps.env.get("HOME") ?? "" },
    });
  } catch (error) {
    throw new ClodputerError(
      `Cannot run launchctl: ${error instanceof Error ? error.message : error}`,
      { hint: "launchctl is in /bin on macOS; put /bin on PATH" },
    );
  }
}
