/**
 * @module
 * `cost`'s pure parts: the renderer rounds the total and its rows alike.
 */

import assert from "node:assert/strict";
import { renderCost } from "../../lib/cli/cost.ts";
import type { CostView } from "../../lib/status/cost.ts";
import { colors } from "../../lib/ui/color.ts";

const tokens = { input: 1, output: 2, cache_read: 0, cache_creation: 0 };

Deno.test("renderCost() rounds the total like the rows under it, so they add up", () => {
  const row = (key: string, cost_usd: number) => ({ key, runs: 1, cost_usd, tokens });
  const view: CostView = {
    since: null,
    task: null,
    total: { runs: 2, cost_usd: 0.0123, tokens },
    by_task: [row("a", 0.0041), row("b", 0.0082)],
    by_day: [row("2026-11-25", 0.0123)],
    by_month: [row("2026-11", 0.0123)],
  };
  const lines = renderCost(view, colors(false));
  assert.equal(lines[0], "Cost: $0.0123 over 2 runs");
  assert.ok(lines.some((l) => /^ {2}a +1 +\$0\.0041 /.test(l)), lines.join("\n"));
  assert.ok(lines.some((l) => /^ {2}2026-11 +1 +\$0\.0123 /.test(l)), lines.join("\n"));
});
