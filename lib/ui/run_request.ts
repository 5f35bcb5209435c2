/**
 * @module
 * A run asked for by the web dashboard or the MCP server, in words and as JSON: what was queued
 * (or was queued already), the pause it waits behind, and any warning. Pure.
 */

import type { RequestedRun } from "../status/run_request.ts";
import { describePause } from "./pause.ts";

/** "Queued X as <id> (position 1)." and what else the asker should know. */
export function describeRequestedRun(requested: RequestedRun): string {
  const { queued, paused, file, warning } = requested;
  const item = queued.item;
  const onWhat = file ? ` for ${file}` : "";
  const sentences = [
    queued.kind === "queued"
      ? `Queued ${item.task}${onWhat} as ${item.id} (position ${queued.position}).`
      : `${item.task}${onWhat} is already queued as ${item.id} (position ${queued.position}); not queued again.`,
  ];
  if (paused) sentences.push(`The queue is ${describePause(paused)}: it waits.`);
  if (warning) sentences.push(`Note: ${warning}.`);
  return sentences.join(" ");
}

/** The answer to a run request: its words, the run's id, and whether it was a duplicate. */
export function requestedRunJson(requested: RequestedRun): Record<string, unknown> {
  const { queued, paused, file } = requested;
  return {
    message: describeRequestedRun(requested),
    run_id: queued.item.id,
    task: queued.item.task,
    ...(file === undefined ? {} : { file }),
    duplicate: queued.kind === "duplicate",
    position: queued.position,
    paused: paused ?? null,
  };
}
