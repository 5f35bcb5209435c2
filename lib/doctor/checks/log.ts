/**
 * @module
 * Doctor: the execution log's size and the archive's retention.
 */

import type { CheckResult, DoctorContext } from "../types.ts";

/** Months between a YYYY-MM archive name and now (UTC). */
export function monthsOld(name: string, nowMs: number): number | undefined {
  const m = name.match(/^(\d{4})-(\d{2})\.log$/);
  if (!m) return undefined;
  const now = new Date(nowMs);
  return (now.getUTCFullYear() - Number(m[1])) * 12 + (now.getUTCMonth() + 1 - Number(m[2]));
}

/** Checks execution.log and archive/. */
export async function checkLog(ctx: DoctorContext): Promise<CheckResult[]> {
  const settings = ctx.global instanceof Error
    ? { max_bytes: 10 * 1024 * 1024, keep_months: 6 }
    : ctx.global.log;
  const size = await Deno.stat(ctx.paths.log).then((s) => s.size, () => 0);
  const archives: string[] = [];
  try {
    for await (const e of Deno.readDir(ctx.paths.archive)) if (e.isFile) archives.push(e.name);
  } catch { /* no archive yet */ }
  const results: CheckResult[] = [];
  if (size > settings.max_bytes * 2) {
    results.push({
      id: "log",
      status: "warn",
      message:
        `execution.log is ${size} bytes, over twice log.max_bytes (${settings.max_bytes}): rotation is not happening`,
      fix: `check that ${ctx.paths.archive} is writable`,
    });
  }
  const old = archives.filter((a) => (monthsOld(a, ctx.clock.now()) ?? 0) > settings.keep_months);
  if (old.length > 0) {
    results.push({
      id: "log:archive",
      status: "warn",
      message:
        `${old.length} archive file(s) are older than log.keep_months (${settings.keep_months}): ${
          old.join(", ")
        }`,
      fix: "they are deleted at the next rotation; or delete them now",
    });
  }
  if (results.length === 0) {
    results.push({
      id: "log",
      status: "ok",
      message:
        `execution.log ${size} of ${settings.max_bytes} bytes; ${archives.length} archive file(s)`,
    });
  }
  return results;
}
