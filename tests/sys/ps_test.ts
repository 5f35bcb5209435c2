/**
 * @module
 * Parsing `ps` output from Linux (procps) and macOS.
 */

import assert from "node:assert/strict";
import { isZombie, parsePs, pidsWithMark, type ProcInfo } from "../../lib/sys/ps.ts";

Deno.test("parsePs() reads pid, ppid, pgid, state, start time and command", () => {
  const text = [
    "    1     0     0 Ss   Wed Nov 25 00:36:55 2026 /sbin/init",
    " 3281  3191  3281 S    Wed Nov  5 01:02:03 2026 /bin/bash -c echo started; sleep 300",
    " 3300  3281  3281 Z    Wed Nov 25 01:02:04 2026 [sleep] <defunct>",
    "garbage",
    "",
  ].join("\n");
  const list = parsePs(text);
  assert.equal(list.length, 3);
  assert.deepEqual(list[1], {
    pid: 3281,
    ppid: 3191,
    pgid: 3281,
    stat: "S",
    started: "Wed Nov 5 01:02:03 2026",
    command: "/bin/bash -c echo started; sleep 300",
  });
  assert.equal(isZombie(list[2] as ProcInfo), true);
  assert.equal(isZombie(list[1] as ProcInfo), false);
});

Deno.test("pidsWithMark() matches the whole NAME=value word only", () => {
  const text = [
    "  10 sleep 300 CLODPUTER_RUN_ID=run-1 HOME=/root",
    "  11 sleep 300 CLODPUTER_RUN_ID=run-10 HOME=/root",
    "  12 grep CLODPUTER_RUN_ID HOME=/root",
    "  13 node x.js PATH=/bin CLODPUTER_RUN_ID=run-1",
  ].join("\n");
  assert.deepEqual(pidsWithMark(text, "CLODPUTER_RUN_ID=run-1"), [10, 13]);
});
