/**
 * @module
 * A scripted process table: records every call in order and lets tests decide who dies when.
 */

import type { Child, Output, Proc, SpawnOptions } from "../../lib/sys/proc.ts";
import type { ProcInfo } from "../../lib/sys/ps.ts";

/** A fake process in the table. */
export interface FakeProcess extends ProcInfo {
  /** Environment entries, as NAME=value. */
  env?: string[];
  /** Signals this process ignores. */
  ignores?: string[];
}

/** A Proc over an in-memory process table. */
export class FakeProc implements Proc {
  table: FakeProcess[];
  /** Every call, in order: "list", "marked", "signal <pid> <sig>". */
  calls: string[] = [];
  /** Called after each signal is applied, to script pid reuse and the like. */
  afterSignal: ((pid: number, signal: Deno.Signal) => void) | undefined;

  constructor(table: FakeProcess[]) {
    this.table = table;
  }

  spawn(_command: string, _options: SpawnOptions): Child {
    throw new Error("FakeProc.spawn is not scripted");
  }

  output(_command: string, _options: SpawnOptions): Promise<Output> {
    return Promise.reject(new Error("FakeProc.output is not scripted"));
  }

  signal(pid: number, signal: Deno.Signal): boolean {
    this.calls.push(`signal ${pid} ${signal}`);
    const victims = pid < 0
      ? this.table.filter((p) => p.pgid === -pid)
      : this.table.filter((p) => p.pid === pid);
    if (victims.length === 0) return false;
    for (const v of victims) {
      if (signal === "SIGKILL" || !(v.ignores ?? []).includes(signal)) {
        this.table = this.table.filter((p) => p !== v);
      }
    }
    this.afterSignal?.(pid, signal);
    return true;
  }

  list(): Promise<ProcInfo[]> {
    this.calls.push("list");
    return Promise.resolve(this.table.map((p) => ({ ...p })));
  }

  info(pid: number): Promise<ProcInfo | undefined> {
    this.calls.push(`info ${pid}`);
    const found = this.table.find((p) => p.pid === pid);
    return Promise.resolve(found ? { ...found } : undefined);
  }

  markedPids(name: string, value: string): Promise<number[]> {
    this.calls.push("marked");
    const entry = `${name}=${value}`;
    return Promise.resolve(
      this.table.filter((p) => (p.env ?? []).includes(entry)).map((p) => p.pid),
    );
  }
}

/** A process-table row with defaults. */
export function proc(
  pid: number,
  ppid: number,
  fields: Partial<FakeProcess> = {},
): FakeProcess {
  return {
    pid,
    ppid,
    pgid: fields.pgid ?? pid,
    stat: "S",
    started: `Wed Nov 25 01:00:${String(pid % 60).padStart(2, "0")} 2026`,
    command: `proc-${pid}`,
    ...fields,
  };
}
