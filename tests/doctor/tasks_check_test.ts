/**
 * @module
 * Doctor's task check on macOS: a task in a folder macOS guards is told what needs Full Disk
 * Access under each scheduler.
 */

import assert from "node:assert/strict";
import { checkTasks } from "../../lib/doctor/checks/tasks.ts";
import type { DoctorContext } from "../../lib/doctor/types.ts";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { FakeProc } from "../fakes/proc.ts";

Deno.test("checkTasks() names cron, or the LaunchAgent's program, for a task in a guarded folder", async () => {
  const env = envFrom({ HOME: "/Users/me" });
  const task = parseTaskSource(
    "task:\n  prompt: hi\n  working_directory: /Users/me/Documents/notes\n",
    { file: "/Users/me/.clodputer/tasks/notes.yaml", env },
  );
  const ctx = {
    paths: pathsUnder("/Users/me/.clodputer"),
    env,
    proc: new FakeProc([]),
    clock: systemClock,
    os: "darwin",
    selfPid: 1,
    executable: "/opt/homebrew/bin/clodputer",
    shim: null,
    global: new Error("unused"),
    tasks: [{ name: "notes", task }],
    misnamed: [],
  } as unknown as DoctorContext;
  const fda = (await checkTasks(ctx)).find((r) => r.id === "task:notes:fda");
  assert.equal(fda?.status, "warn");
  assert.equal(
    fda?.fix,
    "System Settings > Privacy & Security > Full Disk Access: add /usr/sbin/cron when the " +
      "crontab runs clodputer, or, with install --launchd, the program the LaunchAgent starts " +
      "(/opt/homebrew/bin/clodputer); after an upgrade macOS may need the grant again",
  );
});
