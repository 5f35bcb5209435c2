/**
 * @module
 * The coverage gate of `deno task ok`: reads the profiles `deno test --coverage=<dir>` left,
 * prints the line coverage of lib/ (the total and the least covered files) and exits 1 when the
 * total is below {@linkcode THRESHOLD}. A lib/ file with code that no test loaded counts as not
 * run at all (coverage itself would not list it).
 *
 * Usage: `deno run -A scripts/coverage.ts <dir> [--threshold <percent>] [--all]`
 */

import { join, relative } from "node:path";
import { fileURLToPath as fromFileUrl } from "node:url";

/** The lowest line coverage of lib/ that passes, in percent. */
export const THRESHOLD = 85;

/** How many of the least covered files the summary names (all with `--all`). */
const LEAST = 10;

/** The lines of one source file that coverage saw, and how many of them ran. */
export interface FileCoverage {
  /** The path from the repository root, e.g. `lib/cli/app.ts`. */
  file: string;
  found: number;
  hit: number;
}

/** The coverage of lib/ as a whole. */
export interface CoverageSummary {
  files: FileCoverage[];
  found: number;
  hit: number;
  /** Line coverage in percent (100 when there are no lines). */
  percent: number;
}

/**
 * Reads an lcov report (what `deno coverage --lcov` prints) into one entry per source file.
 * `LF`/`LH` are used when present, else the `DA` lines are counted.
 * @param root the repository root: files are named from it, and only files under `root/lib/`
 * are kept.
 */
export function parseLcov(lcov: string, root: string): FileCoverage[] {
  const files: FileCoverage[] = [];
  const lib = join(root, "lib") + "/";
  let current: { path: string; found?: number; hit?: number; da: number; daHit: number } | null =
    null;
  for (const raw of lcov.split("\n")) {
    const line = raw.trim();
    if (line.startsWith("SF:")) {
      const source = line.slice(3);
      current = {
        path: source.startsWith("file:") ? fromFileUrl(source) : source,
        da: 0,
        daHit: 0,
      };
    } else if (!current) {
      continue;
    } else if (line.startsWith("DA:")) {
      current.da++;
      if (Number(line.slice(3).split(",")[1]) > 0) current.daHit++;
    } else if (line.startsWith("LF:")) {
      current.found = Number(line.slice(3));
    } else if (line.startsWith("LH:")) {
      current.hit = Number(line.slice(3));
    } else if (line === "end_of_record") {
      if (current.path.startsWith(lib)) {
        files.push({
          file: relative(root, current.path),
          found: current.found ?? current.da,
          hit: current.hit ?? current.daHit,
        });
      }
      current = null;
    }
  }
  return files;
}

/**
 * How many lines of `source` hold code that runs, counted as the lines that are not blank and not
 * comments; 0 for a file of types only (no exported function, class or value), which coverage
 * never lists. Used for lib/ files that no test loaded, which count as not run at all.
 */
export function runtimeLines(source: string): number {
  if (!/^export\s+(default\s+)?(async\s+)?(function|class|const|let|var)\b/m.test(source)) return 0;
  let inComment = false;
  let count = 0;
  for (const raw of source.split("\n")) {
    const line = raw.trim();
    if (inComment) {
      if (line.includes("*/")) inComment = false;
      continue;
    }
    if (line.startsWith("/*")) {
      inComment = !line.includes("*/");
      continue;
    }
    if (line === "" || line.startsWith("//")) continue;
    count++;
  }
  return count;
}

/** Adds the files up. */
export function summarise(files: FileCoverage[]): CoverageSummary {
  const found = files.reduce((n, f) => n + f.found, 0);
  const hit = files.reduce((n, f) => n + f.hit, 0);
  return { files, found, hit, percent: found === 0 ? 100 : (hit / found) * 100 };
}

/** Rounds down to one decimal, so 84.99 never prints as a passing "85.0". */
function floor1(percent: number): string {
  return (Math.floor(percent * 10) / 10).toFixed(1);
}

