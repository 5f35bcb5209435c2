/**
 * @module
 * Did-you-mean: the closest known word to a misspelt one (private to lib/config/).
 */

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
