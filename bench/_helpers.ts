/**
 * @module
 * Helpers of the CLI benchmark (bench/run.ts): temp homes, running the CLI exactly as
 * tests/e2e/cli.ts does (same flags, cleared environment, the stand-in claude and crontab first on
 * PATH), the bare-deno baseline, wall-clock medians, /proc readings and the results table.
 */

import { join } from "node:path";
import { cliArgs, denoDir, FIXTURE_BIN, REPO_ROOT } from "../tests/e2e/cli.ts";

export { FIXTURE_BIN, REPO_ROOT };

/** A temp HOME with `$CLODPUTER_HOME/tasks` inside; removed on dispose. */
export interface BenchHome extends AsyncDisposable {
  root: string;
  home: string;
  clodputerHome: string;
  writeTask(name: string, yaml: string): Promise<string>;
}

/** Makes a fresh temp home. */
export async function benchHome(): Promise<BenchHome> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-bench-" });
  const home = join(root, "home");
  const clodputerHome = join(home, ".clodputer");
  await Deno.mkdir(join(clodputerHome, "tasks"), { recursive: true, mode: 0o700 });
  const h: BenchHome = {
    root,
    home,
    clodputerHome,
    async writeTask(name, yaml) {
      const file = join(clodputerHome, "tasks", `${name}.yaml`);
      await Deno.writeTextFile(file, yaml);
      return file;
    },
    async [Symbol.asyncDispose]() {
      await stopWatcher(h);
      await Deno.remove(root, { recursive: true }).catch(() => {});
    },
  };
  return h;
}

/**
 * Stops the home's watcher daemon, if one runs (a tick started by a watcher starts one when a task
 * watches a folder): `watch --stop`, then SIGKILL of the pid in watcher.pid if it is still there.
 */
export async function stopWatcher(home: BenchHome): Promise<void> {
  const pidFile = join(home.clodputerHome, "watcher.pid");
  const text = await Deno.readTextFile(pidFile).catch(() => "");
  if (!text.trim()) return;
  await cli(home, ["watch", "--stop"]).catch(() => undefined);
  let pid: number | undefined;
  try {
    pid = Number(JSON.parse(text).pid);
  } catch { /* not ours to read */ }
  if (!pid || !Number.isInteger(pid)) return;
  const environ = await Deno.readFile(`/proc/${pid}/environ`).catch(() => undefined);
  // Only a process of this home (pids are reused).
  if (
    environ && new TextDecoder().decode(environ).includes(`CLODPUTER_HOME=${home.clodputerHome}\0`)
  ) {
    try {
      Deno.kill(pid, "SIGKILL");
    } catch { /* gone */ }
  }
}

/** The environment the CLI gets: nothing of the real user's. */
export async function benchEnv(
  home: BenchHome,
  extra: Record<string, string> = {},
): Promise<Record<string, string>> {
  return {
    HOME: home.home,
    CLODPUTER_HOME: home.clodputerHome,
    PATH: `${FIXTURE_BIN}:/usr/bin:/bin`,
    NO_COLOR: "1",
    TZ: "UTC",
    DENO_DIR: await denoDir(),
    ...extra,
  };
}

/** What one timed process did. */
export interface Timed {
  ms: number;
  code: number;
  stdout: string;
  stderr: string;
}

/** Spawns `command` with a cleared environment and times spawn + wait with performance.now(). */
export async function timedSpawn(
  command: string,
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; stdin?: string } = {},
): Promise<Timed> {
  const start = performance.now();
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd ?? REPO_ROOT,
    env,
    clearEnv: true,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(options.stdin));
    await w.close();
  }
  const out = await child.output();
  const ms = performance.now() - start;
  const d = new TextDecoder();
  return { ms, code: out.code, stdout: d.decode(out.stdout), stderr: d.decode(out.stderr) };
}

/** Runs the CLI (`deno run --cached-only -q -P main.ts <args>`) to its end, timed. */
export async function cli(
  home: BenchHome,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<Timed> {
  return timedSpawn(Deno.execPath(), [...await cliArgs(), ...args], await benchEnv(home, extraEnv));
}

/** Like `cli`, but throws when the CLI exits with another code than `expect`. */
export async function cliOk(
  home: BenchHome,
  args: string[],
  extraEnv: Record<string, string> = {},
  expect = 0,
): Promise<Timed> {
  const r = await cli(home, args, extraEnv);
  if (r.code !== expect) {
    throw new Error(
      `clodputer ${args.join(" ")} exited ${r.code}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`,
    );
  }
  return r;
}

/** Starts the CLI and leaves it running, stdout and stderr piped. */
export async function spawnCli(
  home: BenchHome,
  args: string[],
  extraEnv: Record<string, string> = {},
): Promise<Deno.ChildProcess> {
  return new Deno.Command(Deno.execPath(), {
    args: [...await cliArgs(), ...args],
    cwd: REPO_ROOT,
    env: await benchEnv(home, extraEnv),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
}

let emptyScript: string | undefined;

/** The bare-deno baseline: `deno run --cached-only -q -P <empty script in a temp dir>`. */
export async function bareDeno(home: BenchHome): Promise<Timed> {
  if (!emptyScript) {
    const dir = await Deno.makeTempDir({ prefix: "clodputer-bench-empty-" });
    emptyScript = join(dir, "empty.ts");
    await Deno.writeTextFile(emptyScript, "");
  }
  const [, ...flags] = await cliArgs(); // ["--cached-only", "-q", "-P", "main.ts"]
  return timedSpawn(
    Deno.execPath(),
    ["run", ...flags.slice(0, -1), emptyScript],
    await benchEnv(home),
    { cwd: join(emptyScript, "..") },
  );
}

/** Removes the empty script's folder. */
export async function removeEmptyScript(): Promise<void> {
  if (emptyScript) await Deno.remove(join(emptyScript, ".."), { recursive: true }).catch(() => {});
}

/** The median of some numbers. */
export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] as number : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

/** The nearest-rank percentile `p` (0..100). */
export function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] as number;
}

