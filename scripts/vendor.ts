/**
 * @module
 * Writes vendor/<name>.js: one ES module per CommonJS npm package the CLI uses on its hot paths,
 * bundled by `deno bundle --platform browser` from the version pinned in deno.json.
 *
 * Why: Deno runs a package's CommonJS build through its Node compatibility layer, and starting
 * that layer costs about 35-45 ms (and ~15 MB) in every process that loads one. yaml publishes
 * its ES build only under the "browser" condition, which Deno does not use; cronstrue and
 * fastest-levenshtein are CommonJS only. Bundled for the browser, each is plain ES code with no
 * `node:` import. Types still come from the npm package (`// @ts-types` at each import).
 *
 *   deno task vendor            rewrite vendor/
 *   deno task vendor --check    exit 1 when vendor/ differs from what would be written
 */

import denoJson from "../deno.json" with { type: "json" };

/** The bundled packages: file name, import map key, and what the bundle re-exports. */
export const VENDORED = [
  { file: "yaml.js", key: "yaml", exports: (spec: string) => `export * from "${spec}";\n` },
  {
    file: "cronstrue.js",
    key: "cronstrue",
    exports: (spec: string) => `export { default } from "${spec}";\n`,
  },
  {
    file: "fastest-levenshtein.js",
    key: "fastest-levenshtein",
    exports: (spec: string) => `export { closest, distance } from "${spec}";\n`,
  },
] as const;

const imports: Record<string, string> = denoJson.imports;

/** The bundle's text for one package: a header naming its source, then the bundle. */
export async function bundle(entry: (typeof VENDORED)[number]): Promise<string> {
  const spec = imports[entry.key];
  if (!spec) throw new Error(`deno.json has no import "${entry.key}"`);
  const dir = await Deno.makeTempDir({ prefix: "clodputer-vendor-" });
  try {
    const source = `${dir}/entry.ts`;
    const out = `${dir}/out.js`;
    await Deno.writeTextFile(source, entry.exports(spec));
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--config",
        new URL("../deno.json", import.meta.url).pathname,
        "--platform",
        "browser",
        "-o",
        out,
        source,
      ],
      stdout: "null",
      stderr: "piped",
    }).output();
    if (code !== 0) {
      throw new Error(`deno bundle ${spec} failed: ${new TextDecoder().decode(stderr)}`);
    }
    // The bundler names each source file, in comments and CommonJS keys, by its path from the
    // working directory: the entry's is temporary, and the npm cache's depends on where the
    // checkout and DENO_DIR are. Name both the same from any checkout.
    const text = (await Deno.readTextFile(out))
      .replace(/^\/\/ \S*clodputer-vendor-[^/\n]+\/entry\.ts$/gm, "// entry")
      .replace(/(?:[\w.-]*\/)*registry\.npmjs\.org\//g, "npm/");
    return `// ${spec}, bundled as one ES module by scripts/vendor.ts (deno task vendor).\n` +
      `// Do not edit: change the version in deno.json, then run deno task vendor.\n` +
      `// deno-fmt-ignore-file\n// deno-lint-ignore-file\n${text}`;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const check = Deno.args.includes("--check");
  const vendor = new URL("../vendor/", import.meta.url);
  let stale = 0;
  for (const entry of VENDORED) {
    const text = await bundle(entry);
    const path = new URL(entry.file, vendor);
    if (check) {
      const current = await Deno.readTextFile(path).catch(() => "");
      if (current !== text) {
        // deno-lint-ignore no-console
        console.error(`vendor/${entry.file} is not the bundle of ${imports[entry.key]}`);
        stale++;
      }
    } else {
      await Deno.mkdir(vendor, { recursive: true });
      await Deno.writeTextFile(path, text);
      // deno-lint-ignore no-console
      console.log(`vendor/${entry.file} <- ${imports[entry.key]}`);
    }
  }
  if (stale > 0) Deno.exit(1);
}
