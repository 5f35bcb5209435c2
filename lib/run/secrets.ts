/**
 * @module
 * Reads `{{ secrets.NAME }}` values when a run starts: the macOS Keychain (a generic password
 * under the "clodputer" service), else an environment variable of the same name.
 */

import type { Env } from "../sys/env.ts";
import type { Proc } from "../sys/proc.ts";

/** The Keychain service secrets are stored under. */
export const KEYCHAIN_SERVICE = "clodputer";

/** Looks up one secret; undefined when neither the Keychain nor the environment has it. */
export async function readSecret(
  deps: { proc: Proc; env: Env; os: string },
  name: string,
): Promise<string | undefined> {
  if (deps.os === "darwin") {
    try {
      const out = await deps.proc.output("security", {
        args: ["find-generic-password", "-s", KEYCHAIN_SERVICE, "-a", name, "-w"],
        env: { PATH: "/usr/bin:/bin" },
      });
      if (out.code === 0) return out.stdout.replace(/\n$/, "");
    } catch {
      // no `security` tool: fall through to the environment
    }
  }
  const value = deps.env.get(name);
  return value === undefined || value === "" ? undefined : value;
}
