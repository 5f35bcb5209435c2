/**
 * @module
 * The signal seam: SIGINT and SIGTERM delivered to this process.
 */

/** Calls `handler` on SIGINT or SIGTERM until the returned function is called. */
export function onTerminationSignal(handler: (signal: "SIGINT" | "SIGTERM") => void): () => void {
  const onInt = () => handler("SIGINT");
  const onTerm = () => handler("SIGTERM");
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  return () => {
    Deno.removeSignalListener("SIGINT", onInt);
    Deno.removeSignalListener("SIGTERM", onTerm);
  };
}
