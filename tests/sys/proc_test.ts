/**
 * @module
 * Spawn failures: the OS error code decides the cause, and each cause gets its own hint. ENOEXEC
 * cannot be produced here (glibc's posix_spawn runs such a file with /bin/sh), so it is shown
 * with the error Deno would raise.
 */

import assert from "node:assert/strict";
import { spawnHint } from "../../lib/run/executor.ts";
import { spawnError } from "../../lib/sys/proc.ts";

function osError(code: string, words: string): Error {
  return Object.assign(new Error(`Failed to spawn '/x/claude': ${words}`), { code });
}

Deno.test("spawnError() names the cause by the OS error code and keeps the OS's words", () => {
  const cases: [Error, string, string][] = [
    [osError("ENOENT", "No such file or directory (os error 2)"), "not_found", "No such file"],
    [osError("EACCES", "Permission denied (os error 13)"), "permission_denied", "Permission"],
    [osError("E2BIG", "Argument list too long (os error 7)"), "too_long", "Argument list"],
    [osError("ENOEXEC", "Exec format error (os error 8)"), "bad_format", "Exec format"],
    [osError("EIO", "Input/output error (os error 5)"), "other", "Input/output"],
  ];
  for (const [error, reason, words] of cases) {
    const e = spawnError("/x/claude", error);
    assert.equal(e.reason, reason, words);
    assert.ok(e.osMessage.startsWith(words));
    assert.equal(e.message, `Cannot start "/x/claude": ${e.osMessage}`);
  }
});

Deno.test("spawnHint() fits the cause", () => {
  const options = { command: "/x/claude", args: ["-p"], env: { PATH: "/bin" } };
  const hint = (code: string) => spawnHint(spawnError("/x/claude", osError(code, "w")), options);
  assert.match(hint("ENOENT"), /exists .*#! line.*CLODPUTER_CLAUDE/);
  assert.match(hint("EACCES"), /chmod \+x/);
  assert.match(hint("E2BIG"), /\(3 bytes\) and environment \(10 bytes\) exceed the system's limit/);
  assert.match(hint("ENOEXEC"), /not a program this system can run/);
  assert.match(hint("EIO"), /clodputer doctor/);
});
