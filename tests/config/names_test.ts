/**
 * @module
 * Task names: what is allowed, and the UsageError for what is not.
 */

import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  isTaskName,
  suggestTaskName,
  taskNameProblem,
  validateTaskName,
} from "../../lib/config/names.ts";

Deno.test("validateTaskName() accepts lowercase names with digits, - and _", () => {
  for (const name of ["a", "0", "daily-email", "a_b-1", "2fa-codes", "x".repeat(64)]) {
    assert.doesNotThrow(() => validateTaskName(name), name);
    assert.equal(isTaskName(name), true, name);
  }
});

Deno.test("validateTaskName() rejects paths, odd characters and long names with a UsageError", () => {
  const cases: [string, string][] = [
    ["", "it is empty"],
    ["../x", "it is a path, not a name"],
    ["a/b", "it is a path, not a name"],
    [".", "it is a path, not a name"],
    ["..", "it is a path, not a name"],
    ["/etc/passwd", "it is a path, not a name"],
    ["a\\b", "it is a path, not a name"],
    ["Daily", "it has uppercase letters"],
    ["-x", 'it starts with "-"'],
    ["_x", 'it starts with "_"'],
    ["a b", 'it has characters other than a-z, 0-9, "-" and "_"'],
    ["a.yaml", 'it has characters other than a-z, 0-9, "-" and "_"'],
    ["x".repeat(65), "it is 65 characters long (at most 64)"],
  ];
  for (const [name, reason] of cases) {
    assert.throws(
      () => validateTaskName(name),
      (error: unknown) => {
        assert.ok(error instanceof UsageError, name);
        assert.equal(error.exitCode, 2);
        assert.equal(error.message, `Invalid task name "${name}": ${reason}`);
        assert.match(error.hint ?? "", /lowercase letters, digits, "-" and "_"/);
        return true;
      },
    );
    assert.equal(isTaskName(name), false, name);
  }
});

Deno.test("validateTaskName() suggests a valid name in its hint", () => {
  assert.throws(() => validateTaskName("Daily Email"), (error: UsageError) => {
    assert.match(error.hint ?? "", /for example "daily-email"$/);
    return true;
  });
});

Deno.test("suggestTaskName() turns a file name or path into a valid name", () => {
  assert.equal(suggestTaskName("../tasks/Daily Email.yaml"), "daily-email");
  assert.equal(suggestTaskName("_x"), "x");
  assert.equal(suggestTaskName("..."), undefined);
});

Deno.test("taskNameProblem() is undefined for a valid name", () => {
  assert.equal(taskNameProblem("ok-name"), undefined);
});
