/**
 * @module
 * The YAML wrapper's lenient readers: `name:`, the `depends_on` task names and where an entry is.
 */

import assert from "node:assert/strict";
import {
  dependsOnOffset,
  dependsOnTasks,
  fieldOf,
  parseYaml,
  topLevelString,
} from "../../lib/config/yaml.ts";

const SOURCE = "name: a\ndepends_on:\n  - task: b\n  - task: c\n    condition: always\n";

Deno.test("topLevelString() reads a top-level string; undefined otherwise", () => {
  assert.equal(topLevelString(SOURCE, "name"), "a");
  assert.equal(topLevelString(SOURCE, "depends_on"), undefined);
  assert.equal(topLevelString("- a\n- b\n", "name"), undefined);
  assert.equal(topLevelString("name: [unclosed\n", "name"), undefined);
});

Deno.test("dependsOnTasks() lists each entry's task; empty without a list", () => {
  assert.deepEqual(dependsOnTasks(SOURCE), ["b", "c"]);
  assert.deepEqual(dependsOnTasks("name: a\n"), []);
  assert.deepEqual(dependsOnTasks("depends_on: b\n"), []);
});

Deno.test("dependsOnOffset() points at the entry for a task, else at the list", () => {
  const { doc, lines } = parseYaml(SOURCE, "a.yaml", 'task "a"');
  const at = (task: string) => {
    const offset = dependsOnOffset(doc, task);
    return offset === undefined ? undefined : lines.linePos(offset);
  };
  assert.deepEqual(at("c"), { line: 4, col: 5 });
  assert.deepEqual(at("zzz"), { line: 3, col: 3 });
  const none = parseYaml("name: a\n", "a.yaml", 'task "a"');
  assert.equal(dependsOnOffset(none.doc, "b"), undefined);
});

Deno.test("fieldOf() writes a path as a person does", () => {
  assert.equal(fieldOf(["task", "allowed_tools", 1]), "task.allowed_tools[1]");
  assert.equal(fieldOf([]), "");
});
