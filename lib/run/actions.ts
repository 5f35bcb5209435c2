/**
 * @module
 * `on_success` / `on_failure` `- log:` actions: their templates rendered after a run, against
 * `result` (Claude's reply, parsed as JSON when it is JSON), `error`, `name` and `context`.
 * Pure. (`- notify:` belongs to lib/notify and `- retry:` to the retry policy.)
 */

import type { Action } from "../config/types.ts";
import { renderTemplate, TemplateError } from "../config/template.ts";
import { redact } from "../log/redact.ts";
import type { RunRecord } from "./record.ts";

/** What a run's log actions wrote, and the templates that could not be rendered. */
export interface ActionReport {
  /** The rendered `- log:` messages, in order. */
  logs: string[];
  /** One line per action that failed: which list, which action, and why. */
  errors: string[];
}

/**
 * Claude's reply as templates see it: the JSON value when the reply is JSON (also inside one
 * Markdown code fence), else the text; null when there was none.
 */
export function parseReply(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  const trimmed = text.trim();
  const fenced = trimmed.match(/^```[A-Za-z]*\s*\n([\s\S]*?)\n?```$/);
  const body = fenced?.[1] ?? trimmed;
  if (/^[[{"]/.test(body) || /^(-?\d|true$|false$|null$)/.test(body)) {
    try {
      return JSON.parse(body);
    } catch {
      // Not JSON after all: the text it is.
    }
  }
  return text;
}

/**
 * Renders the `- log:` actions of the list the run's status selects: `on_success` after a
 * success, `on_failure` after a failure, timeout, cancel or loss, nothing for a skipped run.
 * Template errors are reported, never thrown; `secrets` are masked in what is written.
 */
export function runLogActions(
  record: RunRecord,
  options: {
    onSuccess: readonly Action[];
    onFailure: readonly Action[];
    error: string | undefined;
    context: Record<string, unknown>;
    secrets?: readonly string[];
  },
): ActionReport {
  const report: ActionReport = { logs: [], errors: [] };
  if (record.status === "skipped") return report;
  const which = record.status === "succeeded" ? "on_success" : "on_failure";
  const actions = which === "on_success" ? options.onSuccess : options.onFailure;
  const scope: Record<string, unknown> = {
    name: record.task,
    result: parseReply(record.claude?.result),
    error: options.error ?? null,
    status: record.status,
    run_id: record.id,
    context: options.context,
  };
  const secrets = options.secrets ?? [];
  actions.forEach((action, index) => {
    if (!("log" in action)) return;
    try {
      report.logs.push(redact(renderTemplate(action.log, scope), secrets));
    } catch (error) {
      if (!(error instanceof TemplateError)) throw error;
      report.errors.push(
        redact(`${which} action ${index + 1} (log): ${error.message}`, secrets),
      );
    }
  });
  return report;
}
