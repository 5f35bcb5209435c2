/**
 * @module
 * The errors a user can cause or meet, each with its exit code, a hint and a location.
 * Anything else that escapes to main.ts is a bug.
 */

/** Where in a file an error was found. */
export interface ErrorLocation {
  file: string;
  line?: number;
  column?: number;
  field?: string;
}

/** Options shared by every Clodputer error. */
export interface ClodputerErrorOptions {
  hint?: string | undefined;
  where?: ErrorLocation | undefined;
  cause?: unknown;
}

/** The base of every expected error: a message for a person, an exit code and what to do. */
export class ClodputerError extends Error {
  /** 1: a task or check failed; 2: bad usage or bad config. */
  readonly exitCode: 1 | 2 = 1;
  readonly hint: string | undefined;
  readonly where: ErrorLocation | undefined;

  constructor(message: string, options: ClodputerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "ClodputerError";
    this.hint = options.hint;
    this.where = options.where;
  }

  /** The JSON shape printed with `--json`. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      ...(this.where === undefined ? {} : { where: this.where }),
    };
  }
}

/** Bad command-line usage. */
export class UsageError extends ClodputerError {
  override readonly exitCode = 2;
  constructor(message: string, options: ClodputerErrorOptions = {}) {
    super(message, options);
    this.name = "UsageError";
  }
}

/** One problem found in a config file. */
export interface ConfigIssue {
  message: string;
  where: ErrorLocation;
  hint?: string | undefined;
}

/** A task or global config that cannot be used; carries every problem found at once. */
export class ConfigError extends ClodputerError {
  override readonly exitCode = 2;
  readonly issues: ConfigIssue[];

  constructor(message: string, options: ClodputerErrorOptions & { issues?: ConfigIssue[] } = {}) {
    super(message, options);
    this.name = "ConfigError";
    this.issues = options.issues ?? [];
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/** A place in a file as `file:line:column` (as much of it as is known). */
export function whereText(where: ErrorLocation): string {
  return [where.file, where.line, where.column].filter((x) => x !== undefined).join(":");
}

/** Where a config issue is, as `file:line:column` (as much of it as is known). */
export function issueWhere(issue: ConfigIssue): string {
  return whereText(issue.where);
}

/** A problem with a file, as `validate` and the web's task page list them. */
export interface Problem {
  message: string;
  /** `file:line:column` when known. */
  where: string | null;
  hint: string | null;
}

/** The problems an error names: each of a config error's issues with its place, or the error. */
export function problemsOf(error: ClodputerError): Problem[] {
  return error instanceof ConfigError && error.issues.length > 0
    ? error.issues.map((i) => ({ message: i.message, where: issueWhere(i), hint: i.hint ?? null }))
    : [{ message: error.message, where: null, hint: error.hint ?? null }];
}

/** One line for an error: a config error's first issue with its place, and how many more. */
export function firstProblem(error: Error): string {
  if (error instanceof ConfigError && error.issues[0]) {
    const first = error.issues[0];
    const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : "";
    return `${issueWhere(first)}: ${first.message}${more}`;
  }
  return error.message;
}

/** A task, run or example that does not exist. */
export class NotFoundError extends ClodputerError {
  override readonly exitCode = 2;
  constructor(message: string, options: ClodputerErrorOptions = {}) {
    super(message, options);
    this.name = "NotFoundError";
  }
}

/** The machine lacks something Clodputer needs: claude, crontab, ps, a writable home. */
export class EnvironmentError extends ClodputerError {
  constructor(message: string, options: ClodputerErrorOptions = {}) {
    super(message, options);
    this.name = "EnvironmentError";
  }
}

/** A filesystem operation failed; names the path and the action. */
export class IoError extends ClodputerError {
  readonly path: string;
  constructor(action: string, path: string, options: ClodputerErrorOptions = {}) {
    const full = isDiskFull(options.cause);
    const detail = full
      ? ": the disk is full"
      : options.cause instanceof Error
      ? `: ${options.cause.message}`
      : "";
    super(`Cannot ${action} "${path}"${detail}`, {
      ...options,
      ...(full && options.hint === undefined ? { hint: diskFullHint(path) } : {}),
    });
    this.name = "IoError";
    this.path = path;
  }
}

/** The state store stayed locked past every retry. */
export class LockError extends ClodputerError {
  constructor(message: string, options: ClodputerErrorOptions = {}) {
    super(message, options);
    this.name = "LockError";
  }
}

/**
 * Whether an error says the disk is full: the OS's ENOSPC ("No space left on device", os error
 * 28), or SQLite's "database or disk is full" from the state store. Looks through `cause`.
 */
export function isDiskFull(error: unknown): boolean {
  let e = error;
  for (let depth = 0; e instanceof Error && depth < 5; depth++, e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (code === "ENOSPC" || /No space left on device|os error 28|disk is full/i.test(e.message)) {
      return true;
    }
  }
  return false;
}

/** What to do when the disk that holds `path` is full. */
export function diskFullHint(path: string): string {
  return `free some space on the disk that holds "${path}" (df -h "${path}" shows it), then ` +
    "run clodputer doctor";
}
