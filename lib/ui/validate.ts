/**
 * @module
 * The dry run of `validate` (lib/doctor/validate.ts) for a person: each task's trigger, next
 * runs, claude command line, prompt and warnings, or its problems with hints. Pure.
 */

import { PROMPT_PLACEHOLDER, promptPreview, type Validation } from "../doctor/validate.ts";
import type { Colors } from "./color.ts";
import { commandLine } from "./shell_quote.ts";

/** Renders the dry run for a person. Pure. */
export function renderValidation(results: Validation[], c: Colors): string[] {
  const lines: string[] = [];
  for (const v of results) {
    if (!v.valid) {
      lines.push(
        `${c.red("✗")} ${v.name}: ${v.problems.length} problem${
          v.problems.length === 1 ? "" : "s"
        }`,
      );
      for (const p of v.problems) {
        lines.push(`  ${p.where ? `${p.where}: ` : ""}${p.message}`);
        if (p.hint) lines.push(`    hint: ${p.hint}`);
      }
      continue;
    }
    lines.push(`${c.green("✓")} ${v.name}${v.label === null ? "" : ` (name: ${v.label})`}`);
    lines.push(`  trigger: ${v.trigger}`);
    if (!v.enabled) lines.push(`  next:    none: ${c.yellow("disabled")} (enabled: false)`);
    else if (v.next_runs.length > 0) lines.push(`  next:    ${v.next_runs.join(", ")}`);
    lines.push(`  claude:  ${commandLine(v.argv, PROMPT_PLACEHOLDER)}`);
    if (v.prompt !== null) lines.push(`  ${PROMPT_PLACEHOLDER}: ${promptPreview(v.prompt)}`);
    for (const w of v.warnings) lines.push(c.yellow(`  ! ${w}`));
  }
  const bad = results.filter((v) => !v.valid).length;
  lines.push(
    "",
    results.length === 0
      ? "No tasks to validate"
      : bad === 0
      ? `${results.length} task${results.length === 1 ? "" : "s"} valid`
      : `${bad} of ${results.length} task${results.length === 1 ? "" : "s"} invalid`,
  );
  return lines;
}
