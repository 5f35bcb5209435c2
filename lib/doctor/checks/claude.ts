/**
 * @module
 * Doctor: claude is found, runs, and is found the way a cron entry finds it.
 */

import { findClaude } from "../../run/claude_path.ts";
import type { ShimFacts } from "../../sys/self.ts";
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

/**
 * How a cron entry would start clodputer itself: the installed binary, or the shim of a source
 * install (`deno task install`), by absolute path. Pure.
 */
export function clodputerCheck(executable: string, shim: ShimFacts | null = null): CheckResult {
  const name = executable.split("/").at(-1) ?? executable;
  if (name.startsWith("clodputer")) {
    return {
      id: "clodputer",
      status: "ok",
      message: `clodputer is ${executable} (cron entries call it by this path)`,
    };
  }
  if (shim && shim.problems.length === 0) {
    return {
      id: "clodputer",
      status: "ok",
      message: `clodputer is a source install: ${shim.path} runs this checkout with deno ` +
        "(cron entries call it by this path)",
    };
  }
  if (shim) {
    return {
      id: "clodputer",
      status: "warn",
      message: `The source install ${shim.path} cannot be used by cron: ${
        shim.problems.join("; ")
      }; cron entries call deno and this checkout's main.ts by their paths instead`,
      fix: "run deno task install in this checkout again (it rewrites the shim), then " +
        "clodputer install",
    };
  }
  return {
    id: "clodputer",
    status: "warn",
    message:
      `Clodputer is running from source (${executable}); the cron entry calls deno and this ` +
      "checkout's main.ts by their paths, so moving either stops scheduled runs",
    fix: "install the binary (Homebrew or a release download: README, Install), or run deno " +
      "task install in this checkout for a clodputer command on your PATH; then clodputer install",
  };
}

/** Checks the claude executable. */
export async function checkClaude(ctx: DoctorContext): Promise<CheckResult[]> {
  const configured = ctx.global instanceof Error ? undefined : ctx.global.claude;
  const self = clodputerCheck(ctx.executable, ctx.shim);
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
