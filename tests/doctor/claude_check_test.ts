/**
 * @module
 * How doctor judges the clodputer executable cron would call.
 */

import assert from "node:assert/strict";
import { clodputerCheck } from "../../lib/doctor/checks/claude.ts";
import { monthsOld } from "../../lib/doctor/checks/log.ts";
import { macProtectedFolders } from "../../lib/sys/paths.ts";

Deno.test("clodputerCheck() accepts the installed binary and warns when running from source", () => {
  assert.equal(clodputerCheck("/opt/homebrew/bin/clodputer").status, "ok");
  assert.equal(clodputerCheck("/work/dist/clodputer-x86_64-unknown-linux-gnu").status, "ok");
  const source = clodputerCheck("/usr/local/bin/deno");
  assert.equal(source.status, "warn");
  assert.match(source.message, /running from source \(\/usr\/local\/bin\/deno\)/);
});

Deno.test("clodputerCheck() reports a source install's shim as installed, or what is wrong with it", () => {
  const shim = "/Users/me/.deno/bin/clodputer";
  const ok = clodputerCheck("/usr/local/bin/deno", { path: shim, problems: [] });
  assert.equal(ok.status, "ok");
  assert.match(
    ok.message,
    /^clodputer is a source install: \/Users\/me\/\.deno\/bin\/clodputer runs/,
  );
  const stale = clodputerCheck("/usr/local/bin/deno", {
    path: shim,
    problems: ["it runs deno without the clodputer task's -P"],
  });
  assert.equal(stale.status, "warn");
  assert.match(
    stale.message,
    /cannot be used by cron: it runs deno without the clodputer task's -P/,
  );
  assert.match(stale.fix ?? "", /deno task install/);
  assert.match(clodputerCheck("/usr/local/bin/deno").fix ?? "", /deno task install/);
});

Deno.test("monthsOld() and macProtectedFolders()", () => {
  assert.equal(monthsOld("2026-05.log", Date.UTC(2026, 10, 25)), 6);
  assert.equal(monthsOld("notes.log", Date.UTC(2026, 10, 25)), undefined);
  assert.ok(macProtectedFolders("/Users/me").includes("/Users/me/Documents"));
});
