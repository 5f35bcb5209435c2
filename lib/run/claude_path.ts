/**
 * @module
 * Finds the claude executable: $CLODPUTER_CLAUDE, the global config, PATH, then the places
 * Claude Code's installers use (cron's PATH rarely holds them).
 */

import { join } from "node:path";
import type { Env } from "../sys/env.ts";
import { findExecutable } from "../sys/proc.ts";

/** Where claude was found, or why it was not. */
export type ClaudeLocation =
  | { found: true; path: string; source: "CLODPUTER_CLAUDE" | "config" | "PATH" | "known place" }
  | { found: false; message: string; hint: string };

/** The usual install places, in the order they are tried. */
export function knownClaudePlaces(home: string | undefined): string[] {
  const places = ["/opt/homebrew/bin/claude", "/usr/local/bin/claude"];
  if (home) {
    places.unshift(join(home, ".claude", "local", "claude"), join(home, ".local", "bin", "claude"));
  }
  return places;
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
