/**
 * @module
 * readStateFile(): a missing file is nothing, a good one its value; a damaged one is moved aside
 * (never deleted) and logged with what was wrong.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  checkFields,
  DAMAGED_EVENT,
  isTime,
  readStateFile,
  type StateShape,
} from "../../lib/log/state_file.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";

const NOW = Date.parse("2026-12-01T12:00:00.000Z");
const SHAPE: StateShape<{ since: string }> = {
  check: (v) => checkFields(v, { since: [isTime, "a time"] }),
};

async function inTemp(work: (home: string) => Promise<void>): Promise<void> {
  const home = await Deno.makeTempDir({ prefix: "clodputer-state-file-" });
  try {
    await work(home);
  } finally {
    await Deno.remove(home, { recursive: true });
  }
}

async function logged(home: string): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(join(home, "execution.log")).catch(() => "");
  return text.split("\n").filter((l) => l).map((l) => JSON.parse(l));
}

Deno.test("readStateFile() reads a good file and finds nothing in a missing one, logging nothing", async () => {
  await inTemp(async (home) => {
    const paths = pathsUnder(home);
    const file = join(home, "s.json");
    assert.deepEqual(await readStateFile(paths, file, SHAPE, NOW), { value: undefined });
    await Deno.writeTextFile(file, `{"since":"2026-12-01T00:00:00Z"}`);
    assert.deepEqual(await readStateFile(paths, file, SHAPE, NOW), {
      value: { since: "2026-12-01T00:00:00Z" },
    });
    assert.deepEqual(await logged(home), []);
  });
});

Deno.test("readStateFile() moves each kind of damage aside and logs what was wrong", async () => {
  const cases: [string, (file: string) => Promise<void>, RegExp][] = [
    ["empty", (f) => Deno.writeTextFile(f, "  \n"), /^empty$/],
    ["null", (f) => Deno.writeTextFile(f, "null"), /^it should be an object, got null$/],
    ["truncated", (f) => Deno.writeTextFile(f, `{"since":"20`), /^not JSON: Unterminated string/],
    ["wrong type", (f) => Deno.writeTextFile(f, `{"since":"x"}`), /^"since" should be a time/],
    ["not UTF-8", (f) => Deno.writeFile(f, new Uint8Array([0xff, 0xfe])), /^not UTF-8 text$/],
    ["a folder", (f) => Deno.mkdir(f), /^a folder, not a file$/],
    ["a dangling link", (f) => Deno.symlink(`${f}.gone`, f), /^a link to .*s\.json\.gone/],
  ];
  for (const [name, make, problem] of cases) {
    await inTemp(async (home) => {
      const paths = pathsUnder(home);
      const file = join(home, "s.json");
      await make(file);
      const read = await readStateFile(paths, file, SHAPE, NOW);
      assert.equal(read.value, undefined, name);
      assert.match(read.damaged?.problem ?? "", problem, name);
      const aside = `${file}.corrupt-2026-12-01T12-00-00-000Z`;
      assert.equal(read.damaged?.movedTo, aside, name);
      assert.equal(await Deno.lstat(file).then(() => true, () => false), false, `${name}: moved`);
      await Deno.lstat(aside);
      const events = await logged(home);
      assert.deepEqual(events, [{
        ts: "2026-12-01T12:00:00.000Z",
        event: DAMAGED_EVENT,
        file,
        error: read.damaged?.problem,
        moved_to: aside,
      }], name);
    });
  }
});

Deno.test("readStateFile() keeps an earlier moved-aside copy", async () => {
  await inTemp(async (home) => {
    const paths = pathsUnder(home);
    const file = join(home, "s.json");
    await Deno.writeTextFile(file, "null");
    await readStateFile(paths, file, SHAPE, NOW);
    await Deno.writeTextFile(file, "[]");
    const second = await readStateFile(paths, file, SHAPE, NOW);
    assert.equal(second.damaged?.movedTo, `${file}.corrupt-2026-12-01T12-00-00-000Z-1`);
  });
});
