/**
 * @module
 * Charts drawn on the server as SVG, by a few functions of our own: a bar chart with a y axis of
 * round ticks, a few labelled days or months under it, a `<title>` on each bar (what a pointer
 * shows), and horizontal lines for limits. Colours come from CSS classes (the stylesheet's chart
 * block), sizes from attributes: nothing inline, so the page's CSP of 'self' holds. Every text
 * goes through the `html` template. Pure.
 */

import { html, type SafeHtml } from "./html.ts";

/** One bar: where it stands (its slot on the x axis) and what it says. */
export interface ChartBar {
  /** `data-key`: the day or month. */
  key: string;
  /** Its place from the left, 0-based, among `slots`. */
  slot: number;
  value: number;
  /** The bar's `<title>`: "2026-11-25: $0.03 · 3 runs". */
  title: string;
  /** Drawn in the warning colour (over a limit). */
  over?: boolean;
}

/** A horizontal line across the chart at `value`: a limit. */
export interface ChartLine {
  /** `data-budget`: daily, monthly. */
  name: string;
  value: number;
  label: string;
}

/** What a bar chart shows. */
export interface BarChart {
  /** `data-testid` of the `<svg>`. */
  testid: string;
  /** What the chart shows, for screen readers. */
  label: string;
  /** How many slots the x axis has (a bar per slot at most; empty slots are gaps). */
  slots: number;
  bars: ChartBar[];
  lines?: ChartLine[];
  /** A y-axis value as text ("$0.05"). */
  formatValue(value: number): string;
  /** The label under a slot (a day, a month). */
  slotLabel(slot: number): string;
}

/** The chart's size in SVG units (it scales to its box). */
export const CHART_SIZE = { width: 720, height: 220, left: 60, right: 16, top: 14, bottom: 26 };

/**
 * Round tick values from 0 to at least `max`: about `count` steps of 1, 2 or 5 times a power of
 * ten. Pure.
 */
export function niceTicks(max: number, count = 4): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = ([1, 2, 5, 10].find((m) => m * power >= raw) ?? 10) * power;
  const ticks: number[] = [];
  for (let i = 0; i * step < max + step / 2 && ticks.length <= count + 1; i++) {
    // Steps are decimal: round away the binary noise of i * step.
    ticks.push(Number((i * step).toPrecision(12)));
  }
  if ((ticks.at(-1) ?? 0) < max) ticks.push(Number((ticks.length * step).toPrecision(12)));
  return ticks;
}

/** The slots that get a label: the first, the last, and evenly between, at most `most`. Pure. */
export function labelledSlots(slots: number, most = 6): number[] {
  if (slots <= 0) return [];
  if (slots <= most) return [...Array(slots).keys()];
  const out = new Set<number>();
  for (let i = 0; i < most; i++) out.add(Math.round((i * (slots - 1)) / (most - 1)));
  return [...out];
}

function r(n: number): number {
  return Math.round(n * 100) / 100;
}

/** A bar chart as an `<svg>`: `[data-bar][data-key]` per bar, `[data-budget]` per line. Pure. */
export function barChart(chart: BarChart): SafeHtml {
  const { width, height, left, right, top, bottom } = CHART_SIZE;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const lines = chart.lines ?? [];
  const max = Math.max(0, ...chart.bars.map((b) => b.value), ...lines.map((l) => l.value));
  const ticks = niceTicks(max);
  const yMax = ticks.at(-1) as number;
  const y = (v: number) => r(top + plotH - (v / yMax) * plotH);
  const slots = Math.max(1, chart.slots);
  const slotW = plotW / slots;
  const barW = r(Math.min(48, Math.max(0.5, slotW * (slots > 60 ? 0.9 : 0.75))));
  const x = (slot: number) => r(left + slot * slotW + (slotW - barW) / 2);
  const base = top + plotH;
  return html`
    <svg class="chart" data-testid="${chart.testid}" role="img" aria-label="${chart.label}"
      viewBox="0 0 ${width} ${height}" width="100%" preserveAspectRatio="xMinYMin meet">
      <g class="axis">${ticks.map((t) =>
        html`
          <line class="grid" x1="${left}" x2="${width - right}" y1="${y(t)}" y2="${y(t)}"></line>
          <text class="tick" x="${left - 6}" y="${y(t) + 4}" text-anchor="end">${chart.formatValue(
            t,
          )}</text>
        `
      )}${labelledSlots(chart.slots).map((s) =>
        html`
          <text class="tick" x="${r(left + (s + 0.5) * slotW)}" y="${height - 8}"
            text-anchor="middle">${chart.slotLabel(s)}</text>
        `
      )}
        <line class="baseline" x1="${left}" x2="${width - right}" y1="${base}" y2="${base}"></line>
      </g>
      <g class="bars">${chart.bars.map((b) =>
        html`
          <rect class="bar${b.over ? " over" : ""}" data-bar="" data-key="${b.key}" data-value="${b
            .value}"
            x="${x(b.slot)}" y="${y(b.value)}" width="${barW}" height="${r(
              base - y(b.value),
            )}">
            <title>${b.title}</title>
          </rect>
        `
      )}</g>${lines.map((l) =>
        html`
          <g class="budget" data-budget="${l.name}">
            <title>${l.label}</title>
            <line x1="${left}" x2="${width - right}" y1="${y(l.value)}" y2="${y(l.value)}"></line>
            <text x="${width - right}" y="${y(l.value) - 4}" text-anchor="end">${l.label}</text>
          </g>
        `
      )}
    </svg>
  `;
}
