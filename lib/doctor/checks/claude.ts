/**
 * @module
 * Doctor: claude is found, runs, and is found the way a cron entry finds it.
 */

import { findClaude } from "../../run/claude_path.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

/** The PATH cron gives its jobs on macOS and most Linux systems. */
export const CRON_PATH = "/usr/bin:/bin";

async function versionOf(
  ctx: DoctorContext,
  path: string,
  env: Record<string, string>,
): Promise<string | undefined> {
  try {
    const out = await ctx.proc.output(path, { args: ["--version"], env });
    return out.code === 0 ? out.stdout.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** How a cron entry would start clodputer itself: the installed binary, by absolute path. */
export function clodputerCheck(executable: string): CheckResult {
  const name = executable.split("/").at(-1) ?? executable;
  if (name.startsWith("clodputer")) {
    return {
      id: "clodputer",
      status: "ok",
      message: `clodputer is ${executable} (cron entries call it by this path)`,
    };
  }
  return {
    id: "clodputer",
    status: "warn",
    message:
      `Clodputer is running from source (${executable}); the cron entry calls deno and this ` +
      "checkout's main.ts by their paths, so moving either stops scheduled runs",
    fix: "install the binary (brew install clodputer, or deno task compile) for a path that " +
      "survives upgrades, then run clodputer install again",
  };
}

/** Checks the claude executable. */
export async function checkClaude(ctx: DoctorContext): Promise<CheckResult[]> {
  const configured = ctx.global instanceof Error ? undefined : ctx.global.claude;
  const self = clodputerCheck(ctx.executable);
  const found = await findClaude(ctx.env, configured, ctx.paths.config);
  if (!found.found) {
    return [self, { id: "claude", status: "fail", message: found.message, fix: found.hint }];
  }
  const home = ctx.env.get("HOME") ?? "";
  // As cron runs it: no shell start-up files, a bare environment.
  const version = await versionOf(ctx, found.path, {
    HOME: home,
    PATH: CRON_PATH,
    SHELL: "/bin/sh",
  });
  if (!version) {
    return [self, {
      id: "claude",
      status: "fail",
      message:
        `${found.path} does not run in a bare environment (env -i HOME=... PATH=${CRON_PATH}): "claude --version" failed`,
      fix: `run "${found.path} --version" yourself to see why; reinstall Claude Code if it fails`,
    }];
  }
  const results: CheckResult[] = [self, {
    id: "claude",
    status: "ok",
    message: `claude ${version} at ${found.path} (found via ${found.source})`,
  }];
  if (found.source === "PATH" || found.source === "alias" || found.source === "known place") {
    results.push({
      id: "claude:cron",
      status: "warn",
      message:
        `Clodputer finds claude via ${found.source}, which cron does not have (cron's PATH is ${CRON_PATH})`,
      fix:
        `record it: add "claude: ${found.path}" to ${ctx.paths.config} (clodputer init does this)`,
    });
  }
  return results;
}
