/**
 * @module
 * The process seam: the only place that spawns, signals or lists processes.
 */

import { delimiter, isAbsolute, join } from "./posix_path.ts";
import { parsePs, pidsWithMark, type ProcInfo } from "./ps.ts";

export type { ProcInfo };

/** How to start a child. The environment is always given whole (nothing is inherited). */
export interface SpawnOptions {
  args: string[];
  env: Record<string, string>;
  cwd?: string | undefined;
  /** Start the child in a new session and process group of its own. */
  detached?: boolean;
  /** "inherit": the child shares this process's terminal (an interactive `claude --resume`). */
  stdin?: "null" | "piped" | "inherit";
  stdout?: "piped" | "null" | "inherit";
  stderr?: "piped" | "null" | "inherit";
  /** Let this process exit without waiting for the child (a daemon it starts). */
  unref?: boolean;
}

/** How a child ended: its exit code, or the signal that killed it. */
export interface Exit {
  code: number;
  signal: string | null;
}

/** A started child: its pid, its output streams and its end. */
export interface Child {
  pid: number;
  /** The child's stdin when spawned with `stdin: "piped"`. */
  stdin: WritableStream<Uint8Array> | null;
  stdout: ReadableStream<Uint8Array> | null;
  stderr: ReadableStream<Uint8Array> | null;
  status: Promise<Exit>;
}

/** The captured result of a short helper command. */
export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Why a child could not be started, by the OS error behind it. */
export type SpawnFailure =
  | "not_found" // ENOENT: no such file (or its #! interpreter is missing)
  | "permission_denied" // EACCES: not executable, or a folder
  | "too_long" // E2BIG: the argument list or environment is too large
  | "bad_format" // ENOEXEC: not a program this system can run
  | "other";

/** Why a child could not be started. `message` includes what the OS said. */
export class SpawnError extends Error {
  readonly reason: SpawnFailure;
  /** The OS's own words, such as "Argument list too long (os error 7)". */
  readonly osMessage: string;
  constructor(
    reason: SpawnFailure,
    message: string,
    options?: ErrorOptions & { osMessage?: string },
  ) {
    super(message, options);
    this.name = "SpawnError";
    this.reason = reason;
    this.osMessage = options?.osMessage ?? message;
  }
}

/** Everything Clodputer does to processes. */
export interface Proc {
  /** Starts a child. @throws {SpawnError} when it cannot start. */
  spawn(command: string, options: SpawnOptions): Child;
  /** Runs a helper to its end and captures its output. @throws {SpawnError} */
  output(command: string, options: SpawnOptions): Promise<Output>;
  /** Sends a signal; a negative pid means a process group. False when no such process. */
  signal(pid: number, signal: Deno.Signal): boolean;
  /** Every process on the machine, from `ps`. */
  list(): Promise<ProcInfo[]>;
  /** One process, from `ps -p`; undefined when it does not exist. */
  info(pid: number): Promise<ProcInfo | undefined>;
  /** The pids whose environment holds `name=value`. */
  markedPids(name: string, value: string): Promise<number[]>;
}

const FAILURE_BY_CODE: Record<string, SpawnFailure> = {
  ENOENT: "not_found",
  EACCES: "permission_denied",
  E2BIG: "too_long",
  ENOEXEC: "bad_format",
};

/** Maps a spawn error to its cause by the OS error code. Pure. */
export function spawnError(command: string, error: unknown): SpawnError {
  const detail = error instanceof Error ? error.message : String(error);
  // Deno says "Failed to spawn '<cmd>': <OS words>"; keep the OS words.
  const osMessage = detail.replace(/^Failed to spawn '.*?': /, "");
  const code = (error as { code?: unknown } | null)?.code;
  let reason: SpawnFailure = typeof code === "string" ? FAILURE_BY_CODE[code] ?? "other" : "other";
  if (reason === "other" && error instanceof Deno.errors.NotFound) reason = "not_found";
  if (reason === "other" && error instanceof Deno.errors.PermissionDenied) {
    reason = "permission_denied";
  }
  return new SpawnError(reason, `Cannot start "${command}": ${osMessage}`, {
    cause: error,
    osMessage,
  });
}

function commandFor(command: string, options: SpawnOptions): Deno.Command {
  return new Deno.Command(command, {
    args: options.args,
    env: options.env,
    clearEnv: true,
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    detached: options.detached ?? false,
    stdin: options.stdin ?? "null",
    stdout: options.stdout ?? "piped",
    stderr: options.stderr ?? "piped",
  });
}

const PS_ENV = { LC_ALL: "C", LANG: "C" };

