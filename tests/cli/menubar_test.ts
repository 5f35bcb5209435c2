/**
 * @module
 * Where the menu bar plugin goes (SwiftBar's preferences through a stand-in `defaults`, xbar's
 * folder, --dir), and the plugin script itself.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  isOurPlugin,
  PLUGIN_MARK,
  pluginFolders,
  pluginScript,
  XBAR_FOLDER,
} from "../../lib/ui/menubar_plugin.ts";
import { UsageError } from "../../lib/errors.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";

async function macHome(): Promise<
  AsyncDisposable & { home: string; deps: Parameters<typeof pluginFolders>[0] }
> {
  const home = await Deno.makeTempDir({ prefix: "clodputer-menubar-" });
  return {
    home,
    deps: { os: "darwin", env: envFrom({ HOME: home, PATH: FIXTURE_BIN }), proc: systemProc() },
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true });
    },
  };
}

async function setSwiftBarFolder(home: string, value: string): Promise<void> {
  const dir = join(home, ".fake-defaults", "com.ameba.SwiftBar");
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "PluginDirectory"), `${value}\n`);
}

Deno.test("pluginFolders() reads SwiftBar's folder from its preferences, then xbar's", async () => {
  await using mac = await macHome();
  assert.deepEqual(await pluginFolders(mac.deps, undefined), [], "neither app");
  const calls = await Deno.readTextFile(join(mac.home, ".fake-defaults", "calls"));
  assert.equal(calls, "read\tcom.ameba.SwiftBar\tPluginDirectory\n");

  const swift = join(mac.home, "SwiftBar Plugins");
  await Deno.mkdir(swift);
  await setSwiftBarFolder(mac.home, "~/SwiftBar Plugins");
  const xbar = join(mac.home, XBAR_FOLDER);
  await Deno.mkdir(xbar, { recursive: true });
  assert.deepEqual(await pluginFolders(mac.deps, undefined), [
    { dir: swift, app: "SwiftBar" },
    { dir: xbar, app: "xbar" },
  ]);

  await setSwiftBarFolder(mac.home, join(mac.home, "gone"));
  assert.deepEqual(await pluginFolders(mac.deps, undefined), [{ dir: xbar, app: "xbar" }]);
});

Deno.test("pluginFolders() takes --dir as it is, and refuses one that is not a folder", async () => {
  await using mac = await macHome();
  await setSwiftBarFolder(mac.home, mac.home);
  assert.deepEqual(await pluginFolders(mac.deps, mac.home), [{ dir: mac.home, app: "--dir" }]);
  await assert.rejects(
    pluginFolders(mac.deps, join(mac.home, "nope")),
    (e: unknown) => e instanceof UsageError && /is not a folder/.test(e.message),
  );
});

Deno.test("pluginFolders() on Linux without --dir: SwiftBar and xbar are macOS software (exit 2)", async () => {
  await using mac = await macHome();
  await assert.rejects(
    pluginFolders({ ...mac.deps, os: "linux" }, undefined),
    (e: unknown) =>
      e instanceof UsageError && e.exitCode === 2 && /macOS software/.test(e.message) &&
      /--dir/.test(e.hint ?? ""),
  );
});

Deno.test("pluginScript() sets the environment, quotes every word, and is recognised as ours", () => {
  const text = pluginScript({
    self: ["/opt/homebrew/bin/clodputer"],
    env: {
      HOME: "/Users/it's me",
      CLODPUTER_HOME: "/Users/it's me/.clodputer",
      PATH: "/usr/bin:/bin",
    },
    path: "/Users/it's me/Plugins/clodputer.10s.sh",
    version: "1.2.3",
  });
  assert.ok(text.startsWith(`#!/bin/sh\n${PLUGIN_MARK}\n`));
  for (
    const tag of [
      "<xbar.title>Clodputer</xbar.title>",
      "<xbar.version>v1.2.3</xbar.version>",
      "<swiftbar.runInBash>false</swiftbar.runInBash>",
      "<swiftbar.refreshOnOpen>true</swiftbar.refreshOnOpen>",
    ]
  ) {
    assert.ok(text.includes(`# ${tag}\n`), tag);
  }
  assert.ok(text.includes(`HOME='/Users/it'\\''s me'; export HOME\n`));
  assert.ok(
    text.includes(
      `[ "$#" -eq 0 ] && set -- menubar print --plugin '/Users/it'\\''s me/Plugins/clodputer.10s.sh'\n`,
    ),
  );
  assert.ok(text.endsWith(`exec /opt/homebrew/bin/clodputer "$@"\n`));
  assert.ok(isOurPlugin(text));
  assert.ok(!isOurPlugin("#!/bin/sh\necho hello\n"));
});
