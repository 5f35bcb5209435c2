/**
 * @module
 * `deno task install`: the deno install argv (the clodputer task's flags), and the shim it
 * writes, run the way cron runs it (no deno on PATH, another folder). No real global install.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import denoJson from "../../deno.json" with { type: "json" };
import {
  installArgs,
  installManPage,
  manPagePath,
  shimPath,
  shimText,
} from "../../scripts/install.ts";
import { runFlags, shimArgv, shimMain, shimProblems } from "../../lib/sys/self.ts";
import { denoDir, REPO_ROOT } from "../e2e/cli.ts";

const FLAGS = runFlags(denoJson.tasks.clodputer.command);

Deno.test("deno task install runs deno install -g with the clodputer task's flags", async () => {
  assert.equal(denoJson.tasks.install.command, "deno run -q -A scripts/install.ts");
  assert.deepEqual(installArgs(FLAGS), [
    "install",
    "-g",
    "-f",
    "-n",
    "clodputer",
    ...FLAGS,
    "--config",
    "deno.json",
    "main.ts",
  ]);
  const root = await Deno.makeTempDir({ prefix: "clodputer-root-" });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["task", "-q", "install", "--print", "--root", root],
      cwd: REPO_ROOT,
      env: { DENO_DIR: await denoDir() },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const text = new TextDecoder().decode(out.stdout);
    assert.equal(out.code, 0, text + new TextDecoder().decode(out.stderr));
    const [first] = text.split("\n");
    assert.equal(
      first,
      `deno install -g -f -n clodputer --root ${root} ${
        FLAGS.join(" ")
      } --config deno.json main.ts`,
    );
    assert.match(text, new RegExp(`^then ${root}/bin/clodputer:$`, "m"));
    assert.match(
      text,
      new RegExp(
        `^and ${root}/share/man/man1/clodputer\\.1: what ${root}/bin/clodputer man prints$`,
        "m",
      ),
    );
    assert.deepEqual(await Array.fromAsync(Deno.readDir(root)), [], "--print changes nothing");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});

Deno.test("shimPath(): --root, else $DENO_INSTALL_ROOT, else ~/.deno", () => {
  assert.equal(shimPath({ root: "/r", env: { HOME: "/h" } }), "/r/bin/clodputer");
  assert.equal(
    shimPath({ env: { DENO_INSTALL_ROOT: "/d", HOME: "/h" } }),
    "/d/bin/clodputer",
  );
  assert.equal(shimPath({ env: { HOME: "/h" } }), "/h/.deno/bin/clodputer");
});

Deno.test("manPagePath(): share/man/man1 beside the shim's bin (man finds it from PATH)", () => {
  assert.equal(manPagePath("/r/bin/clodputer"), "/r/share/man/man1/clodputer.1");
  assert.equal(manPagePath("/h/.deno/bin/clodputer"), "/h/.deno/share/man/man1/clodputer.1");
});

Deno.test("the shim runs this checkout with the task's flags from cron's bare environment", async () => {
  const text = shimText({ deno: Deno.execPath(), flags: FLAGS, checkout: REPO_ROOT });
  const argv = shimArgv(text) ?? [];
  assert.deepEqual(argv, [
    Deno.execPath(),
    "run",
    ...FLAGS,
    "--config",
    `${REPO_ROOT}/deno.json`,
    `${REPO_ROOT}/main.ts`,
  ]);
  assert.equal(shimMain(argv), `${REPO_ROOT}/main.ts`, "self.ts recognises what install writes");
  assert.deepEqual(shimProblems(argv, FLAGS), []);

  const dir = await Deno.makeTempDir({ prefix: "clodputer-shim-" });
  try {
    const shim = join(dir, "clodputer");
    await Deno.writeTextFile(shim, text, { mode: 0o755 });
    const env = {
      PATH: "/usr/bin:/bin",
      HOME: dir,
      CLODPUTER_HOME: join(dir, "home"),
      DENO_DIR: await denoDir(),
      NO_COLOR: "1",
    };
    const run = async (...args: string[]) => {
      const o = await new Deno.Command(shim, {
        args,
        cwd: "/",
        env,
        clearEnv: true,
        stdout: "piped",
        stderr: "piped",
      }).output();
      const d = new TextDecoder();
      return { code: o.code, out: d.decode(o.stdout) + d.decode(o.stderr) };
    };
    const version = await run("--version");
    assert.equal(version.code, 0, version.out);
    assert.equal(version.out.trim(), denoJson.version);
    // status reads files and lists processes: it fails without the permission set (-P).
    const status = await run("status");
    assert.equal(status.code, 0, status.out);
    assert.match(status.out, /^runner: +idle$/m);
    // The man page, as deno task install writes it after the shim.
    const page = join(dir, "share", "man", "man1", "clodputer.1");
    assert.equal(await installManPage(shim, page, { env }), true);
    assert.match(await Deno.readTextFile(page), /^\.TH CLODPUTER 1 .*\n[\s\S]*^\.SS "man"$/m);
    const broken = join(dir, "broken");
    await Deno.writeTextFile(broken, "#!/bin/sh\nexit 3\n", { mode: 0o755 });
    const none = join(dir, "none", "clodputer.1");
    assert.equal(await installManPage(broken, none, { env }), false);
    await assert.rejects(Deno.stat(none), Deno.errors.NotFound, "nothing written when it fails");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task install --uninstall removes the shim, deno's folder and the man page; then says nothing is installed", async () => {
  const root = await Deno.makeTempDir({ prefix: "clodputer-root-" });
  try {
    const shim = join(root, "bin", "clodputer");
    const page = manPagePath(shim);
    await Deno.mkdir(join(root, "bin", ".clodputer", "node_modules"), { recursive: true });
    await Deno.writeTextFile(join(root, "bin", ".clodputer", "deno.json"), "{}");
    await Deno.writeTextFile(
      shim,
      shimText({ deno: Deno.execPath(), flags: FLAGS, checkout: REPO_ROOT }),
      { mode: 0o755 },
    );
    await Deno.mkdir(join(root, "share", "man", "man1"), { recursive: true });
    await Deno.writeTextFile(page, ".TH CLODPUTER 1\n");
    await Deno.writeTextFile(join(root, "bin", "other"), "kept\n");
    const uninstall = async () => {
      const out = await new Deno.Command(Deno.execPath(), {
        args: ["task", "-q", "install", "--uninstall", "--root", root],
        cwd: REPO_ROOT,
        env: { DENO_DIR: await denoDir() },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const d = new TextDecoder();
      return { code: out.code, out: d.decode(out.stdout), err: d.decode(out.stderr) };
    };
    const first = await uninstall();
    assert.equal(first.code, 0, first.out + first.err);
    const removed = first.out.split("\n").filter((l) => l.startsWith("Removed "));
    assert.deepEqual(removed, [
      `Removed ${shim}`,
      `Removed ${join(root, "bin", ".clodputer")}`,
      `Removed ${page}`,
    ]);
    assert.match(first.out, /deno task clodputer uninstall/);
    for (const path of [shim, join(root, "bin", ".clodputer"), page]) {
      await assert.rejects(Deno.lstat(path), Deno.errors.NotFound, path);
    }
    assert.equal(await Deno.readTextFile(join(root, "bin", "other")), "kept\n");

    const again = await uninstall();
    assert.equal(again.code, 0, again.err);
    assert.equal(again.out, `Nothing to remove: no clodputer installed in ${root}\n`);

    // A clodputer that deno task install did not write is left, and said so (exit 1).
    await Deno.writeTextFile(shim, "#!/bin/sh\necho mine\n", { mode: 0o755 });
    const foreign = await uninstall();
    assert.equal(foreign.code, 1);
    assert.equal(
      foreign.out,
      `Left ${shim}: not written by deno install; remove it yourself\n`,
    );
    assert.equal(await Deno.readTextFile(shim), "#!/bin/sh\necho mine\n");
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
