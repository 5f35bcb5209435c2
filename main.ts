/**
 * @module
 * Entry point: runs the CLI and turns every error into a message and an exit code.
 * The only catch-all and the only caller of Deno.exit.
 */

import { runCli } from "./lib/cli/app.ts";
import { globalFlags } from "./lib/cli/global_flags.ts";
import { errorJson, exitCodeFor, renderError } from "./lib/ui/errors.ts";
import { escapeControls } from "./lib/ui/escape.ts";
import { isReaderGone } from "./lib/ui/output.ts";

if (import.meta.main) {
  let code: number;
  try {
    code = await runCli(Deno.args);
  } catch (error) {
    // The reader went away (`| head -1`): nothing more to say, and nobody to say it to.
    if (isReaderGone(error)) Deno.exit(0);
    const flags = globalFlags(Deno.args);
    const text = flags.json
      ? JSON.stringify(errorJson(error))
      : escapeControls(renderError(error, { debug: flags.debug }).join("\n"), { lines: true });
    // deno-lint-ignore no-console -- the entry point prints what escaped, once
    console.error(text);
    code = exitCodeFor(error);
  }
  Deno.exit(code);
}
