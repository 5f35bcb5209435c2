/**
 * @module
 * The menu bar plugin: one script in the plugin folder of SwiftBar or xbar (found from their
 * settings, or given), which shows `clodputer menubar print` and runs the menu's clodputer
 * commands with the environment they need; installing and removing it (only a file we wrote).
 * Kept apart from `menubar install` so that any face can install it.
 */

import denoJson from "../../deno.json" with { type: "json" };
import { loadGlobalConfig } from "../config/load.ts";
import { ClodputerError, EnvironmentError, IoError, UsageError } from "../errors.ts";
import { pathReachingClaude, SYSTEM_PATH } from "../run/claude_path.ts";
import type { Env } from "../sys/env.ts";
import { isDirectory, readTextIfExists, rm } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";
import { isAbsolute, join } from "../sys/posix_path.ts";
import type { Proc } from "../sys/proc.ts";
import { selfArgv } from "../sys/self.ts";
import { shellQuote } from "./shell_quote.ts";

/** The plugin's file name: `{name}.{interval}.{ext}`, refreshed every 10 s. */
export const PLUGIN_FILE = "clodputer.10s.sh";

/** The line that marks a plugin as ours: uninstall removes only a file that holds it. */
export const PLUGIN_MARK = "# clodputer-menubar-plugin: written by clodputer menubar install";

/** SwiftBar's preferences domain and the key of its plugin folder (SwiftBar's PreferencesStore). */
export const SWIFTBAR_DEFAULTS = ["com.ameba.SwiftBar", "PluginDirectory"] as const;

/** xbar's plugin folder, under HOME. */
export const XBAR_FOLDER = "Library/Application Support/xbar/plugins";

/** A plugin folder and who uses it. */
export interface PluginFolder {
  dir: string;
  app: "SwiftBar" | "xbar" | "--dir";
}

/** What finding the folders needs. */
export interface FolderDeps {
  os: string;
  env: Env;
  proc: Proc;
}

/** What installing and removing the plugin need: the folders' seams and the home's paths. */
export interface MenubarPluginDeps extends FolderDeps {
  paths: Paths;
}

function absolute(path: string): string {
  return isAbsolute(path) ? path : join(Deno.cwd(), path);
}

/** SwiftBar's plugin folder from its preferences (`defaults read`), if it has one. */
async function swiftBarFolder(deps: FolderDeps): Promise<string | undefined> {
  const home = deps.env.get("HOME") ?? "";
  let out;
  try {
    out = await deps.proc.output("defaults", {
      args: ["read", ...SWIFTBAR_DEFAULTS],
      env: {
        PATH: [deps.env.get("PATH") ?? "", ...SYSTEM_PATH].filter((p) => p !== "").join(":"),
        HOME: home,
      },
    });
  } catch {
    return undefined;
  }
  const value = out.stdout.trim();
  if (out.code !== 0 || value === "") return undefined;
  return value === "~" ? home : value.startsWith("~/") ? join(home, value.slice(2)) : value;
}

/**
 * The folders where a plugin may be: `--dir`, else SwiftBar's (from its preferences) and xbar's,
 * those that exist.
 * @throws {UsageError} for a `--dir` that is not a folder, or no `--dir` on a system without them.
 */
export async function pluginFolders(
  deps: FolderDeps,
  dir: string | undefined,
): Promise<PluginFolder[]> {
  if (dir !== undefined) {
    const full = absolute(dir);
    if (!(await isDirectory(full))) {
      throw new UsageError(`Cannot use the plugin folder "${dir}": it is not a folder`, {
        hint: "give an existing folder, such as the one SwiftBar shows in its Preferences",
      });
    }
    return [{ dir: full, app: "--dir" }];
  }
  if (deps.os !== "darwin") {
    throw new UsageError(
      `Cannot find a menu bar app: SwiftBar and xbar are macOS software, and this is ${deps.os}`,
      {
        hint:
          "give another plugin host's folder with --dir <folder>, or see the menu with: clodputer menubar print",
      },
    );
  }
  const found: PluginFolder[] = [];
  const swift = await swiftBarFolder(deps);
  if (swift !== undefined && (await isDirectory(swift))) {
    found.push({ dir: swift, app: "SwiftBar" });
  }
  const xbar = join(deps.env.get("HOME") ?? "", XBAR_FOLDER);
  if (await isDirectory(xbar)) found.push({ dir: xbar, app: "xbar" });
  return found;
}

/** What the plugin script holds. */
export interface PluginSpec {
  /** The words that start clodputer. */
  self: readonly string[];
  /** The variables it sets. */
  env: Record<string, string>;
  /** Where it is written (its actions run it again). */
  path: string;
  version: string;
}

/**
 * The plugin script: metadata for SwiftBar and xbar, the environment, then `clodputer menubar
 * print` (no arguments: SwiftBar's refresh) or `clodputer <arguments>` (a menu action). Pure.
 */
