/**
 * @module
 * `clodputer doctor`: every check with a mark, one line each, and a fix for each problem.
 * Exit 0 when nothing failed (warnings allowed), 1 otherwise. `--canary` also runs one tiny
 * real claude -p the way cron would, and keeps its outcome for status.
 */

import { runCanary } from "../doctor/canary.ts";
import { settleAuthWithCanary } from "../doctor/checks/auth.ts";
import { doctorContext, runChecks } from "../doctor/runner.ts";
import type { CheckResult } from "../doctor/types.ts";
import type { Colors } from "../ui/color.ts";
import denoJson from "../../deno.json" with { type: "json" };
import { selfExecutable } from "../sys/env.ts";
import { selfFacts } from "../sys/self.ts";
import type { Deps } from "./deps.ts";

/** Renders check results for a person. Pure. */
export function renderChecks(results: CheckResult[], c: Colors): string[] {
  const lines: string[] = [];
  for (const r of results) {
    const mark = r.status === "ok"
      ? c.green("✓")
      : r.status === "warn"
      ? c.yellow("!")
      : c.red("✗");
    lines.push(`${mark} ${r.message}`);
    if (r.fix && r.status !== "ok") lines.push(`  fix: ${r.fix}`);
  }
  const fails = results.filter((r) => r.status === "fail").length;
  const warns = results.filter((r) => r.status === "warn").length;
  lines.push(
    "",
    fails === 0 && warns === 0
      ? "All checks passed"
      : `${fails} failed, ${warns} warning${warns === 1 ? "" : "s"}`,
  );
  return lines;
}

/** `doctor`. */
export async function doctorCommand(
  deps: Deps,
  options: { json: boolean; canary: boolean },
): Promise<number> {
  const facts = selfFacts(denoJson.tasks.clodputer.command);
  const ctx = await doctorContext(deps, { executable: selfExecutable(), shim: facts.shim });
  let results = await runChecks(ctx);
  if (options.canary) {
    if (ctx.global instanceof Error) {
      results.push({
        id: "canary",
        status: "fail",
        message: "The canary needs a valid config.yaml",
        fix: ctx.global.message,
      });
    } else {
      if (!options.json) deps.out.error("running the canary: one tiny claude -p, as cron would…");
      results.push(...await runCanary(deps, ctx.global));
      results = settleAuthWithCanary(results);
    }
  }
  const failed = results.some((r) => r.status === "fail");
  if (options.json) deps.out.json({ ok: !failed, checks: results });
  else for (const line of renderChecks(results, deps.out.color)) deps.out.line(line);
  return failed ? 1 : 0;
}
