/**
 * @module
 * What is installed to call the tick (the crontab section, the LaunchAgent, or the systemd user
 * timer), and whether it still works: it calls an executable clodputer, with this home; a systemd
 * timer's unit files are what install writes for that entry, and the timer runs. For status and doctor: reads no
 * task file and loads no config parser.
 *
 * Reading the crontab means running `crontab -l`. `doctor` and `install` do that every time;
 * `status` (polled every few seconds by a menu bar) reads what the last such read found, kept in
 * `scheduler.json`, and checks the files it names. install and uninstall drop that record, so the
 * next status reads the crontab again. An entry removed by hand shows in status as ticks that
 * stopped, and in doctor as not installed. A damaged record is moved aside (lib/log/state_file.ts)
 * and the crontab read again. A systemd install is read from its unit files every time (no
 * process); whether its timer runs is `systemctl --user is-active` for doctor, and for status the
 * symlink `systemctl --user enable` makes.
 */

import { join } from "../sys/posix_path.ts";
import type { Env } from "../sys/env.ts";
import { readTextIfExists, rm, writeFileAtomic } from "../sys/fs.ts";
import {
  checkFields,
  isNumber,
  isRecord,
  isStrings,
  readStateFile,
  type StateShape,
} from "../log/state_file.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import { readCrontabText } from "./crontab.ts";
import { findSection, type ParsedEntry, sectionEntry } from "./crontab_section.ts";
import { plistPath, readPlist } from "./launchd.ts";
import {
  readService,
  renderService,
  renderTimer,
  SYSTEMD_SERVICE,
  SYSTEMD_TIMER,
  timerInactive,
  unitDir,
} from "./systemd.ts";
import { SpawnError } from "../sys/proc.ts";

/** Which scheduler calls tick. */
export type Backend = "crontab" | "launchd" | "systemd";

/** The command the scheduler runs every minute, and its variables. */
export interface TickEntry {
  argv: string[];
  env: Record<string, string>;
}

/** How the scheduler is installed, for status and doctor. */
export interface SchedulerInstall {
  backend: Backend | null;
  /** The installed command (argv and variables), when one was found. */
  entry: TickEntry | null;
  /** Why the installed entry would not work now; empty when it is current. */
  stale: string[];
  /** Why it could not be read at all. */
  unavailable: string | null;
  /** Other crontab lines that call clodputer (an older install, or by hand). */
  others: number;
  /** systemd: why the timer does not run (not enabled, not active); null when it runs. */
  inactive: string | null;
}

/** What `scheduler.json` keeps: what was installed, without the checks of the files it names. */
interface InstallRecord {
  version: 1;
  backend: Backend | null;
  entry: TickEntry | null;
  /** Why the entry cannot be used, found when it was read (not file checks). */
  unreadable: string[];
  others: number;
}

/**
 * What is installed, as the last full read found it (see the module's notes), with the files it
 * names checked now. Reads the crontab only when there is no record (and then keeps one).
 */
export async function readInstallRecorded(
  deps: { proc: Proc; env: Env; paths: Paths; os: string },
  nowMs: number,
): Promise<SchedulerInstall> {
  const record = await readRecordFile(deps.paths, nowMs);
  if (!record) return await readInstall(deps);
  const out: SchedulerInstall = {
    backend: record.backend,
    entry: record.entry,
    stale: [...record.unreadable],
    unavailable: null,
    others: record.others,
    inactive: null,
  };
  if (record.backend === "systemd") {
    // The unit files are read again (cheap, no process): a hand edit shows at once.
    await readSystemd(deps, out, { live: false });
    if (!out.backend) return out;
    if (out.entry) out.stale.push(...await staleReasons(deps, out.entry));
    return out;
  }
  if (out.entry) out.stale.push(...await staleReasons(deps, out.entry));
  return out;
}

/** Drops the record, so the next status reads the crontab again (after install or uninstall). */
export async function forgetInstallRecord(paths: Paths): Promise<void> {
  await rm(paths.schedulerRecord);
}

const isEnv = (v: unknown) => isRecord(v) && Object.values(v).every((x) => typeof x === "string");

/** What `scheduler.json` holds (a record of another version is not damaged: it is read again). */
const RECORD_SHAPE: StateShape<InstallRecord> = {
  check: (v) =>
    isRecord(v) && v.version !== 1 ? undefined : checkFields(v, {
      version: [(x) => x === 1, "1"],
      backend: [
        (b) => b === null || b === "crontab" || b === "launchd" || b === "systemd",
        "crontab, launchd, systemd or null",
      ],
      entry: [
        (e) => e === null || (isRecord(e) && isStrings(e.argv) && isEnv(e.env)),
        "an object with argv and env, or null",
      ],
      unreadable: [isStrings, "a list of strings"],
      others: [isNumber, "a number"],
    }),
};

async function readRecordFile(paths: Paths, nowMs: number): Promise<InstallRecord | undefined> {
  const { value } = await readStateFile(paths, paths.schedulerRecord, RECORD_SHAPE, nowMs);
  return value?.version === 1 ? value : undefined;
}

/**
 * Reads what is installed (`crontab -l`, or the LaunchAgent's plist) and checks it still calls
 * an existing clodputer with this home. Keeps what it read in `scheduler.json` for status.
 */
export async function readInstall(
  deps: { proc: Proc; env: Env; paths: Paths; os: string },
): Promise<
  SchedulerInstall