export function pluginScript(spec: PluginSpec): string {
  const self = spec.self.map(shellQuote).join(" ");
  return [
    "#!/bin/sh",
    PLUGIN_MARK,
    "# (clodputer menubar uninstall removes it). With no arguments it prints the menu",
    "# (clodputer menubar print); with arguments it runs that clodputer command (the menu's actions).",
    "#",
    "# <xbar.title>Clodputer</xbar.title>",
    `# <xbar.version>v${spec.version}</xbar.version>`,
    "# <xbar.author>Clodputer</xbar.author>",
    "# <xbar.desc>Cron, a queue and a watchdog for Claude Code: what runs, what failed, the queue.</xbar.desc>",
    "# <swiftbar.refreshOnOpen>true</swiftbar.refreshOnOpen>",
    "# <swiftbar.runInBash>false</swiftbar.runInBash>",
    "# <swiftbar.hideRunInTerminal>true</swiftbar.hideRunInTerminal>",
    "",
    ...Object.entries(spec.env).map(([k, v]) => `${k}=${shellQuote(v)}; export ${k}`),
    "# The host's own variables (SWIFTBAR, XBARDarkMode) pass through: menubar print reads them.",
    `[ "$#" -eq 0 ] && set -- menubar print --plugin ${shellQuote(spec.path)}`,
    `exec ${self} "$@"`,
    "",
  ].join("\n");
}

/** True when `text` is a plugin this command wrote. */
export function isOurPlugin(text: string): boolean {
  return text.split("\n").slice(0, 3).includes(PLUGIN_MARK);
}

/** The environment the plugin sets: HOME, the Clodputer home, a PATH that reaches claude. */
async function pluginEnv(
  deps: MenubarPluginDeps,
): Promise<{ env: Record<string, string>; warnings: string[] }> {
  const global = await loadGlobalConfig(deps.paths, deps.env);
  const { path, warning } = await pathReachingClaude(
    deps.env,
    global.claude,
    deps.paths.config,
    "Run now fails",
  );
  const warnings = warning ? [warning] : [];
  const home = deps.env.get("HOME");
  const env: Record<string, string> = {
    ...(home ? { HOME: home } : {}),
    CLODPUTER_HOME: absolute(deps.paths.home),
    PATH: path,
  };
  const denoDir = deps.env.get("DENO_DIR");
  if (denoDir) env.DENO_DIR = denoDir;
  return { env, warnings };
}

/** What install did; also the `--json` form. */
export interface MenubarInstallResult {
  file: string;
  app: PluginFolder["app"];
  changed: boolean;
  warnings: string[];
}

/** What install did, and whether a plugin of ours was there before (installed or updated). */
export interface MenubarInstall extends MenubarInstallResult {
  existed: boolean;
}

/** What uninstall did: the plugins removed, and the folders looked in. */
export interface MenubarUninstall {
  removed: string[];
  folders: string[];
}

function notOurs(file: string): ClodputerError {
  return new UsageError(
    `Cannot replace "${file}": it was not written by clodputer menubar install`,
    {
      hint: "move it away first if it should go",
    },
  );
}

/**
 * Writes the plugin into the first plugin folder (`dir`, else SwiftBar's, else xbar's), replacing
 * only a plugin of ours.
 * @throws {UsageError} for a file there that we did not write, or a bad `dir`.
 * @throws {EnvironmentError} when there is no plugin folder.
 */
export async function installMenubarPlugin(
  deps: MenubarPluginDeps,
  options: { dir: string | undefined },
): Promise<MenubarInstall> {
  const folders = await pluginFolders(deps, options.dir);
  const folder = folders[0];
  if (!folder) {
    throw new EnvironmentError(
      "Cannot find a menu bar app: neither SwiftBar (no plugin folder in its settings) nor xbar " +
        `(no ${join(deps.env.get("HOME") ?? "~", XBAR_FOLDER)}) is set up`,
      {
        hint:
          "install SwiftBar with: brew install --cask swiftbar; open it once and choose a plugin folder; then run this again (or give a folder with --dir)",
      },
    );
  }
  const file = join(folder.dir, PLUGIN_FILE);
  const before = await readTextIfExists(file);
  if (before !== undefined && !isOurPlugin(before)) throw notOurs(file);
  const { env, warnings } = await pluginEnv(deps);
  const text = pluginScript({ self: selfArgv(), env, path: file, version: denoJson.version });
  try {
    await Deno.writeTextFile(`${file}.partial`, text, { mode: 0o755 });
    await Deno.chmod(`${file}.partial`, 0o755);
    await Deno.rename(`${file}.partial`, file);
  } catch (error) {
    throw new IoError("write", file, { cause: error });
  }
  return {
    file,
    app: folder.app,
    changed: before !== text,
    warnings,
    existed: before !== undefined,
  };
}

/**
 * Removes the plugin from each plugin folder where it is (`dir`, else SwiftBar's and xbar's).
 * @throws {UsageError} for a plugin file there that we did not write (left as it is).
 */
export async function uninstallMenubarPlugin(
  deps: FolderDeps,
  options: { dir: string | undefined },
): Promise<MenubarUninstall> {
  const folders = await pluginFolders(deps, options.dir);
  const removed: string[] = [];
  for (const folder of folders) {
    const file = join(folder.dir, PLUGIN_FILE);
    const text = await readTextIfExists(file);
    if (text === undefined) continue;
    if (!isOurPlugin(text)) {
      throw new UsageError(
        `Cannot remove "${file}": it was not written by clodputer menubar install`,
        { hint: "it is left as it is; remove it yourself if it should go" },
      );
    }
    await rm(file);
    removed.push(file);
  }
  return { removed, folders: folders.map((f) => f.dir) };
}
