/**
 * @module
 * The hold on the whole queue, `["hold"]`: claude's usage limit or a lost login
 * (docs/recovery.md).
 */

import type { Hold } from "../types.ts";
import type { KvCore } from "./core.ts";

/** The hold's key. */
export const HOLD_KEY: Deno.KvKey = ["hold"];

/** How often the tick lets one run try under an auth hold (the canary). */
export const AUTH_CANARY_MS = 10 * 60 * 1000;

/** The hold in force at `nowMs` (one whose `until` has passed is over). */
export function holdInForce(hold: Hold | null | undefined, nowMs: number): Hold | undefined {
  if (!hold) return undefined;
  return hold.until === null || Date.parse(hold.until) > nowMs ? hold : undefined;
}

/** The hold on the queue, if any (it may be over: see holdInForce). */
export function hold(core: KvCore): Promise<Hold | undefined> {
  return core.value<Hold>("read the queue hold", HOLD_KEY);
}

/** Holds the queue (replacing any hold). */
export async function setHold(core: KvCore, hold: Hold): Promise<void> {
  await core.retry("hold the queue", () => core.kv.set(HOLD_KEY, hold));
}

/** Releases the hold. Returns the hold that was there, if any. */
export function releaseHold(core: KvCore): Promise<Hold | undefined> {
  return core.transact<{ was: Hold | undefined }>("release the queue hold", async () => {
    const entry = await core.kv.get<Hold>(HOLD_KEY);
    if (entry.value === null) return { was: undefined };
    const ok = (await core.kv.atomic().check(entry).delete(HOLD_KEY).commit()).ok;
    return ok ? { was: entry.value } : undefined;
  }).then((r) => r.was);
}
