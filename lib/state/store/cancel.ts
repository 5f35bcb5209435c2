/**
 * @module
 * Cancel requests, `["cancel", id]`: who asked the runner to stop a running item (polled by the
 * runner; deleted as the run is finished, in `steps.ts`).
 */

import type { KvCore } from "./core.ts";

/** The key of the cancel request for run `id`. */
export function cancelKey(id: string): Deno.KvKey {
  return ["cancel", id];
}

/** Asks the runner to cancel run `id`. */
export async function requestCancel(core: KvCore, id: string, by: string): Promise<void> {
  await core.retry("request a cancel", () => core.kv.set(cancelKey(id), by));
}

/** Who asked to cancel run `id`, if anyone. */
export function cancelRequest(core: KvCore, id: string): Promise<string | undefined> {
  return core.value<string>("read a cancel request", cancelKey(id));
}
