/**
 * @module
 * Runs the real CLI as a subprocess, exactly as `deno task clodputer` does, in a temp home with
 * the stand-in `claude` first on PATH.
 */

import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runFlags } from "../../lib/sys/self.ts";

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

/**
 * A temp HOME with `$CLODPUTER_HOME` inside. On dispose it SIGKILLs every process the stand-in
 * claude recorded in `pidsFile` (a failed test leaves nothing running), then removes the folder.
 */
export interface TempHome extends AsyncDisposable {
  root: string;
  home: string;
  clodputerHome: string;
  /** The stand-in's FAKE_CLAUDE_PIDS file: every CLI started in this home records there. */
  pidsFile: string;
  /** A FAKE_CLAUDE_GATE path: a gated stand-in stays running until `openGate()`. */
  gate: string;
  /** Creates the gate file: every gated stand-in in this home goes on to its result. */
  openGate(): Promise<void>;
  /** Writes `tasks/<name>.yaml`. */
  writeTask(name: string, yaml: string): Promise<string>;
}

/** Makes a fresh temp home with an empty `$CLODPUTER_HOME/tasks`. */
export async function tempHome(): Promise<TempHome> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-test-" });
  const home = join(root, "home");
  const clodputerHome = join(home, ".clodputer");
  await Deno.mkdir(join(clodputerHome, "tasks"), { recursive: true, mode: 0o700 });
  const pidsFile = join(root, "pids");
  const gate = join(root, "gate");
  return {
    root,
    home,
    clodputerHome,
    pidsFile,
    gate,
    async openGate() {
      await Deno.writeTextFile(gate, "");
    },
    async writeTask(name, yaml) {
      const file = join(clodputerHome, "tasks", `${name}.yaml`);
      await Deno.writeTextFile(file, yaml);
      return file;
    },
    async [Symbol.asyncDispose]() {
      await killRecorded(pidsFile);
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
}

/**
 * The variables that set the test's clock and time zone, passed on to every process a test
 * starts with a cleared environment: `TZ`, and libfaketime's `LD_PRELOAD` and `FAKETIME*` (the
 * clock-shifted CI pass). A test and the CLI it runs then read one clock in one zone. Without a
 * `TZ` the CLI, like the test, uses the machine's zone.
 */
export function clockEnv(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(Deno.env.toObject())) {
    if (name === "TZ" || name === "LD_PRELOAD" || name.startsWith("FAKETIME")) out[name] = value;
  }
  return out;
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
    ...clockEnv(),
    DENO_DIR: await denoDir(),
    FAKE_CLAUDE_PIDS: home.pidsFile,
    // Under `deno test --coverage`, the CLI's own profiles go with the suite's (deno task ok).
    ...(coverageDir ? { DENO_COVERAGE_DIR: coverageDir } : {}),
    ...extra,
  };
}

const coverageDir = Deno.env.get("DENO_COVERAGE_DIR");

/** The argv prefix of `deno task clodputer`, read from deno.json so the two cannot drift. */
export async function cliArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(join(REPO_ROOT, "deno.json"))) as {
    tasks: { clodputer: { command: string } };
  };
  // "deno run -q -P main.ts" -> ["run", "--cached-only", "-q", "-P", "--config",
  // "<repo>/deno.json", "<repo>/main.ts"]: as self.ts starts itself, so any cwd works.
  return [
    "run",
    "--cached-only",
    ...runFlags(config.tasks.clodputer.command),
    "--config",
    join(REPO_ROOT, "deno.json"),
    join(REPO_ROOT, "main.ts"),
  ];
}

/** What a finished CLI run printed. */
export interface CliResult {
  code: number;
  signal: string | null;
  stdout: string;
  stderr: string;
}

/** How long one CLI invocation may take before the test gives up on it (a loaded machine). */
export const CLI_LIMIT_MS = 120_000;

