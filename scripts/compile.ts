/**
 * @module
 * Builds `dist/clodputer-<target>` for each release target with exactly the flags of
 * `deno task clodputer`. Needs network: `deno compile` downloads the Deno runtime per target.
 *
 *   deno task compile                 all targets
 *   deno task compile --print         print the commands only
 *   deno task compile --target T      one target
 */

import denoJson from "../deno.json" with { type: "json" };
import { LAZY_MODULES } from "./lazy_modules.ts";
import { runFlags } from "../lib/sys/self.ts";

export { runFlags };

/** The release targets. */
export const TARGETS = [
  "aarch64-apple-darwin",
  "x86_64-apple-darwin",
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
] as const;

/**
 * The modules loaded by a specifier Deno does not follow (every lazy() call in lib/, read by
 * scripts/lazy_modules.ts), named so the binary holds them and everything they import.
 */
export const INCLUDES: string[] = [...LAZY_MODULES];

/** The `deno compile` argv for one target. */
export function compileArgs(target: string, flags: string[]): string[] {
  return [
    "compile",
    ...flags,
    ...INCLUDES.flatMap((m) => ["--include", m]),
    "--target",
    target,
    "-o",
    `dist/clodputer-${target}`,
    "main.ts",
  ];
}

if (import.meta.main) {
  const flags = runFlags(denoJson.tasks.clodputer.command);
  const print = Deno.args.includes("--print");
  const only = Deno.args.includes("--target")
    ? Deno.args[Deno.args.indexOf("--target") + 1]
    : undefined;
  const targets = only ? [only] : [...TARGETS];
  for (const target of targets) {
    const args = compileArgs(target, flags);
    // deno-lint-ignore no-console
    console.log(`deno ${args.join(" ")}`);
    if (print) continue;
    const { code } = await new Deno.Command(Deno.execPath(), { args }).spawn().status;
    if (code !== 0) Deno.exit(code);
  }
}
