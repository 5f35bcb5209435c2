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
