/**
 * @module
 * The dashboard's pure helpers: the frame diff, key splitting.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { dashboardCommand, draw, splitKeys } from "../../lib/cli/dashboard.ts";
import type { Deps } from "../../lib/cli/deps.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import type { Screen } from "../../lib/sys/term.ts";
import { recordingOutput } from "../../lib/ui/output.ts";

Deno.test("draw() rewrites only the changed lines, clearing each to its end", () => {
  assert.equal(draw(["a", "b"], ["a", "c"], false), "\x1b[2;1Hc\x1b[K");
  assert.equal(draw(["a", "b"], ["a", "b"], false), "");
  const all = draw(["a"], ["a", "b"], true);
  assert.equal(all, "\x1b[1;1Ha\x1b[K\x1b[2;1Hb\x1b[K\x1b[J");
  assert.ok(!all.includes("\x1b[2J"), "never clears the whole screen");
});

Deno.test("splitKeys() keeps arrow sequences whole", () => {
  assert.deepEqual(splitKeys("q"), ["q"]);
  assert.deepEqual(splitKeys("\x1b[Aj\r"), ["\x1b[A", "j", "\r"]);
  assert.deepEqual(splitKeys("\x1b"), ["\x1b"]);
  assert.deepEqual(splitKeys("\x03"), ["\x03"]);
});

/**
 * A screen that plays `keys`, each after the next frame is drawn (as a person reacts to what
 * they see), then waits for input that never comes.
 */
class FakeScreen implements Screen {
  frames: string[] = [];
  left = 0;
  #keys: string[];
  #size: () => { columns: number; rows: number };
  #waiting: ((value: Uint8Array | null) => void) | undefined;

  constructor(keys: string[], size = () => ({ columns: 80, rows: 24 })) {
    this.#keys = keys;
    this.#size = size;
  }
  size() {
    return this.#size();
  }
  write(text: string) {
    this.frames.push(text);
    const key = this.#keys.shift();
    if (key !== undefined && this.#waiting) {
      const deliver = this.#waiting;
      this.#waiting = undefined;
      deliver(new TextEncoder().encode(key));
    }
  }
  read(): Promise<Uint8Array | null> {
    return new Promise((resolve) => this.#waiting = resolve);
  }
  onResize() {
    return () => {};
  }
  leave() {
    this.left++;
    this.#waiting?.(null);
  }
}

function depsIn(root: string): Deps {
  return {
    clock: systemClock,
    proc: systemProc(),
    env: envFrom({ HOME: root, PATH: "/usr/bin:/bin" }),
    paths: pathsUnder(join(root, ".clodputer")),
    out: recordingOutput(),
    selfPid: Deno.pid,
    os: Deno.build.os,
    debug: false,
    confirm: () => Promise.resolve(undefined),
    onSignal: () => () => {},
  };
}

Deno.test("dashboardCommand() pauses on p, quits on q and leaves the screen", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-dashboard-" });
  try {
    const screen = new FakeScreen(["p", "q"]);
    assert.equal(await dashboardCommand(depsIn(root), { screen: () => screen }), 0);
    assert.equal(screen.left, 1);
    const pause = JSON.parse(await Deno.readTextFile(join(root, ".clodputer", "paused.json")));
    assert.equal(pause.until, null);
    assert.ok(screen.frames.join("").includes("PAUSED"), "a frame showed the pause");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("dashboardCommand() leaves the screen when a bug throws", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-dashboard-" });
  try {
    const screen = new FakeScreen([], () => {
      throw new Error("boom");
    });
    await assert.rejects(dashboardCommand(depsIn(root), { screen: () => screen }), /boom/);
    assert.equal(screen.left, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("dashboardCommand() says on screen why the task list cannot be read", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-dashboard-" });
  try {
    await Deno.mkdir(join(root, ".clodputer"), { recursive: true });
    await Deno.writeTextFile(join(root, ".clodputer", "tasks"), "not a folder");
    const screen = new FakeScreen(["r", "q"]);
    assert.equal(await dashboardCommand(depsIn(root), { screen: () => screen }), 0);
    assert.match(screen.frames.join(""), /Cannot read the tasks: .*\/\.clodputer\/tas/i);
    assert.equal(screen.left, 1);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("dashboardCommand(): r offers the tasks a key can run, not the folder watches", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-dashboard-" });
  try {
    const tasks = join(root, ".clodputer", "tasks");
    await Deno.mkdir(tasks, { recursive: true });
    await Deno.writeTextFile(join(tasks, "hello.yaml"), `task:\n  prompt: "hi"\n`);
    await Deno.writeTextFile(
      join(tasks, "inbox.yaml"),
      `trigger:\n  type: file_watch\n  path: ~/Inbox\ntask:\n  prompt: "{{ context.file_path }}"\n`,
    );
    const screen = new FakeScreen(["r", "\x1b", "q"], () => ({ columns: 120, rows: 24 }));
    assert.equal(await dashboardCommand(depsIn(root), { screen: () => screen }), 0);
    const frames = screen.frames.join("");
    assert.match(frames, /Run which task\?/);
    assert.match(frames, / {2}> hello/);
    assert.doesNotMatch(frames, /> inbox| {4}inbox/);
    assert.match(frames, /Not here: inbox \(folder watches run on a file/);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
