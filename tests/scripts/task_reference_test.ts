/**
 * @module
 * docs/task-reference.md is what scripts/task_reference.ts writes from lib/config/fields.ts, and
 * it names every key there; the README's config.yaml block is what `clodputer init` writes.
 */

import assert from "node:assert/strict";
import { type Fields, GLOBAL_FIELDS, TASK_FIELDS } from "../../lib/config/fields.ts";
import { configTemplate, README_CLAUDE } from "../../lib/config/config_template.ts";
import {
  README_CONFIG_MARKER,
  README_PATH,
  readmeWithConfig,
  REFERENCE_PATH,
  taskReference,
} from "../../scripts/task_reference.ts";

Deno.test("docs/task-reference.md is generated from fields.ts (run: deno task reference)", async () => {
  const committed = await Deno.readTextFile(REFERENCE_PATH);
  assert.ok(committed === await taskReference(), "stale: run deno task reference");
});

Deno.test("the reference documents every key, with its doc", async () => {
  const text = await taskReference();
  for (const fields of [TASK_FIELDS, GLOBAL_FIELDS] as Fields[]) {
    for (const [path, field] of Object.entries(fields)) {
      if (path === "" || path.endsWith("*")) continue;
      const key = path.split(".").at(-1) ?? path;
      assert.ok(text.includes(`- **${key}** ·`), `${path} is not listed`);
      const words = (field.doc ?? "").split(/\s+/).slice(0, 4).join(" ");
      assert.ok(text.replace(/\s+/g, " ").includes(words), `${path}'s doc is not shown`);
    }
  }
});

Deno.test("the README's config.yaml block is what init writes (run: deno task reference)", async () => {
  const readme = await Deno.readTextFile(README_PATH);
  const block = readme.split(`${README_CONFIG_MARKER}\n\n\`\`\`yaml\n`)[1]?.split("\n```\n")[0];
  assert.equal(`${block}\n`, configTemplate(README_CLAUDE), "stale: run deno task reference");
  assert.equal(readmeWithConfig(readme), readme);
  assert.equal(
    readmeWithConfig(readme.replace("# default_timeout: 3600", "budget: 5")),
    readme,
    "deno task reference rewrites the block",
  );
  assert.throws(() => readmeWithConfig("# no block\n"), /no ```yaml block after/);
});

Deno.test("deno task reference --check fails on a stale README", async () => {
  const dir = await Deno.makeTempDir({ prefix: "clodputer-reference-" });
  try {
    for (const path of ["scripts", "lib", "docs", "vendor"]) {
      await Deno.symlink(`${Deno.cwd()}/${path}`, `${dir}/${path}`);
    }
    await Deno.copyFile("deno.json", `${dir}/deno.json`);
    await Deno.copyFile("deno.lock", `${dir}/deno.lock`);
    const readme = await Deno.readTextFile(README_PATH);
    const check = async () =>
      await new Deno.Command(Deno.execPath(), {
        args: ["task", "-q", "reference", "--check"],
        cwd: dir,
        stdout: "piped",
        stderr: "piped",
      }).output();
    await Deno.writeTextFile(`${dir}/README.md`, readme);
    assert.equal((await check()).code, 0);
    await Deno.writeTextFile(`${dir}/README.md`, readme.replace("# grace_period: 5", "x: 1"));
    const stale = await check();
    assert.equal(stale.code, 1);
    assert.match(
      new TextDecoder().decode(stale.stderr),
      /^README\.md is stale: run deno task reference$/m,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
