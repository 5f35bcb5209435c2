/**
 * @module
 * `clodputer session reset <task>` (and `run --new-session`, the web's button): the task's next
 * run starts a new Claude session.
 */

import type { TaskSession } from "../run/session.ts";
import type { Store } from "./store.ts";

/**
 * Drops the task's session, so its next run starts afresh and says it was reset. Returns the
 * session dropped, or null when it had none.
 */
export async function resetSession(
  store: Store,
  task: string,
  nowIso: string,
): Promise<TaskSession | null> {
  const before = await store.session(task);
  await store.setSession(task, { session: null, reset_at: nowIso });
  return before?.session ?? null;
}
