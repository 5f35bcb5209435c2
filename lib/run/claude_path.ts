/**
 * @module
 * Finds the claude executable: $CLODPUTER_CLAUDE, the global config, PATH, then the places
 * Claude Code's installers use (cron's PATH rarely holds them).
 */

import { dirname, join } from "../sys/posix_path.ts";
import type { Env } from "../sys/env.ts";
import { readTextIfExists } from "../sys/fs.ts";
import { findExecutable } from "../sys/proc.ts";

/** Where claude was found, or why it was not. */
export type ClaudeLocation =
  | {
    found: true;
    path: string;
    source: "CLODPUTER_CLAUDE" | "config" | "PATH" | "alias" | "known place";
  }
  | { found: false; message: string; hint: string };

/** The usual install places, in the order they are tried. */
export function knownClaudePlaces(home: string | undefined): string[] {
  const places = ["/opt/homebrew/bin/claude", "/usr/local/bin/claude"];
  if (home) {
    places.unshift(join(home, ".claude", "local", "claude"), join(home, ".local", "bin", "claude"));
  }
  return places;
}

/** The shell start-up files an `alias claude=...` may live in (cron never reads them). */
export const SHELL_RC_FILES = [".zshrc", ".bashrc", ".bash_profile", ".zprofile", ".profile"];

/**
 * The target of the last `alias claude=...` in a shell start-up file, with `~` and `$HOME`
 * expanded; undefined when there is none.
 * @example
 * ```ts
 * import { claudeAlias } from "./claude_path.ts";
 * console.assert(claudeAlias("alias claude='~/.claude/local/claude'\n", "/Users/me") === "/Users/me/.claude/local/claude");
 * ```
 */
export function claudeAlias(text: string, home: string): string | undefined {
  let found: string | undefined;
  for (const line of text.split("\n")) {
    const m = line.match(/^\s*alias\s+claude=(?:"([^"]*)"|'([^']*)'|(\S+))/);
    if (!m) continue;
    const value = (m[1] ?? m[2] ?? m[3] ?? "").trim().split(/\s+/)[0] ?? "";
    found = value.replace(/^~(?=\/)/, home).replace(/^\$HOME(?=\/)/, home).replace(
      /^\$\{HOME\}(?=\/)/,
      home,
    );
  }
  return found;
}

/** Finds claude. `configured` is the global config's `claude:` value, `configFile` its file. */
export async function findClaude(
  env: Env,
  configured: string | undefined,
  configFile: string,
): Promise<ClaudeLocation> {
  const fromEnv = env.get("CLODPUTER_CLAUDE");
  if (fromEnv) {
    const path = await findExecutable(fromEnv, env.get("PATH"));
    if (path) return { found: true, path, source: "CLODPUTER_CLAUDE" };
    return {
      found: false,
      message: `CLODPUTER_CLAUDE names "${fromEnv}", which is not an executable file`,
      hint: "fix the path, or unset CLODPUTER_CLAUDE to search PATH",
    };
  }
  if (configured) {
    const path = await findExecutable(configured, env.get("PATH"));
    if (path) return { found: true, path, source: "config" };
    return {
      found: false,
      message: `"claude" in ${configFile} names "${configured}", which is not an executable file`,
      hint: `fix "claude:" in ${configFile}, or remove it to search PATH`,
    };
  }
  const onPath = await findExecutable("claude", env.get("PATH"));
  if (onPath) return { found: true, path: onPath, source: "PATH" };
  const home = env.get("HOME");
  if (home) {
    for (const rc of SHELL_RC_FILES) {
      const text = await readTextIfExists(join(home, rc)).catch(() => undefined);
      const target = text === undefined ? undefined : claudeAlias(text, home);
      const path = target ? await findExecutable(target, undefined) : undefined;
      if (path) return { found: true, path, source: "alias" };
    }
  }
  for (const place of knownClaudePlaces(env.get("HOME"))) {
    const path = await findExecutable(place, undefined);
    if (path) return { found: true, path, source: "known place" };
  }
  return {
    found: false,
    message: `Cannot find "claude" on PATH (${env.get("PATH") ?? "unset"}) or in the usual places`,
    hint: `install Claude Code, or set CLODPUTER_CLAUDE or "claude:" in ${configFile} ` +
      "to the absolute path of the claude executable",
  };
}

/** The system folders every PATH Clodputer writes for cron, launchd, systemd or the menu bar ends with. */
export const SYSTEM_PATH: readonly string[] = ["/usr/bin", "/bin", "/usr/sbin", "/sbin"];

/**
 * The PATH a process started outside a shell (the tick, the menu bar plugin) needs to reach
 * claude: claude's folder and its link target's folder, then the system's. When claude is not
 * found, the PATH is the system's and `warning` says so (`without` names what fails).
 */
export async function pathReachingClaude(
  env: Env,
  configured: string | undefined,
  configFile: string,
  without: string,
): Promise<{ path: string; warning: string | undefined }> {
  const claude = await findClaude(env, configured, configFile);
  const dirs: string[] = [];
  if (claude.found) {
    dirs.push(dirname(claude.path));
    dirs.push(dirname(await Deno.realPath(claude.path).catch(() => claude.path)));
  }
  return {
    path: [...new Set([...dirs, ...SYSTEM_PATH])].join(":"),
    warning: claude.found
      ? undefined
      : `claude was not found (${claude.message}): ${without} until it is; ${claude.hint}`,
  };
}
