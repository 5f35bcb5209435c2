/**
 * @module
 * A `session: continue` task through the runner, with the stand-in claude keeping its sessions
 * (FAKE_CLAUDE_SESSIONS) and a real KV file: the state kept after each run, a failed try's retry
 * continuing the same session, a lost session begun afresh, a run with no result leaving the
 * session alone, and a reset.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { GLOBAL_DEFAULTS } from "../../lib/config/fields.ts";
import type { RunRecord } from "../../lib/run/record.ts";
import type { RunDeps } from "../../lib/run/run_task.ts";
import { newRunId } from "../../lib/run/run_id.ts";
import { drain } from "../../lib/state/runner.ts";
import { resetSession } from "../../lib/state/session_reset.ts";
import { Store } from "../../lib/state/store.ts";
import type { Lease } from "../../lib/state/types.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";

/** The session ids of the stand-in's recorded scenarios. */
const HI = "eb747026-a985-4f80-a5e9-440d29297dab";
const BASH = "f6db9365-1cb1-4de2-8665-4583ff65bda6";

Deno.test("the runner keeps a continuing task's session across runs, retries, a lost session and a reset", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-runner-session-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  const sessions = join(root, "sessions");
  const work = join(root, "work");
  await Deno.mkdir(paths.tasks, { recursive: true });
  await Deno.mkdir(sessions);
  await Deno.mkdir(work);
  await Deno.writeTextFile(
    join(paths.tasks, "t.yaml"),
    `name: t
task:
  prompt: "Review"
  working_directory: ${work}
  session: continue
  max_retries: 1
  retry_backoff_seconds: 3600
`,
  );
  const log = join(root, "argv");
  const deps: RunDeps = {
    proc: systemProc(),
    clock: systemClock,
    env: envFrom({
      HOME: root,
      CLODPUTER_HOME: paths.home,
      PATH: `${FIXTURE_BIN}:/usr/bin:/bin`,
      FAKE_CLAUDE_LOG: log,
      FAKE_CLAUDE_SESSIONS: sessions,
      // One scenario per start of claude (a lost session's first start plays none).
      FAKE_CLAUDE_SEQUENCE: "hi,error-500,hi,bash-tool,no-result,hi",
      FAKE_CLAUDE_SEQUENCE_FILE: join(root, "sequence"),
    }),
    paths,
    os: "linux",
    selfPid: Deno.pid,
  };
  const store = await Store.open(join(root, "state.kv"), systemClock);
  const now = () => new Date(systemClock.now()).toISOString();
  const mine: Lease = { pid: Deno.pid, started: "x", acquired_at: now(), heartbeat_at: now() };
  const global = { ...GLOBAL_DEFAULTS, grace_period: 1 };
  const resumed = async () => {
    const argv = (await Deno.readTextFile(log)).split("\0");
    const at = argv.indexOf("--resume");
    return at < 0 ? null : argv[at + 1];
  };
  /**
   * Runs queued item `id` (before its time, as a followed run may) and returns its record. Each
   * id is a real, unique run id: cleanup sweeps processes by their run's mark, so an id another
   * test also uses would have its processes killed.
   */
  const runItem = async (id: string, enqueue = true): Promise<RunRecord> => {
    if (enqueue) {
      await store.enqueue(
        { id, task: "t", priority: "normal", trigger: { type: "manual" } },
        now(),
      );
    }
    assert.ok(await store.acquireLease(mine, (await store.lease())?.versionstamp ?? null));
    const records = await drain(deps, store, mine, {
      global,
      stop: new AbortController().signal,
      exempt: id,
    });
    const record = records.find((r) => r.id === id);
    assert.ok(record, `the run ${id} ran: ${JSON.stringify(records.map((r) => r.id))}`);
    return record;
  };
  try {
    // 1. No session yet: a new one begins with the run's result.
    const r1 = await runItem(newRunId(systemClock.now()));
    assert.equal(r1.session?.mode, "new");
    assert.equal(await resumed(), null);
    let kept = await store.session("t");
    assert.equal(kept?.session?.id, HI);
    assert.equal(kept?.session?.runs, 1);
    assert.equal(kept?.session?.cwd, work);
    assert.equal(kept?.session?.started_at, r1.started_at);

    // 2. The next run continues it, and fails in a way that is retried.
    const r2 = await runItem(newRunId(systemClock.now()));
    assert.equal(await resumed(), HI);
    assert.equal(r2.session?.mode, "continued");
    assert.equal(r2.session?.run, 2);
    assert.equal(r2.status, "failed");
    const retryId = r2.next_retry?.run_id;
    assert.ok(retryId, `a retry was queued: ${JSON.stringify([r2.outcome, r2.claude?.errors])}`);
    kept = await store.session("t");
    assert.equal(kept?.session?.runs, 2, "the failed run reached a result: counted");

    // 3. The retry continues the session its failed try continued, as the same run of it.
    const retry = await runItem(retryId, false);
    assert.equal(retry.trigger.type, "retry");
    assert.equal(await resumed(), HI);
    assert.equal(retry.session?.mode, "continued");
    assert.equal(retry.session?.run, 2);
    assert.equal(retry.status, "succeeded");
    assert.equal((await store.session("t"))?.session?.runs, 2);

    // 4. claude cannot find the session (removed from its config folder): the run begins
    // afresh, says why, and the next runs continue the new session.
    await Deno.remove(join(sessions, HI));
    const r3 = await runItem(newRunId(systemClock.now()));
    assert.equal(r3.status, "succeeded");
    assert.equal(r3.session?.mode, "restarted");
    assert.equal(r3.session?.resumed, HI);
    assert.equal(r3.session?.reason, `claude: No conversation found with session ID: ${HI}`);
    kept = await store.session("t");
    assert.equal(kept?.session?.id, BASH);
    assert.equal(kept?.session?.runs, 1);
    assert.equal(kept?.session?.started_at, r3.started_at);

    // 5. A run that reached no result does not replace the session to continue.
    const r4 = await runItem(newRunId(systemClock.now()));
    assert.equal(await resumed(), BASH);
    assert.equal(r4.claude, null);
    assert.deepEqual(await store.session("t"), kept);

    // 6. After a reset, the next run starts afresh and says it was reset.
    const at = now();
    assert.equal((await resetSession(store, "t", at))?.id, BASH);
    const r5 = await runItem(newRunId(systemClock.now()));
    assert.equal(await resumed(), null);
    assert.equal(r5.session?.mode, "new");
    assert.equal(r5.session?.reason, `the session was reset (clodputer session reset) at ${at}`);
    assert.equal((await store.session("t"))?.session?.id, HI);
    assert.equal((await store.session("t"))?.reset_at, null);
  } finally {
    store.close();
    await Deno.remove(root, { recursive: true });
  }
});
