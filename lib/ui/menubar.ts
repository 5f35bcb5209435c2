/**
 * @module
 * The menu bar plugin's output in SwiftBar's (and xbar's) line format, built from the status.
 * Pure. Data (task names, run ids, error texts) never breaks a line or adds a parameter: titles
 * are cleaned, and an action whose words are not plain is left out. Only parameters the host
 * knows are written: xbar refuses the whole menu at one it does not know (`symbolize`).
 */

import type { StatusView } from "../status/read.ts";
import type { RunSummary } from "../state/types.ts";
import type { SchedulerView } from "../schedule/overview.ts";
import { formatCost, formatDuration, localDate } from "./duration.ts";
import { describeBudget } from "./budget.ts";
import { describeHold } from "./hold.ts";

/** A scheduler silent this long while something is scheduled is stale (as in status). */
export const MENU_TICK_STALE_MS = 3 * 60_000;

/** How many past runs the menu lists. */
export const MENU_RUNS = 10;

/**
 * The app that runs the plugin. SwiftBar and xbar read the same lines but know different
 * parameters; "unknown" (a terminal, another host) gets what both know.
 */
export type MenuHost = "swiftbar" | "xbar" | "unknown";

/**
 * The host, from the variables it puts in the plugin's environment (which the plugin script
 * passes on to clodputer): SwiftBar sets `SWIFTBAR=1`, xbar sets `XBARDarkMode`.
 */
export function menuHost(get: (name: string) => string | undefined): MenuHost {
  if ((get("SWIFTBAR") ?? "") !== "") return "swiftbar";
  if (get("XBARDarkMode") !== undefined) return "xbar";
  return "unknown";
}

/**
 * The parameters that show a text as it is, no emoji (`:name:`), symbols or escapes: SwiftBar
 * knows `symbolize` (its SF Symbols); xbar knows no `symbolize` (it refuses the menu at it) but
 * reads backslash escapes unless `ansi=false`, which SwiftBar knows too.
 */
export function literalParams(host: MenuHost): readonly string[] {
  switch (host) {
    case "swiftbar":
      return ["emojize=false", "symbolize=false"];
    case "xbar":
    case "unknown":
      return ["emojize=false", "ansi=false"];
  }
}

/** A command run when a menu item is clicked: a program and its arguments, each separate. */
export interface MenuAction {
  argv: readonly string[];
  /** Open Terminal and run it there (to read its output), or run it in the background. */
  terminal: boolean;
  /** Run the plugin again when it ends. */
  refresh: boolean;
}

/** One line of the menu. */
export interface MenuItem {
  text: string;
  /** 0 for the menu, 1 for a submenu of the item above. */
  level?: number;
  color?: "red" | "orange";
  action?: MenuAction;
  /** The text holds words from outside (error texts): show it as it is, no emoji or symbols. */
  literal?: boolean;
}

/**
 * A title with nothing SwiftBar reads as format: control characters and line breaks become
 * spaces, `|` (which starts the parameters) becomes `¦`, and a leading `-` (a submenu mark, or
 * the `---` separator) becomes `‐`.
 */
export function menuText(text: string): string {
  // deno-lint-ignore no-control-regex
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, " ").replaceAll("|", "¦")
    .replace(/^-/, "‐");
}

/** The characters a program argument of a menu action may hold: no shell needs to quote them. */
const PLAIN_WORD = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** The program: an absolute path of plain characters and spaces. */
const PLAIN_PROGRAM = /^\/[A-Za-z0-9_@%+=:,./ -]*$/;

/**
 * One parameter value as SwiftBar reads it back unchanged: bare when it has no space and starts
 * with no quote, else in the quote it does not hold (SwiftBar's quoted values have no escape for
 * the quote itself). Undefined when neither works.
 */
