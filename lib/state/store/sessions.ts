/**
 * @module
 * Each `session: continue` task's Claude session, `["session", task]`: written after each of its
 * runs (lib/run/session.ts `sessionAfter`), reset by `clodputer session reset`.
 */

import { isSessionState, type SessionState } from "../../run/session.ts";
import type { KvCore } from "./core.ts";

const PREFIX: Deno.KvKey = ["session"];

/** The task's session state; undefined when it has none (or the stored value is damaged). */
export async function session(core: KvCore, task: string): Promise<SessionState | undefined> {
  const value = await core.value<unknown>("read the task's session", [...PREFIX, task]);
  return isSessionState(value) ? value : undefined;
}

/** Every task's session state, by task name (damaged values left out). */
export async function sessions(core: KvCore): Promise<Map<string, SessionState>> {
  const all = await core.byName<unknown>("read the tasks' sessions", PREFIX);
  const out = new Map<string, SessionState>();
  for (const [task, value] of all) if (isSessionState(value)) out.set(task, value);
  return out;
}

/** Keeps the task's session state; undefined removes it. */
export async function setSession(
  core: KvCore,
  task: string,
  state: SessionState | undefined,
): Promise<void> {
  await core.put("keep the task's session", [...PREFIX, task], state);
}
