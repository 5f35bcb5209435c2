/**
 * @module
 * The full-screen terminal seam: raw keys, the alternate screen, the cursor, the size and its
 * changes (SIGWINCH). `leave()` puts the terminal back as it was, and is safe to call twice.
 */

/** A full-screen session on the terminal. */
export interface Screen {
  /** Columns and rows now. */
  size(): { columns: number; rows: number };
  /** Writes bytes as they are (escape sequences included), all of them. */
  write(text: string): void;
  /** The next chunk of key bytes; null when input ends. */
  read(): Promise<Uint8Array | null>;
  /** Calls `handler` when the terminal is resized, until the returned function is called. */
  onResize(handler: () => void): () => void;
  /** Leaves raw mode and the alternate screen and shows the cursor again. Idempotent. */
  leave(): void;
}

/** True when both standard input and standard output are terminals. */
export function canUseScreen(): { stdin: boolean; stdout: boolean } {
  return { stdin: Deno.stdin.isTerminal(), stdout: Deno.stdout.isTerminal() };
}

const ENTER = "\x1b[?1049h\x1b[?25l\x1b[H\x1b[2J";
const LEAVE = "\x1b[?25h\x1b[?1049l";

/**
 * Enters the alternate screen in raw mode with the cursor hidden. The caller must call
 * `leave()` on every way out (try/finally).
 */
export function enterScreen(): Screen {
  const encoder = new TextEncoder();
  const write = (text: string) => {
    const bytes = encoder.encode(text);
    let written = 0;
    while (written < bytes.length) written += Deno.stdout.writeSync(bytes.subarray(written));
  };
  Deno.stdin.setRaw(true);
  let left = false;
  write(ENTER);
  const buffer = new Uint8Array(1024);
  return {
    size() {
      try {
        const { columns, rows } = Deno.consoleSize();
        return { columns: Math.max(columns, 1), rows: Math.max(rows, 1) };
      } catch {
        return { columns: 80, rows: 24 };
      }
    },
    write,
    async read() {
      const n = await Deno.stdin.read(buffer);
      return n === null ? null : buffer.slice(0, n);
    },
    onResize(handler) {
      if (Deno.build.os === "windows") return () => {};
      Deno.addSignalListener("SIGWINCH", handler);
      return () => Deno.removeSignalListener("SIGWINCH", handler);
    },
    leave() {
      if (left) return;
      left = true;
      try {
        write(LEAVE);
      } finally {
        try {
          Deno.stdin.setRaw(false);
        } catch {
          // stdin is gone (the terminal closed): nothing to restore
        }
      }
    },
  };
}
