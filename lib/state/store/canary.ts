/**
 * @module
 * The last `doctor --canary` outcome, `["canary"]`, shown by `status`.
 */

import type { CanaryResult } from "../types.ts";
import type { KvCore } from "./core.ts";

const CANARY_KEY: Deno.KvKey = ["canary"];

/** Keeps the last canary outcome. */
export async function setCanary(core: KvCore, result: CanaryResult): Promise<void> {
  await core.retry("record the canary", () => core.kv.set(CANARY_KEY, result));
}

/** The last canary outcome, if any. */
export function canary(core: KvCore): Promise<CanaryResult | undefined> {
  return core.value<CanaryResult>("read the canary", CANARY_KEY);
}
