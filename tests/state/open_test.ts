/**
 * @module
 * Opening the state store, and moving a damaged one aside.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { movedAsideStores, openStore } from "../../lib/state/open.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";

Deno.test("openStore() creates the home (0700) and a fresh store", async () => {
  const root = await Deno.makeTempDir();
  try {
    const paths = pathsUnder(join(root, "home"));
    const { store, movedAside } = await openStore(paths, systemClock);
    store.close();
    assert.equal(movedAside, undefined);
    assert.equal(((await Deno.stat(paths.home)).mode ?? 0) & 0o777, 0o700);
    assert.equal(((await Deno.stat(paths.state)).mode ?? 0) & 0o777, 0o600);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("openStore() moves a damaged file aside, keeps it, and starts fresh", async () => {
  const root = await Deno.makeTempDir();
  try {
    const paths = pathsUnder(root);
    await Deno.writeTextFile(paths.state, "this is not a database, it is garbage");
    const { store, movedAside } = await openStore(paths, systemClock);
    try {
      assert.ok(movedAside?.startsWith(`${paths.state}.corrupt-`));
      assert.equal(
        await Deno.readTextFile(movedAside as string),
        "this is not a database, it is garbage",
      );
      assert.deepEqual(await store.queued(), []);
      assert.deepEqual(await movedAsideStores(paths), [movedAside]);
    } finally {
      store.close();
    }
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
