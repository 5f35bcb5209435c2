/**
 * @module
 * Task names: what is allowed, and the UsageError for what is not.
 */

import assert from "node:assert/strict";
import { UsageError } from "../../lib/errors.ts";
import {
  isTaskName,
  misnamedMessage,
  misnamedTaskFile,
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

Deno.test("misnamedTaskFile() finds *.yaml files whose stem is no task name, with the rename", () => {
  const cases: [string, { problem: string; rename: string | undefined } | undefined][] = [
    ["daily-email.yaml", undefined],
    ["notes.txt", undefined],
    ["UPPER.yml", undefined],
    [".hidden.yaml", undefined],
    ["UPPER.yaml", { problem: "has uppercase letters", rename: "upper.yaml" }],
    ["my task.yaml", {
      problem: 'has characters other than a-z, 0-9, "-" and "_"',
      rename: "my-task.yaml",
    }],
    ["a.b.yaml", {
      problem: 'has characters other than a-z, 0-9, "-" and "_"',
      rename: "a-b.yaml",
    }],
    ["t\u0430sk.yaml", {
      problem: 'has characters other than a-z, 0-9, "-" and "_"',
      rename: "t-sk.yaml",
    }],
    ["-x.yaml", { problem: 'starts with "-"', rename: "x.yaml" }],
    ["©.yaml", { problem: 'has characters other than a-z, 0-9, "-" and "_"', rename: undefined }],
  ];
  for (const [name, want] of cases) {
    const got = misnamedTaskFile("/t", name);
    assert.deepEqual(
      got,
      want === undefined ? undefined : { name, file: `/t/${name}`, ...want },
      name,
    );
  }
});

Deno.test("misnamedMessage() states the problem, the rule and the rename", () => {
  const m = misnamedTaskFile("/t", "my task.yaml");
  assert.ok(m);
  const { message, hint } = misnamedMessage(m);
  assert.equal(
    message,
    'The file name "my task.yaml" is not a valid task name: "my task" has characters other than a-z, 0-9, "-" and "_", so it is not loaded',
  );
  assert.match(
    hint,
    /^rename "my task\.yaml" to "my-task\.yaml": a task name is \[a-z0-9\]\[a-z0-9_-\]\* \(/,
  );
  const none = misnamedTaskFile("/t", "©.yaml");
  assert.ok(none);
  assert.match(misnamedMessage(none).hint, /^rename the file, for example to daily-email\.yaml/);
});
