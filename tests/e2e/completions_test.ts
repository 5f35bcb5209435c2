/**
 * @module
 * `clodputer completions bash|zsh|fish` end to end: each generated script is loaded into the
 * real shell, which is asked for completions the way it asks at a TAB; task names come from the
 * CLI (`completions --tasks`), found on PATH as a wrapper that runs it from source.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import {
  CLI_LIMIT_MS,
  cliArgs,
  cliEnv,
  REPO_ROOT,
  runCli,
  type TempHome,
  tempHome,
} from "./cli.ts";

/** Where each shell is (installed by .ci/run); a test fails, not skips, when one is missing. */
const SHELL_PATH = "/usr/local/bin:/usr/bin:/bin";

/** A temp home with three tasks, and files in tasks/ that are not tasks. */
async function homeWithTasks(): Promise<TempHome> {
  const home = await tempHome();
  for (const name of ["daily-email", "daily-digest", "weekly-report"]) {
    await home.writeTask(name, `name: ${name}\ntask:\n  prompt: hi\n`);
  }
  await Deno.writeTextFile(join(home.clodputerHome, "tasks", "notes.yml"), "not a task\n");
  await Deno.writeTextFile(join(home.clodputerHome, "tasks", "Bad Name.yaml"), "x: 1\n");
  return home;
}

/** A `clodputer` on PATH that runs the CLI from source, as the scripts call it. */
async function wrapperBin(home: TempHome): Promise<string> {
  const bin = join(home.root, "bin");
  await Deno.mkdir(bin);
  const argv = [Deno.execPath(), ...await cliArgs()].map((w) => `'${w}'`).join(" ");
  await Deno.writeTextFile(
    join(bin, "clodputer"),
    `#!/bin/sh\ncd '${REPO_ROOT}' && exec ${argv} "$@"\n`,
    { mode: 0o755 },
  );
  return bin;
}

/** Writes `clodputer completions <shell>` to a file in the home and returns its path. */
async function script(home: TempHome, shell: string): Promise<string> {
  const r = await runCli(home, ["completions", shell]);
  assert.equal(r.code, 0, r.stderr);
  const file = join(home.root, `clodputer.${shell}`);
  await Deno.writeTextFile(file, r.stdout);
  return file;
}

/** Runs a shell with the test's environment and the wrapper first on PATH; returns stdout. */
async function runShell(home: TempHome, bin: string, argv: string[]): Promise<string> {
  const child = new Deno.Command(argv[0] as string, {
    args: argv.slice(1),
    env: await cliEnv(home, { PATH: `${bin}:${SHELL_PATH}` }),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), CLI_LIMIT_MS);
  try {
    const out = await child.output();
    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, `${argv.join(" ")}\nstdout: ${stdout}\nstderr: ${stderr}`);
    return stdout;
  } finally {
    clearTimeout(timer);
  }
}

/** The words a completion offers, sorted. */
function words(stdout: string): string[] {
  return stdout.split("\n").filter((l) => l !== "").map((l) => l.split("\t")[0] as string).sort();
}

/** Command lines (the cursor at the end) and what completing the last word offers. */
const CASES: [line: string, offered: string[]][] = [
  ["clodputer ru", ["run"]],
  ["clodputer run da", ["daily-digest", "daily-email"]],
  ["clodputer run daily-e", ["daily-email"]],
  ["clodputer run ", ["daily-digest", "daily-email", "weekly-report"]],
  ["clodputer run daily-email ", []],
  ["clodputer run --pr", ["--priority"]],
  ["clodputer run --priority h", ["high"]],
  ["clodputer run --now w", ["weekly-report"]],
  ["clodputer --debug sh", ["show"]],
  ["clodputer show w", ["weekly-report"]],
  ["clodputer cancel w", ["weekly-report"]],
  ["clodputer resume w", ["weekly-report"]],
  ["clodputer validate daily-email w", ["weekly-report"]],
  ["clodputer logs --task w", ["weekly-report"]],
  ["clodputer logs -n 5 --task w", ["weekly-report"]],
  ["clodputer cost --task w", ["weekly-report"]],
  ["clodputer logs --f", ["--follow"]],
  ["clodputer queue r", ["remove"]],
  ["clodputer menubar i", ["install"]],
  ["clodputer completions ", ["bash", "fish", "zsh"]],
];

/** The cases whose word has a prefix to filter by (zsh's compadd filters; the stub does not). */
function startsWith(line: string, offered: string[], all: string[]): void {
  const cur = line.split(" ").at(-1) as string;
  assert.deepEqual(all.filter((w) => w.startsWith(cur)), offered, line);
}

