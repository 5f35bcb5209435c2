/**
 * @module
 * One task's watch against a real folder and a real store, looking when the test says (no
 * timers): files handed over once and only when complete, the three events, noise, hostile
 * names, bursts, restarts, folders that appear late, and what it remembers.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../lib/state/store.ts";
import { TaskWatch, type WatchSpec } from "../../lib/watch/task_watch.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { escapePath, NOT_UTF8 } from "../../lib/watch/scan.ts";
import { FakeClock } from "../fakes/clock.ts";

interface Scene extends AsyncDisposable {
  folder: string;
  store: Store;
  clock: FakeClock;
  watch(spec?: Partial<WatchSpec>): TaskWatch;
  /** Looks, advancing the clock past the debounce first. */
  look(w: TaskWatch, ms?: number): Promise<string[]>;
}

async function scene(): Promise<Scene> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-watch-" });
  const folder = join(root, "Inbox");
  await Deno.mkdir(folder);
  const clock = new FakeClock();
  const store = await Store.open(":memory:", systemClock); // retries wait in real time
  return {
    folder,
    store,
    clock,
    watch(spec = {}) {
      return new TaskWatch({
        task: "inbox",
        folder,
        pattern: "*",
        event: "created",
        debounce: 1000,
        recursive: false,
        ignore: [],
        priority: "normal",
        ...spec,
      }, { store, clock });
    },
    async look(w, ms = 1000) {
      await clock.advance(ms);
      const r = await w.look();
      return r.queued.map((q) =>
        `${q.trigger.event} ${String(q.trigger.path).slice(folder.length + 1)}`
      );
    },
    async [Symbol.asyncDispose]() {
      store.close();
      await Deno.remove(root, { recursive: true });
    },
  };
}

Deno.test("TaskWatch: a new watch owes nothing for files already there; a new file goes once", async () => {
  await using s = await scene();
  await Deno.writeTextFile(join(s.folder, "old.pdf"), "old");
  const w = s.watch();
  assert.equal((await w.look()).started, true);
  assert.deepEqual(await s.look(w), []);
  await Deno.writeTextFile(join(s.folder, "new.pdf"), "new");
  assert.deepEqual(await s.look(w, 0), [], "first sight: it may still be being written");
  assert.deepEqual(await s.look(w, 999), [], "not yet stable for the debounce");
  assert.deepEqual(await s.look(w, 1), ["created new.pdf"]);
  assert.deepEqual(await s.look(w), [], "never twice");
  const [item] = await s.store.queued();
  assert.deepEqual(item?.context, {
    file_path: join(s.folder, "new.pdf"),
    file_name: "new.pdf",
    file_dir: s.folder,
    event: "created",
    path: join(s.folder, "new.pdf"),
  });
});

Deno.test("TaskWatch: a file still being written is handed over once, complete", async () => {
  await using s = await scene();
  const w = s.watch();
  await w.look();
  const file = join(s.folder, "big.bin");
  const f = await Deno.open(file, { write: true, create: true });
  for (let i = 0; i < 5; i++) {
    await f.write(new Uint8Array(1000).fill(i));
    assert.deepEqual(await s.look(w), [], `still growing after chunk ${i}`);
  }
  f.close();
  // Unchanged since the last look, one debounce ago: complete.
  assert.deepEqual(await s.look(w), ["created big.bin"]);
  assert.deepEqual(await s.look(w), []);
  assert.equal((await Deno.stat(file)).size, 5000);
});

Deno.test("TaskWatch: modified and deleted events; a change of another kind is noted, not run", async () => {
  await using s = await scene();
  await Deno.writeTextFile(join(s.folder, "a.md"), "1");
  await Deno.writeTextFile(join(s.folder, "b.md"), "1");
  const modified = s.watch({ event: "modified" });
  await modified.look();
  await Deno.writeTextFile(join(s.folder, "a.md"), "22");
  await s.look(modified);
  assert.deepEqual(await s.look(modified), ["modified a.md"]);
  await Deno.writeTextFile(join(s.folder, "c.md"), "new");
  await s.look(modified);
  const r = await (async () => {
    await s.clock.advance(1000);
    return await modified.look();
  })();
  assert.deepEqual(r.queued, []);
  assert.deepEqual(r.seen, [{ path: join(s.folder, "c.md"), event: "created" }]);

  const deleted = s.watch({ event: "deleted", task: "gone" });
  await deleted.look();
  await Deno.remove(join(s.folder, "b.md"));
  assert.deepEqual(await s.look(deleted), ["deleted b.md"]);
  assert.deepEqual(await s.look(deleted), []);
});

