/**
 * @module
 * lib/lazy.ts: every module it names loads, and no module in lib/ imports another by a literal
 * dynamic import (Deno would read that module's whole graph at start-up; see lib/lazy.ts).
 */

import assert from "node:assert/strict";
import { lazy, LAZY_MODULES } from "../lib/lazy.ts";

Deno.test("lazy() loads each module it names, from any caller's folder", async () => {
  assert.ok(LAZY_MODULES.includes("lib/cli/program.ts"));
  for (const module of LAZY_MODULES) {
    const loaded = await lazy(module);
    assert.ok(Object.keys(loaded).length > 0, `${module} exports something`);
  }
});

Deno.test("no module in lib/ loads a local module by a literal dynamic import", async () => {
  const offenders: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for await (const entry of Deno.readDir(dir)) {
      const path = `${dir}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else if (path.endsWith(".ts")) {
        const text = await Deno.readTextFile(path);
        text.split("\n").forEach((line, i) => {
          const code = line.replace(/^\s*(\*|\/\/).*/, "");
          if (/(?<!typeof )\bimport\(\s*["'`]\.{1,2}\//.test(code)) {
            offenders.push(`${path}:${i + 1}: ${line.trim()}`);
          }
        });
      }
    }
  };
  await walk("lib");
  assert.deepEqual(offenders, [], "use lazy() from lib/lazy.ts instead");
});
