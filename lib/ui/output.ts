/**
 * @module
 * The only writer to the console: lines to stdout, messages to stderr, and one live status line.
 */

import { type Colors, colors } from "./color.ts";

/** Where commands write. Tests pass a recording twin. */
export interface Output {
  /** Standard output is a terminal. */
  readonly isTerminal: boolean;
  /** Standard error is a terminal (the live status line goes there). */
  readonly errIsTerminal: boolean;
  readonly columns: number;
  readonly color: Colors;
  /** A line of data or result, to stdout. */
  line(text: string): void;
  /** A message for the person, to stderr. */
  error(text: string): void;
  /** One JSON document, to stdout. */
  json(value: unknown): void;
  /** Replaces the live status line on a terminal; does nothing otherwise. */
  status(text: string): void;
  /** Removes the live status line. */
  clearStatus(): void;
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
  const write = (file: typeof Deno.stdout, text: string) => {
    const bytes = encoder.encode(text);
    let written = 0;
    while (written < bytes.length) written += file.writeSync(bytes.subarray(written));
  };
  return {
    isTerminal: settings.isTerminal,
    errIsTerminal: settings.errIsTerminal,
    columns: settings.columns,
    color: colors(settings.isTerminal && !settings.noColor),
    line(text) {
      clear();
      write(Deno.stdout, text + "\n");
    },
    error(text) {
      clear();
      write(Deno.stderr, text + "\n");
    },
    json(value) {
      clear();
      write(Deno.stdout, JSON.stringify(value, null, 2) + "\n");
    },
    status(text) {
      if (!settings.errIsTerminal) return;
      const width = Math.max(10, settings.columns - 1);
      const shown = text.length > width ? text.slice(0, width - 1) + "…" : text;
      write(Deno.stderr, "\r\x1b[2K" + shown);
      statusShown = true;
    },
    clearStatus: clear,
  };
}

/** An Output that keeps what was written, for tests. */
export interface RecordingOutput extends Output {
  readonly stdout: string[];
  readonly stderr: string[];
  readonly statuses: string[];
}

/** A recording Output with no terminal and no colour. */
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
    line: (text) => void stdout.push(text),
    error: (text) => void stderr.push(text),
    json: (value) => void stdout.push(JSON.stringify(value, null, 2)),
    status: (text) => void statuses.push(text),
    clearStatus: () => {},
  };
}
