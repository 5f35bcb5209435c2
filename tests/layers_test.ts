/**
 * @module
 * The layers of lib/ (docs/architecture.md, "Layers"), read from the import graph: the static
 * `import ... from` and `export ... from` lines of every lib/**\/*.ts, type-only ones included, and
 * the `typeof import("./x.ts")` types (each lazy() call names the module it loads so; its
 * run-time specifier is not an import). Nothing outside lib/cli imports lib/cli, no module imports
 * one of a higher layer, but for the known exceptions listed here (a list that may only shrink),
 * and no modules import each other round a circle.
 */

import assert from "node:assert/strict";
import { dirname, join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/**
 * Layers, lowest first: errors, sys; config, log; run; notify; state (`lib/state`: the store, the queue, the runner);
 * schedule, watch, status, export (and doctor, which reads them all); faces (cli, ui, web, mcp). A module may
 * import its own layer and those below. `lib/lazy.ts` imports nothing and is imported from
 * everywhere: it is at the bottom.
 */
const LAYERS: readonly (readonly string[])[] = [
  ["errors.ts", "lazy.ts", "sys"],
  ["config", "log"],
  ["run"],
  ["notify"],
  ["state"],
  ["schedule", "watch", "status", "doctor", "export"],
  ["cli", "ui", "web", "mcp"],
];

/**
 * Imports that break the order, each with why: none today. The test fails on an entry that no
 * longer occurs, so the list only shrinks; an entry needs a reason a reviewer accepts.
 */
const KNOWN_EXCEPTIONS: Record<string, string> = {};

/** The top folder of a lib/ path ("lib/state/store.ts" -> "state", "lib/errors.ts" -> "errors.ts"). */
function area(path: string): string {
  return path.split("/")[1] ?? path;
}

function layerOf(path: string): number {
  const a = area(path);
  const i = LAYERS.findIndex((layer) => layer.includes(a));
  if (i < 0) throw new Error(`${path}: its folder "${a}" has no layer (add it to LAYERS)`);
  return i;
}

const IMPORT = new RegExp(
  String.raw`^[ \t]*(?:import|export)[ \t]+(?:type[ \t]+)?` +
    String.raw`(?:\{[^}]*\}|\*(?:[ \t]+as[ \t]+\w+)?|\w+(?:[ \t]*,[ \t]*\{[^}]*\})?)` +
    String.raw`\s+from\s+["']([^"']+)["']|^[ \t]*import[ \t]+["']([^"']+)["']` +
    String.raw`|^(?![ \t]*(?:\*|//)).*?\btypeof[ \t]+import\(\s*["']([^"']+)["']\s*\)`,
  "gm",
);

/** The specifiers a module's static import and re-export lines and `typeof import()` types name. */
export function specifiers(text: string): string[] {
  return [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
}

async function libFiles(dir = join(ROOT, "lib")): Promise<string[]> {
  const files: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const path = join(dir, entry.name);
    if (entry.isDirectory) files.push(...await libFiles(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files.sort();
}

/** Every import from one lib/ module to another, as "lib/a.ts -> lib/b.ts". */
async function importGraph(): Promise<string[]> {
  const edges: string[] = [];
  for (const file of await libFiles()) {
    const from = relative(ROOT, file);
    for (const spec of specifiers(await Deno.readTextFile(file))) {
      if (!spec.startsWith(".")) continue;
      const to = relative(ROOT, normalize(join(dirname(file), spec)));
      if (to.startsWith("lib/")) edges.push(`${from} -> ${to}`);
    }
  }
  return edges;
}

Deno.test("specifiers() reads import and export lines, type-only and multi-line ones, and lazy()'s types", () => {
  const text = [
    `import { a } from "./a.ts";`,
    `import type { B } from "../b.ts";`,
    `import {\n  c,\n  type D,\n} from "./c.ts";`,
    `import e, { f } from "./e.ts";`,
    `import * as g from "./g.ts";`,
    `export { h } from "./h.ts";`,
    `export type { I } from "./i.ts";`,
    `export * from "./j.ts";`,
    `import "./k.ts";`,
    `const { l } = await lazy<typeof import("./l.ts")>("lib/l.ts");`,
    `const l2 = () =>\n  lazy<typeof import("../l2.ts")>(\n    "lib/l2.ts",\n  );`,
    `export function m() { return "from" }`,
    ` * import { n } from "./comment.ts";`,
    ` * lazy<typeof import("./comment2.ts")>("lib/comment2.ts")`,
  ].join("\n");
  assert.deepEqual(specifiers(text), [
    "./a.ts",
    "../b.ts",
    "./c.ts",
    "./e.ts",
    "./g.ts",
    "./h.ts",
    "./i.ts",
    "./j.ts",
    "./k.ts",
    "./l.ts",
    "../l2.ts",
  ]);
});

Deno.test("the import graph of lib/ is read (a check that it sees anything)", async () => {
  const edges = await importGraph();
  assert.ok(edges.includes("lib/cli/status.ts -> lib/status/read.ts"), edges.join("\n"));
  assert.ok(edges.includes("lib/ui/menubar.ts -> lib/status/read.ts"));
  assert.ok(edges.includes("lib/cli/app.ts -> lib/cli/program.ts"), "a lazy() call's type");
});

Deno.test("nothing outside lib/cli imports lib/cli", async () => {
  const bad = (await importGraph()).filter((edge) => {
    const [from, to] = edge.split(" -> ") as [string, string];
    return area(to) === "cli" && area(from) !== "cli" && !(edge in KNOWN_EXCEPTIONS);
  });
  assert.deepEqual(bad, [], "lib/cli is the faces: move what others need below it");
});

Deno.test("no module of lib/ imports one of a higher layer (docs/architecture.md)", async () => {
  const edges = await importGraph();
  const upward = edges.filter((edge) => {
    const [from, to] = edge.split(" -> ") as [string, string];
    return layerOf(to) > layerOf(from) && !(edge in KNOWN_EXCEPTIONS);
  });
  assert.deepEqual(upward, [], "an import against the layer order");
  const gone = Object.keys(KNOWN_EXCEPTIONS).filter((edge) => !edges.includes(edge));
  assert.deepEqual(gone, [], "a known exception no longer occurs: remove it from the list");
});

Deno.test("the faces beside the CLI stand apart: lib/web and lib/mcp import neither each other nor lib/cli", async () => {
  const edges = await importGraph();
  assert.ok(edges.some((e) => e.startsWith("lib/mcp/")), "lib/mcp is read");
  const crossing = edges.filter((edge) => {
    const [from, to] = edge.split(" -> ") as [string, string];
    const [a, b] = [area(from), area(to)];
    return (a === "mcp" && (b === "web" || b === "cli")) ||
      (a === "web" && (b === "mcp" || b === "cli"));
  });
  assert.deepEqual(crossing, [], "a face may import lib/ui and below: move what both need there");
});

/** The strongly connected components of more than one module (or a module importing itself). */
export function cycles(edges: readonly string[]): string[][] {
  const next = new Map<string, string[]>();
  for (const edge of edges) {
    const [from, to] = edge.split(" -> ") as [string, string];
    next.set(from, [...next.get(from) ?? [], to]);
    if (!next.has(to)) next.set(to, []);
  }
  // Tarjan's algorithm.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, index.size);
    low.set(v, index.get(v) ?? 0);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v) ?? 0, low.get(w) ?? 0));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v) ?? 0, index.get(w) ?? 0));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    for (let w = stack.pop(); w !== undefined; w = w === v ? undefined : stack.pop()) {
      onStack.delete(w);
      component.push(w);
    }
    if (component.length > 1 || (next.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

Deno.test("cycles() finds each circle of imports, and none in a tree", () => {
  assert.deepEqual(cycles(["a -> b", "b -> c", "a -> c"]), []);
  assert.deepEqual(cycles(["a -> b", "b -> c", "c -> a", "c -> d", "d -> d", "e -> d"]), [
    ["d"],
    ["a", "b", "c"],
  ]);
});

Deno.test("no modules of lib/ import each other round a circle, type-only imports included", async () => {
  assert.deepEqual(
    cycles(await importGraph()),
    [],
    "an import circle: move what both need into a module below them",
  );
});
