/**
 * @module
 * How a pause of the queue reads for a person. Pure.
 */

import type { Pause } from "../state/pause.ts";
import type { Resumed } from "../state/resume_queue.ts";
import { localTime } from "./duration.ts";

/** "paused until 2026-12-01 14:00:00", or "paused since ... until clodputer resume". */
export function describePause(pause: Pause): string {
  return pause.until === null
    ? `paused since ${localTime(pause.since)} until clodputer resume`
    : `paused until ${localTime(pause.until)}`;
}

/** The answer to a pause asked for by a face (the web's POST /api/pause, the MCP server). */
export function pauseAnswer(paused: Pause): { message: string; paused: Pause } {
  return {
    message: `The queue is ${describePause(paused)}. Tasks are still queued; none starts.`,
    paused,
  };
}

/** The answer to a resume asked for by a face (the web's POST /api/resume, the MCP server). */
export function resumeAnswer(resumed: Resumed): Record<string, unknown> {
  const { was, held, queued } = resumed;
  const message = held && !was
    ? `The queue was held (${
      held.kind === "auth" ? "claude could not log in" : "claude's usage limit"
    }): it runs again${queued > 0 ? `: ${queued} queued` : ""}.`
    : !was
    ? "The queue was not paused."
    : `The queue runs again${
      queued > 0 ? `: ${queued} queued, started by the next tick or run` : ""
    }.`;
  return {
    message,
    resumed: was !== undefined,
    was: was ?? null,
    hold: held ?? null,
    queued,
  };
}
