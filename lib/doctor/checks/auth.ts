/**
 * @module
 * Doctor: how claude will authenticate when cron runs it, where no shell profile is read.
 */

import { join } from "../../sys/posix_path.ts";
import { exists } from "../../sys/fs.ts";
import { secretSetCommand, securityEnv } from "../../run/secrets.ts";
import type { CheckResult, DoctorContext } from "../types.ts";

/** The variables Claude Code authenticates with. */
export const AUTH_VARIABLES = [
  "ANTHROPIC_API_KEY",
  "CLAUDE_CODE_OAUTH_TOKEN",
  "ANTHROPIC_AUTH_TOKEN",
];

/**
 * The fix for missing credentials: a long-lived token from `claude setup-token`, kept where
 * `{{ secrets.X }}` reads it (`clodputer secret set` picks the store: the Keychain on macOS, the
 * Secret Service or a 0600 file on Linux). The same on every OS.
 */
export function setupTokenFix(_os: string): string {
  return "run: claude setup-token; store the token with: " +
    `${secretSetCommand("CLAUDE_CODE_OAUTH_TOKEN")} (it asks for the token); ` +
    'and give each task env: { CLAUDE_CODE_OAUTH_TOKEN: "{{ secrets.CLAUDE_CODE_OAUTH_TOKEN }}" }';
}

/** Checks the authentication mode. */
export async function checkAuth(ctx: DoctorContext): Promise<CheckResult[]> {
  const tasks = ctx.tasks.flatMap((t) => ("task" in t ? [t.task] : []));
  const viaTaskEnv = tasks.filter((t) => AUTH_VARIABLES.some((v) => v in t.config.task.env));
  if (tasks.length > 0 && viaTaskEnv.length === tasks.length) {
    return [{ id: "auth", status: "ok", message: "Every task passes its credentials in its env" }];
  }
  const home = ctx.env.get("HOME") ?? "";
  const configDir = ctx.env.get("CLAUDE_CONFIG_DIR") ?? join(home, ".claude");
  if (await exists(join(configDir, ".credentials.json"))) {
    return [{
      id: "auth",
      status: "ok",
      message: `claude is logged in with a credentials file (${
        join(configDir, ".credentials.json")
      }), readable from cron`,
    }];
  }
  const inShell = AUTH_VARIABLES.filter((v) => (ctx.env.get(v) ?? "") !== "");
  if (inShell.length > 0) {
    return [{
      id: "auth",
      status: "warn",
      message: `${
        inShell.join(", ")
      } is set in this shell only: cron and launchd do not read your shell profile`,
      fix: `store it where runs read it (${
        secretSetCommand(inShell[0] ?? "")
      }, which asks for the value) and give each task env: { ${inShell[0]}: "{{ secrets.${
        inShell[0]
      } }}" }`,
    }];
  }
  if (ctx.os === "darwin") {
    const keychain = await ctx.proc.output("security", {
      args: ["find-generic-password", "-s", "Claude Code-credentials"],
      env: securityEnv(ctx.env),
    }).then((o) => o.code === 0, () => false);
    if (keychain) {
      return [{
        id: "auth",
        status: "warn",
        message:
          "claude is logged in through the macOS Keychain only: that login expires, and cron and launchd often cannot read it",
        fix: setupTokenFix(ctx.os),
      }];
    }
  }
  return [{
    id: "auth",
    status: "fail",
    message: "No credentials for claude were found (no API key, no OAuth token, no login)",
    fix: setupTokenFix(ctx.os),
  }];
}

/**
 * A canary run that succeeded proves claude has credentials under cron, wherever they come from
 * (a `claude` wrapper that sets its own key is a real setup): the auth check's failure becomes an
 * ok that says so. Warnings stay. Pure.
 */
export function settleAuthWithCanary(results: CheckResult[]): CheckResult[] {
  const canary = results.find((r) => r.id === "canary:run");
  if (canary?.status !== "ok") return results;
  return results.map((r): CheckResult =>
    r.id === "auth" && r.status === "fail"
      ? {
        id: "auth",
        status: "ok",
        message: "claude authenticated in the canary run, as cron runs it (its credentials " +
          "come from somewhere Clodputer does not look, such as a claude wrapper)",
      }
      : r
  );
}
