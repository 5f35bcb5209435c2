/**
 * @module
 * `clodputer session [show] [task]`: the `session: continue` tasks, each one's Claude session and
 * what its next run will do; `clodputer session reset <task>`: its next run starts afresh.
 */

import { resetSession } from "../state/session_reset.ts";
import { withStore } from "../state/open.ts";
import { loadSessionTask, readSessionViews } from "../status/sessions.ts";
import { describeReset, renderSessions } from "../ui/sessions.ts";
import type { Deps } from "./deps.ts";

/** `session` and `session show [task]`. */
export async function sessionShowCommand(
  deps: Deps,
  task: string | undefined,
  options: { json: boolean },
): Promise<number> {
  const views = await readSessionViews(deps, task);
  if (options.json) {
    deps.out.json(views);
    return 0;
  }
  const lines = renderSessions(views, { color: deps.out.color, nowMs: deps.clock.now() });
  for (const line of lines) deps.out.line(line);
  return 0;
}

/** `session reset <task>`. */
export async function sessionResetCommand(
  deps: Deps,
  task: string,
  options: { json: boolean },
): Promise<number> {
  const loaded = await loadSessionTask(deps, task, "reset the session of");
  const nowMs = deps.clock.now();
  const resetAt = new Date(nowMs).toISOString();
  const dropped = await withStore(deps, (store) => resetSession(store, loaded.name, resetAt));
  if (options.json) deps.out.json({ task: loaded.name, reset_at: resetAt, dropped });
  else deps.out.line(describeReset(loaded.name, dropped, nowMs));
  return 0;
}
