/**
 * @module
 * Writes docs/task-reference.md: every key of a task file and of config.yaml, from the one
 * definition the schemas read (lib/config/fields.ts), as lib/config/reference.ts renders it
 * (formatted by `deno fmt`); and the README's copy of the config.yaml
 * that `clodputer init` writes (lib/config/config_template.ts). A test fails when a committed file
 * differs from what this would write.
 *
 *   deno task reference            rewrite docs/task-reference.md and the README's config.yaml
 *   deno task reference --check    exit 1 when either differs
 */

import { taskReferenceMarkdown } from "../lib/config/reference.ts";
import { configTemplate, README_CLAUDE } from "../lib/config/config_template.ts";

/** Where the reference is written, from the repository root. */
export const REFERENCE_PATH = "docs/task-reference.md";

/** The README, from the repository root. */
export const README_PATH = "README.md";

/** The line above the README's config.yaml block. */
export const README_CONFIG_MARKER =
  "<!-- config.yaml as clodputer init writes it: generated from lib/config/config_template.ts " +
  "by `deno task reference`. Do not edit. -->";

/**
 * The README with its config.yaml block (the fenced block after README_CONFIG_MARKER) replaced by
 * what `init` writes when it finds claude at README_CLAUDE.
 * @throws {Error} when the README has no marker followed by a yaml block.
 */
export function readmeWithConfig(readme: string): string {
  const at = readme.indexOf(`${README_CONFIG_MARKER}\n\n\`\`\`yaml\n`);
  const start = readme.indexOf("```yaml\n", at) + "```yaml\n".length;
  const end = readme.indexOf("\n```\n", start);
  if (at < 0 || end < 0) {
    throw new Error(`${README_PATH} has no \`\`\`yaml block after ${README_CONFIG_MARKER}`);
  }
  return readme.slice(0, start) + configTemplate(README_CLAUDE) + readme.slice(end + 1);
}

/** The reference's Markdown, formatted by `deno fmt`. */
export async function taskReference(): Promise<string> {
  return await denoFmt(taskReferenceMarkdown());
}

/** Formats Markdown as `deno fmt` does, so the committed file passes `deno fmt --check`. */
async function denoFmt(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext=md", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

if (import.meta.main) {
  const readmePath = new URL(`../${README_PATH}`, import.meta.url);
  const readme = await Deno.readTextFile(readmePath);
  const files: [string, string, string, string][] = [
    [REFERENCE_PATH, "lib/config/fields.ts", "", await taskReference()],
    [README_PATH, "lib/config/config_template.ts", readme, readmeWithConfig(readme)],
  ];
  let stale = false;
  for (const [file, from, known, text] of files) {
    const url = new URL(`../${file}`, import.meta.url);
    const current = known || await Deno.readTextFile(url).catch(() => "");
    if (current === text) continue;
    if (Deno.args.includes("--check")) {
      // deno-lint-ignore no-console
      console.error(`${file} is stale: run deno task reference`);
      stale = true;
    } else {
      await Deno.writeTextFile(url, text);
      // deno-lint-ignore no-console
      console.log(`${file} <- ${from}`);
    }
  }
  if (stale) Deno.exit(1);
}
