/**
 * @module
 * `clodputer menubar install [--dir]` and `menubar uninstall [--dir]`: one plugin script in the
 * plugin folder of SwiftBar or xbar (found from their settings), which shows
 * `clodputer menubar print` and runs the menu's clodputer commands with the environment they need.
 * The plugin and its folders are lib/ui/menubar_plugin.ts's.
 */

import {
  installMenubarPlugin,
  type MenubarInstallResult,
  PLUGIN_FILE,
  uninstallMenubarPlugin,
} from "../ui/menubar_plugin.ts";
import type { Deps } from "./deps.ts";

/** `menubar install`. */
export async function menubarInstallCommand(
  deps: Deps,
  options: { dir: string | undefined; json: boolean },
): Promise<number> {
  const { file, app, changed, warnings, existed } = await installMenubarPlugin(deps, {
    dir: options.dir,
  });
  if (options.json) {
    const result: MenubarInstallResult = { file, app, changed, warnings };
    deps.out.json(result);
    return 0;
  }
  for (const w of warnings) deps.out.error(`warning: ${w}`);
  deps.out.line(
    `${!existed ? "Installed" : changed ? "Updated" : "Already installed"}: ${file}${
      app === "--dir" ? "" : ` (${app})`
    }`,
  );
  deps.out.line("It refreshes every 10 s; see what it shows with: clodputer menubar print");
  return 0;
}

/** `menubar uninstall`: removes the plugin from each folder where it is, if it is ours. */
export async function menubarUninstallCommand(
  deps: Deps,
  options: { dir: string | undefined; json: boolean },
): Promise<number> {
  const { removed, folders } = await uninstallMenubarPlugin(deps, { dir: options.dir });
  if (options.json) {
    deps.out.json({ removed });
  } else if (removed.length === 0) {
    deps.out.line(
      `Nothing to remove: no ${PLUGIN_FILE} in ${folders.join(" or ") || "a plugin folder"}`,
    );
  } else {
    for (const file of removed) deps.out.line(`Removed: ${file}`);
  }
  return 0;
}
