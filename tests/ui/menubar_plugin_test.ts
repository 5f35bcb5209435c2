/**
 * @module
 * Installing and removing the menu bar plugin in a given folder: written executable, said
 * whether it was there and changed, a file we did not write never replaced nor removed.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { UsageError } from "../../lib/errors.ts";
import {
  installMenubarPlugin,
  isOurPlugin,
  type MenubarPluginDeps,
  PLUGIN_FILE,
  uninstallMenubarPlugin,
} from "../../lib/ui/menubar_plugin.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { FakeProc } from "../fakes/proc.ts";

async function scene(): Promise<AsyncDisposable & { deps: MenubarPluginDeps; dir: string }> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-menubar-plugin-" });
  const dir = join(root, "Plugins");
  await Deno.mkdir(dir);
  return {
    dir,
    deps: {
      os: "linux",
      env: envFrom({ HOME: root, PATH: join(root, "no-bin") }),
      proc: new FakeProc([]),
      paths: pathsUnder(join(root, ".clodputer")),
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("installMenubarPlugin() writes the plugin, then finds it unchanged; uninstall removes it", async () => {
  await using s = await scene();
  const file = join(s.dir, PLUGIN_FILE);
  const first = await installMenubarPlugin(s.deps, { dir: s.dir });
  assert.deepEqual({ ...first, warnings: first.warnings.length }, {
    file,
    app: "--dir",
    changed: true,
    existed: false,
    warnings: 1,
  });
  assert.match(first.warnings[0] ?? "", /^claude was not found/);
  assert.ok(isOurPlugin(await Deno.readTextFile(file)));
  assert.equal(((await Deno.stat(file)).mode ?? 0) & 0o777, 0o755);

  const again = await installMenubarPlugin(s.deps, { dir: s.dir });
  assert.deepEqual([again.existed, again.changed], [true, false]);

  assert.deepEqual(await uninstallMenubarPlugin(s.deps, { dir: s.dir }), {
    removed: [file],
    folders: [s.dir],
  });
  assert.deepEqual(await uninstallMenubarPlugin(s.deps, { dir: s.dir }), {
    removed: [],
    folders: [s.dir],
  });
});

Deno.test("installMenubarPlugin() and uninstallMenubarPlugin() leave a file we did not write", async () => {
  await using s = await scene();
  const file = join(s.dir, PLUGIN_FILE);
  await Deno.writeTextFile(file, "#!/bin/sh\necho mine\n");
  const notOurs = (verb: string) => (e: unknown) =>
    e instanceof UsageError && e.message.startsWith(`Cannot ${verb} "${file}"`);
  await assert.rejects(installMenubarPlugin(s.deps, { dir: s.dir }), notOurs("replace"));
  await assert.rejects(uninstallMenubarPlugin(s.deps, { dir: s.dir }), notOurs("remove"));
  assert.equal(await Deno.readTextFile(file), "#!/bin/sh\necho mine\n");
});