export function paramValue(value: string): string | undefined {
  if (/[\r\n]/.test(value) || value.includes("\0") || value === "") return undefined;
  if (!/[\s"'\\]/.test(value)) return value;
  if (value.includes("\\") || /[^\S ]/.test(value)) return undefined;
  if (!value.includes('"')) return `"${value}"`;
  if (!value.includes("'")) return `'${value}'`;
  return undefined;
}

/**
 * Why `argv` cannot be a menu action, or undefined when it can. SwiftBar runs a Terminal action
 * (and, in some versions, every action) through a shell line it builds by pasting the words, so
 * each word must mean itself to a shell: the program an absolute path of plain characters (spaces
 * allowed: SwiftBar quotes those), every argument plain.
 */
export function actionProblem(argv: readonly string[]): string | undefined {
  const [program, ...args] = argv;
  if (program === undefined || !PLAIN_PROGRAM.test(program)) {
    return `the program path "${program ?? ""}" has characters a menu action cannot pass safely`;
  }
  const bad = args.find((a) => !PLAIN_WORD.test(a));
  return bad === undefined
    ? undefined
    : `the argument "${bad}" has characters a menu action cannot pass safely`;
}

/** The parameters of an action (`bash=... param1=... terminal=... refresh=...`), if it is safe. */
export function actionParams(action: MenuAction): string | undefined {
  if (actionProblem(action.argv) !== undefined) return undefined;
  const words = action.argv.map(paramValue);
  if (words.some((w) => w === undefined)) return undefined;
  const [program, ...args] = words as string[];
  return [
    `bash=${program}`,
    ...args.map((a, i) => `param${i + 1}=${a}`),
    `terminal=${action.terminal}`,
    `refresh=${action.refresh}`,
  ].join(" ");
}

/** The line between sections (and between the title and the menu). */
const SEPARATOR: MenuItem = Object.freeze({ text: "---" });

/** One item as a line; `skipped` learns why an action was left out. */
function itemLine(item: MenuItem, skipped: Set<string>, host: MenuHost): string {
  if (item === SEPARATOR) return "---";
  const params: string[] = [];
  if (item.color) params.push(`color=${item.color}`);
  if (item.literal) params.push(...literalParams(host));
  if (item.action) {
    const p = actionParams(item.action);
    if (p === undefined) skipped.add(actionProblem(item.action.argv) ?? "an argument is not plain");
    else params.push(p);
  }
  const text = "--".repeat(item.level ?? 0) + menuText(item.text);
  return params.length === 0 ? text : `${text} | ${params.join(" ")}`;
}

/** `14:02` today, `2026-11-30 14:02` another day (local time). */
function when(iso: string, nowMs: number): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const hm = `${String(d.getHours()).padStart(2, "0")}:${String(d.getMinutes()).padStart(2, "0")}`;
  const day = localDate(d.getTime());
  return day === localDate(nowMs) ? hm : `${day} ${hm}`;
}

/** True when the scheduler has been silent too long while tasks are scheduled. */
export function schedulerStale(s: SchedulerView): boolean {
  if (s.scheduled === 0) return false;
  return s.tick_age_ms === null || s.tick_age_ms > MENU_TICK_STALE_MS;
}

function staleText(s: SchedulerView): string {
  if (s.backend === null) return "not installed";
  if (s.tick_age_ms === null) return "no tick yet";
  return `no tick for ${formatDuration(s.tick_age_ms)}`;
}

/** The menu bar title: what runs, failures not acknowledged, a stale scheduler, a pause. */
export function menuTitle(view: StatusView): MenuItem {
  const parts: string[] = [];
  const r = view.runner;
  if (r.state === "running") parts.push(`▶ ${r.task} ${formatDuration(r.elapsed_ms)}`);
  if (r.state === "dead") parts.push("⚠ runner died");
  if (view.attention) parts.push(`✗ ${view.attention.failed} failed`);
  if (view.overdue.length > 0) parts.push(`⚠ ${view.overdue.length} did not run`);
  const stale = schedulerStale(view.scheduler);
  if (stale) parts.push(`⚠ ${staleText(view.scheduler)}`);
  if (view.queue.paused) parts.push(parts.length === 0 ? "⏸ paused" : "⏸");
  const hold = view.queue.hold;
  if (hold) parts.push(hold.kind === "auth" ? "✗ claude login" : "⏸ usage limit");
  if (parts.length === 0) parts.push(r.state === "busy" ? "▶ starting" : "◇ idle");
  const title: MenuItem = { text: parts.join(" · ") };
  if (view.attention || r.state === "dead" || view.overdue.length > 0 || hold?.kind === "auth") {
    title.color = "red";
  } else if (stale) title.color = "orange";
  return title;
}

function runMark(run: RunSummary): string {
  switch (run.status) {
    case "succeeded":
      return "✓";
    case "failed":
      return "✗";
    case "timed_out":
      return "✗ (timed out)";
    case "cancelled":
      return "⊘";
    case "lost":
      return "✗ (lost)";
    case "skipped":
      return "⊘ (skipped)";
    case "over_budget":
      return "✗ (over budget)";
    case "deferred":
      return "⏸ (deferred)";
    case "auth_failed":
      return "✗ (login)";
  }
}

/** What `renderMenu` needs besides the status. */
export interface MenuContext {
  /** The task names (tasks/*.yaml) for "Run now": those a click can run. */
  tasks: readonly string[];
  /**
   * The folder-watch tasks, left out of "Run now": a run of one is for a file, which a click
   * cannot give (`clodputer run <task> --file <path>`).
   */
  needFile?: readonly string[];
  /** The words that start this clodputer: the plugin itself, the binary, or deno and its flags. */
  self: readonly string[];
  /** Now, for "today" and times. */
  nowMs: number;
  /** The app that shows the menu: which parameters it knows. */
  host: MenuHost;
}

/** The menu's items, title first (before `---`). Pure. */
export function menuItems(view: StatusView, ctx: MenuContext): MenuItem[] {
  const cp = (args: string[], o: { terminal: boolean; refresh: boolean }): MenuAction => ({
    argv: [...ctx.self, ...args],
    ...o,
  });
  const show = (run: string) => cp(["show", run], { terminal: true, refresh: false });
  const items: MenuItem[] = [menuTitle(view), SEPARATOR];

  const a = view.attention;
  if (a) {
    items.push({
      text: `✗ ${a.failed} failed run${a.failed === 1 ? "" : "s"} since ${
        when(a.since, ctx.nowMs)
      }, last ${a.last.task}: open to acknowledge`,
      color: "red",
      action: cp(["menubar", "open", a.last.id], { terminal: true, refresh: true }),
    });
  }
  for (const o of view.overdue) {
    // The dead-man's switch: a scheduled slot that did not run. Doctor says why.
    items.push({
      text: `⚠ ${o.message}: run doctor`,
      color: "red",
      literal: true,
      action: cp(["doctor"], { terminal: true, refresh: false }),
    });
  }
  const r = view.runner;
  switch (r.state) {
    case "running":
      items.push(
        { text: `▶ Running ${r.task} for ${formatDuration(r.elapsed_ms)}` },
        { level: 1, text: "Show this run", action: show(r.run_id) },
        {
          level: 1,
          text: "Cancel this run",
          action: cp(["cancel", r.run_id], { terminal: false, refresh: true }),
        },
      );
      break;
    case "busy":
      items.push({ text: `▶ The runner is between tasks (pid ${r.pid})` });
      break;
    case "dead":
      items.push({
        text: `⚠ The runner died (pid ${r.pid}): ${r.reason}; the next clodputer run recovers`,
        color: "red",
        literal: true,
      });
      break;
    case "idle":
      items.push({ text: "◇ Nothing running" });
      break;
  }

  const q = view.queue;
  items.push({
    text: q.queued === 0
      ? "Queue: empty"
      : `Queue: ${q.queued} waiting${q.high > 0 ? ` (${q.high} high priority)` : ""}`,
    action: cp(["queue"], { terminal: true, refresh: false }),
  });
  if (q.hold) {
    items.push({
      text: describeHold(q.hold, view.today.date),
      ...(q.hold.kind === "auth" ? { color: "red" as const } : {}),
    });
  }
  if (q.paused) {
    items.push(
      {
        text: q.paused.until === null
          ? `⏸ Paused since ${when(q.paused.since, ctx.nowMs)}, until resumed`
          : `⏸ Paused until ${when(q.paused.until, ctx.nowMs)}`,
      },
      { text: "Resume the queue", action: cp(["resume"], { terminal: false, refresh: true }) },
    );
  } else {
    items.push({
      text: "Pause the queue",
      action: cp(["pause"], { terminal: false, refresh: true }),
    });
  }

  const s = view.scheduler;
  const doctor = cp(["doctor"], { terminal: true, refresh: false });
  if (schedulerStale(s)) {
    items.push({
      text: `⚠ Scheduler: ${staleText(s)} while ${s.scheduled} task${
        s.scheduled === 1 ? " is" : "s are"
      } scheduled: run doctor`,
      color: "orange",
      action: doctor,
    });
  } else if (s.backend !== null && s.tick_age_ms !== null) {
    const ok = s.last_tick === null || s.last_tick.ok;
    items.push({
      text: `Scheduler: ${s.backend}, last tick ${formatDuration(s.tick_age_ms)} ago${
        ok ? "" : ` (failed: ${s.last_tick?.message ?? ""})`
      }`,
      ...(ok ? {} : { color: "orange" as const, literal: true }),
    });
  }
  const t = view.today;
  items.push({
    text: `Today: ${t.succeeded} succeeded, ${t.failed} failed, ${formatCost(t.cost_usd)}`,
  });
  if (view.budget) items.push({ text: `Budget: ${describeBudget(view.budget)}` });

  items.push(SEPARATOR, { text: "Last runs" });
  if (view.recent.length === 0) items.push({ text: "No runs yet" });
  for (const run of view.recent.slice(0, MENU_RUNS)) {
    items.push({
      text: `${runMark(run)} ${run.task} · ${when(run.started_at, ctx.nowMs)} · ${
        formatDuration(run.duration_ms)
      } · ${run.cost_usd === null ? "no cost" : formatCost(run.cost_usd)}`,
      ...(run.status === "succeeded" ? {} : { color: "red" as const }),
      action: show(run.id),
    });
  }

  items.push(SEPARATOR);
  if (ctx.tasks.length === 0) {
    items.push({
      text: (ctx.needFile ?? []).length === 0
        ? "Run now: no tasks yet (clodputer new)"
        : "Run now: only folder watches, which run on a file (clodputer run <task> --file <path>)",
    });
  } else {
    items.push({ text: "Run now" });
    for (const task of ctx.tasks) {
      items.push({
        level: 1,
        text: task,
        action: cp(["run", task], { terminal: false, refresh: true }),
      });
    }
  }
  items.push(
    SEPARATOR,
    { text: "Open the log", action: cp(["logs", "--follow"], { terminal: true, refresh: false }) },
    // Opens the running dashboard, or starts one (it keeps running in the background).
    {
      text: "Open web dashboard",
      action: cp(["web", "--open"], { terminal: false, refresh: false }),
    },
    { text: "Run doctor", action: doctor },
  );
  return items;
}

/**
 * The plugin's output: one string per line, in the plugin format of `ctx.host`. Items whose action
 * cannot be passed safely are shown without it, and the last line says why.
 */
export function renderMenu(view: StatusView, ctx: MenuContext): string[] {
  const skipped = new Set<string>();
  const lines = menuItems(view, ctx).map((item) => itemLine(item, skipped, ctx.host));
  for (const why of skipped) {
    lines.push(
      itemLine(
        { text: `Some items have no action: ${why}`, color: "orange", literal: true },
        new Set(),
        ctx.host,
      ),
    );
  }
  lines.push("Refresh | refresh=true");
  return lines;
}

/** The menu for when the status cannot be read: the error, and the ways to look into it. */
export function renderMenuError(message: string, ctx: MenuContext): string[] {
  const skipped = new Set<string>();
  const items: MenuItem[] = [
    { text: "⚠ clodputer", color: "red" },
    SEPARATOR,
    { text: `Cannot read the status: ${message}`, color: "red", literal: true },
    {
      text: "Run doctor",
      action: { argv: [...ctx.self, "doctor"], terminal: true, refresh: false },
    },
  ];
  const lines = items.map((item) => itemLine(item, skipped, ctx.host));
  lines.push("Refresh | refresh=true");
  return lines;
}
