/**
 * @module
 * Installs the pinned Claude Code CLI for the real-CLI tests (cached between runs), so the
 * install is not counted inside a test. `deno run -A scripts/setup_claude_cli.ts`
 */

import { ensureRealClaude } from "../tests/fixtures/claude_cli.ts";

const result = await ensureRealClaude();
if ("skip" in result) {
  // deno-lint-ignore no-console
  console.error(`Cannot install the real Claude Code CLI: ${result.skip}`);
  Deno.exit(1);
}
// deno-lint-ignore no-console
console.log(`claude ${result.version} at ${result.path}`);
