/**
 * @module
 * What `new` says to do next, for each thing that can start a task (tests/e2e/run_file_test.ts
 * runs `new` itself for the examples).
 */

import assert from "node:assert/strict";
import { nextSteps } from "../../lib/cli/new.ts";

const summary = "what it does";

Deno.test("nextSteps(): a schedule is checked, then installed", () => {
  const steps = nextSteps("mail", { summary, startedBy: "schedule" });
  assert.match(steps[0] ?? "", /^1\. edit it: the schedule, .* \(what it does\)$/);
  assert.match(steps[1] ?? "", /^2\. .*: clodputer validate mail$/);
  assert.match(steps[2] ?? "", /^3\. schedule it: clodputer install /);
  assert.match(steps[3] ?? "", /clodputer run mail --now$/);
});

Deno.test("nextSteps(): a folder watch is tried on one file, then watched", () => {
  const steps = nextSteps("inbox", { summary, startedBy: "file_watch" });
  assert.match(
    steps[1] ?? "",
    /^2\. try it on one file, .*: clodputer run inbox --file <a file> --now$/,
  );
  assert.match(steps[2] ?? "", /^3\. run it for every new file: clodputer watch /);
  assert.ok(!steps.some((s) => s.includes("clodputer run inbox --now")));
});

Deno.test("nextSteps(): an interval task is run once, then left to the watcher", () => {
  const steps = nextSteps("poll", { summary, startedBy: "interval" });
  assert.match(steps[1] ?? "", /^2\. run it once and watch: clodputer run poll --now$/);
  assert.match(steps[2] ?? "", /^3\. run it at its interval: clodputer watch /);
});

Deno.test("nextSteps(): a manual task is run by hand", () => {
  assert.deepEqual(nextSteps("tour", { summary, startedBy: "manual" }), [
    "1. edit it: the prompt, allowed_tools, working_directory (what it does)",
    "2. run it once and watch: clodputer run tour --now",
  ]);
});
