/**
 * @module
 * The command line that starts the watcher daemon: deno from source gets the daemon's V8 flags
 * (before main.ts, so deno reads them), a compiled binary is started exactly as before.
 */

import assert from "node:assert/strict";
import { DAEMON_V8_FLAGS, daemonArgv } from "../../lib/cli/watch.ts";

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
