/**
 * @module
 * The menu bar plugin end to end: `menubar install --dir` writes it, the plugin runs under
 * `env -i` (as thin an environment as SwiftBar's) and prints SwiftBar's format, its actions run
 * through it (a failed run turns the title red until its item is opened), `menubar uninstall`
 * removes only what install wrote.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { actionArgv, type ParsedLine, parseOutput, unknownKeys } from "../ui/menubar_format.ts";
import { parseXbarOutput } from "../ui/menubar_xbar_format.ts";
import { REPO_ROOT, runCli, type TempHome, tempHome } from "./cli.ts";

/** Runs the plugin as SwiftBar would, with nothing in its environment. */
async function plugin(
  file: string,
  args: string[] = [],
  vars: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  const set = Object.entries(vars).map(([k, v]) => `${k}=${v}`);
  const r = await new Deno.Command("/usr/bin/env", {
    args: ["-i", ...set, "/bin/sh", file, ...args],
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const d = new TextDecoder();
  return { code: r.code, out: d.decode(r.stdout), err: d.decode(r.stderr) };
}

/** The plugin's output read back; every action runs the plugin itself. */
async function menu(file: string): Promise<{ titles: ParsedLine[]; menu: ParsedLine[] }> {
  const r = await plugin(file);
  assert.equal(r.code, 0, r.err);
  assert.equal(r.err, "");
  const parsed = parseOutput(r.out);
  parseXbarOutput(r.out); // no host variable: what xbar reads too
  for (const l of [...parsed.titles, ...parsed.menu]) {
    assert.deepEqual(unknownKeys(l.params), [], JSON.stringify(l));
    const argv = actionArgv(l.params);
    if (argv) assert.equal(argv[0], file, `${l.title} runs the plugin`);
  }
  return parsed;
}

/**
 * What loading `file` loads: its static imports, recursively, leaving out `import type` (and the
 * `typeof import()` types each lazy() call names, which `deno info` lists but nothing loads).
 */
async function valueImports(file: string, seen = new Set<string>()): Promise<string[]> {
  if (seen.has(file)) return [...seen];
  seen.add(file);
  if (!file.endsWith(".ts")) return [...seen];
  const text = await Deno.readTextFile(file);
  const re = /^(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+["']([^"']+)["']/gm;
  for (const m of text.matchAll(re)) {
    const spec = m[1] as string;
    if (spec.startsWith(".")) await valueImports(join(file, "..", spec), seen);
    else seen.add(spec);
  }
  return [...seen];
}

async function install(home: TempHome, dir: string): Promise<string> {
  const r = await runCli(home, ["menubar", "install", "--dir", dir]);
  assert.equal(r.code, 0, r.stderr);
  return join(dir, "clodputer.10s.sh");
}

Deno.test("menubar install --dir writes an executable plugin that runs under env -i and prints SwiftBar's format", async () => {
  await using home = await tempHome();
  await home.writeTask("daily-email", `task:\n  prompt: "hi"\n  timeout: 60\n`);
  const dir = join(home.root, "Swift Bar plugins");
  await Deno.mkdir(dir);

  const first = await runCli(home, ["menubar", "install", "--dir", dir]);
  assert.equal(first.code, 0, first.stderr);
  const file = join(dir, "clodputer.10s.sh");
  assert.equal(first.stdout.split("\n")[0], `Installed: ${file}`);
  assert.equal(((await Deno.stat(file)).mode ?? 0) & 0o777, 0o755);
  const again = await runCli(home, ["menubar", "install", "--dir", dir]);
  assert.equal(again.stdout.split("\n")[0], `Already installed: ${file}`);
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), [
    "clodputer.10s.sh",
  ]);

  const m = await menu(file);
  assert.equal(m.titles.length, 1);
  assert.equal(m.titles[0]?.title, "◇ idle");
  const runNow = m.menu.filter((l) => l.level === 1);
  assert.deepEqual(runNow.map((l) => actionArgv(l.params)), [[file, "run", "daily-email"]]);

  // What a person sees with menubar print: the same menu, its actions calling deno from source.
  const printed = await runCli(home, ["menubar", "print"]);
  assert.equal(printed.code, 0, printed.stderr);
  const p = parseOutput(printed.stdout);
  assert.equal(p.titles[0]?.title, "◇ idle");
  const doctor = actionArgv(p.menu.find((l) => l.title === "Run doctor")?.params ?? {});
  assert.deepEqual(doctor, [
    Deno.execPath(),
    "run",
    "-q",
    "-P",
    "--config",
    join(REPO_ROOT, "deno.json"),
    join(REPO_ROOT, "main.ts"),
    "doctor",
  ]);
});

Deno.test("menubar: a failed run turns the title red until its item is opened, through the plugin", async () => {
  await using home = await tempHome();
  await home.writeTask(
    "broken",
    `task:\n  prompt: "hi"\n  timeout: 60\n  env:\n    FAKE_CLAUDE_SCENARIO: error-500\n`,
  );
  const dir = join(home.root, "plugins");
  await Deno.mkdir(dir);
  const file = await install(home, dir);

  // "Run now" exactly as the menu item runs it: the plugin with run and the task's name.
  const before = await menu(file);
  const runBroken = before.menu.find((l) => l.level === 1 && l.title === "broken");
  const argv = actionArgv(runBroken?.params ?? {}) ?? [];
  assert.deepEqual(argv, [file, "run", "broken"]);
  const ran = await plugin(file, argv.slice(1));
  assert.equal(ran.code, 0, ran.err);
  assert.match(ran.out + ran.err, /✗ broken failed/, "it ran, through the plugin, and failed");

  const red = await menu(file);
  assert.equal(red.titles[0]?.title, "✗ 1 failed");
  assert.equal(red.titles[0]?.params.color, "red");
  const failure = red.menu.find((l) => l.title.startsWith("✗ 1 failed run since"));
  assert.ok(failure, red.menu.map((l) => l.title).join(" / "));
  const open = actionArgv(failure.params) ?? [];
  assert.deepEqual(open.slice(0, 3), [file, "menubar", "open"]);
  assert.equal(failure.params.terminal, "true");
  const last = red.menu.find((l) => l.title.startsWith("✗ broken ·"));
  assert.deepEqual(actionArgv(last?.params ?? {}), [file, "show", open[3]]);

  const opened = await plugin(file, open.slice(1));
  assert.equal(opened.code, 0, opened.err);
  assert.match(opened.out, /^Acknowledged 1 failed run since/);
  assert.ok(opened.out.includes(open[3] ?? "-"), "and shows the run");
  const after = await menu(file);
  assert.equal(after.titles[0]?.title, "◇ idle");
  assert.equal(after.titles[0]?.params.color, undefined);
});

Deno.test("the plugin passes its host's variables on: SwiftBar gets symbolize=false, xbar only what it knows", async () => {
  await using home = await tempHome();
  // A folder whose name a menu action cannot pass: every action is left out, and a note (a
  // literal text, which needs symbolize=false on SwiftBar) says why.
  const dir = join(home.root, "it's plugins");
  await Deno.mkdir(dir);
  const file = await install(home, dir);
  const note = (out: string) =>
    out.split("\n").find((l) => l.startsWith("Some items have no action"));

  const swift = await plugin(file, [], { SWIFTBAR: "1" });
  assert.equal(swift.code, 0, swift.err);
  const swiftNote = parseOutput(swift.out).menu.find((l) => l.title.startsWith("Some items"));
  assert.equal(swiftNote?.params.symbolize, "false", swift.out);
  assert.equal(swiftNote?.params.emojize, "false");

  for (const vars of [{ XBARDarkMode: "false" }, {}]) {
    const x = await plugin(file, [], vars);
    assert.equal(x.code, 0, x.err);
    const lines = parseXbarOutput(x.out);
    const xNote = lines.find((l) => l.text.startsWith("Some items have no action"));
    assert.deepEqual(xNote?.params, { color: "orange", emojize: "false", ansi: "false" }, x.out);
    assert.ok(!x.out.includes("symbolize"), JSON.stringify(vars));
    assert.equal(note(x.out)?.split(" | ")[0], note(swift.out)?.split(" | ")[0]);
  }
});

Deno.test("menubar uninstall removes only the plugin install wrote", async () => {
  await using home = await tempHome();
  const dir = join(home.root, "plugins");
  await Deno.mkdir(dir);
  const file = await install(home, dir);
  const other = join(dir, "other.5m.sh");
  await Deno.writeTextFile(other, "#!/bin/sh\necho other\n");

  const removed = await runCli(home, ["menubar", "uninstall", "--dir", dir]);
  assert.equal(removed.code, 0, removed.stderr);
  assert.equal(removed.stdout, `Removed: ${file}\n`);
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["other.5m.sh"]);
  const none = await runCli(home, ["menubar", "uninstall", "--dir", dir]);
  assert.equal(none.code, 0);
  assert.match(none.stdout, /^Nothing to remove: no clodputer\.10s\.sh in /);

  // A file of that name that is not ours stays, and install does not overwrite it.
  await Deno.writeTextFile(file, "#!/bin/sh\necho mine\n");
  const refused = await runCli(home, ["menubar", "uninstall", "--dir", dir]);
  assert.equal(refused.code, 2);
  assert.match(
    refused.stderr,
    /Cannot remove ".*clodputer\.10s\.sh": it was not written by clodputer menubar install/,
  );
  const notOverwritten = await runCli(home, ["menubar", "install", "--dir", dir]);
  assert.equal(notOverwritten.code, 2);
  assert.equal(await Deno.readTextFile(file), "#!/bin/sh\necho mine\n");
});

