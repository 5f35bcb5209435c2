/**
 * @module
 * Run ids: sortable by start time, short enough to type, unique across processes.
 */

const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

/**
 * A run id such as `20261125-013250-7k2q9x`: UTC start time, then 6 random characters.
 * @example
 * ```ts
 * import { newRunId } from "./run_id.ts";
 * console.assert(/^20261125-013250-[0-9a-z]{6}$/.test(newRunId(Date.UTC(2026, 10, 25, 1, 32, 50))));
 * ```
 */
export function newRunId(nowMs: number): string {
  const iso = new Date(nowMs).toISOString(); // 2026-11-25T01:32:50.123Z
  const stamp = `${iso.slice(0, 10).replaceAll("-", "")}-${iso.slice(11, 19).replaceAll(":", "")}`;
  const bytes = crypto.getRandomValues(new Uint8Array(6));
  const tail = [...bytes].map((b) => ALPHABET[b % ALPHABET.length]).join("");
  return `${stamp}-${tail}`;
}

/** True for strings shaped like a run id. */
export function isRunId(text: string): boolean {
  return /^\d{8}-\d{6}-[0-9a-z]{6}$/.test(text);
}
