/**
 * @module
 * classifyFailure() over every real claude output (tests/fixtures/claude-samples, a copy of
 * shared/claude-samples), the stand-in scenarios, and outcomes Clodputer decides itself.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { classifyFailure, type FailureClass, parseReset } from "../../lib/run/failure.ts";
import { decideOutcome, type Outcome } from "../../lib/run/outcome.ts";
import { parseEventLine, parseResult } from "../../lib/run/stream.ts";
import { REPO_ROOT } from "../e2e/cli.ts";

const SAMPLES = join(REPO_ROOT, "tests", "fixtures", "claude-samples");
const SCENARIOS = join(REPO_ROOT, "tests", "fixtures", "claude");
/** 2026-12-01 10:00 UTC: 11:00 in Paris. */
const NOW = Date.UTC(2026, 11, 1, 10, 0);

type Kind = FailureClass["kind"] | "none";

async function classifyFile(path: string, exitCode: number) {
  const text = await Deno.readTextFile(path);
  const events = path.endsWith(".json")
    ? [JSON.parse(text)]
    : text.split("\n").map(parseEventLine).filter((e) => e?.type === "result");
  const last = events.at(-1) as Record<string, unknown>;
  const result = parseResult(last);
  const outcome = decideOutcome({
    stopped: undefined,
    exit: { code: result.is_error ? exitCode : 0, signal: null },
    result,
    stderrTail: "",
  });
  return classifyFailure({ outcome, claude: result }, NOW);
}

const SAMPLE_KINDS: Record<string, Kind> = {
  "json-success.json": "none",
  "json-write-denied.json": "none",
  "json-max-turns.json": "permanent",
  "json-error-401.json": "auth",
  "json-error-500.json": "transient",
  "json-error-529.json": "transient",
  "stream-json-background-task.jsonl": "none",
  "stream-json-bash-tool.jsonl": "none",
  "stream-json-e500-retries.jsonl": "transient",
  "stream-json-hi.jsonl": "none",
  "stream-json-mcp-tool.jsonl": "none",
  "stream-json-write-tool.jsonl": "none",
};

Deno.test("classifyFailure() over every real claude output in claude-samples", async () => {
  const files = [];
  for await (const e of Deno.readDir(SAMPLES)) {
    if (e.name.endsWith(".json") || e.name.endsWith(".jsonl")) files.push(e.name);
  }
  assert.deepEqual(files.sort(), Object.keys(SAMPLE_KINDS).sort(), "a sample has no expectation");
  for (const name of files) {
    const got = await classifyFile(join(SAMPLES, name), 1);
    assert.equal(got?.kind ?? "none", SAMPLE_KINDS[name], name);
  }
});

Deno.test("classifyFailure() over the stand-in claude's scenarios", async () => {
  const cases: [string, Kind, string?][] = [
    ["hi", "none"],
    ["error-401", "auth"],
    ["error-500", "transient"],
    ["error-529", "transient"],
    ["max-turns", "permanent"],
    ["usage-limit", "usage_limit", "2026-12-01T12:00:00.000Z"],
    ["rate-limit-429", "usage_limit", new Date(1764680400 * 1000).toISOString()],
    ["auth-expired", "auth"],
    ["not-logged-in", "auth"],
    ["connection-error", "transient"],
    ["bad-request-400", "permanent"],
  ];
  for (const [name, kind, resetAt] of cases) {
    const got = await classifyFile(join(SCENARIOS, `${name}.jsonl`), 1);
    assert.equal(got?.kind ?? "none", kind, name);
    if (resetAt !== undefined) {
      assert.equal(got?.kind === "usage_limit" ? got.resetAt : undefined, resetAt, name);
    }
  }
});

Deno.test("classifyFailure() for outcomes Clodputer decides", () => {
  const cases: [Outcome, Kind][] = [
    [{ kind: "timed_out", clock: "idle", limit_seconds: 300 }, "transient"],
    [{ kind: "timed_out", clock: "total", limit_seconds: 300 }, "permanent"],
    [{ kind: "lost", reason: "the runner died" }, "transient"],
    [{ kind: "cancelled", by: "clodputer cancel" }, "permanent"],
    [{ kind: "failed_to_spawn", message: "no claude", hint: "install it" }, "permanent"],
    [{ kind: "signal", signal: "SIGKILL" }, "permanent"],
    [{ kind: "exit_error", code: 1, message: "Error: Not logged in" }, "auth"],
    [{ kind: "exit_error", code: 1, message: "OAuth token has expired" }, "auth"],
    [{ kind: "exit_error", code: 1, message: "config: unknown option --foo" }, "permanent"],
    [{ kind: "exit_error", code: 1, message: "API Error: Connection error." }, "transient"],
    [{
      kind: "claude_error",
      message: "API Error: 403 forbidden",
      subtype: "success",
      api_error_status: 403,
      terminal_reason: "api_error",
    }, "permanent"],
    [{ kind: "success" }, "none"],
  ];
  for (const [outcome, kind] of cases) {
    assert.equal(classifyFailure({ outcome }, NOW)?.kind ?? "none", kind, JSON.stringify(outcome));
  }
});

Deno.test("parseReset() reads the time in the zone claude names, the next such time", () => {
  const cases: [string, string | undefined][] = [
    ["resets 1pm (Europe/Paris)", "2026-12-01T12:00:00.000Z"],
    ["resets 9am (Europe/Paris)", "2026-12-02T08:00:00.000Z"],
    ["5-hour limit reached ∙ resets 13:30 (UTC)", "2026-12-01T13:30:00.000Z"],
    ["resets 12am (America/New_York)", "2026-12-02T05:00:00.000Z"],
    ["resets 3pm", "2026-12-01T15:00:00.000Z"],
    ["weekly limit reached ∙ resets Dec 3, 5pm (Europe/Paris)", "2026-12-03T16:00:00.000Z"],
    ["resets Jan 2 at 9:30am (America/New_York)", "2027-01-02T14:30:00.000Z"],
    ["resets December 1st, 11am (UTC)", "2026-12-01T11:00:00.000Z"],
    ["resets Jun 15, 8am (Europe/Paris)", "2027-06-15T06:00:00.000Z"],
    ["resets Foo 3, 5pm (UTC)", undefined],
    ["resets 1pm (Mars/Olympus)", undefined],
    ["usage limit reached", undefined],
  ];
  for (const [text, want] of cases) assert.equal(parseReset(text, NOW), want, text);
});
