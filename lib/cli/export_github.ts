/**
 * @module
 * `clodputer export github-actions [task...]`: writes one GitHub Actions workflow per task
 * (lib/export/github_actions.ts) under `--out` (default: the current folder, a repository's
 * root), never over a file an export did not write unless `--force`; `--dry-run` prints them.
 * `--repo` names the repository whose releases publish clodputer; once workflows were exported
 * into `--out`, a later export reads it from them, so it is needed the first time only.
 */

import { UsageError } from "../errors.ts";
import { exportGithubActions, repoFromEarlier } from "../export/github_actions.ts";
import { writeExport } from "../export/files.ts";
import { selectTasks } from "../export/select.ts";
import { currentDirectory } from "../sys/env.ts";
import { readTextIfExists } from "../sys/fs.ts";
import { isAbsolute, join } from "../sys/posix_path.ts";
import type { Deps } from "./deps.ts";
import { VERSION } from "./global_flags.ts";

/** Options of `export github-actions`. */
export interface ExportGithubOptions {
  out?: string | undefined;
  repo?: string | undefined;
  version?: string | undefined;
  sha256?: string | undefined;
  dryRun: boolean;
  force: boolean;
  json: boolean;
}

/** `export github-actions`; returns the exit code. */
export async function exportGithubCommand(
  deps: Deps,
  names: string[],
  options: ExportGithubOptions,
): Promise<number> {
  const cwd = currentDirectory() ?? ".";
  const out = options.out === undefined
    ? cwd
    : isAbsolute(options.out)
    ? options.out
    : join(cwd, options.out);
  const repo = options.repo ?? repoFromEarlier(await earlierWorkflows(out));
  if (repo === undefined) {
    throw new UsageError(
      "export github-actions needs --repo: the GitHub repository whose releases publish " +
        "clodputer (the workflows download the pinned release from it)",
      {
        hint: "for example: clodputer export github-actions --repo acme/clodputer " +
          "(later exports into the same folder read it from the workflows)",
      },
    );
  }
  const selection = await selectTasks(deps, names);
  if (selection.tasks.length === 0) {
    throw new UsageError("No task to export: no task has a schedule", {
      hint: 'give a task a schedule (schedule: { type: cron, expression: "0 9 * * *" }), ' +
        "or name the tasks to export",
    });
  }
  const made = await exportGithubActions(selection.tasks, {
    repo,
    version: options.version ?? VERSION,
    sha256: options.sha256,
    nowMs: deps.clock.now(),
  });
  const written = await writeExport(out, made.files, {
    force: options.force,
    dryRun: options.dryRun,
  });
  const { out: o } = deps;
  if (options.json) {
    o.json({ files: written, skipped: selection.skipped });
    return 0;
  }
  for (const w of written) {
    o.line(
      options.dryRun
        ? `would ${
          w.action === "created" ? "create" : w.action === "updated" ? "update" : "leave unchanged"
        } ${w.path}`
        : `${w.action} ${w.path}`,
    );
  }
  for (const s of selection.skipped) o.line(`skipped ${s.name}: ${s.reason}`);
  if (options.dryRun) {
    for (const f of made.files) {
      o.line("");
      o.line(`--- ${join(out, f.path)}`);
      o.line(f.text.replace(/\n$/, ""));
    }
    return 0;
  }
  const others = made.secrets.filter((s) =>
    s !== "CLAUDE_CODE_OAUTH_TOKEN" && s !== "ANTHROPIC_API_KEY"
  );
  o.line("");
  o.line(
    "next: commit the workflows, and set the repository's secrets (Settings > Secrets and " +
      "variables > Actions, or gh secret set NAME): CLAUDE_CODE_OAUTH_TOKEN (from claude " +
      `setup-token) or ANTHROPIC_API_KEY${others.length > 0 ? `, and ${others.join(", ")}` : ""}`,
  );
  for (const e of made.env) {
    o.line(
      `${e.task} reads ${e.names.map((n) => `{{ env.${n} }}`).join(", ")}: set ${
        e.names.join(", ")
      } in its workflow's env, or the task fails to load there`,
    );
  }
  return 0;
}

/** The texts of the workflows an earlier export may have written into `out`. */
async function earlierWorkflows(out: string): Promise<string[]> {
  const folder = join(out, ".github", "workflows");
  const names: string[] = [];
  try {
    for await (const entry of Deno.readDir(folder)) {
      if (entry.isFile && /^clodputer-.+\.yml$/.test(entry.name)) names.push(entry.name);
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return [];
    }
    throw error;
  }
  const texts: string[] = [];
  for (const name of names.sort()) {
    const text = await readTextIfExists(join(folder, name));
    if (text !== undefined) texts.push(text);
  }
  return texts;
}
