/**
 * @module
 * Reading the user's crontab (read only: `install` is not part of this version).
 */

import type { Env } from "../sys/env.ts";
import type { Proc } from "../sys/proc.ts";

/** The crontab's clodputer entries, or why it cannot be read. */
export type CrontabState =
  | { state: "has entries"; entries: number }
  | { state: "no entries" }
  | { state: "unavailable"; detail: string };

/** Counts the crontab's lines that call clodputer (comments aside). */
export async function readCrontab(proc: Proc, env: Env): Promise<CrontabState> {
  try {
    const out = await proc.output("crontab", {
      args: ["-l"],
      env: { PATH: env.get("PATH") ?? "/usr/bin:/bin", HOME: env.get("HOME") ?? "" },
    });
    if (out.code !== 0) return { state: "no entries" }; // "no crontab for <user>"
    const entries = out.stdout.split("\n")
      .filter((l) => !l.trimStart().startsWith("#") && /\bclodputer\b/.test(l)).length;
    return entries > 0 ? { state: "has entries", entries } : { state: "no entries" };
  } catch (error) {
    return { state: "unavailable", detail: error instanceof Error ? error.message : String(error) };
  }
}