/** Runs the CLI to its end; fails (after SIGKILLing it) if it takes longer than `limitMs`. */
export async function runCli(
  home: TempHome,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; limitMs?: number } = {},
): Promise<CliResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: [...await cliArgs(), ...args],
    cwd: options.cwd ?? REPO_ROOT,
    env: await cliEnv(home, options.env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const limitMs = options.limitMs ?? CLI_LIMIT_MS;
  const { out, timedOut } = await outputWithin(child, limitMs);
  const decoder = new TextDecoder();
  const result = {
    code: out.code,
    signal: out.signal ?? null,
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
  };
  if (timedOut) {
    throw new Error(
      `clodputer ${args.join(" ")} did not finish within ${limitMs} ms (killed)\n` +
        `stdout: ${result.stdout}\nstderr: ${result.stderr}`,
    );
  }
  return result;
}

/** Waits for a child's output; SIGKILLs it past `limitMs` and says so (`timedOut`). */
export async function outputWithin(
  child: Deno.ChildProcess,
  limitMs: number,
): Promise<{ out: Deno.CommandOutput; timedOut: boolean }> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, limitMs);
  try {
    return { out: await child.output(), timedOut };
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A child process a test started, with stdout and stderr read as they come (so a test can wait
 * for a line). Disposable: `await using` it and it is SIGKILLed (if still running) and awaited,
 * its pipes drained, however the test ends, so a failure leaves nothing behind.
 */
export class Spawned implements AsyncDisposable {
  readonly #child: Deno.ChildProcess;
  readonly #stdout: string[] = [];
  readonly #stderr: string[] = [];
  readonly #reading: Promise<unknown>;

  constructor(child: Deno.ChildProcess) {
    this.#child = child;
    this.#reading = Promise.all([
      collect(child.stdout, this.#stdout),
      collect(child.stderr, this.#stderr),
    ]);
  }

  get pid(): number {
    return this.#child.pid;
  }

  /** What it printed on stdout so far. */
  get stdout(): string {
    return this.#stdout.join("");
  }

  /** What it printed on stderr so far. */
  get stderr(): string {
    return this.#stderr.join("");
  }

  kill(signal: Deno.Signal = "SIGTERM"): void {
    this.#child.kill(signal);
  }

  /** Waits for its end and all its output. */
  async output(): Promise<CliResult> {
    const status = await this.#child.status;
    await this.#reading;
    return { code: status.code, signal: status.signal, stdout: this.stdout, stderr: this.stderr };
  }

  async [Symbol.asyncDispose](): Promise<void> {
    try {
      this.#child.kill("SIGKILL");
    } catch { /* already exited */ }
    await this.#child.status;
    await this.#reading;
  }
}

async function collect(stream: ReadableStream<Uint8Array>, into: string[]): Promise<void> {
  for await (const text of stream.pipeThrough(new TextDecoderStream())) into.push(text);
}

/** Spawns `command` as a disposable `Spawned`, stdin closed, stdout and stderr read as they come. */
export function spawn(
  command: string,
  options: Omit<Deno.CommandOptions, "stdout" | "stderr">,
): Spawned {
  return new Spawned(
    new Deno.Command(command, { stdin: "null", ...options, stdout: "piped", stderr: "piped" })
      .spawn(),
  );
}

/** Starts the CLI and leaves it running (for signals and concurrency tests); `await using` it. */
export async function spawnCli(
  home: TempHome,
  args: string[],
  options: { env?: Record<string, string> } = {},
): Promise<Spawned> {
  return spawn(Deno.execPath(), {
    args: [...await cliArgs(), ...args],
    cwd: REPO_ROOT,
    env: await cliEnv(home, options.env),
    clearEnv: true,
  });
}

/** The pids of the runners the ticks of this home started (`runner_started` events). */
export async function runnersStarted(home: TempHome): Promise<Set<number>> {
  return new Set(
    (await logEvents(home)).filter((e) => e.event === "runner_started").map((e) => Number(e.pid)),
  );
}

/**
 * Waits for every runner a tick started since `before` (see runnersStarted) to exit, after
 * recording each for the home's disposal (a failed test leaves nothing running).
 */
export async function awaitRunners(
  home: TempHome,
  before: Set<number>,
  limitMs = CLI_LIMIT_MS,
): Promise<void> {
  const runners = [...await runnersStarted(home)].filter((pid) => !before.has(pid));
  if (runners.length === 0) return;
  await Deno.writeTextFile(home.pidsFile, runners.map((pid) => `runner ${pid}\n`).join(""), {
    append: true,
  });
  for (const pid of runners) {
    await waitFor(
      `the runner the tick started (pid ${pid}) to finish`,
      () => pidAlive(pid) ? undefined : true,
      limitMs,
    );
  }
}

/**
 * Runs `tick` (or `tick --verbose`, ...) as cron does, then waits for the runner it started: the
 * tick hands the queue to a detached `tick --runner` and exits at once.
 */
export async function runTick(
  home: TempHome,
  args: string[],
  options: { env?: Record<string, string>; cwd?: string; limitMs?: number } = {},
): Promise<CliResult> {
  const before = await runnersStarted(home);
  const result = await runCli(home, args, options);
  await awaitRunners(home, before, options.limitMs);
  return result;
}

/** The events in the home's execution log. */
export async function logEvents(home: TempHome): Promise<Record<string, unknown>[]> {
  const text = await Deno.readTextFile(join(home.clodputerHome, "execution.log")).catch(() => "");
  return text.split("\n").filter((l) => l).map((l) => JSON.parse(l));
}

/** Waits until the execution log holds `count` `event` events of `task`. */
export async function waitForEvent(
  home: TempHome,
  event: string,
  task: string,
  count = 1,
): Promise<void> {
  await waitFor(`${count} ${event} event(s) of ${task} in the execution log`, async () => {
    const n = (await logEvents(home)).filter((e) => e.event === event && e.task === task).length;
    return n >= count || undefined;
  });
}

/**
 * Waits until the runner has started `count` runs of `task` and recorded claude's pid: the
 * `task_started` event is written after the pid is in the queue state.
 */
export function waitForStart(home: TempHome, task: string, count = 1): Promise<void> {
  return waitForEvent(home, "task_started", task, count);
}

/**
 * Polls `check` every 25 ms until it returns a value, or fails with `what` after `ms` (generous:
 * the suite runs in parallel on loaded machines; a bound is only there so nothing hangs).
 */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 60_000,
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
export async function pidsIn(file: string): Promise<Map<string, number>>;
/** With `all`, every pid recorded (several runs may record the same kind). */
export async function pidsIn(file: string, all: true): Promise<number[]>;
export async function pidsIn(
  file: string,
  all?: true,
): Promise<Map<string, number> | number[]> {
  const map = new Map<string, number>();
  const every: number[] = [];
  const text = await Deno.readTextFile(file).catch(() => "");
  for (const line of text.split("\n")) {
    const [kind, pid] = line.split(" ");
    if (kind && pid) {
      map.set(kind, Number(pid));
      every.push(Number(pid));
    }
  }
  return all ? every : map;
}

/** SIGKILLs the given pids (only ever ones a test started), ignoring those already gone. */
export function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
  }
}

