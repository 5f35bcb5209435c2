/**
 * @module
 * What a test needs from the machine (a program on PATH, the real Claude Code CLI). On a
 * developer's machine a test whose need is missing is skipped, and the run says so on stderr.
 * Under `CI=true` a missing need fails the run: CI is never green by skipping.
 */

import { delimiter, join } from "node:path";

/** The first executable file named `name` in PATH's folders, or undefined. */
export function onPath(name: string, path = Deno.env.get("PATH") ?? ""): string | undefined {
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const file = join(dir, name);
    try {
      const info = Deno.statSync(file);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return file;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * The `ignore` value of a test that needs `what`: false when `missing` is undefined. When it is a
 * reason: under CI=true this throws (the test file fails to load, so the run fails); elsewhere it
 * prints what is skipped and why, and returns true.
 */
export function skipUnless(what: string, missing: string | undefined): boolean {
  if (missing === undefined) return false;
  const line = `${what} is missing: ${missing}`;
  if (Deno.env.get("CI") === "true") {
    throw new Error(`${line}. CI must run every test: install it (see .ci/run)`);
  }
  // deno-lint-ignore no-console
  console.error(`SKIPPED: the tests that need ${line}`);
  return true;
}

/** `skipUnless()` for a program looked up on PATH; returns its path too. */
export function needProgram(name: string, why: string): { path: string; ignore: boolean } {
  const path = onPath(name);
  return {
    path: path ?? name,
    ignore: skipUnless(`${name} (${why})`, path === undefined ? "not found on PATH" : undefined),
  };
}
