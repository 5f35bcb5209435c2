/**
 * @module
 * Reads `{{ secrets.NAME }}` values when a run starts: the macOS Keychain (a generic password
 * under the "clodputer" service), else an environment variable of the same name.
 */

import type { Env } from "../sys/env.ts";
import type { Proc } from "../sys/proc.ts";

/** The Keychain service secrets are stored under. */
export const KEYCHAIN_SERVICE = "clodputer";

/**
 * The command that stores (or, with `-U`, updates) secret `name` in the Keychain. `-w` comes
 * last with no value, so `security` asks for it: a value on the line would stay in the shell's
 * history.
 */
export function keychainAddCommand(name: string): string {
  return `security add-generic-password -U -s ${KEYCHAIN_SERVICE} -a ${name} -w`;
}

/**
 * The environment `security` runs with: a fixed PATH, and HOME, which it needs to find the
 * user's login keychain (it gets nothing else of ours).
 */
export function securityEnv(env: Env): Record<string, string> {
  const home = env.get("HOME");
  return { PATH: "/usr/bin:/bin", ...(home ? { HOME: home } : {}) };
}

/** Looks up one secret; undefined when neither the Keychain nor the environment has it. */
export async function readSecret(
  deps: { proc: Proc; env: Env; os: string },
  name: string,
): Promise<string | undefined> {
  if (deps.os === "darwin") {
    try {
      const out = await deps.proc.output("security", {
        args: ["find-generic-password", "-s", KEYCHAIN_SERVICE, "-a", name, "-w"],
        env: securityEnv(deps.env),
      });
      if (out.code === 0) return out.stdout.replace(/\n$/, "");
    } catch {
      // no `security` tool: fall through to the environment
    }
  }
  const value = deps.env.get(name);
  return value === undefined || value === "" ? undefined : value;
}