/** The real process seam. `basePath` is the PATH used to find `ps`. */
export function systemProc(basePath = "/usr/bin:/bin:/usr/sbin:/sbin"): Proc {
  const helperEnv = { ...PS_ENV, PATH: basePath };
  const proc: Proc = {
    spawn(command, options) {
      let child: Deno.ChildProcess;
      try {
        child = commandFor(command, options).spawn();
      } catch (error) {
        throw spawnError(command, error);
      }
      if (options.unref) child.unref();
      return {
        pid: child.pid,
        stdin: options.stdin === "piped" ? child.stdin : null,
        stdout: options.stdout === "null" || options.stdout === "inherit" ? null : child.stdout,
        stderr: options.stderr === "null" || options.stderr === "inherit" ? null : child.stderr,
        status: child.status.then((s) => ({ code: s.code, signal: s.signal ?? null })),
      };
    },
    async output(command, options) {
      try {
        const out = await commandFor(command, { ...options, stdout: "piped", stderr: "piped" })
          .output();
        const decoder = new TextDecoder();
        return {
          code: out.code,
          stdout: decoder.decode(out.stdout),
          stderr: decoder.decode(out.stderr),
        };
      } catch (error) {
        throw spawnError(command, error);
      }
    },
    signal(pid, signal) {
      try {
        Deno.kill(pid, signal);
        return true;
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return false;
        throw error;
      }
    },
    async list() {
      const out = await proc.output("ps", {
        args: ["-A", "-ww", "-o", "pid=,ppid=,pgid=,stat=,lstart=,command="],
        env: helperEnv,
      });
      if (out.code !== 0) throw new Error(`ps failed with exit code ${out.code}: ${out.stderr}`);
      return parsePs(out.stdout);
    },
    async info(pid) {
      const out = await proc.output("ps", {
        args: ["-ww", "-o", "pid=,ppid=,pgid=,stat=,lstart=,command=", "-p", String(pid)],
        env: helperEnv,
      });
      return parsePs(out.stdout).find((p) => p.pid === pid);
    },
    async markedPids(name, value) {
      // `ps` appends each process's environment to its command: `-E` on macOS, `e` with procps.
      const envFlag = Deno.build.os === "darwin" ? "-E" : "e";
      const out = await proc.output("ps", {
        args: ["-A", "-ww", "-o", "pid=,command=", envFlag],
        env: helperEnv,
      });
      if (out.code !== 0) throw new Error(`ps failed with exit code ${out.code}: ${out.stderr}`);
      return pidsWithMark(out.stdout, `${name}=${value}`);
    },
  };
  return proc;
}

/** Finds an executable: a path with a slash is taken as it is, a bare name is searched on PATH. */
export async function findExecutable(
  name: string,
  pathVar: string | undefined,
  cwd?: string,
): Promise<string | undefined> {
  if (name.includes("/")) {
    const full = isAbsolute(name) ? name : join(cwd ?? Deno.cwd(), name);
    return (await isExecutableFile(full)) ? full : undefined;
  }
  for (const dir of (pathVar ?? "").split(delimiter)) {
    if (dir === "") continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    const info = await Deno.stat(path);
    return info.isFile && info.mode !== null && (info.mode & 0o111) !== 0;
  } catch {
    return false;
  }
}

/**
 * Starts `argv` (this clodputer again: the watcher, a runner) detached: a session of its own, no
 * terminal, output to nowhere (it writes its own log). Returns its pid.
 */
export function spawnDetached(
  proc: Proc,
  argv: readonly string[],
  env: Record<string, string>,
): number {
  const [command, ...args] = argv as [string, ...string[]];
  const child = proc.spawn(command, {
    args,
    env,
    detached: true,
    stdin: "null",
    stdout: "null",
    stderr: "null",
    unref: true,
  });
  return child.pid;
}

/**
 * Runs a helper to its end with `input` on its stdin (a secret is given this way, never in argv)
 * and captures its output.
 * @throws {SpawnError} when it cannot start.
 */
export async function outputWithInput(
  proc: Proc,
  command: string,
  options: SpawnOptions & { input: string },
): Promise<Output> {
  const { input, ...rest } = options;
  const child = proc.spawn(command, { ...rest, stdin: "piped", stdout: "piped", stderr: "piped" });
  const decoder = new TextDecoder();
  const text = async (stream: ReadableStream<Uint8Array> | null) =>
    stream ? decoder.decode(await new Response(stream).arrayBuffer()) : "";
  const writing = (async () => {
    if (!child.stdin) return;
    const writer = child.stdin.getWriter();
    try {
      await writer.write(new TextEncoder().encode(input));
      await writer.close();
    } catch {
      // the helper exited without reading all of it: its exit code says why
    }
  })();
  const [stdout, stderr, status] = await Promise.all([
    text(child.stdout),
    text(child.stderr),
    child.status,
    writing,
  ]);
  return { code: status.code, stdout, stderr };
}
