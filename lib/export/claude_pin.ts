/**
 * @module
 * The Claude Code CLI version the exports install (npm `@anthropic-ai/claude-code`): the one the
 * test suite runs for real (tests/fixtures/claude_cli.ts `CLAUDE_VERSION`, held equal to this by
 * tests/export/github_actions_test.ts), so what runs elsewhere is what was tested here.
 */

/** The npm package of the Claude Code CLI. */
export const CLAUDE_CODE_PACKAGE = "@anthropic-ai/claude-code";

/** The pinned Claude Code CLI version (see shared/claude-cli.md: pin one exact version). */
export const CLAUDE_CODE_VERSION = "2.1.330";

/** The Node major the pinned CLI declares (`engines.node >=22` since 2.1.198). */
export const CLAUDE_CODE_NODE = "22";