> {
  const out: SchedulerInstall = {
    backend: null,
    entry: null,
    stale: [],
    unavailable: null,
    others: 0,
    inactive: null,
  };
  let parsed: ParsedEntry | undefined;
  let noCrontab = false;
  try {
    const table = await readCrontabText(deps.proc, deps.env, deps.os);
    const found = findSection(table);
    const rest = found ? table.slice(0, found.start) + table.slice(found.end) : table;
    out.others = rest.split("\n")
      .filter((l) => !l.trimStart().startsWith("#") && /\bclodputer\b/.test(l)).length;
    if (found) {
      out.backend = "crontab";
      parsed = sectionEntry(found.text);
      if (!parsed) out.stale.push("the clodputer section has no entry line it can read");
    }
  } catch (error) {
    out.unavailable = error instanceof Error ? error.message : String(error);
    noCrontab = error instanceof Error && error.cause instanceof SpawnError &&
      error.cause.reason === "not_found";
  }
  if (!out.backend && deps.os !== "darwin") {
    await readSystemd(deps, out, { live: true });
    // Where a systemd timer calls the tick, a missing crontab command is no problem.
    if (out.backend === "systemd" && noCrontab) out.unavailable = null;
    if (out.backend === "systemd") {
      if (out.unavailable === null) await keepRecord(deps.paths, out);
      if (out.entry) out.stale.push(...await staleReasons(deps, out.entry));
      return out;
    }
  }
  if (!out.backend && deps.os === "darwin") {
    const plist = await readTextIfExists(plistPath(deps.env.get("HOME") ?? ""));
    if (plist !== undefined) {
      out.backend = "launchd";
      const read = readPlist(plist);
      if (read) parsed = { schedule: "every 60 s", ...read };
      else out.stale.push("the LaunchAgent's plist has no ProgramArguments");
    }
  }
  if (parsed) out.entry = { argv: parsed.argv, env: parsed.env };
  if (out.unavailable === null) await keepRecord(deps.paths, out);
  if (out.entry) out.stale.push(...await staleReasons(deps, out.entry));
  return out;
}

/**
 * Reads the systemd units into `out` when there are any: the entry, what differs from what install
 * writes for it, and whether the timer runs (see `timerInactive`).
 */
async function readSystemd(
  deps: { proc: Proc; env: Env },
  out: SchedulerInstall,
  { live }: { live: boolean },
): Promise<void> {
  const dir = unitDir(deps.env);
  const service = await readTextIfExists(join(dir, SYSTEMD_SERVICE));
  const timer = await readTextIfExists(join(dir, SYSTEMD_TIMER));
  if (service === undefined && timer === undefined) {
    out.backend = null;
    out.entry = null;
    out.stale = [];
    return;
  }
  out.backend = "systemd";
  out.stale = [];
  const read = service === undefined ? undefined : readService(service);
  out.entry = read ?? null;
  if (service === undefined) out.stale.push(`${join(dir, SYSTEMD_SERVICE)} is missing`);
  else if (!read) out.stale.push(`${SYSTEMD_SERVICE} has no ExecStart= line it can read`);
  else if (renderService(read) !== service) {
    out.stale.push(`${SYSTEMD_SERVICE} differs from what clodputer install writes`);
  }
  if (timer === undefined) out.stale.push(`${join(dir, SYSTEMD_TIMER)} is missing`);
  else if (timer !== renderTimer()) {
    out.stale.push(`${SYSTEMD_TIMER} differs from what clodputer install writes`);
  }
  out.inactive = (await timerInactive(deps, { live })) ?? null;
}

/**
 * Writes the record. It is only a cache of what `crontab -l` said: when it cannot be written (no
 * home yet: status and doctor never create one; a read-only home), status reads the crontab.
 */
async function keepRecord(paths: Paths, read: SchedulerInstall): Promise<void> {
  const record: InstallRecord = {
    version: 1,
    backend: read.backend,
    entry: read.entry,
    unreadable: read.stale,
    others: read.others,
  };
  try {
    await writeFileAtomic(paths.schedulerRecord, JSON.stringify(record) + "\n");
  } catch {
    // A cache that cannot be kept costs the next status one crontab -l; nothing is lost.
  }
}

async function staleReasons(deps: { env: Env; paths: Paths }, entry: TickEntry): Promise<string[]> {
  const reasons: string[] = [];
  const [command] = entry.argv;
  if (!command || !(await isExecutable(command))) {
    reasons.push(`it calls ${command ?? "nothing"}, which is not an executable file any more`);
  }
  const main = entry.argv.find((a) => a.endsWith("/main.ts"));
  if (main && !(await isFile(main))) reasons.push(`it runs ${main}, which is gone`);
  if (entry.argv.at(-1) !== "tick") reasons.push("it does not run tick");
  const home = entry.env.CLODPUTER_HOME ??
    join(deps.env.get("HOME") ?? "", ".clodputer");
  if (home !== deps.paths.home) {
    reasons.push(`it uses the home ${home}, not ${deps.paths.home}`);
  }
  return reasons;
}

async function isExecutable(path: string): Promise<boolean> {
  const info = await Deno.stat(path).catch(() => undefined);
  return !!info?.isFile && info.mode !== null && (info.mode & 0o111) !== 0;
}

async function isFile(path: string): Promise<boolean> {
  return (await Deno.stat(path).catch(() => undefined))?.isFile ?? false;
}