/** True when the summary holds the threshold. */
export function passes(summary: CoverageSummary, threshold: number = THRESHOLD): boolean {
  return summary.percent >= threshold;
}

/**
 * The text the gate prints: the least covered files (all of them with `all`), the total, and
 * the verdict against `threshold`.
 */
export function report(
  summary: CoverageSummary,
  options: { threshold?: number; all?: boolean } = {},
): string {
  const threshold = options.threshold ?? THRESHOLD;
  const sorted = [...summary.files].sort((a, b) =>
    a.hit / (a.found || 1) - b.hit / (b.found || 1) || b.found - a.found
  );
  const shown = options.all ? sorted : sorted.slice(0, LEAST);
  const width = Math.max(4, ...shown.map((f) => f.file.length));
  const lines = [
    options.all
      ? "Line coverage of lib/, by file:"
      : `Line coverage of lib/: the ${shown.length} least covered of ${summary.files.length} files`,
    ...shown.map((f) =>
      `  ${f.file.padEnd(width)}  ${
        floor1(f.found === 0 ? 100 : (f.hit / f.found) * 100)
          .padStart(5)
      }%  (${f.found - f.hit} of ${f.found} lines not run)`
    ),
    `lib/ total: ${floor1(summary.percent)}% of lines (${summary.hit} of ${summary.found})`,
  ];
  lines.push(
    passes(summary, threshold)
      ? `coverage ok: ${floor1(summary.percent)}% >= ${threshold}%`
      : `coverage FAILED: ${
        floor1(summary.percent)
      }% is below the threshold of ${threshold}%; add tests for the files above`,
  );
  return lines.join("\n");
}

/**
 * The lcov report of `dir`: the `lcov.info` that `deno test --coverage=<dir>` writes there, else
 * what `deno coverage` makes of the profiles in it.
 */
async function readLcov(dir: string, root: string): Promise<string | undefined> {
  const written = await Deno.readTextFile(join(dir, "lcov.info")).catch(() => undefined);
  if (written !== undefined) return written;
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["coverage", dir, "--lcov", `--include=^file://${root}/lib/`],
    stdout: "piped",
    stderr: "inherit",
    env: { NO_COLOR: "1" },
  }).output();
  if (!out.success) {
    // deno-lint-ignore no-console
    console.error(`Cannot read the coverage profiles in "${dir}": deno coverage failed`);
    return undefined;
  }
  return new TextDecoder().decode(out.stdout);
}

/** Every `.ts` file under `root/lib/`, named from `root`. */
async function libFiles(root: string, dir = "lib"): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(join(root, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) found.push(...await libFiles(root, path));
    else if (entry.name.endsWith(".ts")) found.push(path);
  }
  return found;
}

async function main(args: string[]): Promise<number> {
  const dir = args.find((a, i) => !a.startsWith("-") && args[i - 1] !== "--threshold");
  const at = args.indexOf("--threshold");
  const threshold = at === -1 ? THRESHOLD : Number(args[at + 1]);
  if (!dir || Number.isNaN(threshold)) {
    // deno-lint-ignore no-console
    console.error(
      "Usage: deno run -A scripts/coverage.ts <coverage dir> [--threshold <percent>] [--all]",
    );
    return 2;
  }
  const root = fromFileUrl(new URL("../", import.meta.url)).replace(/\/$/, "");
  const lcov = await readLcov(dir, root);
  if (lcov === undefined) return 1;
  const files = parseLcov(lcov, root);
  if (files.length === 0) {
    // deno-lint-ignore no-console
    console.error(`Cannot find coverage of lib/ in "${dir}": run deno test --coverage=${dir}`);
    return 1;
  }
  const seen = new Set(files.map((f) => f.file));
  for (const file of await libFiles(root)) {
    if (seen.has(file)) continue;
    const found = runtimeLines(await Deno.readTextFile(join(root, file)));
    if (found > 0) files.push({ file, found, hit: 0 });
  }
  const summary = summarise(files);
  // deno-lint-ignore no-console
  console.log(report(summary, { threshold, all: args.includes("--all") }));
  return passes(summary, threshold) ? 0 : 1;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
