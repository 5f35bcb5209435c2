/**
 * @module
 * Loads a module only when it is needed, by a specifier Deno does not follow at start-up.
 *
 * Deno reads (and resolves the npm packages of) every module that a literal `import("./x.ts")`
 * names, and everything those import, before the first line runs. Through commander's command
 * tree that was every command's graph (yaml, zod, cronstrue, the runner) for each command, the
 * tick's included: about 35 ms of CPU a start. A specifier built at run time is not followed, so
 * each command pays only for what it loads. `deno task compile` names {@linkcode LAZY_MODULES}
 * with `--include`, so the binary holds them and everything they import.
 */

/** Every module loaded through lazy(), by its path from the repository root. */
interface Modules {
  "lib/cli/cancel.ts": typeof import("./cli/cancel.ts");
  "lib/cli/completions.ts": typeof import("./cli/completions.ts");
  "lib/cli/dashboard.ts": typeof import("./cli/dashboard.ts");
  "lib/cli/cost.ts": typeof import("./cli/cost.ts");
  "lib/cli/doctor.ts": typeof import("./cli/doctor.ts");
  "lib/cli/init.ts": typeof import("./cli/init.ts");
  "lib/cli/install.ts": typeof import("./cli/install.ts");
  "lib/cli/list.ts": typeof import("./cli/list.ts");
  "lib/cli/logs.ts": typeof import("./cli/logs.ts");
  "lib/cli/logs_tail.ts": typeof import("./cli/logs_tail.ts");
  "lib/cli/man.ts": typeof import("./cli/man.ts");
  "lib/cli/menubar.ts": typeof import("./cli/menubar.ts");
  "lib/cli/menubar_install.ts": typeof import("./cli/menubar_install.ts");
  "lib/cli/new.ts": typeof import("./cli/new.ts");
  "lib/cli/pause.ts": typeof import("./cli/pause.ts");
  "lib/cli/program.ts": typeof import("./cli/program.ts");
  "lib/cli/queue.ts": typeof import("./cli/queue.ts");
  "lib/cli/resume.ts": typeof import("./cli/resume.ts");
  "lib/cli/run.ts": typeof import("./cli/run.ts");
  "lib/cli/show.ts": typeof import("./cli/show.ts");
  "lib/cli/status.ts": typeof import("./cli/status.ts");
  "lib/cli/tick.ts": typeof import("./cli/tick.ts");
  "lib/cli/validate.ts": typeof import("./cli/validate.ts");
  "lib/cli/watch.ts": typeof import("./cli/watch.ts");
  "lib/config/load.ts": typeof import("./config/load.ts");
  "lib/config/parse.ts": typeof import("./config/parse.ts");
  "lib/notify/notify.ts": typeof import("./notify/notify.ts");
  "lib/queue/open.ts": typeof import("./queue/open.ts");
  "lib/queue/runner.ts": typeof import("./queue/runner.ts");
  "lib/queue/start_runner.ts": typeof import("./queue/start_runner.ts");
  "lib/schedule/cron_describe.ts": typeof import("./schedule/cron_describe.ts");
  "lib/schedule/cron_expr.ts": typeof import("./schedule/cron_expr.ts");
  "lib/schedule/slots.ts": typeof import("./schedule/slots.ts");
  "lib/watch/daemon.ts": typeof import("./watch/daemon.ts");
}

/** A module lazy() can load. */
export type LazyModule = keyof Modules;

const ALL: { [K in LazyModule]: true } = {
  "lib/cli/cancel.ts": true,
  "lib/cli/completions.ts": true,
  "lib/cli/dashboard.ts": true,
  "lib/cli/cost.ts": true,
  "lib/cli/doctor.ts": true,
  "lib/cli/init.ts": true,
  "lib/cli/install.ts": true,
  "lib/cli/list.ts": true,
  "lib/cli/logs.ts": true,
  "lib/cli/logs_tail.ts": true,
  "lib/cli/man.ts": true,
  "lib/cli/menubar.ts": true,
  "lib/cli/menubar_install.ts": true,
  "lib/cli/new.ts": true,
  "lib/cli/pause.ts": true,
  "lib/cli/program.ts": true,
  "lib/cli/queue.ts": true,
  "lib/cli/resume.ts": true,
  "lib/cli/run.ts": true,
  "lib/cli/show.ts": true,
  "lib/cli/status.ts": true,
  "lib/cli/tick.ts": true,
  "lib/cli/validate.ts": true,
  "lib/cli/watch.ts": true,
  "lib/config/load.ts": true,
  "lib/config/parse.ts": true,
  "lib/notify/notify.ts": true,
  "lib/queue/open.ts": true,
  "lib/queue/runner.ts": true,
  "lib/queue/start_runner.ts": true,
  "lib/schedule/cron_describe.ts": true,
  "lib/schedule/cron_expr.ts": true,
  "lib/schedule/slots.ts": true,
  "lib/watch/daemon.ts": true,
};

/** The modules lazy() loads, from the repository root (for `deno compile --include`). */
export const LAZY_MODULES: readonly LazyModule[] = Object.keys(ALL) as LazyModule[];

const ROOT = new URL("../", import.meta.url);

/** Imports one of {@linkcode LAZY_MODULES} (see the module's notes). */
export function lazy<K extends LazyModule>(module: K): Promise<Modules[K]> {
  return import(new URL(module, ROOT).href);
}
