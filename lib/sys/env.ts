/**
 * @module
 * The environment seam: variables, terminal and colour, read once at start-up.
 */

/** A read-only view of the process environment. */
export interface Env {
  get(name: string): string | undefined;
  toObject(): Record<string, string>;
}

/** Wraps a plain record, for tests and for child environments. */
export function envFrom(vars: Record<string, string>): Env {
  const copy = { ...vars };
  return {
    get: (name) => copy[name],
    toObject: () => ({ ...copy }),
  };
}

/** An Env that notes each name read in `read` (`*` for all of them, through `toObject`). */
export function recordingEnv(env: Env, read: Set<string>): Env {
  return {
    get(name) {
      read.add(name);
      return env.get(name);
    },
    toObject() {
      read.add("*");
      return env.toObject();
    },
  };
}

/** The real process environment. */
export function processEnv(): Env {
  return {
    get: (name) => Deno.env.get(name),
    toObject: () => Deno.env.toObject(),
  };
}

/** True when standard output is a terminal. */
export function stdoutIsTerminal(): boolean {
  return Deno.stdout.isTerminal();
}

/** True when standard error is a terminal. */
export function stderrIsTerminal(): boolean {
  return Deno.stderr.isTerminal();
}

/** Terminal width in columns, or 80 when it cannot be read (or reads as 0, as on a bare pty). */
export function terminalColumns(): number {
  try {
    const { columns } = Deno.consoleSize();
    return columns > 0 ? columns : 80;
  } catch {
    return 80;
  }
}

/** This process's working folder; undefined when it is gone (removed while we ran). */
export function currentDirectory(): string | undefined {
  try {
    return Deno.cwd();
  } catch {
    return undefined;
  }
}

/** This process's id. */
export function selfPid(): number {
  return Deno.pid;
}

/** The operating system: "darwin", "linux", ... */
export function osName(): string {
  return Deno.build.os;
}

/** The executable running now: the compiled clodputer binary, or deno when run from source. */
export function selfExecutable(): string {
  return Deno.execPath();
}

/** This process's user id (for launchd's `gui/<uid>` domain); undefined where there is none. */
export function userId(): number | undefined {
  return Deno.uid() ?? undefined;
}
