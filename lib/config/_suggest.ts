/**
 * @module
 * Did-you-mean: the closest known word to a misspelt one, and what to suggest for a task that
 * does not exist (private to lib/config/).
 */

import { NotFoundError } from "../errors.ts";
import { readTextIfExists } from "../sys/fs.ts";
import { type Paths, taskFile } from "../sys/paths.ts";
import { listTaskNames } from "./names.ts";

// @ts-types="fastest-levenshtein"
import { distance } from "../../vendor/fastest-levenshtein.js";

/** How far a word may be from a candidate and still be suggested. */
function maxDistance(word: string): number {
  if (word.length <= 3) return 1;
  if (word.length <= 6) return 2;
  return 3;
}

/**
 * The candidate closest to `word`: an exact match ignoring case first, then the smallest edit
 * distance within a limit that grows with the word's length; undefined when nothing is close.
 */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const candidateLower = candidate.toLowerCase();
    if (candidateLower === lower) return candidate;
    const d = distance(lower, candidateLower);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= maxDistance(word) ? best : undefined;
}

/** `did you mean "x"?` for the closest candidate, or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closest(word, candidates);
  return match === undefined ? undefined : `did you mean "${match}"?`;
}

/**
 * The error for a task that does not exist, with what to do: the file whose `name:` is `name`
 * (`nameFieldOf` reads it), the closest task name, a `.yml` file to rename, or `clodputer new`.
 */
export async function taskNotFound(
  paths: Paths,
  name: string,
  file: string,
  nameFieldOf: (file: string) => Promise<string | undefined>,
): Promise<NotFoundError> {
  const names = await listTaskNames(paths);
  // The earlier Clodputer's files may say name: something else than their file name.
  for (const stem of names) {
    if (await nameFieldOf(taskFile(paths, stem)) !== name) continue;
    return new NotFoundError(
      `Cannot find task "${name}": the task named "${name}" is the file ${stem}.yaml, ` +
        `known as "${stem}"`,
      {
        hint: `run it as: clodputer run ${stem} (or rename ${stem}.yaml to ${name}.yaml)`,
        where: { file: taskFile(paths, stem) },
      },
    );
  }
  const match = closest(name, names);
  const yml = await readTextIfExists(file.replace(/\.yaml$/, ".yml")).catch(() => undefined);
  const hints = [
    ...(match !== undefined ? [`did you mean "${match}"?`] : []),
    ...(yml !== undefined ? [`rename ${name}.yml to ${name}.yaml`] : []),
    `tasks live in ${paths.tasks} (ls ${paths.tasks}); create this one with: clodputer new ${name}`,
  ];
  return new NotFoundError(`Cannot find task "${name}": there is no ${file}`, {
    hint: hints.join("; "),
    where: { file },
  });
}
