/**
 * @module
 * The modules lib/ loads through lazy() (lib/lazy.ts), read from its source: every
 * `lazy<typeof import("./x.ts")>("lib/.../x.ts")` call in lib/**\/*.ts. `deno task compile` names
 * them with `--include`; tests/lazy_test.ts holds each call's two names to one module.
 */

import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, as a path ending in a separator. */
export const REPO_ROOT: string = fileURLToPath(new URL("..", import.meta.url));

/** One lazy() call: where it is, the module its type names and the module it loads. */
export interface LazyCall {
  /** The calling file and line, as `lib/cli/app.ts:105`. */
  at: string;
  /** The module `typeof import(...)` names, resolved from the caller to a root path. */
  typed: string;
  /** The module the call loads, as written (a path from the repository root). */
  module: string;
}

const CALL = /\blazy\s*<\s*typeof\s+import\(\s*"([^"]+)"\s*\)\s*>\s*\(\s*"([^"]+)"\s*,?\s*\)/y;
const START = /\blazy\s*[<(]/g;

/**
 * The lazy() calls in one module's text (`file` is its path from the root). A call not written
 * as `lazy<typeof import("...")>("...")` is returned with empty `typed` and `module`.
 */
export function lazyCalls(file: string, text: string): LazyCall[] {
  const calls: LazyCall[] = [];
  for (const start of text.matchAll(START)) {
    const line = text.slice(0, start.index).split("\n").length;
    const before = text.slice(text.lastIndexOf("\n", start.index) + 1, start.index);
    if (/^\s*(\*|\/\/)/.test(before) || /\bfunction\s+$/.test(before)) continue;
    CALL.lastIndex = start.index;
    const m = CALL.exec(text);
    const [, type = "", module = ""] = m ?? [];
    const typed = type && relative(REPO_ROOT, normalize(join(REPO_ROOT, dirname(file), type)));
    calls.push({ at: `${file}:${line}`, typed, module });
  }
  return calls;
}

async function libFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(join(REPO_ROOT, dir))) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...await libFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

/** Every lazy() call in lib/, in file order. */
export async function scanLazyCalls(): Promise<LazyCall[]> {
  const calls: LazyCall[] = [];
  for (const file of await libFiles("lib")) {
    if (file === "lib/lazy.ts") continue;
    calls.push(...lazyCalls(file, await Deno.readTextFile(join(REPO_ROOT, file))));
  }
  return calls;
}

/** The modules lib/ loads through lazy(), each once, sorted (paths from the repository root). */
export async function lazyModules(): Promise<string[]> {
  const modules = new Set((await scanLazyCalls()).map((c) => c.module).filter((m) => m !== ""));
  return [...modules].sort();
}

/** The modules lazy() loads, read from lib/ when this module loads (for `deno compile --include`). */
export const LAZY_MODULES: readonly string[] = await lazyModules();
