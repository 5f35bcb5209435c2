/**
 * @module
 * Failed runs not yet acknowledged, `["attention"]`: added to as a run is finished
 * (`steps.ts`), cleared by `clodputer ack`.
 */

import type { Attention, RunSummary } from "../types.ts";
import type { KvCore } from "./core.ts";

/** The failures' key. */
export const ATTENTION_KEY: Deno.KvKey = ["attention"];

/** The failures after `summary` failed too (`before`: the failures so far, if any). */
export function addFailure(before: Attention | null, summary: RunSummary): Attention {
  return {
    failed: (before?.failed ?? 0) + 1,
    since: before?.since ?? summary.ended_at,
    last: {
      id: summary.id,
      task: summary.task,
      status: summary.status,
      ended_at: summary.ended_at,
    },
  };
}

/** The failed runs since they were last acknowledged, if any. */
export function attention(core: KvCore): Promise<Attention | undefined> {
  return core.value<Attention>("read the failures", ATTENTION_KEY);
}

/** Acknowledges every failure so far. Returns what was acknowledged, if anything. */
export function acknowledge(core: KvCore): Promise<Attention | undefined> {
  return core.transact<{ was: Attention | undefined }>("acknowledge the failures", async () => {
    const entry = await core.kv.get<Attention>(ATTENTION_KEY);
    if (entry.value === null) return { was: undefined };
    const ok = (await core.kv.atomic().check(entry).delete(ATTENTION_KEY).commit()).ok;
    return ok ? { was: entry.value } : undefined;
  }).then((r) => r.was);
}
