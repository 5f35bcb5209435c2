/**
 * @module
 * withEnabled(): a task file's `enabled:` changed or added as one line, the rest as written.
 */

import assert from "node:assert/strict";
import { withEnabled } from "../../lib/config/task_edit.ts";

Deno.test("withEnabled() changes the enabled: line and keeps its comment and every other line", () => {
  const text = "# my task\nname: t\nenabled: true   # on for now\ntask:\n  prompt: hi\n";
  assert.equal(
    withEnabled(text, false),
    "# my task\nname: t\nenabled: false   # on for now\ntask:\n  prompt: hi\n",
  );
  assert.equal(
    withEnabled("enabled: yes\ntask:\n  prompt: hi\n", false),
    "enabled: false\ntask:\n  prompt: hi\n",
  );
});

Deno.test("withEnabled() returns the text unchanged when it already says so", () => {
  const text = "enabled: false\ntask:\n  prompt: hi\n";
  assert.equal(withEnabled(text, false), text);
});

Deno.test("withEnabled() adds the line after description:, else name:, else at the top", () => {
  assert.equal(
    withEnabled("name: t\ndescription: >\n  two\n  lines\ntask:\n  prompt: hi\n", false),
    "name: t\ndescription: >\n  two\n  lines\nenabled: false\ntask:\n  prompt: hi\n",
  );
  assert.equal(
    withEnabled("name: t\ntask:\n  prompt: hi\n", false),
    "name: t\nenabled: false\ntask:\n  prompt: hi\n",
  );
  assert.equal(
    withEnabled("task:\n  prompt: hi\n", false),
    "enabled: false\ntask:\n  prompt: hi\n",
  );
  assert.equal(
    withEnabled("---\ntask:\n  prompt: hi\n", false),
    "---\nenabled: false\ntask:\n  prompt: hi\n",
  );
});

Deno.test("withEnabled() leaves a nested enabled: alone", () => {
  assert.equal(
    withEnabled("task:\n  prompt: hi\n  context:\n    enabled: true\n", false),
    "enabled: false\ntask:\n  prompt: hi\n  context:\n    enabled: true\n",
  );
});