Deno.test("TaskWatch: noise, ignore globs and the pattern; names are data", async () => {
  await using s = await scene();
  const w = s.watch({ pattern: "*.{pdf,txt}", ignore: ["draft-*"] });
  await w.look();
  const hostile = [
    `it's "quoted".pdf`,
    "$(touch pwned).pdf",
    "a; rm -rf x.pdf",
    "new\nline.pdf",
    "sp ace.txt",
  ];
  const noise = [
    ".DS_Store",
    ".x.pdf.swp",
    "y.pdf~",
    "z.pdf.crdownload",
    "w.pdf.part",
    "q.download",
    "draft-1.pdf",
    "r.png",
  ];
  for (const name of [...hostile, ...noise]) await Deno.writeTextFile(join(s.folder, name), "x");
  await s.look(w);
  assert.deepEqual((await s.look(w)).sort(), hostile.map((n) => `created ${n}`).sort());
  const paths = (await s.store.queued()).map((q) => q.context?.file_path);
  assert.ok(paths.includes(join(s.folder, "$(touch pwned).pdf")), "the literal path");
});

Deno.test("TaskWatch: 200 files at once give 200 runs, each file once", async () => {
  await using s = await scene();
  const w = s.watch({ debounce: 0 });
  await w.look();
  await Promise.all(
    Array.from({ length: 200 }, (_, i) => Deno.writeTextFile(join(s.folder, `f${i}.txt`), `${i}`)),
  );
  await s.look(w, 0);
  const handed = await s.look(w, 0);
  assert.equal(handed.length, 200);
  assert.equal(new Set(handed).size, 200);
  assert.deepEqual(await s.look(w, 0), []);
  assert.equal((await s.store.queued()).length, 200, "no fold: one run per file");
  // What it remembers is the folder's present files: a deleted file is forgotten.
  for (let i = 0; i < 150; i++) await Deno.remove(join(s.folder, `f${i}.txt`));
  await s.look(w, 0);
  assert.equal((await s.store.watchFiles("inbox")).size, 50);
});

Deno.test("TaskWatch: across a restart nothing handed over fires again; a file made meanwhile fires once", async () => {
  await using s = await scene();
  const first = s.watch();
  await first.look();
  await Deno.writeTextFile(join(s.folder, "before.txt"), "x");
  await s.look(first);
  assert.deepEqual(await s.look(first), ["created before.txt"]);
  // The watcher stops; a file arrives while it is down; a new one starts with the same store.
  await Deno.writeTextFile(join(s.folder, "while-down.txt"), "y");
  const second = s.watch();
  assert.equal((await second.look()).started, false, "the same watch: not started afresh");
  assert.deepEqual(await s.look(second), ["created while-down.txt"]);
  assert.deepEqual(await s.look(s.watch()), [], "a third start: nothing again");
});

Deno.test("TaskWatch: a folder that does not exist yet is picked up when it appears, with its files", async () => {
  await using s = await scene();
  const later = join(s.folder, "later");
  const w = s.watch({ folder: later });
  const first = await w.look();
  assert.deepEqual([first.started, first.missing], [true, true]);
  assert.equal((await s.clock.advance(1000), await w.look()).missing, true);
  await Deno.mkdir(later);
  await Deno.writeTextFile(join(later, "first.txt"), "x");
  await s.look(w);
  assert.deepEqual(await s.look(w), ["created later/first.txt"], "a file of a new folder is new");
  await Deno.remove(later, { recursive: true });
  assert.equal((await s.clock.advance(1000), await w.look()).missing, true);
});

