/**
 * @module
 * Task files written for a face: validateTaskText() as validate checks a file, writeTaskText()
 * only when valid and never over a file unasked, setTaskEnabled() by one line.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { setTaskEnabled, writeTaskText } from "../../lib/doctor/task_write.ts";
import { validateTasks, validateTaskText } from "../../lib/doctor/validate.ts";
import { NotFoundError, UsageError } from "../../lib/errors.ts";
import { doctorScene } from "./context.ts";

const VALID = `name: review
schedule:
  type: cron
  expression: "0 8 * * 1-5"
task:
  prompt: "Review my notes"
  allowed_tools: [Read]
`;

const INVALID = `name: broken
task:
  prompt: "hi"
  timeout: soon
`;

Deno.test("validateTaskText() answers as validate does for the same text in a file", async () => {
  await using scene = await doctorScene();
  const ctx = scene.ctx();
  const deps = { paths: ctx.paths, env: ctx.env, clock: scene.clock };
  const fromText = await validateTaskText(deps, "review", VALID, 3);
  await Deno.writeTextFile(join(ctx.paths.tasks, "review.yaml"), VALID);
  const [fromFile] = await validateTasks(deps, ["review"], 3);
  assert.deepEqual(fromText, fromFile);
  assert.equal(fromText.valid, true);
  assert.equal(fromText.next_runs.length, 3);

  const bad = await validateTaskText(deps, "broken", INVALID, 3);
  assert.equal(bad.valid, false);
  assert.equal(bad.problems[0]?.where, `${join(ctx.paths.tasks, "broken.yaml")}:4:12`);
  await assert.rejects(() => validateTaskText(deps, "Bad Name", VALID, 3), UsageError);
});

Deno.test("writeTaskText() writes a valid text, and nothing for an invalid one", async () => {
  await using scene = await doctorScene();
  const ctx = scene.ctx();
  const deps = { paths: ctx.paths, env: ctx.env, clock: scene.clock };
  const file = join(ctx.paths.tasks, "review.yaml");
  const written = await writeTaskText(deps, {
    name: "review",
    source: VALID,
    mode: "create",
    overwrite: false,
  });
  assert.deepEqual([written.written, written.replaced, written.file], [true, false, file]);
  assert.equal(await Deno.readTextFile(file), VALID, "the file is the text given");
  assert.equal(((await Deno.stat(file)).mode ?? 0) & 0o777, 0o600);

  const bad = await writeTaskText(deps, {
    name: "broken",
    source: INVALID,
    mode: "create",
    overwrite: false,
  });
  assert.equal(bad.written, false);
  assert.match(bad.validation.problems[0]?.message ?? "", /timeout/);
  await assert.rejects(() => Deno.stat(join(ctx.paths.tasks, "broken.yaml")), Deno.errors.NotFound);
});

Deno.test("writeTaskText() never replaces a task unasked, and updates only an existing one", async () => {
  await using scene = await doctorScene();
  const ctx = scene.ctx();
  const deps = { paths: ctx.paths, env: ctx.env, clock: scene.clock };
  const file = join(ctx.paths.tasks, "review.yaml");
  await Deno.writeTextFile(file, VALID);
  const changed = VALID.replace("Review my notes", "Review my inbox");
  await assert.rejects(
    () =>
      writeTaskText(deps, { name: "review", source: changed, mode: "create", overwrite: false }),
    (e: Error) => e instanceof UsageError && /exists already/.test(e.message),
  );
  assert.equal(await Deno.readTextFile(file), VALID, "untouched");
  const replaced = await writeTaskText(deps, {
    name: "review",
    source: changed,
    mode: "create",
    overwrite: true,
  });
  assert.deepEqual([replaced.written, replaced.replaced], [true, true]);
  assert.equal(await Deno.readTextFile(file), changed);

  const updated = await writeTaskText(deps, {
    name: "review",
    source: VALID,
    mode: "update",
    overwrite: false,
  });
  assert.equal(updated.written, true);
  assert.equal(await Deno.readTextFile(file), VALID);
  // An invalid update leaves the file as it was.
  const bad = await writeTaskText(deps, {
    name: "review",
    source: INVALID,
    mode: "update",
    overwrite: false,
  });
  assert.equal(bad.written, false);
  assert.equal(await Deno.readTextFile(file), VALID);
  await assert.rejects(
    () => writeTaskText(deps, { name: "nope", source: VALID, mode: "update", overwrite: false }),
    NotFoundError,
  );
});

Deno.test("setTaskEnabled() switches a task by its enabled: line, and says when nothing changed", async () => {
  await using scene = await doctorScene();
  const ctx = scene.ctx();
  const deps = { paths: ctx.paths, env: ctx.env, clock: scene.clock };
  const file = join(ctx.paths.tasks, "review.yaml");
  const text = `# Morning review\n${VALID}`;
  await Deno.writeTextFile(file, text);
  assert.deepEqual(await setTaskEnabled(deps, "review", false), {
    task: "review",
    file,
    enabled: false,
    changed: true,
  });
  assert.equal(
    await Deno.readTextFile(file),
    text.replace("name: review\n", "name: review\nenabled: false\n"),
  );
  const [after] = await validateTasks(deps, ["review"], 3);
  assert.equal(after?.enabled, false);
  assert.equal((await setTaskEnabled(deps, "review", false)).changed, false);
  assert.equal((await setTaskEnabled(deps, "review", true)).changed, true);
  assert.equal(
    await Deno.readTextFile(file),
    text.replace("name: review\n", "name: review\nenabled: true\n"),
  );
  await assert.rejects(() => setTaskEnabled(deps, "nope", true), NotFoundError);
});
