/**
 * @module
 * The signal seam: SIGINT, SIGTERM and SIGHUP delivered to this process.
 */

/** The signals that stop a run (SIGHUP: the terminal went away). */
export type TerminationSignal = "SIGINT" | "SIGTERM" | "SIGHUP";

const SIGNALS: TerminationSignal[] = ["SIGINT", "SIGTERM", "SIGHUP"];

/** Calls `handler` on SIGINT, SIGTERM or SIGHUP until the returned function is called. */
export function onTerminationSignal(handler: (signal: TerminationSignal) => void): () => void {
  const listeners = SIGNALS.map((signal) => {
    const listener = () => handler(signal);
    Deno.addSignalListener(signal, listener);
    return [signal, listener] as const;
  });
  return () => {
    for (const [signal, listener] of listeners) Deno.removeSignalListener(signal, listener);
  };
}
