/**
 * @module
 * Loads a module only when it is needed, by a specifier Deno does not follow at start-up.
 *
 * Deno reads (and resolves the npm packages of) every module that a literal `import("./x.ts")`
 * names, and everything those import, before the first line runs. Through commander's command
 * tree that was every command's graph (yaml, zod, cronstrue, the runner) for each command, the
 * tick's included: about 35 ms of CPU a start. A specifier built at run time is not followed, so
 * each command pays only for what it loads.
 *
 * The caller names the module twice: its type, by a path from the caller
 * (`lazy<typeof import("./status.ts")>("lib/cli/status.ts")`; a type Deno does not load at run
 * time), and the module itself, by its path from the repository root. So this file imports
 * nothing, and the import graph of lib/ points from each caller down to what it loads, as a
 * static import would. `tests/lazy_test.ts` reads every lazy() call in lib/ and holds the two
 * names to the same module; `deno task compile` names every module so loaded with `--include`
 * (`lazyModules()` in `scripts/lazy_modules.ts`), so the binary holds them and everything they
 * import.
 */

/** The path of a lazily loaded module from the repository root, as `lib/cli/status.ts`. */
export type LazyModule = `lib/${string}.ts`;

const ROOT = new URL("../", import.meta.url);

/**
 * Imports `module` (a path from the repository root) as the module type `M` the caller names by
 * `typeof import("...")` (see the module's notes).
 */
export function lazy<M>(module: LazyModule): Promise<M> {
  return import(new URL(module, ROOT).href);
}
