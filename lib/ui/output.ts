/**
 * @module
 * The only writer to the console: lines to stdout, messages to stderr, and one live status line.
 * Every human line has its control characters escaped here (`./escape.ts`), but for our colours.
 */

import { type Colors, colors, OWN_COLOR_CODES } from "./color.ts";
import { escapeControls, escapeControlsKeeping } from "./escape.ts";

/** Where commands write. Tests pass a recording twin. */
export interface Output {
  /** Standard output is a terminal. */
  readonly isTerminal: boolean;
  /** Standard error is a terminal (the live status line goes there). */
  readonly errIsTerminal: boolean;
  readonly columns: number;
  readonly color: Colors;
  /** A line of data or result, to stdout; control characters but newline and tab escaped. */
  line(text: string): void;
  /** A message for the person, to stderr; control characters but newline and tab escaped. */
  error(text: string): void;
  /** One JSON document, to stdout. */
  json(value: unknown): void;
  /** One JSON value on one line (JSON Lines), to stdout. */
  jsonLine(value: unknown): void;
  /** Replaces the live status line on a terminal; does nothing otherwise. */
  status(text: string): void;
  /** Removes the live status line. */
  clearStatus(): void;
}

/**
 * Thrown by a write once whoever read our output has gone (`clodputer logs | head -1`): the
 * command stops there, and `main.ts` ends quietly with exit 0, as Unix tools do.
 */
export class ReaderGone extends Error {
  constructor(options: { cause?: unknown } = {}) {
    super("The reader of the output has gone (broken pipe)", options);
    this.name = "ReaderGone";
  }
}

/** Whether `error` (or an error it wraps) says the reader of our output has gone. */
export function isReaderGone(error: unknown): boolean {
  let e = error;
  for (let depth = 0; e instanceof Error && depth < 10; depth++, e = e.cause) {
    if (e instanceof ReaderGone || e instanceof Deno.errors.BrokenPipe) return true;
  }
  return false;
}

/** Settings read once at start-up. */
export interface ConsoleSettings {
  isTerminal: boolean;
  errIsTerminal: boolean;
  columns: number;
  noColor: boolean;
}

/** The real console. */
export function consoleOutput(settings: ConsoleSettings): Output {
  const encoder = new TextEncoder();
  let statusShown = false;
  const clear = () => {
    if (!statusShown) return;
    Deno.stderr.writeSync(encoder.encode("\r\x1b[2K"));
    statusShown = false;
  };
  const color = settings.isTerminal && !settings.noColor;
  const human = (text: string) => humanText(text, { color, lines: true });
  const write = (file: typeof Deno.stdout, text: string) => {
    const bytes = encoder.encode(text);
    let written = 0;
    try {
      while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
    } catch (error) {
      if (error instanceof Deno.errors.BrokenPipe) throw new ReaderGone({ cause: error });
      throw error;
    }
  };
  return {
    isTerminal: settings.isTerminal,
    errIsTerminal: settings.errIsTerminal,
    columns: settings.columns,
    color: colors(color),
    line(text) {
      clear();
      write(Deno.stdout, human(text) + "\n");
    },
    error(text) {
      clear();
      write(Deno.stderr, human(text) + "\n");
    },
    json(value) {
      clear();
      write(Deno.stdout, JSON.stringify(value, null, 2) + "\n");
    },
    jsonLine(value) {
      clear();
      write(Deno.stdout, JSON.stringify(value) + "\n");
    },
    status(text) {
      if (!settings.errIsTerminal) return;
      const width = Math.max(10, settings.columns - 1);
      const flat = humanText(text, { color, lines: false });
      const shown = flat.length > width ? flat.slice(0, width - 1) + "…" : flat;
      write(Deno.stderr, "\r\x1b[2K" + shown);
      statusShown = true;
    },
    clearStatus: clear,
  };
}

/**
 * What a human line becomes on the way out: every control character escaped as text (newline and
 * tab kept with `lines`), but for the colour codes of `colors(true)` when colour is on.
 */
export function humanText(text: string, options: { color: boolean; lines: boolean }): string {
  return options.color
    ? escapeControlsKeeping(text, { keep: OWN_COLOR_CODES, lines: options.lines })
    : escapeControls(text, { lines: options.lines });
}

/** An Output that keeps what was written, for tests. */
export interface RecordingOutput extends Output {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly statuses: string[];
}

/** A recording Output with no terminal and no colour; it escapes lines as the console does. */
export function recordingOutput(options: { columns?: number } = {}): RecordingOutput {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const statuses: string[] = [];
  return {
    isTerminal: false,
    errIsTerminal: false,
    columns: options.columns ?? 80,
    color: colors(false),
    stdout,
    stderr,
    statuses,
    line: (text) => void stdout.push(humanText(text, { color: false, lines: true })),
    error: (text) => void stderr.push(humanText(text, { color: false, lines: true })),
    json: (value) => void stdout.push(JSON.stringify(value, null, 2)),
    jsonLine: (value) => void stdout.push(JSON.stringify(value)),
    status: (text) => void statuses.push(humanText(text, { color: false, lines: false })),
    clearStatus: () => {},
  };
}
