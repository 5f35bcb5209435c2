/**
 * @module
 * The command line that starts the watcher daemon: deno from source gets the daemon's V8 flags
 * (before main.ts, so deno reads them), a compiled binary is started exactly as before. Stopping
 * it (SIGTERM, then SIGKILL after 30 s) and refusing to start a second one.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../../lib/errors.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import {
  DAEMON_V8_FLAGS,
  daemonArgv,
  startDaemon,
  stopWatcher,
  watcherState,
  writeWatcherInfo,
} from "../../lib/watch/daemon.ts";
import { SteppingClock } from "../fakes/clock.ts";
import { FakeProc, proc } from "../fakes/proc.ts";

Deno.test("daemonArgv(): from source, deno gets the daemon's V8 flags before main.ts", () => {
  assert.deepEqual(
    daemonArgv({
      kind: "source",
      argv: ["/bin/deno", "run", "-q", "-P", "--config", "/src/deno.json", "/src/main.ts"],
    }),
    [
      "/bin/deno",
      "run",
      `--v8-flags=${DAEMON_V8_FLAGS}`,
      "-q",
      "-P",
      "--config",
      "/src/deno.json",
      "/src/main.ts",
      "watch",
      "--background",
    ],
  );
});

Deno.test("daemonArgv(): a compiled binary gets no flag it would read as its own", () => {
  assert.deepEqual(
    daemonArgv({ kind: "binary", argv: ["/opt/homebrew/bin/clodputer"] }),
    ["/opt/homebrew/bin/clodputer", "watch", "--background"],
  );
});

Deno.test("daemonArgv(): the shim of a source install gets no flag it would read as its own", () => {
  assert.deepEqual(
    daemonArgv({ kind: "source", argv: ["/home/me/.deno/bin/clodputer"] }),
    ["/home/me/.deno/bin/clodputer", "watch", "--background"],
  );
});

async function home() {
  const root = await Deno.makeTempDir({ prefix: "clodputer-daemon-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(join(root, ".clodputer"), { recursive: true });
  return { paths, [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }) };
}

function watcherInfo(pid: number, started: string) {
  return {
    pid,
    started,
    since: "2026-11-25T12:00:00.000Z",
    folders: ["/in (a: *)"],
    last_event: null,
  };
}

Deno.test("stopWatcher(): SIGTERM, then stopped once the watcher is gone", async () => {
  await using h = await home();
  const watcher = proc(42, 1);
  await writeWatcherInfo(h.paths, watcherInfo(42, watcher.started));
  const p = new FakeProc([watcher]);
  const clock = new SteppingClock();
  assert.deepEqual(await stopWatcher({ proc: p, clock, paths: h.paths }), {
    kind: "stopped",
    pid: 42,
  });
  assert.ok(p.calls.includes("signal 42 SIGTERM"));
});

Deno.test("stopWatcher(): a watcher that ignores SIGTERM is killed after 30 s", async () => {
  await using h = await home();
  const watcher = proc(42, 1, { ignores: ["SIGTERM"] });
  await writeWatcherInfo(h.paths, watcherInfo(42, watcher.started));
  const p = new FakeProc([watcher]);
  const clock = new SteppingClock();
  const start = clock.now();
  assert.deepEqual(await stopWatcher({ proc: p, clock, paths: h.paths }), {
    kind: "killed",
    pid: 42,
    waitedMs: 30_000,
  });
  assert.ok(clock.now() - start >= 30_000);
  assert.ok(p.calls.includes("signal 42 SIGKILL"));
  assert.equal((await watcherState(h.paths, p, clock.now())).state, "not running");
});

Deno.test("stopWatcher(): not running; a stale watcher.pid is removed", async () => {
  await using h = await home();
  await writeWatcherInfo(h.paths, watcherInfo(42, "then"));
  const p = new FakeProc([]);
  const clock = new SteppingClock();
  assert.deepEqual(await stopWatcher({ proc: p, clock, paths: h.paths }), {
    kind: "not running",
  });
  assert.equal((await watcherState(h.paths, p, clock.now())).state, "not running");
  assert.deepEqual(p.calls.filter((c) => c.startsWith("signal")), []);
});

Deno.test("startDaemon(): refuses while a watcher runs, and starts nothing", async () => {
  await using h = await home();
  const watcher = proc(42, 1);
  await writeWatcherInfo(h.paths, watcherInfo(42, watcher.started));
  const p = new FakeProc([watcher]);
  await assert.rejects(
    startDaemon({ proc: p, clock: new SteppingClock(), env: envFrom({}), paths: h.paths }),
    (e) => e instanceof UsageError && /already running \(pid 42\)/.test(e.message),
  );
});
