/**
 * @module
 * docs/task-reference.md is what scripts/task_reference.ts writes from lib/config/fields.ts, and
 * it names every key there.
 */

import assert from "node:assert/strict";
import { type Fields, GLOBAL_FIELDS, TASK_FIELDS } from "../../lib/config/fields.ts";
import { REFERENCE_PATH, taskReference } from "../../scripts/task_reference.ts";

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