Deno.test("TaskWatch: recursive watches see subfolders; an edited watch starts afresh", async () => {
  await using s = await scene();
  await Deno.mkdir(join(s.folder, "sub"));
  const w = s.watch({ recursive: true, pattern: "*.md" });
  await w.look();
  await Deno.writeTextFile(join(s.folder, "sub", "deep.md"), "x");
  await s.look(w);
  assert.deepEqual(await s.look(w), ["created sub/deep.md"]);
  const flat = s.watch({ pattern: "*.txt" });
  assert.equal((await flat.look()).started, true, "another pattern: a new watch");
});

/** Makes a file whose name has byte 0xE9 (Latin-1 "é"), not UTF-8: Deno cannot spell it. */
async function latin1File(folder: string, stem: string): Promise<void> {
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", `printf x > "$(printf '${stem}\\351.txt')"`],
    cwd: folder,
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
}

Deno.test("TaskWatch: a name that is not UTF-8 is reported once as skipped, with why; the rest go", async () => {
  await using s = await scene();
  const w = s.watch({ pattern: "*.txt" });
  await w.look();
  await latin1File(s.folder, "caf");
  // A name with a real U+FFFD in it can be opened: handed over as any other.
  await Deno.writeTextFile(join(s.folder, "odd\ufffd.txt"), "x");
  await Deno.writeTextFile(join(s.folder, "ok.txt"), "x");
  await s.clock.advance(1000);
  const first = await w.look();
  assert.deepEqual(first.skipped, [{ path: `${s.folder}/caf\\ufffd.txt`, reason: NOT_UTF8 }]);
  assert.deepEqual((await s.look(w)).sort(), ["created odd\ufffd.txt", "created ok.txt"]);
  await s.clock.advance(1000);
  assert.deepEqual((await w.look()).skipped, [], "said once while it stays");
  // Renamed by hand to a UTF-8 name, it is handed over.
  const out = await new Deno.Command("/bin/sh", {
    args: ["-c", `mv "$(printf 'caf\\351.txt')" cafe.txt`],
    cwd: s.folder,
  }).output();
  assert.equal(out.code, 0);
  await s.look(w);
  assert.deepEqual(await s.look(w), ["created cafe.txt"]);
  // Another one later is reported again.
  await latin1File(s.folder, "th");
  await s.clock.advance(1000);
  assert.deepEqual((await w.look()).skipped.map((f) => f.path), [`${s.folder}/th\\ufffd.txt`]);
});

Deno.test("escapePath() writes U+FFFD, control characters and backslashes as escapes", () => {
  assert.equal(escapePath("/in/caf\ufffd.txt"), "/in/caf\\ufffd.txt");
  assert.equal(escapePath("a\nb\\c\u0007.txt"), "a\\u000ab\\\\c\\u0007.txt");
  assert.equal(escapePath("plain é.txt"), "plain é.txt");
});

Deno.test("TaskWatch: a folder deleted and made again forgets its files: a file of a name seen before is new", async () => {
  await using s = await scene();
  const w = s.watch({ pattern: "*.txt" });
  const gone = s.watch({ pattern: "*.txt", event: "deleted", task: "gone" });
  await w.look();
  await gone.look();
  await Deno.writeTextFile(join(s.folder, "a.txt"), "first");
  await s.look(w);
  assert.deepEqual(await s.look(w), ["created a.txt"]);
  await s.look(gone);
  await s.look(gone); // it knows a.txt now (created: not its event)
  await Deno.remove(s.folder, { recursive: true });
  const missing = (await s.clock.advance(1000), await w.look());
  assert.equal(missing.missing, true);
  assert.equal((await s.store.watchFiles("inbox")).size, 0, "its files are forgotten");
  assert.deepEqual(await s.look(gone), ["deleted a.txt"], "a deleted watch is told");
  await Deno.mkdir(s.folder);
  await Deno.writeTextFile(join(s.folder, "a.txt"), "first");
  await s.look(w);
  assert.deepEqual(await s.look(w), ["created a.txt"], "the same name, in the new folder");
});
