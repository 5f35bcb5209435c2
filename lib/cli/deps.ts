/**
 * @module
 * The seams every command receives, built once from the real world in app.ts.
 */

import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import type { Paths } from "../sys/paths.ts";
import type { Proc } from "../sys/proc.ts";
import type { TerminationSignal } from "../sys/signals.ts";
import type { Output } from "../ui/output.ts";

/** What a command may touch. */
export interface Deps {
  clock: Clock;
  proc: Proc;
  env: Env;
  paths: Paths;
  out: Output;
  /** This process's id, so cleanup never signals itself. */
  selfPid: number;
  /** The operating system ("darwin", "linux"). */
  os: string;
  /** Show stacks and internals. */
  debug: boolean;
  /** Asks a yes/no question when someone is at the terminal; undefined when no one is. */
  confirm(question: string): Promise<boolean | undefined>;
  /** Registers a handler for SIGINT, SIGTERM and SIGHUP; returns a function that removes it. */
  onSignal(handler: (signal: TerminationSignal) => void): () => void;
}
