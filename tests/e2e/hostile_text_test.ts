/**
 * @module
 * Text from claude reaches the terminal with its control characters escaped: `run --wait`,
 * `show` and `logs`, while `--json` keeps it exact. The stand-in plays `hostile-result` and
 * `error-hostile`, whose result, error, text and tool name hold a title change (OSC 0), a clear
 * screen (CSI 2J) and a clipboard write (OSC 52).
 */

import assert from "node:assert/strict";
import { runCli, tempHome } from "./cli.ts";

/** What the scenarios' result holds, as claude sent it. */
const HOSTILE = "before\x1b]0;pwned\x07 clear\x1b[2J clip\x1b]52;c;ZXZpbA==\x07 after";

function taskYaml(name: string, scenario: string): string {
  return `name: ${name}\ntask:\n  prompt: "run ${name}"\n  timeout: 60\n  env:\n` +
    `    FAKE_CLAUDE_SCENARIO: ${scenario}\n`;
}

function assertSafe(text: string, what: string): void {
  assert.ok(!text.includes("\x1b"), `${what} holds an ESC: ${JSON.stringify(text)}`);
  assert.ok(!text.includes("\x07"), `${what} holds a BEL: ${JSON.stringify(text)}`);
}

const SHOWN = "before\\x1b]0;pwned\\x07 clear\\x1b[2J clip\\x1b]52;c;ZXZpbA==\\x07 after";

Deno.test("run --wait, show and logs escape claude's control characters; --json keeps them", async () => {
  await using home = await tempHome();
  await home.writeTask("good", taskYaml("good", "hostile-result"));
  await home.writeTask("bad", taskYaml("bad", "error-hostile"));

  const good = await runCli(home, ["run", "good", "--wait"]);
  assert.equal(good.code, 0, good.stderr);
  assertSafe(good.stdout + good.stderr, "run good --wait");
  // The result is a multi-line view: its newline and tab are kept, the rest shown as text.
  assert.ok(good.stdout.includes(`${SHOWN}\nsecond\tline`), good.stdout);

  const bad = await runCli(home, ["run", "bad", "--wait"]);
  assert.equal(bad.code, 1, bad.stderr);
  assertSafe(bad.stdout + bad.stderr, "run bad --wait");
  assert.ok((bad.stdout + bad.stderr).includes(SHOWN), bad.stdout + bad.stderr);

  for (const task of ["good", "bad"]) {
    const show = await runCli(home, ["show", task]);
    assert.equal(show.code, 0, show.stderr);
    assertSafe(show.stdout + show.stderr, `show ${task}`);
    assert.match(show.stdout, /^result:\n {2}before\\x1b\]0;pwned\\x07 clear/m);
    const json = JSON.parse((await runCli(home, ["show", task, "--json"])).stdout);
    assert.equal(json.claude.result, `${HOSTILE}\nsecond\tline`);
  }

  const logs = await runCli(home, ["logs"]);
  assert.equal(logs.code, 0, logs.stderr);
  assertSafe(logs.stdout + logs.stderr, "logs");
  // One event, one line: the error's newline is escaped too.
  assert.match(logs.stdout, /✗ bad failed in .*: before\\x1b\]0;pwned\\x07 clear\\x1b\[2J/);
  const events = (await runCli(home, ["logs", "--json"])).stdout.trim().split("\n")
    .map((l) => JSON.parse(l));
  const failed = events.find((e) => e.event === "task_failed");
  assert.ok(String(failed?.error).includes(HOSTILE), JSON.stringify(failed));
});
