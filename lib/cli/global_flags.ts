/**
 * @module
 * The version and the global flags (`--debug`, `--json`), read before anything else: by the
 * dispatch (app.ts) and by the command tree (program.ts), which app.ts loads.
 */

import denoJson from "../../deno.json" with { type: "json" };

/** The version printed by `--version`. */
export const VERSION: string = denoJson.version;

/** Global flags, read before commander so main.ts can render errors the same way. */
export interface GlobalFlags {
  debug: boolean;
  json: boolean;
}

/** Reads `--debug` and `--json` from raw arguments. */
export function globalFlags(args: string[]): GlobalFlags {
  const before = args.indexOf("--");
  const flags = before === -1 ? args : args.slice(0, before);
  return { debug: flags.includes("--debug"), json: flags.includes("--json") };
}
