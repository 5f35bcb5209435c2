/**
 * @module
 * `session: continue` end to end: the CLI as a subprocess, the stand-in claude keeping its
 * sessions in a folder. From the second run, claude's argv carries `--resume <id>`; a run from
 * another folder starts afresh and its record says why.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runCli, tempHome } from "./cli.ts";

/** hi.jsonl's session id. */
const HI = "eb747026-a985-4f80-a5e9-440d29297dab";

Deno.test("clodputer run of a session: continue task resumes the last run's session from the second run", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "review",
    `name: review
task:
  prompt: "Review what changed since last time"
  session: continue
  timeout: 60
`,
  );
  const sessions = join(home.root, "sessions");
  await Deno.mkdir(sessions);
  const log = join(home.root, "argv");
  const env = { FAKE_CLAUDE_LOG: log, FAKE_CLAUDE_SESSIONS: sessions };
  const argv = async () => (await Deno.readTextFile(log)).split("\0").slice(0, -1);
  const run = async (cwd: string) => {
    const r = await runCli(home, ["run", "review", "--now", "--json"], { env, cwd });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    return JSON.parse(r.stdout);
  };

  const first = await run(home.root);
  assert.ok(!(await argv()).includes("--resume"), "the first run starts a session");
  assert.equal(first.session.mode, "new");
  assert.equal(first.session.reason, "there is no earlier session to continue");
  assert.equal(first.claude.session_id, HI);

  const second = await run(home.root);
  const args = await argv();
  assert.deepEqual(args.slice(args.indexOf("--resume"), args.indexOf("--resume") + 2), [
    "--resume",
    HI,
  ]);
  assert.equal(second.session.mode, "continued");
  assert.equal(second.session.resumed, HI);
  assert.equal(second.session.run, 2);
  assert.equal(second.session.started_at, first.started_at, "one session, begun by the first run");
  // The record kept on disk says the same.
  const saved = JSON.parse(
    await Deno.readTextFile(join(home.clodputerHome, "runs", second.id, "result.json")),
  );
  assert.deepEqual(saved.session, second.session);

  // claude keeps a session under the folder it ran in: from another folder, a new one.
  const elsewhere = join(home.root, "elsewhere");
  await Deno.mkdir(elsewhere);
  const third = await run(elsewhere);
  assert.ok(!(await argv()).includes("--resume"));
  assert.equal(third.session.mode, "new");
  assert.equal(
    third.session.reason,
    `the last session ran in ${home.root}, this run in ${elsewhere}`,
  );
});
