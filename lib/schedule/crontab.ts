/**
 * @module
 * The user's crontab through `crontab(1)` (found on PATH): read it whole, replace it whole.
 */

import { join } from "../sys/posix_path.ts";
import { EnvironmentError } from "../errors.ts";
import type { Env } from "../sys/env.ts";
import { type Proc, SpawnError } from "../sys/proc.ts";

function crontabEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = { PATH: env.get("PATH") ?? "/usr/bin:/bin" };
  for (const name of ["HOME", "USER", "LOGNAME"]) {
    const value = env.get(name);
    if (value !== undefined) out[name] = value;
  }
  return out;
}

function fixFor(os: string, detail: string): string {
  if (/not allowed|permission|not permitted|denied/i.test(detail)) {
    return os === "darwin"
      ? "give your terminal Full Disk Access (System Settings > Privacy & Security > Full Disk " +
        "Access), or use: clodputer install --launchd"
      : "ask your administrator to allow you cron (/etc/cron.allow, /etc/cron.deny)";
  }
  return os === "darwin"
    ? "check that cron works (crontab -l); or use: clodputer install --launchd"
    : "install and start cron (Debian/Ubuntu: sudo apt install cron; then systemctl enable --now cron)";
}

/**
 * The whole crontab as text ("" when the user has none).
 * @throws {EnvironmentError} when `crontab` is missing or refuses, with the step that fixes it.
 */
export async function readCrontabText(proc: Proc, env: Env, os: string): Promise<string> {
  let out;
  try {
    out = await proc.output("crontab", { args: ["-l"], env: crontabEnv(env) });
  } catch (error) {
    throw notFound(error, os);
  }
  if (out.code === 0) return out.stdout;
  // "no crontab for <user>" is an empty table, not an error.
  if (/no crontab/i.test(out.stderr)) return "";
  const detail = out.stderr.trim() || `exit code ${out.code}`;
  throw new EnvironmentError(`Cannot read the crontab: crontab -l failed: ${detail}`, {
    hint: fixFor(os, detail),
  });
}

/**
 * Replaces the whole crontab with `text`, through a file written beside the state (0600).
 * @throws {EnvironmentError} when `crontab` is missing or refuses.
 */
export async function writeCrontabText(
  proc: Proc,
  env: Env,
  input: { os: string; text: string; scratchDir: string },
): Promise<void> {
  const file = join(input.scratchDir, `crontab-new-${crypto.randomUUID()}`);
  await Deno.writeTextFile(file, input.text, { mode: 0o600 });
  try {
    let out;
    try {
      out = await proc.output("crontab", { args: [file], env: crontabEnv(env) });
    } catch (error) {
      throw notFound(error, input.os);
    }
    if (out.code !== 0) {
      const detail = out.stderr.trim() || `exit code ${out.code}`;
      throw new EnvironmentError(`Cannot write the crontab: crontab failed: ${detail}`, {
        hint: fixFor(input.os, detail),
      });
    }
  } finally {
    await Deno.remove(file).catch(() => {});
  }
}

function notFound(error: unknown, os: string): unknown {
  if (!(error instanceof SpawnError)) return error;
  return new EnvironmentError(`Cannot run crontab: ${error.osMessage}`, {
    cause: error,
    hint: error.reason === "not_found"
      ? os === "darwin"
        ? "crontab is in /usr/bin on macOS: put /usr/bin on PATH, or use: clodputer install --launchd"
        : "install cron (Debian/Ubuntu: sudo apt install cron), or put crontab on PATH"
      : fixFor(os, error.osMessage),
  });
}
