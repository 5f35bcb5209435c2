/**
 * @module
 * Runs the real CLI as a subprocess, exactly as `deno task clodputer` does, in a temp home with
 * the stand-in `claude` first on PATH.
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root. */
export const REPO_ROOT: string = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

/** The folder of stand-in executables (`claude`, `crontab`). */
export const FIXTURE_BIN: string = join(REPO_ROOT, "tests", "fixtures", "bin");

let denoDirCache: string | undefined;

/** The real DENO_DIR, so a temp HOME does not make Deno fetch every package again. */
export async function denoDir(): Promise<string> {
  if (denoDirCache) return denoDirCache;
  const fromEnv = Deno.env.get("DENO_DIR");
  if (fromEnv) return (denoDirCache = fromEnv);
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { denoDir: string };
  return (denoDirCache = info.denoDir);
}

/** A temp HOME with `$CLODPUTER_HOME` inside; removed on dispose. */
export interface TempHome extends AsyncDisposable {
  root: string;
  home: string;
  clodputerHome: string;
  /** Writes `tasks/<name>.yaml`. */
  writeTask(name: string, yaml: string): Promise<string>;
}

/** Makes a fresh temp home with an empty `$CLODPUTER_HOME/tasks`. */
export async function tempHome(): Promise<TempHome> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-test-" });
  const home = join(root, "home");
  const clodputerHome = join(home, ".clodputer");
  await Deno.mkdir(join(clodputerHome, "tasks"), { recursive: true, mode: 0o700 });
  return {
    root,
    home,
    clodputerHome,
    async writeTask(name, yaml) {
      const file = join(clodputerHome, "tasks", `${name}.yaml`);
      await Deno.writeTextFile(file, yaml);
      return file;
    },
    async [Symbol.asyncDispose]() {
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/** The environment the CLI sees in tests: nothing of the real user's. */
export async function cliEnv(
  home: TempHome,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    HOME: home.home,
    CLODPUTER_HOME: home.clodputerHome,
    PATH: `${FIXTURE_BIN}:/usr/local/bin:/usr/bin:/bin`,
    NO_COLOR: "1",
    TZ: "UTC",
    DENO_DIR: await denoDir(),
    ...extra,
  };
}

/** The argv prefix of `deno task clodputer`, read from deno.json so the two cannot drift. */
export async function cliArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(REPO_ROOT, "deno.json"))) as {
    tasks: { clodputer: { command: string } };
  };
  const words = config.tasks.clodputer.command.split(/\s+/);
  // "deno run -q -P main.ts" -> ["run", "--cached-only", "-q", "-P", "main.ts"]
  return [words[1] ?? "run", "--cached-only", ...words.slice(2)];
}

/** What a finished CLI run printed. */
export interface CliResult {
  code: number;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI to its end. */
export async function runCli(
  home: TempHome,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string } = {},
): Promise<CliResult> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [...await cliArgs(), ...args],
    cwd: options.cwd ?? REPO_ROOT,
    env: await cliEnv(home, options.env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return {
    code: out.code,
    signal: out.signal ?? null,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
}

/** Starts the CLI and leaves it running (for signals and concurrency tests). */
export async function spawnCli(
  home: TempHome,
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<Deno.ChildProcess> {
  return new Deno.Command(Deno.execPath(), {
    args: [...await cliArgs(), ...args],
    cwd: REPO_ROOT,
    env: await cliEnv(home, options.env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

/** Polls `check` every 25 ms until it returns a value, or fails with `what` after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 15_000,
): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`Timed out after ${ms} ms waiting for ${what}${last ? `: ${last}` : ""}`);
}

/** True while a process with this pid exists and is not a zombie (asks `ps`, as Clodputer does). */
export function pidAlive(pid: number): boolean {
  const out = new Deno.Command("ps", {
    args: ["-o", "stat=", "-p", String(pid)],
    stdout: "piped",
    stderr: "null",
  }).outputSync();
  const stat = new TextDecoder().decode(out.stdout).trim();
  return stat !== "" && !stat.startsWith("Z");
}

/** The "<kind> <pid>" lines the stand-in claude records in its FAKE_CLAUDE_PIDS file. */
export async function pidsIn(file: string): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  const text = await Deno.readTextFile(file).catch(() => "");
  for (const line of text.split("\n")) {
    const [kind, pid] = line.split(" ");
    if (kind && pid) map.set(kind, Number(pid));
  }
  return map;
}

/** SIGKILLs the given pids (only ever ones a test started), ignoring those already gone. */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
  }
}
