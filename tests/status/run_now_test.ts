/**
 * @module
 * runNowTasks(): what the menu bar's Run now and the dashboard's picker offer: every task but the
 * folder watches (a run of one needs a file), read cheaply enough for a poll every 10 s.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { runNowTasks } from "../../lib/status/run_now.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";

const WATCH =
  `trigger:\n  type: file_watch\n  path: ~/Inbox\ntask:\n  prompt: "{{ context.file_path }}"\n`;

async function home(files: Record<string, string>) {
  const root = await Deno.makeTempDir({ prefix: "clodputer-run-now-" });
  const paths = pathsUnder(join(root, ".clodputer"));
  await Deno.mkdir(paths.tasks, { recursive: true });
  for (const [name, text] of Object.entries(files)) {
    await Deno.writeTextFile(join(paths.tasks, name), text);
  }
  return {
    paths,
    deps: { paths, env: envFrom({ HOME: root }) },
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

Deno.test("runNowTasks(): folder watches (enabled or not) need a file; the rest are offered", async () => {
  await using h = await home({
    "hello.yaml": `task:\n  prompt: "hi"\n`,
    "inbox.yaml": WATCH,
    "off.yaml": `enabled: false\n${WATCH}`,
    "noted.yaml": `# not a file_watch task: run by hand\ntask:\n  prompt: "hi"\n`,
    "ticker.yaml": `trigger:\n  type: interval\n  seconds: 60\ntask:\n  prompt: "hi"\n`,
    "broken.yaml": `trigger:\n  type: file_watch\ntask: [`,
    "quoted.yaml": WATCH.replace("file_watch", `"file_watch"`),
  });
  assert.deepEqual(await runNowTasks(h.deps), {
    offered: ["broken", "hello", "noted", "ticker"],
    needFile: ["inbox", "off", "quoted"],
  });
  // Again, from the task index.
  assert.deepEqual((await runNowTasks(h.deps)).needFile, ["inbox", "off", "quoted"]);
});

Deno.test("runNowTasks(): no tasks; a config.yaml that does not load offers every task", async () => {
  await using empty = await home({});
  assert.deepEqual(await runNowTasks(empty.deps), { offered: [], needFile: [] });
  await using bad = await home({ "inbox.yaml": WATCH, "hello.yaml": `task:\n  prompt: "hi"\n` });
  await Deno.writeTextFile(bad.paths.config, "default_timeout: [\n");
  assert.deepEqual(await runNowTasks(bad.deps), { offered: ["hello", "inbox"], needFile: [] });
});
