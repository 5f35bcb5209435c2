/**
 * @module
 * How a pause of the queue reads for a person. Pure.
 */

import type { Pause } from "../state/pause.ts";
import { localTime } from "./duration.ts";

/** "paused until 2026-12-01 14:00:00", or "paused since ... until clodputer resume". */
export function describePause(pause: Pause): string {
  return pause.until === null
    ? `paused since ${localTime(pause.since)} until clodputer resume`
    : `paused until ${localTime(pause.until)}`;
}
