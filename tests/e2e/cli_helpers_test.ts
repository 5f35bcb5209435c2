/**
 * @module
 * The test helpers themselves: a "no survivor" assertion is only worth something if pidAlive
 * really sees live processes.
 */

import assert from "node:assert/strict";
import { pidAlive } from "./cli.ts";

Deno.test("pidAlive() sees a live process, and not a finished one", async () => {
  const child = new Deno.Command("sleep", { args: ["30"], stdout: "null", stderr: "null" }).spawn();
  try {
    assert.equal(pidAlive(child.pid), true);
    assert.equal(pidAlive(Deno.pid), true);
  } finally {
    child.kill("SIGKILL");
    await child.status;
  }
  assert.equal(pidAlive(child.pid), false);
});