/** Times `n` calls of `f`, interleaved with `n` calls of `g` (a then b, n times); medians. */
export async function interleaved(
  n: number,
  a: () => Promise<Timed | number>,
  b: () => Promise<Timed | number>,
): Promise<{ a: number; b: number; as: number[]; bs: number[] }> {
  const as: number[] = [];
  const bs: number[] = [];
  const ms = (t: Timed | number) => typeof t === "number" ? t : t.ms;
  for (let i = 0; i < n; i++) {
    as.push(ms(await a()));
    bs.push(ms(await b()));
  }
  return { a: median(as), b: median(bs), as, bs };
}

/** A value of /proc/<pid>/status in kB (VmRSS, VmHWM); undefined when the process is gone. */
export async function procStatusKb(pid: number, field: string): Promise<number | undefined> {
  const text = await Deno.readTextFile(`/proc/${pid}/status`).catch(() => undefined);
  const m = text?.match(new RegExp(`^${field}:\\s+(\\d+) kB`, "m"));
  return m ? Number(m[1]) : undefined;
}

/** utime + stime of a process, in clock ticks (/proc/<pid>/stat fields 14 and 15). */
export async function cpuTicks(pid: number): Promise<number | undefined> {
  const text = await Deno.readTextFile(`/proc/${pid}/stat`).catch(() => undefined);
  if (!text) return undefined;
  const fields = text.slice(text.lastIndexOf(")") + 2).split(" ");
  // fields[0] is field 3 (state): utime is field 14, stime field 15.
  return Number(fields[11]) + Number(fields[12]);
}

/** Sleeps `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Polls `check` every `everyMs` until it returns a value; throws after `ms`. */
export async function waitFor<T>(
  what: string,
  check: () => Promise<T | undefined> | T | undefined,
  ms = 30_000,
  everyMs = 20,
): Promise<T> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    const v = await check();
    if (v !== undefined) return v;
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${ms} ms waiting for ${what}`);
}

/** One row of the results. */
export interface Row {
  what: string;
  /** The measured figure, with its unit. */
  figure: string;
  baseline: string;
  /** The compared value: a ratio ("1.42x") or an absolute ("+38 ms"). */
  ratio: string;
  target: string;
  pass: boolean;
  /** Extra facts (runs, samples, survivors). */
  note?: string;
}

/** Milliseconds, rounded. */
export function ms(x: number): string {
  return `${Math.round(x)} ms`;
}

/** A ratio with two decimals. */
export function ratio(x: number): string {
  return `${x.toFixed(2)}x`;
}

/** kB as MB with one decimal. */
export function mb(kb: number): string {
  return `${(kb / 1024).toFixed(1)} MB`;
}

/** Renders rows as a Markdown table. */
export function table(rows: Row[]): string {
  const head = ["what", "figure", "baseline", "ratio", "target", "result"];
  const body = rows.map((r) => [
    r.what,
    r.figure,
    r.baseline,
    r.ratio,
    r.target,
    r.pass ? "pass" : "FAIL",
  ]);
  const widths = head.map((h, i) =>
    Math.max(h.length, ...body.map((b) => (b[i] as string).length))
  );
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
  return [
    line(head),
    `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`,
    ...body.map(line),
  ].join("\n");
}

/**
 * A bare deno, idle (an empty event loop kept alive by a timer): the baseline of a daemon's CPU
 * and memory. Kill and await it when done.
 */
export async function spawnIdleDeno(
  home: { root: string; home: string },
): Promise<Deno.ChildProcess> {
  const script = join(home.root, "idle.ts");
  await Deno.writeTextFile(script, "setTimeout(() => {}, 600_000);\n");
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "--cached-only", "-q", "-P", script],
    cwd: home.root,
    env: { PATH: "/usr/bin:/bin", HOME: home.home },
    clearEnv: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
  }).spawn();
}
