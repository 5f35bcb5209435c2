/**
 * @module
 * The task index behind loadTask() and loadGlobalConfig(): an unchanged file is answered from
 * `task_index.json`, and a kept entry is dropped when the file, config.yaml, HOME, an environment
 * variable the task read, or the schema version changes. Each test marks the kept entry (a prompt
 * the file does not say) to tell a kept answer from a fresh load.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { loadGlobalConfig, loadTask } from "../../lib/config/load.ts";
import { SCHEMA_VERSION, taskIndexFile } from "../../lib/config/task_index.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { type Paths, pathsUnder } from "../../lib/sys/paths.ts";

const HOME = "/home/someone";

async function tempPaths(): Promise<Paths & AsyncDisposable> {
  const home = await Deno.makeTempDir({ prefix: "clodputer-index-" });
  await Deno.mkdir(join(home, "tasks"));
  return {
    ...pathsUnder(home),
    async [Symbol.asyncDispose]() {
      await Deno.remove(home, { recursive: true });
    },
  };
}

async function readIndex(paths: Paths) {
  return JSON.parse(await Deno.readTextFile(taskIndexFile(paths)));
}

/** Rewrites the kept entry of `name` so that a kept answer shows "KEPT" as its prompt. */
async function markKept(paths: Paths, name: string): Promise<void> {
  const index = await readIndex(paths);
  assert.ok(index.tasks[name], `${name} is kept`);
  index.tasks[name].loaded.config.task.prompt = "KEPT";
  await Deno.writeTextFile(taskIndexFile(paths), JSON.stringify(index));
}

async function writeTask(paths: Paths, name: string, text: string): Promise<void> {
  await Deno.writeTextFile(join(paths.tasks, `${name}.yaml`), text);
}

const env = (vars: Record<string, string> = {}) => envFrom({ HOME, ...vars });

Deno.test("loadTask() answers an unchanged task from the index, as loaded the first time", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "a", "task:\n  prompt: Hi\n  working_directory: ~/work\n");
  const first = await loadTask(paths, "a", env());
  const again = await loadTask(paths, "a", env());
  assert.deepEqual(JSON.parse(JSON.stringify(again)), JSON.parse(JSON.stringify(first)));
  assert.equal(again.config.task.working_directory, `${HOME}/work`);
  await markKept(paths, "a");
  assert.equal((await loadTask(paths, "a", env())).config.task.prompt, "KEPT");
});

Deno.test("loadTask() loads again when the task file changes", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "a", "task:\n  prompt: Hi\n");
  await loadTask(paths, "a", env());
  await markKept(paths, "a");
  await writeTask(paths, "a", "task:\n  prompt: Hello\n");
  assert.equal((await loadTask(paths, "a", env())).config.task.prompt, "Hello");
});

Deno.test("loadTask() loads again when config.yaml changes, and applies its default_timeout", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "a", "task:\n  prompt: Hi\n");
  await loadTask(paths, "a", env());
  await markKept(paths, "a");
  await Deno.writeTextFile(paths.config, "default_timeout: 77\n");
  const loaded = await loadTask(paths, "a", env());
  assert.equal(loaded.config.task.prompt, "Hi");
  assert.equal(loaded.config.task.timeout, 77);
  assert.equal((await loadGlobalConfig(paths, env())).default_timeout, 77);
});

Deno.test("loadTask() loads again when HOME changes", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "a", "task:\n  prompt: Hi\n  working_directory: ~/work\n");
  await loadTask(paths, "a", env());
  await markKept(paths, "a");
  const loaded = await loadTask(paths, "a", envFrom({ HOME: "/home/other" }));
  assert.equal(loaded.config.task.prompt, "Hi");
  assert.equal(loaded.config.task.working_directory, "/home/other/work");
});

Deno.test("loadTask() never keeps a task that read an environment variable other than HOME", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "a", "task:\n  prompt: 'Hi {{ env.WHO }}'\n");
  await writeTask(paths, "b", "task:\n  prompt: Hi\n");
  assert.equal((await loadTask(paths, "a", env({ WHO: "x" }))).config.task.prompt, "Hi x");
  await loadTask(paths, "b", env());
  assert.equal((await readIndex(paths)).tasks.a, undefined);
  const loaded = await loadTask(paths, "a", env({ WHO: "y" }));
  assert.equal(loaded.config.task.prompt, "Hi y");
  assert.deepEqual(loaded.secretValues, ["y"]);
});

