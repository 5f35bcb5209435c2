/**
 * @module
 * fields.ts is the one list of keys: the zod schemas take exactly its keys (the compiler checks
 * each shape; this walks the built schemas, which also covers each trigger type's keys), every
 * key is documented, and its defaults are the ones the schemas fill.
 */

import assert from "node:assert/strict";
import type { z } from "zod";
import {
  type Fields,
  GLOBAL_DEFAULTS,
  GLOBAL_FIELDS,
  GLOBAL_INFORMATIONAL_KEYS,
  INFORMATIONAL_KEYS,
  keysUnder,
  TASK_DEFAULTS,
  TASK_FIELDS,
  TRIGGER_TYPES,
} from "../../lib/config/fields.ts";
import { validateGlobal, validateTask, zodSchemas } from "../../lib/config/schema.ts";

/** Every key path a zod schema takes, as field patterns, with the trigger types that take it. */
function schemaKeys(schema: z.ZodType): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>();
  const walk = (node: z.ZodType, path: string, variant: string | undefined) => {
    const def = (node as unknown as { _zod: { def: Record<string, unknown> } })._zod.def;
    const child = (key: string) => def[key] as z.ZodType;
    switch (def.type) {
      case "object": {
        const shape = def.shape as Record<string, z.ZodType>;
        const literal = (shape.type as unknown as { _zod: { def: { values?: unknown[] } } })
          ?._zod.def.values?.[0];
        const type = path === "trigger" && typeof literal === "string" ? literal : variant;
        for (const [key, value] of Object.entries(shape)) {
          const at = path === "" ? key : `${path}.${key}`;
          const types = found.get(at) ?? new Set();
          if (type !== undefined) types.add(type);
          found.set(at, types);
          walk(value, at, undefined);
        }
        return;
      }
      case "pipe":
        walk(child("in"), path, variant);
        walk(child("out"), path, variant);
        return;
      case "optional":
      case "default":
      case "nullable":
      case "prefault":
        return walk(child("innerType"), path, variant);
      case "array":
        return walk(child("element"), `${path}.*`, variant);
      case "union":
        for (const option of def.options as z.ZodType[]) walk(option, path, variant);
        return;
      default:
        return;
    }
  };
  walk(schema, "", undefined);
  return found;
}

/** The fields that are keys (not the file itself, not list items), with their trigger types. */
function fieldKeys(fields: Fields): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const [path, field] of Object.entries(fields)) {
    if (path === "" || path.endsWith("*")) continue;
    const types = path.startsWith("trigger.") ? field.types ?? TRIGGER_TYPES : [];
    out.set(path, new Set(types));
  }
  return out;
}

function sorted(map: Map<string, Set<string>>): [string, string[]][] {
  return [...map].map(([k, v]): [string, string[]] => [k, [...v].sort()]).sort();
}

Deno.test("the task schema takes exactly the keys of TASK_FIELDS, per trigger type", () => {
  const keys = schemaKeys(zodSchemas("/h").task);
  for (const key of INFORMATIONAL_KEYS) keys.delete(key);
  assert.deepEqual(sorted(keys), sorted(fieldKeys(TASK_FIELDS)));
});

Deno.test("the global schema takes exactly the keys of GLOBAL_FIELDS", () => {
  const keys = schemaKeys(zodSchemas("/h").global);
  for (const key of GLOBAL_INFORMATIONAL_KEYS) keys.delete(key);
  assert.deepEqual(sorted(keys), sorted(fieldKeys(GLOBAL_FIELDS)));
});

Deno.test("every key has a doc, and every field an expect and an example", () => {
  for (const fields of [TASK_FIELDS, GLOBAL_FIELDS] as Fields[]) {
    for (const [path, field] of Object.entries(fields)) {
      assert.ok(field.expect !== "" && field.example !== "", path);
      if (path !== "" && !path.endsWith("*")) assert.ok(field.doc, `${path} has no doc`);
    }
  }
});

Deno.test("the defaults the reference shows are the ones the schemas fill", () => {
  const task = validateTask({
    schedule: { type: "cron", expression: "0 8 * * *" },
    trigger: { type: "file_watch", path: "/in" },
    depends_on: [{ task: "other" }],
    task: { prompt: "hi" },
  }, { fallbackName: "x", home: "/h" });
  assert.ok(task.ok);
  const global = validateGlobal({ notify: {} });
  assert.ok(global.ok);
  const shown = (fields: Fields, data: unknown) =>
    Object.entries(fields).flatMap(([path, field]) => {
      if (typeof field.default !== "number" && typeof field.default !== "boolean") return [];
      let value: unknown = data;
      for (const key of path.split(".")) {
        value = key === "*" ? (value as unknown[])[0] : (value as Record<string, unknown>)[key];
      }
      return [[path, value, field.default]];
    });
  for (const [path, filled, documented] of shown(TASK_FIELDS, task.value)) {
    assert.equal(filled, documented, `task ${path}`);
  }
  for (const [path, filled, documented] of shown(GLOBAL_FIELDS, global.value)) {
    if (path === "default_timeout") continue; // unset: tasks fall back to task.timeout's default
    assert.equal(filled, documented, `config.yaml ${path}`);
  }
  assert.equal(TASK_FIELDS["task.timeout"].default, TASK_DEFAULTS.timeout);
  assert.equal(GLOBAL_FIELDS.idle_timeout.default, GLOBAL_DEFAULTS.idle_timeout);
});

Deno.test("keysUnder() lists a mapping's keys in order, a trigger's by type", () => {
  assert.deepEqual(keysUnder(TASK_FIELDS, "schedule"), [
    "type",
    "expression",
    "timezone",
    "catch_up",
    "catch_up_max_age",
  ]);
  assert.deepEqual(keysUnder(TASK_FIELDS, "trigger", "manual"), ["type"]);
  assert.deepEqual(keysUnder(TASK_FIELDS, "trigger", "interval"), ["type", "seconds"]);
  assert.deepEqual(keysUnder(TASK_FIELDS, "depends_on.*"), ["task", "condition", "max_age"]);
  assert.deepEqual(keysUnder(TASK_FIELDS, "task.env"), []);
  assert.deepEqual(keysUnder(GLOBAL_FIELDS, "budget"), ["daily_usd", "monthly_usd"]);
});
