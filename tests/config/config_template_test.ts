/**
 * @module
 * The config.yaml `init` writes: built from fields.ts (every key, its doc, its default), valid as
 * written, and valid with every key uncommented, when it gives the defaults.
 */

import assert from "node:assert/strict";
import { configTemplate } from "../../lib/config/config_template.ts";
import {
  type Fields,
  GLOBAL_DEFAULTS,
  GLOBAL_FIELDS,
  TASK_DEFAULTS,
} from "../../lib/config/fields.ts";
import { parseGlobalSource } from "../../lib/config/parse.ts";
import { envFrom } from "../../lib/sys/env.ts";

const ENV = envFrom({ HOME: "/home/me" });
const FILE = "/home/me/.clodputer/config.yaml";

/** The template with every commented-out key line (`# key:`, `#   key:`) made live. */
function uncommented(text: string): string {
  return text.split("\n").map((line) => line.replace(/^# (\s*[a-z_]+:)/, "$1")).join("\n");
}

Deno.test("configTemplate() names every key of config.yaml, with its doc's first words", () => {
  const text = configTemplate(undefined).replace(/\n# ?/g, " ");
  for (const [path, field] of Object.entries(GLOBAL_FIELDS as Fields)) {
    if (path === "" || path.endsWith("*")) continue;
    const key = path.split(".").at(-1) ?? path;
    assert.match(configTemplate(undefined), new RegExp(`^#\\s+${key}:`, "m"), `${path} is missing`);
    const words = (field.doc ?? "").replace(/`/g, "").split(/\s+/).slice(0, 3).join(" ");
    assert.ok(text.includes(words), `${path}'s doc "${words}" is missing`);
  }
});

Deno.test("configTemplate() writes claude live when init found it, else commented out", () => {
  assert.match(configTemplate("/usr/bin/claude"), /^claude: \/usr\/bin\/claude$/m);
  assert.match(configTemplate(undefined), /^# claude: \/opt\/homebrew\/bin\/claude$/m);
  assert.doesNotMatch(configTemplate("/x"), /^(?!claude:)[a-z_]+:/m, "nothing else is live");
});

Deno.test("the template is valid as written, and uncommented it gives the defaults", () => {
  const written = parseGlobalSource(configTemplate("/usr/bin/claude"), { file: FILE, env: ENV });
  assert.equal(written.claude, "/usr/bin/claude");
  const all = parseGlobalSource(uncommented(configTemplate("/usr/bin/claude")), {
    file: FILE,
    env: ENV,
  });
  assert.equal(all.default_timeout, TASK_DEFAULTS.timeout);
  assert.equal(all.idle_timeout, GLOBAL_DEFAULTS.idle_timeout);
  assert.equal(all.grace_period, GLOBAL_DEFAULTS.grace_period);
  assert.equal(all.max_output_bytes, GLOBAL_DEFAULTS.max_output_bytes);
  assert.deepEqual(all.log, GLOBAL_DEFAULTS.log);
  assert.deepEqual(all.runs, GLOBAL_DEFAULTS.runs);
  assert.equal(all.budget?.daily_usd, 5);
});

Deno.test("the template's lines fit in 100 columns", () => {
  for (const line of configTemplate("/usr/bin/claude").split("\n")) {
    assert.ok(line.length <= 100, line);
  }
});
