/**
 * @module
 * Every shipped example task loads cleanly, under its own name and under a new one.
 */

import assert from "node:assert/strict";
import { type Example, exampleAs, EXAMPLES } from "../../lib/config/examples.ts";
import { parseTaskSource } from "../../lib/config/parse.ts";
import { envFrom } from "../../lib/sys/env.ts";

const env = envFrom({ HOME: "/home/me" });

Deno.test("every example task loads without problems or warnings", () => {
  assert.equal(EXAMPLES.length, 5);
  for (const example of EXAMPLES) {
    const loaded = parseTaskSource(example.yaml, {
      file: `/home/me/.clodputer/tasks/${example.name}.yaml`,
      env,
    });
    assert.equal(loaded.name, example.name);
    assert.deepEqual(loaded.warnings, [], example.name);
  }
});

Deno.test("exampleAs() renames the task so it loads under the new name", () => {
  for (const example of EXAMPLES) {
    const yaml = exampleAs(example, "my-copy");
    const loaded = parseTaskSource(yaml, { file: "/t/my-copy.yaml", env });
    assert.equal(loaded.config.name, "my-copy");
    assert.equal("label" in loaded, false, "its name: is the new name too");
    for (const comment of yaml.split("\n").filter((l) => l.trimStart().startsWith("#"))) {
      assert.ok(!comment.includes(example.name), `${example.name}: ${comment}`);
    }
  }
  const tour = exampleAs(EXAMPLES.find((e) => e.name === "summarise-repo") as Example, "tour");
  assert.match(tour, /^# .*Run it with: clodputer run tour --now$/m);
});

Deno.test("each example says what starts it (new prints the next steps for it)", () => {
  for (const example of EXAMPLES) {
    const { config } = parseTaskSource(example.yaml, { file: `/t/${example.name}.yaml`, env });
    const startedBy = config.schedule ? "schedule" : config.trigger?.type ?? "manual";
    assert.equal(example.startedBy, startedBy, example.name);
  }
});

Deno.test("the folder-watch examples say how to try them on one file", () => {
  for (const example of EXAMPLES.filter((e) => e.startedBy === "file_watch")) {
    const yaml = exampleAs(example, "mine");
    assert.match(yaml, /^# {3}clodputer run mine --file ~\/\S+ --now$/m, example.name);
  }
});
