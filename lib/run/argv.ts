/**
 * @module
 * Builds the `claude` command line and environment for a task. Pure: no shell anywhere, every
 * path is passed as data, and the prompt goes on claude's stdin (no size limit, never in `ps`).
 */

/** The task settings that shape claude's command line. */
export interface ClaudeSettings {
  allowed_tools: readonly string[];
  disallowed_tools: readonly string[];
  permission_mode?: string | undefined;
  mcp_config?: string | undefined;
  model?: string | undefined;
  max_turns?: number | undefined;
  append_system_prompt?: string | undefined;
  /** The task's `max_cost_usd`: claude stops itself there (`--max-budget-usd`, print mode). */
  max_cost_usd?: number | undefined;
}

/**
 * The arguments for `claude`: print mode, stream-json output and the task's flags. There is no
 * positional prompt: `claude -p` then reads the prompt from stdin to EOF, so a prompt of any size
 * can be given and no prompt text shows in the process table.
 * @example
 * ```ts
 * import { claudeArgs } from "./argv.ts";
 * const args = claudeArgs({ allowed_tools: ["Read"], disallowed_tools: [] });
 * console.assert(args.join(" ") === "-p --output-format stream-json --verbose --allowedTools Read");
 * ```
 */
export function claudeArgs(settings: ClaudeSettings): string[] {
  const args = ["-p", "--output-format", "stream-json", "--verbose"];
  if (settings.model) args.push("--model", settings.model);
  // "default" is what claude does without the flag (and 2.1.330 no longer lists it).
  if (settings.permission_mode && settings.permission_mode !== "default") {
    args.push("--permission-mode", settings.permission_mode);
  }
  if (settings.max_turns !== undefined) args.push("--max-turns", String(settings.max_turns));
  if (settings.max_cost_usd !== undefined) {
    args.push("--max-budget-usd", String(settings.max_cost_usd));
  }
  if (settings.mcp_config) args.push("--mcp-config", settings.mcp_config);
  if (settings.append_system_prompt) {
    args.push("--append-system-prompt", settings.append_system_prompt);
  }
  if (settings.allowed_tools.length > 0) args.push("--allowedTools", ...settings.allowed_tools);
  if (settings.disallowed_tools.length > 0) {
    args.push("--disallowedTools", ...settings.disallowed_tools);
  }
  return args;
}

/**
 * claude's environment: Clodputer's own, then the task's `env`. SHELL is /bin/sh unless the task
 * sets it, because claude -p can hang under launchd waiting for a login-shell snapshot.
 */
export function claudeEnv(
  base: Record<string, string>,
  taskEnv: Readonly<Record<string, string>>,
): Record<string, string> {
  return { ...base, SHELL: "/bin/sh", ...taskEnv };
}

/** The file in a run's folder that holds the prompt claude was given on stdin. */
export const PROMPT_FILE = "prompt";
