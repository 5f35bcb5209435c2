/**
 * @module
 * Writing what an exporter made: each file starts with a marker comment, so a later export knows
 * the files it wrote and never overwrites one it did not (a person's own workflow or manifest),
 * unless forced. A dry run writes nothing and says what would be written.
 */

import { UsageError } from "../errors.ts";
import { ensureDir, readTextIfExists, writeFileAtomic } from "../sys/fs.ts";
import { dirname, join } from "../sys/posix_path.ts";

/** One file an exporter made: its path under the output folder, and its text. */
export interface ExportFile {
  path: string;
  text: string;
}

/** The first line of every file an export writes (YAML: a comment). */
export const MARKER = "# Written by clodputer export";

/** The marker line, with the command that wrote the file and what not to do. */
export function markerLine(command: string): string {
  return `${MARKER} (${command}); change the task file and export again, not this file.`;
}

/** Whether `text` is a file an export wrote: its first line is the marker. */
export function isOurs(text: string): boolean {
  return text.startsWith(MARKER);
}

/** What writing did (or, in a dry run, would do) with one file. */
export interface Written {
  path: string;
  action: "created" | "updated" | "unchanged";
}

/**
 * Writes `files` under `out`, each created or replaced. Checks every file first: one that exists
 * and was not written by an export is refused (nothing is written) unless `force`.
 * @throws {UsageError} naming the files that are not ours.
 */
export async function writeExport(
  out: string,
  files: readonly ExportFile[],
  options: { force: boolean; dryRun: boolean },
): Promise<Written[]> {
  const plan: (Written & { text: string })[] = [];
  const theirs: string[] = [];
  for (const file of files) {
    const full = join(out, file.path);
    const before = await readTextIfExists(full);
    if (before !== undefined && !isOurs(before)) theirs.push(full);
    plan.push({
      path: full,
      text: file.text,
      action: before === undefined ? "created" : before === file.text ? "unchanged" : "updated",
    });
  }
  if (theirs.length > 0 && !options.force) {
    throw new UsageError(
      `Not overwriting ${theirs.join(", ")}: ${
        theirs.length === 1 ? "it was" : "they were"
      } not written by clodputer export (no "${MARKER}" first line)`,
      { hint: "move it away, choose another folder with --out, or replace it with --force" },
    );
  }
  if (!options.dryRun) {
    for (const p of plan) {
      if (p.action === "unchanged") continue;
      // Folders and files of a repository or a manifest folder: readable by others, as git keeps them.
      await ensureDir(dirname(p.path), 0o755);
      await writeFileAtomic(p.path, p.text, 0o644);
    }
  }
  return plan.map(({ path, action }) => ({ path, action }));
}
