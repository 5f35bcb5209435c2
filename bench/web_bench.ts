/**
 * @module
 * The web dashboard's server time with 10,000 runs in the store: GET / (the overview) and
 * GET /tasks/daily-review (a task page with its calendar), answered by the in-process handler
 * (no socket), body read whole. The home is seeded once (tests/web/fixture_home.ts, through
 * Store.finish, as the runner keeps runs: about 15 s on 2 busy cores). Target: under 100 ms each
 * (docs/performance.md, "Web dashboard").
 */

import { join } from "node:path";
import type { RunDeps } from "../lib/run/run_task.ts";
import { systemClock } from "../lib/sys/clock.ts";
import { envFrom } from "../lib/sys/env.ts";
import { pathsUnder } from "../lib/sys/paths.ts";
import { systemProc } from "../lib/sys/proc.ts";
import { handler } from "../lib/web/server.ts";
import { seedHome, TASKS } from "../tests/web/fixture_home.ts";

const PORT = 7433;
const TOKEN = "b".repeat(43);
const RUNS = 10_000;

const root = await Deno.makeTempDir({ prefix: "clodputer-web-bench-" });
globalThis.addEventListener("unload", () => {
  try {
    Deno.removeSync(root, { recursive: true });
  } catch { /* gone */ }
});
const home = join(root, ".clodputer");
const seeding = performance.now();
const seeded = await seedHome(home, { nowMs: systemClock.now(), extra: RUNS, log: false });
const seedSeconds = ((performance.now() - seeding) / 1000).toFixed(1);

const deps: RunDeps = {
  proc: systemProc(),
  clock: systemClock,
  env: envFrom({ HOME: root }),
  paths: pathsUnder(home),
  os: Deno.build.os,
  selfPid: Deno.pid,
};
const answer = handler(deps, { port: PORT, token: TOKEN });

async function get(path: string): Promise<void> {
  const res = await answer(
    new Request(`http://127.0.0.1:${PORT}${path}`, {
      headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}` },
    }),
  );
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${body.slice(0, 200)}`);
}

// The first read of a new store indexes it once (a store the runner fills has done so long ago).
await get("/");
await get(`/tasks/${TASKS.daily}`);

const group = `web pages, ${seeded.runs.length} runs (seeded in ${seedSeconds} s)`;

Deno.bench({
  name: "GET / (overview)",
  group,
  n: 30,
  warmup: 3,
  fn: async () => await get("/"),
});

Deno.bench({
  name: `GET /tasks/${TASKS.daily} (task page, calendar)`,
  group,
  n: 30,
  warmup: 3,
  fn: async () => await get(`/tasks/${TASKS.daily}`),
});

Deno.bench({
  name: `GET /tasks/${TASKS.daily}?before=<a run 5000 back> (an older page)`,
  group,
  n: 30,
  warmup: 3,
  fn: async () => await get(`/tasks/${TASKS.daily}?before=${seeded.runs[5000]?.id}`),
});
