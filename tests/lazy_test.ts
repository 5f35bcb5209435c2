/**
 * @module
 * lazy() (lib/lazy.ts): each call in lib/ names one module twice, by its type and by its path, and
 * that module exists and loads; `deno task compile` includes exactly the modules so loaded; and no
 * module in lib/ imports another by a literal dynamic import (Deno would read that module's whole
 * graph at start-up; see lib/lazy.ts).
 */

import assert from "node:assert/strict";
import { lazy, type LazyModule } from "../lib/lazy.ts";
import { LAZY_MODULES, lazyCalls, scanLazyCalls } from "../scripts/lazy_modules.ts";
import { INCLUDES } from "../scripts/compile.ts";

Deno.test("lazyCalls() reads each lazy() call, over lines too, and flags one without its type", () => {
  const text = [
    `import { lazy } from "../lazy.ts";`,
    ` * lazy("lib/in/a/comment.ts") is not a call`,
    `const { a } = await lazy<typeof import("./a.ts")>("lib/cli/a.ts");`,
    `const b = () =>`,
    `  lazy<typeof import("../state/b.ts")>(`,
    `    "lib/state/b.ts",`,
    `  );`,
    `const c = await lazy("lib/cli/c.ts");`,
    `const d = await lazy<D>("lib/cli/d.ts");`,
  ].join("\n");
  assert.deepEqual(lazyCalls("lib/cli/x.ts", text), [
    { at: "lib/cli/x.ts:3", typed: "lib/cli/a.ts", module: "lib/cli/a.ts" },
    { at: "lib/cli/x.ts:5", typed: "lib/state/b.ts", module: "lib/state/b.ts" },
    { at: "lib/cli/x.ts:8", typed: "", module: "" },
    { at: "lib/cli/x.ts:9", typed: "", module: "" },
  ]);
});

Deno.test("each lazy() call in lib/ names the same module by its type and by its path", async () => {
  const calls = await scanLazyCalls();
  assert.ok(
    calls.some((c) => c.at.startsWith("lib/cli/app.ts:") && c.module === "lib/cli/program.ts"),
  );
  const bad = calls.filter((c) => c.module === "" || c.typed !== c.module);
  assert.deepEqual(
    bad,
    [],
    `write lazy<typeof import("./x.ts")>("lib/.../x.ts"), both naming the module loaded`,
  );
});

Deno.test("each module lazy() loads exists and loads, from any caller's folder", async () => {
  assert.ok(LAZY_MODULES.includes("lib/cli/program.ts"));
  for (const module of LAZY_MODULES) {
    assert.ok((await Deno.stat(module)).isFile, module);
    const loaded = await lazy<Record<string, unknown>>(module as LazyModule);
    assert.ok(Object.keys(loaded).length > 0, `${module} exports something`);
  }
});

Deno.test("deno task compile includes exactly the modules lazy() loads", async () => {
  const scanned = [...new Set((await scanLazyCalls()).map((c) => c.module))].sort();
  assert.deepEqual([...INCLUDES].sort(), scanned);
});

Deno.test("lib/lazy.ts imports nothing", async () => {
  const text = await Deno.readTextFile("lib/lazy.ts");
  const code = text.split("\n").filter((line) => !/^\s*(\/\*\*|\*|\/\/)/.test(line)).join("\n");
  assert.doesNotMatch(code, /^\s*import\s|\bfrom\s+["']/m, "it is at the bottom of every layer");
  assert.doesNotMatch(code, /\bimport\(\s*["'`]/);
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
