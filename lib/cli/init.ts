/**
 * @module
 * `clodputer init`: creates `$CLODPUTER_HOME` (0700) with its folders and a commented
 * config.yaml (lib/config/config_template.ts) that records where claude is. Safe to run again:
 * it changes nothing that exists.
 */

import { join } from "../sys/posix_path.ts";
import { configTemplate } from "../config/config_template.ts";
import { loadGlobalConfig } from "../config/load.ts";
import { IoError } from "../errors.ts";
import { findClaude } from "../run/claude_path.ts";
import { exists } from "../sys/fs.ts";
import type { Deps } from "./deps.ts";

/** What `init` did, step by step. */
export interface InitReport {
  home: string;
  created: string[];
  existing: string[];
  claude: { path: string; source: string; version: string | undefined } | {
    missing: string;
    hint: string;
  };
}

async function createDir(path: string, report: InitReport): Promise<void> {
  if (await exists(path)) {
    report.existing.push(path);
    return;
  }
  try {
    await Deno.mkdir(path, { recursive: true, mode: 0o700 });
    await Deno.chmod(path, 0o700); // mkdir's mode is masked by the umask
  } catch (error) {
    throw new IoError("create the folder", path, { cause: error });
  }
  report.created.push(path);
}

/** `init`. */
export async function initCommand(deps: Deps, options: { json: boolean }): Promise<number> {
  const { paths, out } = deps;
  const report: InitReport = {
    home: paths.home,
    created: [],
    existing: [],
    claude: { missing: "", hint: "" },
  };
  for (const dir of [paths.home, paths.tasks, paths.runs, paths.archive, paths.backups]) {
    await createDir(dir, report);
  }

  const configExists = await exists(paths.config);
  const configured = configExists ? (await loadGlobalConfig(paths, deps.env)).claude : undefined;
  const found = await findClaude(deps.env, configured, paths.config);
  let claudePath: string | undefined;
  if (found.found) {
    claudePath = await Deno.realPath(found.path).catch(() => found.path); // links resolved
    const version = await deps.proc.output(claudePath, {
      args: ["--version"],
      env: { PATH: "/usr/bin:/bin" },
    })
      .then((o) => (o.code === 0 ? o.stdout.trim() : undefined), () => undefined);
    report.claude = { path: claudePath, source: found.source, version };
  } else {
    report.claude = { missing: found.message, hint: found.hint };
  }

  if (configExists) {
    report.existing.push(paths.config);
  } else {
    try {
      await Deno.writeTextFile(paths.config, configTemplate(claudePath), {
        createNew: true,
        mode: 0o600,
      });
      report.created.push(paths.config);
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) {
        throw new IoError("write", paths.config, { cause: error });
      }
      report.existing.push(paths.config);
    }
  }

  if (options.json) {
    out.json(report);
    return 0;
  }
  for (const p of report.created) out.line(`created  ${p}`);
  for (const p of report.existing) out.line(`exists   ${p} (left as it is)`);
  if ("path" in report.claude) {
    const c = report.claude;
    out.line(`claude   ${c.path} (${c.version ?? "version unknown"}; found via ${c.source})`);
  } else {
    out.line(out.color.yellow(`claude   not found: ${report.claude.missing}`));
    out.line(`         hint: ${report.claude.hint}`);
  }
  out.line("");
  out.line("next:");
  out.line("  clodputer new --list                           the example tasks");
  out.line("  clodputer new my-task --from summarise-repo    write tasks/my-task.yaml");
  out.line(`  edit ${join(paths.tasks, "my-task.yaml")}`);
  out.line("  clodputer run my-task --now                    run it once and watch");
  return 0;
}