Deno.test("loadTask() loads again when the index was made with another schema version", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "a", "task:\n  prompt: Hi\n");
  await loadTask(paths, "a", env());
  await markKept(paths, "a");
  const index = await readIndex(paths);
  index.schema += 1;
  await Deno.writeTextFile(taskIndexFile(paths), JSON.stringify(index));
  assert.equal((await loadTask(paths, "a", env())).config.task.prompt, "Hi");
});

Deno.test("loadTask() keeps no invalid task and no task with depends_on", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "bad", "task:\n  promt: Hi\n");
  await writeTask(paths, "dep", "task:\n  prompt: Hi\ndepends_on:\n  - task: ok\n");
  await writeTask(paths, "ok", "task:\n  prompt: Hi\n");
  await assert.rejects(() => loadTask(paths, "bad", env()));
  await loadTask(paths, "dep", env());
  await loadTask(paths, "ok", env());
  assert.deepEqual(Object.keys((await readIndex(paths)).tasks), ["ok"]);
  await assert.rejects(() => loadTask(paths, "bad", env()));
});

Deno.test("loadTask() treats a damaged or old index as none", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "a", "task:\n  prompt: Hi\n");
  await Deno.writeTextFile(taskIndexFile(paths), "{not json");
  assert.equal((await loadTask(paths, "a", env())).config.task.prompt, "Hi");
  await Deno.writeTextFile(taskIndexFile(paths), JSON.stringify({ format: 0, tasks: [] }));
  assert.equal((await loadTask(paths, "a", env())).config.task.prompt, "Hi");
  assert.ok((await readIndex(paths)).tasks.a);
});

Deno.test("loadGlobalConfig() answers an unchanged config.yaml from the index", async () => {
  await using paths = await tempPaths();
  await Deno.writeTextFile(paths.config, "grace_period: 3\n");
  assert.equal((await loadGlobalConfig(paths, env())).grace_period, 3);
  const index = await readIndex(paths);
  index.global.grace_period = 99;
  await Deno.writeTextFile(taskIndexFile(paths), JSON.stringify(index));
  assert.equal((await loadGlobalConfig(paths, env())).grace_period, 99);
  await Deno.writeTextFile(paths.config, "grace_period: 4\n");
  assert.equal((await loadGlobalConfig(paths, env())).grace_period, 4);
});

/** The files that decide what a loaded task holds: the index's entries depend on them. */
const SCHEMA_SOURCES = [
  "parse.ts",
  "schema.ts",
  "fields.ts",
  "defaults.ts",
  "types.ts",
  "template.ts",
  "tools.ts",
  "yaml.ts",
  "source.ts",
  "cron_expr.ts",
];

Deno.test("SCHEMA_VERSION is raised whenever the code that decides a loaded task changes", async () => {
  const hash = await crypto.subtle.digest(
    "SHA-256",
    new Uint8Array(
      (await Promise.all(
        SCHEMA_SOURCES.map(async (f) => [
          ...new TextEncoder().encode(`${f}\0`),
          ...await Deno.readFile(new URL(`../../lib/config/${f}`, import.meta.url)),
          0,
        ]),
      )).flat(),
    ),
  );
  const hex = [...new Uint8Array(hash)].map((b) => b.toString(16).padStart(2, "0")).join("");
  const known = JSON.parse(
    await Deno.readTextFile(new URL("../fixtures/config/schema_version.json", import.meta.url)),
  ) as Record<string, string>;
  assert.equal(
    known[String(SCHEMA_VERSION)],
    hex,
    `lib/config changed (${SCHEMA_SOURCES.join(", ")}): a kept task may no longer be what a ` +
      "load makes. Raise SCHEMA_VERSION in lib/config/task_index.ts and add the new version with " +
      `this hash to tests/fixtures/config/schema_version.json: "${hex}"`,
  );
});

Deno.test("loadTask() moves aside a current index whose kept task has wrong types, and loads again", async () => {
  await using paths = await tempPaths();
  await writeTask(paths, "a", "task:\n  prompt: Hi\n");
  await loadTask(paths, "a", env());
  for (
    const wrong of [{ task: null, name: 5 }, { name: "a", enabled: true, task: { prompt: 7 } }]
  ) {
    const index = await readIndex(paths);
    index.tasks.a.loaded.config = wrong;
    await Deno.writeTextFile(taskIndexFile(paths), JSON.stringify(index));
    assert.equal(
      (await loadTask(paths, "a", env())).config.task.prompt,
      "Hi",
      JSON.stringify(wrong),
    );
    const aside = (await Array.fromAsync(Deno.readDir(paths.home))).filter((e) =>
      e.name.includes(".corrupt-")
    );
    assert.ok(aside.length > 0, "the damaged index was moved aside");
    for (const e of aside) await Deno.remove(join(paths.home, e.name));
  }
});
