/**
 * @module
 * Asking the person at the terminal.
 */

/** True when standard input is a terminal (someone can answer). */
export function stdinIsTerminal(): boolean {
  return Deno.stdin.isTerminal();
}

/** Asks a yes/no question on stderr; true only for an answer starting with "y". */
export async function confirm(question: string): Promise<boolean> {
  const encoder = new TextEncoder();
  await Deno.stderr.write(encoder.encode(`${question} [y/N] `));
  const buf = new Uint8Array(256);
  const n = await Deno.stdin.read(buf);
  const answer = n === null
    ? ""
    : new TextDecoder().decode(buf.subarray(0, n)).trim().toLowerCase();
  return answer.startsWith("y");
}

/** The most bytes of a secret read from standard input. */
export const SECRET_INPUT_LIMIT = 64 * 1024;

/**
 * Reads a secret from standard input. On a terminal: asks `prompt` on stderr and reads one line
 * with no echo (raw mode, restored on every way out); null when Ctrl-C or Ctrl-D ends it. From a
 * pipe or a file: all of it, with one trailing newline (`\n` or `\r\n`) stripped. Past
 * `SECRET_INPUT_LIMIT` bytes, reading stops and the text is cut there (the caller refuses it).
 */
export async function readSecretInput(prompt: string): Promise<string | null> {
  const decoder = new TextDecoder();
  if (!Deno.stdin.isTerminal()) {
    const chunks: Uint8Array[] = [];
    let size = 0;
    const buf = new Uint8Array(16 * 1024);
    while (size <= SECRET_INPUT_LIMIT) {
      const n = await Deno.stdin.read(buf);
      if (n === null) break;
      chunks.push(buf.slice(0, n));
      size += n;
    }
    const all = new Uint8Array(size);
    let at = 0;
    for (const chunk of chunks) {
      all.set(chunk, at);
      at += chunk.length;
    }
    return decoder.decode(all).replace(/\r?\n$/, "");
  }
  const encoder = new TextEncoder();
  await Deno.stderr.write(encoder.encode(prompt));
  const bytes: number[] = [];
  Deno.stdin.setRaw(true);
  try {
    const buf = new Uint8Array(1024);
    for (;;) {
      const n = await Deno.stdin.read(buf);
      if (n === null) return null;
      for (const byte of buf.subarray(0, n)) {
        if (byte === 0x0d || byte === 0x0a) return decoder.decode(new Uint8Array(bytes));
        if (byte === 0x03 || byte === 0x04) return null; // Ctrl-C, Ctrl-D
        if (byte === 0x7f || byte === 0x08) bytes.pop();
        else if (bytes.length <= SECRET_INPUT_LIMIT) bytes.push(byte);
      }
    }
  } finally {
    Deno.stdin.setRaw(false);
    await Deno.stderr.write(encoder.encode("\n"));
  }
}
