/**
 * @module
 * Fills packaging/homebrew/clodputer.rb.tmpl from a release's `.sha256` files: the Homebrew
 * formula the release workflow commits to the tap (`<owner>/homebrew-clodputer`).
 *
 *   deno run -R -W scripts/release_formula.ts --version 1.2.0 --repo owner/clodputer \
 *     --dir dist [--out Formula/clodputer.rb]
 *
 * `--dir` holds `clodputer-<version>-<target>.tar.gz.sha256` for every target of
 * scripts/compile.ts, each as `shasum -a 256` writes it (`<hex>  <file name>`).
 */

import { TARGETS } from "./compile.ts";

/** The release archive of one target. */
export function archiveName(version: string, target: string): string {
  return `clodputer-${version}-${target}.tar.gz`;
}

/**
 * The checksum in one `.sha256` file, which must name `file`. @throws {Error} naming the file
 * and what is wrong with it.
 */
export function readSha256(text: string, file: string): string {
  const [hex, name] = text.trim().split(/\s+/);
  if (!hex || !/^[0-9a-f]{64}$/.test(hex)) {
    throw new Error(
      `${file}.sha256 does not start with a sha256 checksum (64 lowercase hex digits); ` +
        `write it with: shasum -a 256 ${file} > ${file}.sha256`,
    );
  }
  if (name !== undefined && name.replace(/^\*/, "").split("/").at(-1) !== file) {
    throw new Error(`${file}.sha256 is the checksum of ${name}, not of ${file}`);
  }
  return hex;
}

/** What a formula is filled with. */
export interface FormulaFacts {
  /** Without the tag's leading v: 1.2.0. */
  version: string;
  /** owner/name of the repository whose releases hold the archives. */
  repo: string;
  /** The checksum of each target's archive. */
  sha256: Record<string, string>;
}

/** The formula for one release. Pure. @throws {Error} on a bad version, repo or missing target. */
export function fillFormula(template: string, facts: FormulaFacts): string {
  if (!/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/.test(facts.version)) {
    throw new Error(
      `"${facts.version}" is not a release version: give it as 1.2.0 (the tag without its v)`,
    );
  }
  if (!/^[A-Za-z0-9-]+\/[A-Za-z0-9._-]+$/.test(facts.repo)) {
    throw new Error(`"${facts.repo}" is not a repository: give it as owner/name`);
  }
  const [owner] = facts.repo.split("/");
  const filled = template.replace(/\{\{([a-z0-9:_-]+)\}\}/g, (_, key: string) => {
    if (key === "version") return facts.version;
    if (key === "repo") return facts.repo;
    if (key === "owner") return owner ?? "";
    if (key.startsWith("sha256:")) {
      const target = key.slice("sha256:".length);
      const sum = facts.sha256[target];
      if (!sum) throw new Error(`No sha256 for ${target}: the formula needs every target's`);
      return sum;
    }
    throw new Error(`The formula template has an unknown placeholder {{${key}}}`);
  });
  return filled;
}

/** The value after `--name` in argv. @throws {Error} when it is missing. */
function option(args: string[], name: string, fallback?: string): string {
  const i = args.indexOf(`--${name}`);
  const value = i >= 0 ? args[i + 1] : fallback;
  if (value === undefined || value.startsWith("--")) {
    throw new Error(`--${name} is missing: see the usage at the top of scripts/release_formula.ts`);
  }
  return value;
}

/** Reads the checksums in `dir` and fills the template in this checkout. */
export async function formulaFor(
  options: { version: string; repo: string; dir: string },
): Promise<string> {
  const version = options.version.replace(/^v/, "");
  const sha256: Record<string, string> = {};
  for (const target of TARGETS) {
    const file = archiveName(version, target);
    const path = `${options.dir}/${file}.sha256`;
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch {
      throw new Error(`Cannot read ${path}: every target's archive needs its .sha256 file`);
    }
    sha256[target] = readSha256(text, file);
  }
  const template = await Deno.readTextFile(
    new URL("../packaging/homebrew/clodputer.rb.tmpl", import.meta.url),
  );
  return fillFormula(template, { version, repo: options.repo, sha256 });
}

if (import.meta.main) {
  try {
    const args = Deno.args;
    const text = await formulaFor({
      version: option(args, "version"),
      repo: option(args, "repo"),
      dir: option(args, "dir"),
    });
    const out = args.includes("--out") ? option(args, "out") : undefined;
    if (out) await Deno.writeTextFile(out, text);
    else await Deno.stdout.write(new TextEncoder().encode(text));
  } catch (error) {
    // deno-lint-ignore no-console
    console.error(`release_formula: ${error instanceof Error ? error.message : error}`);
    Deno.exit(2);
  }
}
