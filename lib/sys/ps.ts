/**
 * @module
 * Pure parsers for the output of `ps`, shared by Linux and macOS.
 */

/** One process as `ps` showed it. `started` with `pid` identifies it against pid reuse. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  pgid: number;
  /** `ps` state letters; a leading "Z" is a zombie, already dead. */
  stat: string;
  /** Start time as `ps -o lstart` printed it (in the C locale). */
  started: string;
  command: string;
}

/**
 * Parses `ps -o pid=,ppid=,pgid=,stat=,lstart=,command=` (lstart is five words).
 * @example
 * ```ts
 * import { parsePs } from "./ps.ts";
 * const [p] = parsePs("  42     1    42 Ss   Wed Nov 25 01:23:37 2026 sleep 30\n");
 * console.assert(p?.pid === 42 && p.started === "Wed Nov 25 01:23:37 2026" && p.command === "sleep 30");
 * ```
 */
export function parsePs(text: string): ProcInfo[] {
  const out: ProcInfo[] = [];
  for (const line of text.split("\n")) {
    const m = line.match(
      /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+\s+\S+\s+\d+\s+[\d:]+\s+\d+)\s?(.*)$/,
    );
    if (!m) continue;
    out.push({
      pid: Number(m[1]),
      ppid: Number(m[2]),
      pgid: Number(m[3]),
      stat: m[4] ?? "",
      started: (m[5] ?? "").replace(/\s+/g, " "),
      command: m[6] ?? "",
    });
  }
  return out;
}

/** True when `ps` says the process has already exited (a zombie waiting to be reaped). */
export function isZombie(p: ProcInfo): boolean {
  return p.stat.startsWith("Z");
}

/** The pids in `ps -E -o pid=,command=` output whose environment holds exactly `entry`. */
export function pidsWithMark(text: string, entry: string): number[] {
  const out: number[] = [];
  for (const line of text.split("\n")) {
    const m = line.match(/^\s*(\d+)\s(.*)$/);
    if (!m) continue;
    const words = (m[2] ?? "").split(/\s+/);
    if (words.includes(entry)) out.push(Number(m[1]));
  }
  return out;
}
