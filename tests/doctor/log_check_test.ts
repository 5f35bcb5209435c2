/**
 * @module
 * Doctor's log check: a log over twice log.max_bytes (rotation not happening), archives older
 * than log.keep_months, both, neither; the defaults when the global config did not load.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { checkLog } from "../../lib/doctor/checks/log.ts";
import { doctorScene } from "./context.ts";

const SMALL = "log:\n  max_bytes: 100\n  keep_months: 2\n";

async function archives(dir: string, names: string[]): Promise<void> {
  await Deno.mkdir(dir, { recursive: true });
  for (const name of names) await Deno.writeTextFile(join(dir, name), "x\n");
}

Deno.test("checkLog() is ok with no log and no archive yet", async () => {
  await using s = await doctorScene();
  assert.deepEqual(await checkLog(s.ctx()), [{
    id: "log",
    status: "ok",
    message: `execution.log 0 of ${10 * 1024 * 1024} bytes; 0 archive file(s)`,
  }]);
});

Deno.test("checkLog() is ok up to twice log.max_bytes and within keep_months, counting files only", async () => {
  await using s = await doctorScene();
  const ctx = s.ctx({ global: s.global(SMALL) });
  await Deno.writeTextFile(ctx.paths.log, "x".repeat(200));
  // The clock says 2026-11: two months back is kept; a folder and other names are not archives.
  await archives(ctx.paths.archive, ["2026-09.log", "2026-10.log", "notes.txt"]);
  await Deno.mkdir(join(ctx.paths.archive, "2020-01.log"));
  assert.deepEqual(await checkLog(ctx), [{
    id: "log",
    status: "ok",
    message: "execution.log 200 of 100 bytes; 3 archive file(s)",
  }]);
});

Deno.test("checkLog() warns when the log is over twice log.max_bytes", async () => {
  await using s = await doctorScene();
  const ctx = s.ctx({ global: s.global(SMALL) });
  await Deno.writeTextFile(ctx.paths.log, "x".repeat(201));
  assert.deepEqual(await checkLog(ctx), [{
    id: "log",
    status: "warn",
    message:
      "execution.log is 201 bytes, over twice log.max_bytes (100): rotation is not happening",
    fix: `check that ${ctx.paths.archive} is writable`,
  }]);
});

Deno.test("checkLog() warns about archives older than log.keep_months, with no ok line", async () => {
  await using s = await doctorScene();
  const ctx = s.ctx({ global: s.global(SMALL) });
  await archives(ctx.paths.archive, ["2026-08.log", "2025-12.log", "2026-09.log"]);
  const results = await checkLog(ctx);
  assert.equal(results.length, 1);
  assert.equal(results[0]?.id, "log:archive");
  assert.equal(results[0]?.status, "warn");
  assert.match(
    results[0]?.message ?? "",
    /^2 archive file\(s\) are older than log\.keep_months \(2\): (2026-08\.log, 2025-12\.log|2025-12\.log, 2026-08\.log)$/,
  );
  assert.equal(results[0]?.fix, "they are deleted at the next rotation; or delete them now");
  await Deno.writeTextFile(ctx.paths.log, "x".repeat(201));
  assert.deepEqual((await checkLog(ctx)).map((r) => r.id), ["log", "log:archive"]);
});

Deno.test("checkLog() keeps 6 months by default when the global config did not load", async () => {
  await using s = await doctorScene();
  const ctx = s.ctx({ global: new Error("bad config") });
  await archives(ctx.paths.archive, ["2026-05.log", "2026-04.log"]);
  const [result] = await checkLog(ctx);
  assert.equal(
    result?.message,
    "1 archive file(s) are older than log.keep_months (6): 2026-04.log",
  );
});
