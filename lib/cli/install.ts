/**
 * @module
 * `clodputer install [--launchd | --systemd] [--dry-run]` and `clodputer uninstall [--dry-run]`:
 * the one crontab entry (or LaunchAgent, or systemd user timer) that runs `clodputer tick` every
 * minute.
 */

import denoJson from "../../deno.json" with { type: "json" };
import { UsageError } from "../errors.ts";
import { type Backend, install, type InstallDeps, uninstall } from "../schedule/install.ts";
import { userId } from "../sys/env.ts";
import { sameFile, selfCommand, selfFacts } from "../sys/self.ts";
import { shellLine } from "../ui/shell_quote.ts";
import type { Deps } from "./deps.ts";

function installDeps(deps: Deps): InstallDeps {
  const facts = selfFacts(denoJson.tasks.clodputer.command);
  const self = selfCommand(facts, (link) => sameFile(link, facts.execPath));
  // A source install's argv starts with its shim (a script) or deno; deno is what runs.
  return {
    ...deps,
    self,
    uid: userId(),
    runtime: self.kind === "source" ? facts.execPath : undefined,
  };
}

/** `install`. */
export async function installCommand(
  deps: Deps,
  options: { launchd: boolean; systemd?: boolean; dryRun: boolean; json: boolean },
): Promise<number> {
  if (options.launchd && options.systemd) {
    throw new UsageError("Cannot install: --launchd and --systemd exclude each other", {
      hint: "pick one: --launchd on macOS, --systemd on Linux",
    });
  }
  const backend: Backend = options.launchd ? "launchd" : options.systemd ? "systemd" : "crontab";
  const result = await install(installDeps(deps), { backend, dryRun: options.dryRun });
  const { out } = deps;
  if (options.json) {
    out.json(result);
    return 0;
  }
  for (const w of result.warnings) out.error(`warning: ${w}`);
  if (options.dryRun) {
    out.line(
      backend === "crontab"
        ? `The crontab would become (${result.changed ? "changed" : "unchanged"}):`
        : backend === "systemd"
        ? `The systemd units would be (${result.changed ? "changed" : "unchanged"}):`
        : `${result.file} would be (${result.changed ? "changed" : "unchanged"}):`,
    );
    out.line(result.text.replace(/\n$/, ""));
    return 0;
  }
  const where = backend === "crontab"
    ? "the crontab"
    : backend === "systemd"
    ? `the systemd user timer ${result.file}`
    : `the LaunchAgent ${result.file}`;
  out.line(
    result.changed
      ? `Installed: ${where} runs clodputer tick every minute`
      : `Already installed: ${where} is unchanged`,
  );
  out.line(`  command: ${shellLine(result.entry.argv)}`);
  out.line(
    `  with:    ${Object.entries(result.entry.env).map(([k, v]) => `${k}=${v}`).join(" ")}`,
  );
  if (result.backup) out.line(`  backup:  ${result.backup}`);
  if (result.tasks.length === 0) {
    out.line("No task has a schedule yet: add schedule: to one (see clodputer new --list)");
  } else {
    out.line(`Scheduled tasks (${result.tasks.length}):`);
    for (const t of result.tasks) {
      out.line(`  ${t.name}  ${t.expression}  ${t.timezone ?? "local time"}`);
    }
  }
  out.line("See it work: clodputer status (last tick), clodputer logs -f");
  return 0;
}

/** `uninstall`. */
export async function uninstallCommand(
  deps: Deps,
  options: { dryRun: boolean; json: boolean },
): Promise<number> {
  const result = await uninstall(installDeps(deps), { dryRun: options.dryRun });
  const { out } = deps;
  if (options.json) {
    out.json(result);
    return 0;
  }
  if (result.removed.length === 0) {
    out.line(
      "Nothing to remove: no clodputer section in the crontab, no LaunchAgent and no systemd timer",
    );
    return 0;
  }
  if (options.dryRun) {
    out.line(`Would remove: ${result.removed.join(" and ")}`);
    if (result.text !== null) {
      out.line("The crontab would become:");
      out.line(result.text.replace(/\n$/, ""));
    }
    return 0;
  }
  out.line(`Removed: ${result.removed.join(" and ")}; scheduled tasks no longer run by themselves`);
  for (const b of result.backups) out.line(`  backup: ${b}`);
  return 0;
}
