/**
 * @module
 * The running web dashboard's marker: `web.json` in the home (0600: it holds the token), written
 * by `clodputer web` when it starts listening and removed when it stops. `status` reads it to
 * name the dashboard's address (without the token); `web --open` reads it to open the running
 * one instead of starting another. Light: no import beyond the filesystem helpers.
 */

import { readTextIfExists, rm, writeFileAtomic } from "../sys/fs.ts";
import type { Paths } from "../sys/paths.ts";
import { join } from "../sys/posix_path.ts";
import type { Proc } from "../sys/proc.ts";
import { isZombie } from "../sys/ps.ts";

/** What `web.json` holds. */
export interface WebMarker {
  pid: number;
  port: number;
  token: string;
  /** When the server started (ISO). */
  started_at: string;
  /**
   * The server process's start time as `ps` prints it: with the pid, it names that process and no
   * other (a pid the system gave to another program since does not match).
   */
  process_started?: string;
}

/** A web dashboard that runs, as `status` shows it: its address (no token) and its pid. */
export interface RunningWeb {
  url: string;
  pid: number;
}

/** Where the marker lives. */
export function webMarkerPath(paths: Paths): string {
  return join(paths.home, "web.json");
}

/** The address of the dashboard on `port`, with `token` when given (to open it). */
export function webUrl(port: number, token?: string): string {
  return `http://127.0.0.1:${port}/${token === undefined ? "" : `?token=${token}`}`;
}

function parseMarker(text: string): WebMarker | undefined {
  try {
    const v = JSON.parse(text) as Partial<WebMarker> | null;
    if (
      v !== null && typeof v === "object" && Number.isInteger(v.pid) && Number.isInteger(v.port) &&
      typeof v.token === "string" && typeof v.started_at === "string"
    ) {
      return v as WebMarker;
    }
  } catch { /* damaged: no marker */ }
  return undefined;
}

/** Writes the marker (0600). */
export async function writeWebMarker(paths: Paths, marker: WebMarker): Promise<void> {
  await writeFileAtomic(webMarkerPath(paths), JSON.stringify(marker) + "\n", 0o600);
}

/** Removes the marker if it is still this server's (another may have started since). */
export async function removeWebMarker(paths: Paths, mine: WebMarker): Promise<void> {
  const text = await readTextIfExists(webMarkerPath(paths)).catch(() => undefined);
  const found = text === undefined ? undefined : parseMarker(text);
  if (found?.pid === mine.pid && found.port === mine.port && found.token === mine.token) {
    await rm(webMarkerPath(paths));
  }
}

/**
 * The marker of a dashboard whose process is alive (the same process: same pid, same start time);
 * undefined when none (or it is stale).
 */
export async function readWebMarker(
  deps: { paths: Paths; proc: Proc },
): Promise<WebMarker | undefined> {
  const text = await readTextIfExists(webMarkerPath(deps.paths)).catch(() => undefined);
  if (text === undefined) return undefined;
  const marker = parseMarker(text);
  if (marker === undefined) return undefined;
  const process = await deps.proc.info(marker.pid).catch(() => undefined);
  if (process === undefined || isZombie(process)) return undefined;
  // A pid the system gave to another program since (the server was killed) is not ours.
  if (marker.process_started !== undefined && process.started !== marker.process_started) {
    return undefined;
  }
  return marker;
}

/** The running dashboard as `status` names it (without the token), or null. */
export async function runningWeb(deps: { paths: Paths; proc: Proc }): Promise<RunningWeb | null> {
  const marker = await readWebMarker(deps);
  return marker === undefined ? null : { url: webUrl(marker.port), pid: marker.pid };
}
