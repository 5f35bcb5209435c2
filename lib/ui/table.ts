/**
 * @module
 * Plain aligned tables for terminals and pipes. Pure.
 */

import { stripAnsi } from "./color.ts";

function width(text: string): number {
  return [...stripAnsi(text)].length;
}

/**
 * Lays rows out in columns two spaces apart; the last column is not padded.
 * @example
 * ```ts
 * import { table } from "./table.ts";
 * console.assert(table(["ID", "TASK"], [["1", "hello"]]).join("\n") === "ID  TASK\n1   hello");
 * ```
 */
export function table(headers: string[], rows: string[][]): string[] {
  const all = [headers, ...rows];
  const widths = headers.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ""))));
  return all.map((row) =>
    row.map((cell, i) =>
      i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - width(cell))
    )
      .join("  ").trimEnd()
  );
}
