/**
 * @module
 * What a person sees for an error, and the exit code.
 */

import assert from "node:assert/strict";
import { ConfigError, NotFoundError } from "../../lib/errors.ts";
import { errorJson, exitCodeFor, renderError } from "../../lib/ui/errors.ts";

Deno.test("renderError() prints message and hint, no stack", () => {
  const e = new NotFoundError('Cannot find task "helo"', { hint: 'did you mean "hello"?' });
  assert.deepEqual(renderError(e, { debug: false }), [
    'error: Cannot find task "helo"',
    'hint: did you mean "hello"?',
  ]);
  assert.equal(exitCodeFor(e), 2);
});

Deno.test("renderError() lists every config issue with file:line:column", () => {
  const e = new ConfigError('Cannot load task "x": 1 problem in tasks/x.yaml', {
    issues: [{
      message: '"timeout" must be a number',
      where: { file: "tasks/x.yaml", line: 7, column: 3 },
      hint: "write timeout: 600",
    }],
  });
  assert.deepEqual(renderError(e, { debug: false }), [
    'error: Cannot load task "x": 1 problem in tasks/x.yaml',
    '  tasks/x.yaml:7:3: "timeout" must be a number',
    "    hint: write timeout: 600",
  ]);
});

Deno.test("renderError() calls anything else an internal error and hides the stack", () => {
  const lines = renderError(new TypeError("x is undefined"), { debug: false });
  assert.deepEqual(lines, [
    "internal error: x is undefined",
    "hint: rerun with --debug to see where it happened, and report it",
  ]);
  assert.equal(exitCodeFor(new TypeError("x")), 1);
  assert.match(renderError(new TypeError("x"), { debug: true })[1] ?? "", /TypeError: x/);
});

Deno.test("errorJson() gives name, message, hint and where", () => {
  const e = new NotFoundError("gone", { hint: "h", where: { file: "f", line: 1 } });
  assert.deepEqual(errorJson(e), {
    error: { name: "NotFoundError", message: "gone", hint: "h", where: { file: "f", line: 1 } },
  });
});