Deno.test({
  name: "menubar install on Linux without --dir says SwiftBar and xbar are macOS software (exit 2)",
  ignore: Deno.build.os === "darwin",
  fn: async () => {
    await using home = await tempHome();
    const r = await runCli(home, ["menubar", "install"]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: Cannot find a menu bar app: SwiftBar and xbar are macOS software/,
    );
    assert.match(r.stderr, /hint: .*--dir <folder>/);
  },
});

Deno.test("menubar print is answered without commander, yaml or zod, and as commander answers it", async () => {
  const loaded = await valueImports(join(REPO_ROOT, "lib", "cli", "menubar.ts"));
  assert.ok(loaded.some((s) => s.endsWith("/lib/status/read.ts")), "the graph was read");
  for (const heavy of ["commander", "yaml", "zod", "/lib/config/load.ts", "/lib/cli/program.ts"]) {
    assert.ok(!loaded.some((s) => s.includes(heavy)), `${heavy} is not loaded`);
  }

  await using home = await tempHome();
  await home.writeTask("a", `task:\n  prompt: "hi"\n`);
  // `--debug` before the command is not a fast form, so commander parses it.
  for (const args of [["menubar", "print"], ["menubar", "print", "--plugin", "/x y/p.sh"]]) {
    const fast = await runCli(home, args);
    const slow = await runCli(home, ["--debug", ...args]);
    assert.equal(fast.code, 0, fast.stderr);
    assert.deepEqual(fast, slow, args.join(" "));
  }
  const relative = await runCli(home, ["menubar", "print", "--plugin", "p.sh"]);
  assert.equal(relative.code, 2);
  assert.match(relative.stderr, /Cannot use the plugin path "p\.sh": it is not absolute/);
});
