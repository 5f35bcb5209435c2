/**
 * @module
 * `install` and `uninstall`: one crontab entry (or one LaunchAgent) that runs `clodputer tick`
 * every minute, written so it calls this same clodputer by an absolute path, with a PATH that
 * reaches claude, and no secret in it. Also reads back what is installed, for status and doctor.
 */

import { dirname, join } from "../sys/posix_path.ts";
import { listTaskNames, loadGlobalConfig, loadTask } from "../config/load.ts";
import { ClodputerError, EnvironmentError, UsageError } from "../errors.ts";
import { findClaude } from "../run/claude_path.ts";
import { newRunId } from "../run/run_id.ts";
import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import { ensureDir, readTextIfExists } from "../sys/fs.ts";
import { macProtectedFolders, type Paths, pathsUnder } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
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

/** The PATH given to tick: claude's folder, then the system's. */
const SYSTEM_PATH = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

/** The entry as install would write it now, with what a person should know about it. */
export async function desiredEntry(
  deps: InstallDeps,
  backend: Backend = "crontab",
): Promise<{ entry: TickEntry; tasks: SectionTask[]; warnings: string[] }> {
  const warnings: string[] = [];
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const claude = await findClaude(deps.env, global.claude, deps.paths.config);
  const dirs: string[] = [];
  if (claude.found) {
    dirs.push(dirname(claude.path));
    const real = await Deno.realPath(claude.path).catch(() => claude.path);
    dirs.push(dirname(real));
  } else {
    warnings.push(
      `claude was not found (${claude.message}): scheduled runs fail until it is; ${claude.hint}`,
    );
  }
  const env: Record<string, string> = {
    PATH: [...new Set([...dirs, ...SYSTEM_PATH])].join(":"),
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
  /** The new crontab, or the plist. */
  text: string;
  /** Where the plist was written (launchd). */
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
  // What status shows comes from the next full read (see lib/schedule/install_state.ts).
  if (!options.dryRun) await forgetInstallRecord(deps.paths);
  const { entry, tasks, warnings } = await desiredEntry(deps, options.backend);
  const base = { backend: options.backend, dryRun: options.dryRun, entry, tasks, warnings };
  if (options.backend === "crontab") {
    const before = await readCrontabText(deps.proc, deps.env, deps.os);
    const found = sectionOrThrow(before);
    const after = spliceSection(before, renderSection({ ...entry, tasks }));
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
    // No cron here at all: then there is no section to remove either (launchd may still be).
    if (!(error instanceof ClodputerError) || deps.os !== "darwin") throw error;
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
  // Nothing is owed any more (the dead-man's switch stays quiet); install starts afresh.
  if (!options.dryRun && result.removed.length > 0) await setScheduling(deps, null);
  return result;
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
