/**
 * @module
 * Decides which processes belong to a run, from a `ps` snapshot. Pure.
 */

import { isZombie, type ProcInfo } from "../sys/ps.ts";

/**
 * The run's process tree: `root` (if still there), every process descended from it by parent
 * links, and every member of its process group (the root leads its own group) with their
 * descendants. Zombies are left out: they are already dead.
 */
export function treeOf(snapshot: ProcInfo[], root: number): ProcInfo[] {
  const children = new Map<number, ProcInfo[]>();
  for (const p of snapshot) {
    const list = children.get(p.ppid);
    if (list) list.push(p);
    else children.set(p.ppid, [p]);
  }
  const found = new Map<number, ProcInfo>();
  // A child of a root that already exited may still name it as parent for a moment.
  const queue = snapshot.filter((p) => p.pid === root || p.pgid === root || p.ppid === root);
  while (queue.length > 0) {
    const p = queue.pop() as ProcInfo;
    if (found.has(p.pid)) continue;
    found.set(p.pid, p);
    for (const c of children.get(p.pid) ?? []) queue.push(c);
  }
  return [...found.values()].filter((p) => !isZombie(p)).sort((a, b) => a.pid - b.pid);
}

/** The same process: same pid and same start time (guards against pid reuse). */
export function sameProcess(a: ProcInfo, b: ProcInfo): boolean {
  return a.pid === b.pid && a.started === b.started;
}

/** Those of `targets` that are still alive in `now`, by pid and start time. */
export function stillAlive(targets: ProcInfo[], now: ProcInfo[]): ProcInfo[] {
  const byPid = new Map(now.map((p) => [p.pid, p]));
  return targets.filter((t) => {
    const p = byPid.get(t.pid);
    return p !== undefined && sameProcess(p, t) && !isZombie(p);
  });
}

/** `list` without `exclude` pids and without duplicates, in pid order. */
export function uniqueProcs(list: ProcInfo[], exclude: ReadonlySet<number>): ProcInfo[] {
  const seen = new Map<number, ProcInfo>();
  for (const p of list) {
    if (!exclude.has(p.pid) && !seen.has(p.pid)) seen.set(p.pid, p);
  }
  return [...seen.values()].sort((a, b) => a.pid - b.pid);
}

/** The pids from `self` up to pid 1, so cleanup never signals its own ancestors. */
export function ancestorsOf(snapshot: ProcInfo[], self: number): Set<number> {
  const byPid = new Map(snapshot.map((p) => [p.pid, p]));
  const out = new Set<number>([self]);
  let cur = byPid.get(self);
  while (cur && cur.ppid > 0 && !out.has(cur.ppid)) {
    out.add(cur.ppid);
    cur = byPid.get(cur.ppid);
  }
  out.add(1);
  return out;
}
