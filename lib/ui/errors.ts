/**
 * @module
 * Renders an error for a person: the message, where, and what to do. Pure.
 */

import { ClodputerError, ConfigError, IoError, isDiskFull, issueWhere } from "../errors.ts";

/**
 * A disk-full error that reached main.ts unwrapped is a user's problem, not a bug: it is shown as
 * an IoError naming the file when the OS's message names one.
 */
export function asUserError(error: unknown): unknown {
  if (error instanceof ClodputerError || !isDiskFull(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const path = message.match(/'([^']+)'/)?.[1] ?? "the Clodputer home (~/.clodputer)";
  return new IoError("write", path, { cause: error });
}

/** The lines to print for an error that reached main.ts. */
export function renderError(raw: unknown, options: { debug: boolean }): string[] {
  const error = asUserError(raw);
  if (error instanceof ConfigError && error.issues.length > 0) {
    const lines = [`error: ${error.message}`];
    for (const issue of error.issues) {
      lines.push(`  ${issueWhere(issue)}: ${issue.message}`);
      if (issue.hint) lines.push(`    hint: ${issue.hint}`);
    }
    if (error.hint) lines.push(`hint: ${error.hint}`);
    if (options.debug && error.stack) lines.push(error.stack);
    return lines;
  }
  if (error instanceof ClodputerError) {
    const lines = [`error: ${error.message}`];
    if (error.hint) lines.push(`hint: ${error.hint}`);
    if (options.debug && error.stack) lines.push(error.stack);
    return lines;
  }
  const message = error instanceof Error ? error.message : String(error);
  const lines = [`internal error: ${message}`];
  if (options.debug && error instanceof Error && error.stack) {
    lines.push(error.stack);
  } else {
    lines.push("hint: rerun with --debug to see where it happened, and report it");
  }
  return lines;
}

/** The JSON document printed to stderr for an error under `--json`. */
export function errorJson(raw: unknown): { error: Record<string, unknown> } {
  const error = asUserError(raw);
  if (error instanceof ClodputerError) return { error: error.toJSON() };
  const message = error instanceof Error ? error.message : String(error);
  return { error: { name: "InternalError", message } };
}

/** The exit code for an error: 1 or 2 for expected errors, 1 for bugs. */
export function exitCodeFor(raw: unknown): number {
  const error = asUserError(raw);
  return error instanceof ClodputerError ? error.exitCode : 1;
}