/**
 * SIGKILLs the processes the stand-in recorded in `pidsFile` that still carry
 * FAKE_CLAUDE_PIDS=`pidsFile` in their environment: pids are reused, so a pid from a finished
 * run may by now belong to another test's process. (Without /proc, it kills them all.)
 */
export async function killRecorded(pidsFile: string): Promise<void> {
  const hasProc = await Deno.stat("/proc/self/environ").then(() => true, () => false);
  const mark = `\0FAKE_CLAUDE_PIDS=${pidsFile}\0`;
  for (const pid of await pidsIn(pidsFile, true)) {
    if (hasProc) {
      const env = await Deno.readFile(`/proc/${pid}/environ`).catch(() => undefined);
      if (!env || !`\0${new TextDecoder().decode(env)}`.includes(mark)) continue;
    }
    killAll([pid]);
  }
}

/** The pids of processes whose environment carries a run's mark (`ps e`; `ps -E` on macOS). */
export async function markedPids(runId: string): Promise<number[]> {
  const out = await new Deno.Command("ps", {
    args: ["-A", "-ww", "-o", "pid=,command=", Deno.build.os === "darwin" ? "-E" : "e"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(out.stdout).split("\n")
    .filter((line) => line.split(/\s+/).includes(`CLODPUTER_RUN_ID=${runId}`))
    .map((line) => Number(line.trim().split(/\s+/)[0]));
}
