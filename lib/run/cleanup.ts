/**
 * @module
 * Kills every process a run started: snapshot the tree first, SIGTERM it, wait the grace
 * period, SIGKILL what is left, then sweep for escapees that carry the run's mark.
 */

import type { Clock } from "../sys/clock.ts";
import type { Proc } from "../sys/proc.ts";
import type { ProcInfo } from "../sys/ps.ts";
import { ancestorsOf, stillAlive, treeOf, uniqueProcs } from "./tree.ts";

/** The environment variable every process of a run inherits. */
export const RUN_MARK = "CLODPUTER_RUN_ID";

/** One process Clodputer signalled. */
export interface SignalledProcess {
  pid: number;
  command: string;
  signal: "SIGTERM" | "SIGKILL";
  /** How it was found: in the tree snapshot, or by the run mark in a sweep. */
  found_by: "tree" | "mark";
}

/** What a cleanup did. */
export interface CleanupReport {
  signalled: SignalledProcess[];
  /** Processes still alive at the end (should be empty). */
  survivors: { pid: number; command: string }[];
  duration_ms: number;
}

/** Which run to clean up. */
export interface CleanupTarget {
  /**
   * The run's root process (claude), leader of its own session and group; null to find the run
   * by its mark alone (recovery after a crash, when the pid may since belong to another process).
   */
  rootPid: number | null;
  /** The value of the run mark. */
  runId: string;
  /** How long SIGTERMed processes get before SIGKILL. */
  graceMs: number;
  /** Clodputer's own pid, never signalled. */
  selfPid: number;
}

const POLL_MS = 50;
const SWEEP_ROUNDS = 5;
const SWEEP_WAIT_MS = 1000;

/** Cleans up a run's processes and reports every pid signalled and every survivor. */
export async function cleanupRun(
  deps: { proc: Proc; clock: Clock },
  target: CleanupTarget,
): Promise<CleanupReport> {
  const { proc, clock } = deps;
  const started = clock.now();
  const signalled: SignalledProcess[] = [];

  // 1. Snapshot before signalling anything: children reparent as soon as a parent dies.
  const [snapshot, marked] = await lookRound(proc, target.runId);
  const spare = ancestorsOf(snapshot, target.selfPid);
  const root = target.rootPid;
  const tree = root === null ? [] : treeOf(snapshot, root);
  const inTree = new Set(tree.map((p) => p.pid));
  const targets = uniqueProcs([...tree, ...snapshot.filter((p) => marked.has(p.pid))], spare);
  const foundBy = (p: ProcInfo) => inTree.has(p.pid) ? "tree" : "mark";
  const live = stillAlive(targets, snapshot);
  // Nothing of the run is alive: nothing can start another (a new process of the run could only
  // come from one that carries the mark), so there is nothing to sweep either.
  if (live.length === 0) return { signalled, survivors: [], duration_ms: clock.now() - started };

  // 2. SIGTERM every process of the snapshot, then the group (it reaches what forked since).
  if (live.length > 0) {
    for (const p of live) send(p, "SIGTERM", foundBy(p));
    if (root !== null && live.some((p) => p.pgid === root)) proc.signal(-root, "SIGTERM");

    // 3. Wait the grace period for them to go.
    let remaining = live;
    const deadline = clock.now() + target.graceMs;
    while (remaining.length > 0 && clock.now() < deadline) {
      await clock.sleep(Math.min(POLL_MS, deadline - clock.now()));
      remaining = stillAlive(remaining, await proc.list());
    }

    // 4. SIGKILL survivors.
    if (remaining.length > 0) {
      const now = await proc.list();
      for (const p of stillAlive(remaining, now)) send(p, "SIGKILL", foundBy(p));
      if (root !== null && now.some((p) => p.pgid === root && p.stat[0] !== "Z")) {
        proc.signal(-root, "SIGKILL");
      }
    }
  }

  // 5. Sweep: anything still carrying the mark, or still in the tree, is killed outright.
  let last: ProcInfo[] = [];
  for (let round = 0; round < SWEEP_ROUNDS; round++) {
    const [now, markedNow] = await lookRound(proc, target.runId);
    last = uniqueProcs(
      [...(root === null ? [] : treeOf(now, root)), ...now.filter((p) => markedNow.has(p.pid))],
      spare,
    ).filter((p) => p.stat[0] !== "Z");
    if (last.length === 0) break;
    for (const p of last) send(p, "SIGKILL", foundBy(p));
    const deadline = clock.now() + SWEEP_WAIT_MS;
    while (last.length > 0 && clock.now() < deadline) {
      await clock.sleep(POLL_MS);
      last = stillAlive(last, await proc.list());
    }
  }

  return {
    signalled,
    survivors: last.map((p) => ({ pid: p.pid, command: p.command })),
    duration_ms: clock.now() - started,
  };

  function send(p: ProcInfo, signal: "SIGTERM" | "SIGKILL", foundBy: "tree" | "mark"): void {
    if (proc.signal(p.pid, signal)) {
      signalled.push({ pid: p.pid, command: p.command, signal, found_by: foundBy });
    }
  }
}

/**
 * One look at the machine: every process, and the pids carrying the run's mark. The two `ps`
 * run at once, so a round costs one `ps` of wall time, not two.
 */
async function lookRound(proc: Proc, runId: string): Promise<[ProcInfo[], Set<number>]> {
  const [list, marked] = await Promise.all([proc.list(), proc.markedPids(RUN_MARK, runId)]);
  return [list, new Set(marked)];
}

/** The distinct pids a cleanup signalled, in order. */
export function killedPids(report: CleanupReport): number[] {
  return [...new Set(report.signalled.map((s) => s.pid))];
}
