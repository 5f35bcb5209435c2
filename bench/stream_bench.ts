/**
 * @module
 * Benchmarks of the hot paths a run pays for: parsing claude's output and deciding the tree.
 */

import { LineSplitter, parseEventLine } from "../lib/run/stream.ts";
import { treeOf } from "../lib/run/tree.ts";
import type { ProcInfo } from "../lib/sys/ps.ts";

const line = new TextEncoder().encode(
  JSON.stringify({
    type: "assistant",
    message: { content: [{ type: "text", text: "x".repeat(400) }] },
  }) + "\n",
);
const chunk = new Uint8Array(line.length * 100);
for (let i = 0; i < 100; i++) chunk.set(line, i * line.length);

Deno.bench("split and parse 1000 stream-json lines", () => {
  const s = new LineSplitter(32 * 1024 * 1024);
  for (let i = 0; i < 10; i++) for (const l of s.push(chunk)) parseEventLine(l);
});

const table: ProcInfo[] = Array.from({ length: 2000 }, (_, i) => ({
  pid: i + 2,
  ppid: i % 50 === 0 ? 1 : i + 1,
  pgid: i + 2,
  stat: "S",
  started: "Wed Nov 25 01:00:00 2026",
  command: `p${i}`,
}));

Deno.bench("treeOf() over 2000 processes", () => {
  treeOf(table, 500);
});