Deno.test("completions --tasks lists the task names of CLODPUTER_HOME, as commander would", async () => {
  await using home = await homeWithTasks();
  const r = await runCli(home, ["completions", "--tasks"]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, "daily-digest\ndaily-email\nweekly-report\n");
  // `--debug` first makes the same listing go through commander (app.ts answers only the exact
  // form): both print the same.
  const slow = await runCli(home, ["--debug", "completions", "--tasks"]);
  assert.deepEqual(slow, r);
  const empty = await runCli(home, ["completions", "--tasks"], {
    env: { CLODPUTER_HOME: join(home.root, "none") },
  });
  assert.equal(empty.code, 0, empty.stderr);
  assert.equal(empty.stdout, "");
});

Deno.test("completions with no shell says how to install each; an unknown one is a usage error", async () => {
  await using home = await tempHome();
  const none = await runCli(home, ["completions"]);
  assert.equal(none.code, 0, none.stderr);
  assert.equal(none.stderr, "");
  assert.match(none.stdout, /^usage: clodputer completions bash\|zsh\|fish$/m);
  assert.match(none.stdout, /^ +source <\(clodputer completions bash\)$/m);
  assert.match(none.stdout, /clodputer completions zsh > ~\/\.zfunc\/_clodputer$/m);
  assert.match(
    none.stdout,
    /^ {2}fish {3}clodputer completions fish > ~\/\.config\/fish\/completions\/clodputer\.fish$/m,
  );
  assert.doesNotMatch(none.stdout + none.stderr, /docs\//, "no path users of the binary lack");
  const bad = await runCli(home, ["completions", "tcsh"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /tcsh/);
  assert.match(bad.stderr, /bash, zsh, fish/);
});

Deno.test("bash: the generated script completes commands, flags, choices and task names", async () => {
  await using home = await homeWithTasks();
  const bin = await wrapperBin(home);
  const file = await script(home, "bash");
  const registered = await runShell(home, bin, [
    "bash",
    "--norc",
    "--noprofile",
    "-c",
    `source '${file}' && complete -p clodputer`,
  ]);
  assert.equal(registered.trim(), "complete -F _clodputer clodputer");
  for (const [line, offered] of CASES) {
    // What readline does at a TAB: the words, the cursor's word, the line; then read COMPREPLY.
    const drive = `source '${file}'
line='${line}'
read -r -a COMP_WORDS <<< "$line"
if [[ "$line" == *" " ]]; then COMP_WORDS+=(""); fi
COMP_CWORD=$((\${#COMP_WORDS[@]} - 1))
COMP_LINE="$line"
COMP_POINT=\${#COMP_LINE}
_clodputer clodputer "\${COMP_WORDS[COMP_CWORD]}" "\${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\\n' "\${COMPREPLY[@]}"`;
    const out = await runShell(home, bin, ["bash", "--norc", "--noprofile", "-c", drive]);
    assert.deepEqual(words(out), offered, line);
  }
});

Deno.test("zsh: the generated script parses and its completion function offers the same", async () => {
  await using home = await homeWithTasks();
  const bin = await wrapperBin(home);
  const file = await script(home, "zsh");
  await runShell(home, bin, ["zsh", "-n", file]);
  // Outside a completion widget, compdef/_describe/compadd are stand-ins that print what they get
  // (names only, unfiltered: zsh filters by the typed prefix itself).
  const stubs = `compdef() { :; }
_describe() { local a; for a in "\${(@P)\${@[-1]}}"; do print -r -- "\${a%%:*}"; done }
compadd() { print -rl -- "\${(@P)2}"; }`;
  for (const [line, offered] of CASES) {
    const drive = `${stubs}
source '${file}'
line='${line}'
words=(\${=line})
if [[ "$line" == *" " ]]; then words+=(""); fi
CURRENT=\${#words}
_clodputer || true`;
    const out = await runShell(home, bin, ["zsh", "-f", "-c", drive]);
    startsWith(line, offered, words(out));
  }
});

Deno.test("fish: the generated script parses and `complete -C` offers the same", async () => {
  await using home = await homeWithTasks();
  const bin = await wrapperBin(home);
  const file = await script(home, "fish");
  await runShell(home, bin, ["fish", "--no-config", "-n", file]);
  for (const [line, offered] of CASES) {
    const out = await runShell(home, bin, [
      "fish",
      "--no-config",
      "-c",
      `source '${file}'; complete -C '${line}'`,
    ]);
    assert.deepEqual(words(out), offered, line);
  }
});
