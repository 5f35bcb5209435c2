/**
 * @module
 * The one filter that keeps secrets out of everything Clodputer writes: run records, the kept
 * output and prompt, log events and notifications. Redacted are the values it is given (a task's
 * `{{ secrets.* }}` and `{{ env.* }}` values, the values of environment variables whose names look
 * secret) and, wherever they come from, values shaped like a well-known credential (`SHAPES`).
 * See docs/secrets.md.
 */

/** What replaces a secret value. */
export const REDACTED = "[redacted]";

/** Given values shorter than this are not redacted (they would mangle ordinary text). */
const MIN_SECRET_LENGTH = 4;

/** Environment values shorter than this are never taken as secrets (`1`, `true`, `yes`). */
export const MIN_ENV_SECRET_LENGTH = 8;

/**
 * Variable names that hold secrets: these words anywhere in the name, any case. `pass` only as a
 * word (`DB_PASS`, not `PASSENGER`); `key` as an API, access, private or secret key, or as a word
 * (`STRIPE_KEY`, `KEY_FILE`); `auth` but not `author` (`GIT_AUTHOR_NAME`).
 */
export const SECRET_NAME =
  /token|secret|passw(?:or)?d|(?:^|_)pass(?:_|$)|(?:api|access|private|secret|signing|encryption)_?key|(?:^|_)key(?:_|$)|auth(?!or)|credential|cookie|session|webhook|dsn/i;

/** Whether an environment variable's name says its value is a secret. */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}

/** The values of the variables of `env` whose names look secret (long enough to redact). */
export function secretEnvValues(env: Record<string, string>): string[] {
  return Object.entries(env)
    .filter(([name, value]) => isSecretName(name) && value.length >= MIN_ENV_SECRET_LENGTH)
    .map(([, value]) => value);
}

/** One credential shape: its name (for the docs and tests) and the pattern of the value. */
export interface Shape {
  name: string;
  pattern: RegExp;
}

/**
 * Values shaped like well-known credentials, after the gitleaks rules. Each pattern matches the
 * secret itself; `url password` keeps the scheme, user and host and redacts only the password.
 */
export const SHAPES: readonly Shape[] = [
  {
    name: "PEM private key block",
    pattern:
      /-----BEGIN[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/,
  },
  { name: "Anthropic API key", pattern: /\bsk-ant-[a-z0-9]+-[A-Za-z0-9_-]{20,}/ },
  {
    name: "OpenAI API key",
    pattern:
      /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}T3BlbkFJ[A-Za-z0-9_-]{20,}|\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_-]{40,}/,
  },
  {
    name: "GitHub token",
    pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})/,
  },
  { name: "GitLab token", pattern: /\bgl(?:pat|dt|ptt|rt|cbt|oas)-[A-Za-z0-9_-]{20,}/ },
  {
    name: "Slack webhook URL",
    pattern: /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/[A-Za-z0-9+/_-]{20,}/,
  },
  { name: "Slack token", pattern: /\bxox[abeoprs]-(?:\d+-)?[A-Za-z0-9-]{10,}/ },
  { name: "AWS access key id", pattern: /\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b/ },
  { name: "Google API key", pattern: /\bAIza[0-9A-Za-z_-]{35}/ },
  {
    name: "JSON Web Token",
    pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/,
  },
  // The password of scheme://user:password@host: a lookbehind keeps everything but the password.
  {
    name: "URL password",
    pattern: /(?<=\b[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^\s/:@"'<>]*:)[^\s/@"'<>]+(?=@[^\s@"'<>])/,
  },
];

const SHAPE_PATTERN = new RegExp(SHAPES.map((s) => `(?:${s.pattern.source})`).join("|"), "g");

/** Replaces every value of `secrets`, then every credential-shaped value, in `text`. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  if (secrets.length > 0) {
    // Longest first, so a value that contains another goes whole.
    const values = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH)
      .sort((a, b) => b.length - a.length);
    for (const value of values) {
      if (out.includes(value)) out = out.split(value).join(REDACTED);
    }
  }
  SHAPE_PATTERN.lastIndex = 0;
  return SHAPE_PATTERN.test(out) ? out.replace(SHAPE_PATTERN, REDACTED) : out;
}

/** Redacts every string (and every key) inside a JSON-like value. */
export function redactDeep<T>(value: T, secrets: readonly string[]): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return redact(v, secrets);
    if (Array.isArray(v)) return v.map(walk);
    if (v !== null && typeof v === "object") {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k, secrets), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** A stream line longer than this is redacted in pieces, cut where no secret is likely to run. */
const MAX_HELD = 1024 * 1024;

/**
 * Redacts a text stream as it comes, a line at a time (a PEM block, which spans lines, is held
 * until its end line). `push()` returns what can be written now, `end()` the rest.
 */
export class StreamRedactor {
  #secrets: readonly string[];
  #held = "";

  constructor(secrets: readonly string[]) {
    this.#secrets = secrets;
  }

  /** Takes the next text; returns the redacted text of the lines it completes. */
  push(text: string): string {
    this.#held += text;
    let cut = this.#held.lastIndexOf("\n") + 1;
    const open = this.#held.lastIndexOf("-----BEGIN");
    if (open !== -1 && open < cut && /PRIVATE KEY/.test(this.#held.slice(open, open + 80))) {
      const closed = /-----END[A-Z0-9 ]*PRIVATE KEY/.test(this.#held.slice(open));
      // Hold the block until its end line; one that never ends is redacted whole past MAX_HELD.
      if (!closed) cut = this.#held.length > MAX_HELD ? this.#held.length : open;
    }
    if (cut === 0 && this.#held.length > MAX_HELD) {
      // One huge line: cut at the last space, quote or comma well before the end.
      const window = this.#held.slice(0, this.#held.length - 4096);
      cut = Math.max(window.lastIndexOf(" "), window.lastIndexOf('"'), window.lastIndexOf(",")) + 1;
      if (cut === 0) cut = window.length;
    }
    if (cut === 0) return "";
    const ready = this.#held.slice(0, cut);
    this.#held = this.#held.slice(cut);
    return redact(ready, this.#secrets);
  }

  /** The redacted rest, at the end of the stream. */
  end(): string {
    const rest = this.#held;
    this.#held = "";
    return rest === "" ? "" : redact(rest, this.#secrets);
  }
}
