/**
 * @module
 * The menu bar renderer: title states, the menu's items and their commands, and data that must
 * not break a line or add a parameter. Every menu is rendered for each host and read back with
 * that host's reader: SwiftBar's (menubar_format.ts) and xbar's (menubar_xbar_format.ts), which
 * refuses the whole output at a parameter xbar does not know.
 */

import { local } from "../fakes/clock.ts";
import assert from "node:assert/strict";
import type { StatusView } from "../../lib/status/read.ts";
import type { RunSummary } from "../../lib/state/types.ts";
import type { SchedulerView } from "../../lib/schedule/overview.ts";
import {
  actionParams,
  literalParams,
  type MenuContext,
  type MenuHost,
  menuHost,
  menuText,
  paramValue,
  renderMenu,
  renderMenuError,
} from "../../lib/ui/menubar.ts";
import {
  actionArgv,
  type ParsedLine,
  parseOutput,
  parseParams,
  unknownKeys,
} from "./menubar_format.ts";
import { IDLE_STATUS } from "../fakes/status.ts";
import { parseXbarOutput, XbarParseError } from "./menubar_xbar_format.ts";

const NOW = Date.parse(local("2026-11-25 12:00:00"));
const PLUGIN = "/Users/me/Library/Application Support/xbar/plugins/clodputer.10s.sh";

const base: StatusView = IDLE_STATUS;
const scheduler: SchedulerView = base.scheduler;

const ctx: MenuContext = {
  tasks: ["backup", "daily-email"],
  self: [PLUGIN],
  nowMs: NOW,
  host: "swiftbar",
};

/**
 * The same menu for the other hosts: xbar reads every line (its reader throws where xbar would
 * refuse the menu), and each host sees the same texts and actions as SwiftBar; only the
 * parameters that keep a text literal differ.
 */
function otherHosts(render: (host: MenuHost) => string[]): void {
  const swift = parseOutput(render("swiftbar").join("\n") + "\n");
  const strip = (l: ParsedLine) => {
    const { emojize: _e, symbolize: _s, ansi: _a, ...rest } = l.params;
    return { ...l, params: rest };
  };
  for (const host of ["xbar", "unknown"] as const) {
    const lines = render(host);
    const xbar = parseXbarOutput(lines.join("\n") + "\n");
    assert.equal(xbar.length, lines.length);
    for (const l of xbar) assert.ok(!("symbolize" in l.params), `${host}: ${JSON.stringify(l)}`);
    const other = parseOutput(lines.join("\n") + "\n");
    assert.deepEqual(
      [...other.titles, ...other.menu].map(strip),
      [...swift.titles, ...swift.menu].map(strip),
      `${host} shows what SwiftBar shows`,
    );
  }
}

function run(id: string, over: Partial<RunSummary> = {}): RunSummary {
  return {
    id,
    task: "daily-email",
    status: "succeeded",
    outcome: { kind: "success" },
    trigger: { type: "manual" },
    enqueued_at: null,
    started_at: local("2026-11-25 11:02:00"),
    ended_at: local("2026-11-25 11:03:03"),
    duration_ms: 63_000,
    cost_usd: 0.0412,
    session_id: null,
    ...over,
  };
}

/** Renders, reads back, and checks what every output must satisfy. */
function menu(
  view: StatusView,
  c: MenuContext = ctx,
): { titles: ParsedLine[]; menu: ParsedLine[] } {
  otherHosts((host) => renderMenu(view, { ...c, host }));
  const lines = renderMenu(view, c);
  for (const line of lines) assert.ok(!/[\r\n]/.test(line), `one line: ${JSON.stringify(line)}`);
  const parsed = parseOutput(lines.join("\n") + "\n");
  for (const l of [...parsed.titles, ...parsed.menu]) {
    assert.deepEqual(unknownKeys(l.params), [], `only our parameters: ${JSON.stringify(l)}`);
    const argv = actionArgv(l.params);
    if (argv) {
      assert.ok(["true", "false"].includes(l.params.terminal ?? ""), "terminal= is said");
      assert.ok(["true", "false"].includes(l.params.refresh ?? ""), "refresh= is said");
      assert.equal(argv[0], c.self[0], "every action starts this clodputer");
    }
  }
  return parsed;
}

function item(m: { menu: ParsedLine[] }, title: RegExp): ParsedLine {
  const found = m.menu.find((l) => title.test(l.title));
  assert.ok(found, `an item ${title}: ${m.menu.map((l) => l.title).join(" / ")}`);
  return found;
}

Deno.test("renderMenu() idle: one title line, no colour, the queue, pause, run now, log, doctor", () => {
  const m = menu(base);
  assert.equal(m.titles.length, 1);
  assert.equal(m.titles[0]?.title, "◇ idle");
  assert.equal(m.titles[0]?.params.color, undefined);
  assert.deepEqual(actionArgv(item(m, /^Queue: empty$/).params), [PLUGIN, "queue"]);
  const pause = item(m, /^Pause the queue$/).params;
  assert.deepEqual(actionArgv(pause), [PLUGIN, "pause"]);
  assert.equal(pause.terminal, "false");
  assert.equal(pause.refresh, "true");
  const runNow = m.menu.filter((l) => l.level === 1);
  assert.deepEqual(runNow.map((l) => l.title), ["backup", "daily-email"]);
  assert.deepEqual(runNow.map((l) => actionArgv(l.params)), [
    [PLUGIN, "run", "backup"],
    [PLUGIN, "run", "daily-email"],
  ]);
  assert.deepEqual(actionArgv(item(m, /^Open the log$/).params), [PLUGIN, "logs", "--follow"]);
  const doctor = item(m, /^Run doctor$/).params;
  assert.deepEqual(actionArgv(doctor), [PLUGIN, "doctor"]);
  assert.equal(doctor.terminal, "true");
  assert.equal(item(m, /^No runs yet$/).params.bash, undefined);
});

Deno.test("renderMenu() has Open web dashboard: clodputer web --open, in the background", () => {
  const m = menu(base);
  const web = item(m, /^Open web dashboard$/).params;
  assert.deepEqual(actionArgv(web), [PLUGIN, "web", "--open"]);
  assert.equal(web.terminal, "false");
  assert.equal(web.refresh, "false");
});

Deno.test("renderMenu() leaves folder-watch tasks out of Run now (a run of one needs a file)", () => {
  const m = menu(base, { ...ctx, tasks: ["backup"], needFile: ["inbox"] });
  assert.deepEqual(m.menu.filter((l) => l.level === 1).map((l) => l.title), ["backup"]);
  assert.ok(!m.menu.some((l) => l.title.includes("inbox")));
  const only = menu(base, { ...ctx, tasks: [], needFile: ["inbox"] });
  assert.equal(
    item(only, /^Run now/).title,
    "Run now: only folder watches, which run on a file (clodputer run <task> --file <path>)",
  );
  assert.equal(item(only, /^Run now/).params.bash, undefined);
  assert.deepEqual(only.menu.filter((l) => l.level === 1), []);
  assert.equal(
    item(menu(base, { ...ctx, tasks: [] }), /^Run now/).title,
    "Run now: no tasks yet (clodputer new)",
  );
});

Deno.test("renderMenu() shows the budget and what is spent against it, only when one is set", () => {
  assert.ok(!menu(base).menu.some((l) => l.title.startsWith("Budget")));
  const m = menu({
    ...base,
    budget: { daily_usd: 5, monthly_usd: null, today_usd: 0.4, month_usd: 3.1 },
  });
  assert.equal(item(m, /^Budget: /).title, "Budget: $0.40 of $5.00 today");
});

Deno.test("renderMenu() running: the title names the task and how long; show and cancel it", () => {
  const m = menu({
    ...base,
    runner: {
      state: "running",
      pid: 10,
      task: "daily-email",
      run_id: "20261125-115848-abc123",
      elapsed_ms: 192_000,
      claude_pid: 11,
    },
  });
  assert.equal(m.titles[0]?.title, "▶ daily-email 3m12s");
  const i = m.menu.findIndex((l) => l.title === "▶ Running daily-email for 3m12s");
  assert.ok(i >= 0);
  assert.deepEqual(actionArgv(m.menu[i + 1]?.params ?? {}), [
    PLUGIN,
    "show",
    "20261125-115848-abc123",
  ]);
  assert.equal(m.menu[i + 1]?.level, 1);
  assert.deepEqual(actionArgv(m.menu[i + 2]?.params ?? {}), [
    PLUGIN,
    "cancel",
    "20261125-115848-abc123",
  ]);
});

Deno.test("renderMenu() failed since acknowledged: red title, and an item that acknowledges and shows", () => {
  const m = menu({
    ...base,
    attention: {
      failed: 2,
      since: local("2026-11-25 10:02:00"),
      last: {
        id: "20261125-110200-ffffff",
        task: "backup",
        status: "failed",
        ended_at: local("2026-11-25 11:02:00"),
      },
    },
  });
  assert.equal(m.titles[0]?.title, "✗ 2 failed");
  assert.equal(m.titles[0]?.params.color, "red");
  const open = item(m, /^✗ 2 failed runs since 10:02, last backup: open to acknowledge$/).params;
  assert.deepEqual(actionArgv(open), [PLUGIN, "menubar", "open", "20261125-110200-ffffff"]);
  assert.equal(open.terminal, "true");
  assert.equal(open.refresh, "true");
});

Deno.test("renderMenu() an overdue slot (the dead-man's switch): red title, and an item that runs doctor", () => {
  const m = menu({
    ...base,
    overdue: [{
      task: "daily-email",
      slot: local("2026-11-25 08:00:00"),
      timezone: null,
      last_tick: local("2026-11-25 07:12:00"),
      message: "daily-email did not run at 08:00; last tick 07:12",
    }],
  });
  assert.equal(m.titles[0]?.title, "⚠ 1 did not run");
  assert.equal(m.titles[0]?.params.color, "red");
  const doctor =
    item(m, /^⚠ daily-email did not run at 08:00; last tick 07:12: run doctor$/).params;
  assert.deepEqual(actionArgv(doctor), [PLUGIN, "doctor"]);
  assert.equal(doctor.terminal, "true");
});

Deno.test("renderMenu() a scheduler stale for more than 3 minutes while tasks are scheduled", async (t) => {
  const tick = { at: local("2026-11-25 11:55:00"), ok: true, message: "", pid: 5, queued: 0 };
  const cases: { name: string; s: SchedulerView; title: string; color?: string }[] = [
    {
      name: "silent 5 minutes",
      s: { ...scheduler, backend: "crontab", last_tick: tick, tick_age_ms: 300_000, scheduled: 2 },
      title: "⚠ no tick for 5m00s",
      color: "orange",
    },
    {
      name: "silent 2 minutes: fine",
      s: { ...scheduler, backend: "crontab", last_tick: tick, tick_age_ms: 120_000, scheduled: 2 },
      title: "◇ idle",
    },
    {
      name: "nothing scheduled: never stale",
      s: { ...scheduler, backend: "crontab", last_tick: tick, tick_age_ms: 3_600_000 },
      title: "◇ idle",
    },
    {
      name: "scheduled but never installed",
      s: { ...scheduler, scheduled: 1 },
      title: "⚠ not installed",
      color: "orange",
    },
  ];
  for (const c of cases) {
    await t.step(c.name, () => {
      const m = menu({ ...base, scheduler: c.s });
      assert.equal(m.titles[0]?.title, c.title);
      assert.equal(m.titles[0]?.params.color, c.color);
      if (c.color) {
        assert.deepEqual(actionArgv(item(m, /^⚠ Scheduler: /).params), [PLUGIN, "doctor"]);
      }
    });
  }
});

Deno.test("renderMenu() a paused queue offers resume; failures keep the title red while running", () => {
  const m = menu({
    ...base,
    runner: { state: "running", pid: 1, task: "a", run_id: "r1", elapsed_ms: 5_000, claude_pid: 2 },
    queue: { queued: 3, high: 1, paused: { since: local("2026-11-25 11:00:00"), until: null } },
    attention: {
      failed: 1,
      since: local("2026-11-25 10:00:00"),
      last: { id: "r0", task: "a", status: "timed_out", ended_at: local("2026-11-25 10:00:00") },
    },
  });
  assert.equal(m.titles[0]?.title, "▶ a 5.0s · ✗ 1 failed · ⏸");
  assert.equal(m.titles[0]?.params.color, "red");
  item(m, /^Queue: 3 waiting \(1 high priority\)$/);
  item(m, /^⏸ Paused since 11:00, until resumed$/);
  assert.deepEqual(actionArgv(item(m, /^Resume the queue$/).params), [PLUGIN, "resume"]);
  assert.ok(!m.menu.some((l) => l.title === "Pause the queue"));
});

Deno.test("renderMenu() lists the last 10 runs: mark, task, when, duration, cost; each shows its run", () => {
  const recent = Array.from(
    { length: 12 },
    (_, i) =>
      run(`20261125-1100${String(i).padStart(2, "0")}-aaaaaa`, {
        ...(i === 1 ? { status: "failed" as const, cost_usd: null } : {}),
        ...(i === 2 ? { started_at: local("2026-11-24 09:05:00") } : {}),
      }),
  );
  const m = menu({ ...base, recent });
  const start = m.menu.findIndex((l) => l.title === "Last runs");
  const runs = m.menu.slice(start + 1, start + 11);
  assert.equal(m.menu[start + 11]?.separator, true, "10 runs, then the next section");
  assert.equal(runs[0]?.title, "✓ daily-email · 11:02 · 1m03s · $0.04");
  assert.equal(runs[1]?.title, "✗ daily-email · 11:02 · 1m03s · no cost");
  assert.equal(runs[1]?.params.color, "red");
  assert.equal(runs[2]?.title, "✓ daily-email · 2026-11-24 09:05 · 1m03s · $0.04");
  assert.deepEqual(
    runs.map((l) => actionArgv(l.params)),
    recent.slice(0, 10).map((r) => [PLUGIN, "show", r.id]),
  );
  assert.ok(runs.every((l) => l.params.terminal === "true"));
});

Deno.test("renderMenu() hostile data breaks no line and adds no parameter", () => {
  const evil = `x | bash=/bin/rm param1=-rf param2=/ terminal=false\n---\n--y "q' \\`;
  const m = menu({
    ...base,
    runner: { state: "dead", pid: 9, reason: evil },
    recent: [run(evil, { task: evil }), run("20261125-110000-okokok")],
    attention: {
      failed: 1,
      since: local("2026-11-25 10:00:00"),
      last: { id: evil, task: evil, status: "failed", ended_at: local("2026-11-25 10:00:00") },
    },
    scheduler: {
      ...scheduler,
      backend: "crontab",
      tick_age_ms: 10_000,
      last_tick: { at: "", ok: false, message: evil, pid: 1, queued: 0 },
    },
  }, { ...ctx, tasks: [...ctx.tasks, evil] });
  const all = [...m.titles, ...m.menu];
  // Only our separators: the hostile "---" stayed inside its line.
  assert.equal(
    m.menu.filter((l) => l.separator).length,
    menu(base).menu.filter((l) => l.separator).length,
  );
  for (const l of all) {
    const argv = actionArgv(l.params);
    if (argv) assert.ok(!argv.some((a) => a.includes("rm") || a === evil), JSON.stringify(argv));
    assert.ok(!("param1" in l.params) || l.params.bash === PLUGIN);
  }
  const dead = item(m, /^⚠ The runner died/);
  assert.equal(dead.params.emojize, "false");
  assert.equal(dead.params.bash, undefined);
  assert.ok(dead.title.includes("x ¦ bash=/bin/rm"), dead.title);
  // The hostile run is listed, without an action; the plain one keeps its own.
  const runs = all.filter((l) => l.title.includes("· 1m03s ·"));
  assert.equal(runs.length, 2);
  assert.equal(runs[0]?.params.bash, undefined);
  assert.deepEqual(actionArgv(runs[1]?.params ?? {}), [PLUGIN, "show", "20261125-110000-okokok"]);
  const evilTask = all.find((l) => l.level === 1 && l.title.startsWith("x ¦"));
  assert.ok(evilTask && evilTask.params.bash === undefined);
  const note = item(m, /^Some items have no action: the argument "x ¦ bash/);
  assert.equal(note.params.color, "orange");
});

Deno.test("renderMenu() a plugin path with spaces is quoted; one SwiftBar cannot pass leaves actions out", async (t) => {
  await t.step("spaces: quoted, read back whole", () => {
    const m = menu(base);
    assert.ok(renderMenu(base, ctx).some((l) => l.includes(`bash="${PLUGIN}" param1=pause`)));
    assert.deepEqual(actionArgv(item(m, /^Pause the queue$/).params), [PLUGIN, "pause"]);
  });
  for (
    const path of [`/tmp/it's "x"/p.sh`, "/tmp/a$(touch b)/p.sh", "/tmp/a\\b/p.sh", "rel/p.sh"]
  ) {
    await t.step(path, () => {
      const lines = renderMenu(base, { ...ctx, self: [path] });
      otherHosts((host) => renderMenu(base, { ...ctx, self: [path], host }));
      const parsed = parseOutput(lines.join("\n"));
      assert.ok(parsed.menu.every((l) => l.params.bash === undefined), lines.join("\n"));
      assert.ok(lines.some((l) => l.startsWith("Some items have no action: the program path")));
    });
  }
});

Deno.test("renderMenu() from source: deno and its flags are separate parameters", () => {
  const self = [
    "/opt/deno/bin/deno",
    "run",
    "-q",
    "-P",
    "--config",
    "/src/deno.json",
    "/src/main.ts",
  ];
  const m = menu(base, { ...ctx, self });
  assert.deepEqual(actionArgv(item(m, /^Run doctor$/).params), [...self, "doctor"]);
});

Deno.test("renderMenuError() shows the error in the menu and offers doctor", () => {
  const lines = renderMenuError("Cannot open\nthe store | x=y", ctx);
  otherHosts((host) => renderMenuError("Cannot open\nthe store | x=y", { ...ctx, host }));
  const m = parseOutput(lines.join("\n"));
  assert.equal(m.titles[0]?.title, "⚠ clodputer");
  assert.equal(m.titles[0]?.params.color, "red");
  assert.equal(m.menu[0]?.title, "Cannot read the status: Cannot open the store ¦ x=y");
  assert.deepEqual(unknownKeys(m.menu[0]?.params ?? {}), []);
  assert.deepEqual(actionArgv(m.menu[1]?.params ?? {}), [PLUGIN, "doctor"]);
});

Deno.test("menuText() and paramValue() keep data inside its line and its value", async (t) => {
  await t.step("menuText", () => {
    assert.equal(menuText("a|b\nc\r\td"), "a¦b c  d");
    assert.equal(menuText("--sub"), "‐-sub");
    assert.equal(menuText("---"), "‐--");
  });
  const cases: [string, string | undefined][] = [
    ["plain", "plain"],
    ["a b", '"a b"'],
    ['a "b"', `'a "b"'`],
    [`a "b" 'c'`, undefined],
    ["a\\ b", undefined],
    ["a\nb", undefined],
    ["a\tb", undefined],
    ["", undefined],
  ];
  for (const [value, want] of cases) {
    await t.step(JSON.stringify(value), () => {
      const got = paramValue(value);
      assert.equal(got, want);
      if (got !== undefined) assert.equal(parseParams(`k=${got} next=1`).k, value);
    });
  }
  await t.step("actionParams refuses a word a shell would read differently", () => {
    for (const arg of ["a b", "$(x)", "a;b", "`x`", "~", "*", "a'b", 'a"b', "a|b"]) {
      assert.equal(
        actionParams({ argv: ["/bin/clodputer", "run", arg], terminal: false, refresh: true }),
        undefined,
        arg,
      );
    }
  });
});

/** Every state with a text from outside (shown literally), and the line that holds it. */
const LITERAL_STATES: { name: string; render: (c: MenuContext) => string[]; line: RegExp }[] = [
  {
    name: "an overdue slot",
    render: (c) =>
      renderMenu({
        ...base,
        overdue: [{
          task: "a",
          slot: local("2026-11-25 08:00:00"),
          timezone: null,
          last_tick: null,
          message: "a did not run at 08:00 :fire:",
        }],
      }, c),
    line: /^⚠ a did not run at 08:00 :fire:: run doctor/,
  },
  {
    name: "a dead runner",
    render: (c) => renderMenu({ ...base, runner: { state: "dead", pid: 9, reason: ":x:" } }, c),
    line: /^⚠ The runner died/,
  },
  {
    name: "a failed tick",
    render: (c) =>
      renderMenu({
        ...base,
        scheduler: {
          ...scheduler,
          backend: "crontab",
          tick_age_ms: 10_000,
          last_tick: { at: "", ok: false, message: ":gear: broke", pid: 1, queued: 0 },
        },
      }, c),
    line: /^Scheduler: crontab, last tick .* \(failed: :gear: broke\)/,
  },
  {
    name: "an action left out",
    render: (c) => renderMenu(base, { ...c, self: ["rel/p.sh"] }),
    line: /^Some items have no action: /,
  },
  {
    name: "the error menu",
    render: (c) => renderMenuError("Cannot open :lock:", c),
    line: /^Cannot read the status: Cannot open :lock:/,
  },
];

Deno.test("renderMenu() keeps outside text literal with only the parameters the host knows", async (t) => {
  for (const state of LITERAL_STATES) {
    await t.step(state.name, () => {
      const swift = parseOutput(state.render(ctx).join("\n")).menu.find((l) =>
        state.line.test(l.title)
      );
      assert.ok(swift, `${state.line}: ${state.render(ctx).join("\n")}`);
      assert.equal(swift.params.emojize, "false");
      assert.equal(swift.params.symbolize, "false", "SwiftBar: :name: is not an SF Symbol");
      for (const host of ["xbar", "unknown"] as const) {
        const lines = state.render({ ...ctx, host });
        const got = parseXbarOutput(lines.join("\n")).find((l) => state.line.test(l.text));
        assert.ok(got, `${host}: ${lines.join("\n")}`);
        assert.deepEqual(
          { emojize: got.params.emojize, ansi: got.params.ansi },
          { emojize: "false", ansi: "false" },
          host,
        );
        assert.ok(!("symbolize" in got.params), host);
      }
    });
  }
});

Deno.test("literalParams() per host, read by the xbar reader: SwiftBar's symbolize is refused", () => {
  assert.deepEqual(literalParams("swiftbar"), ["emojize=false", "symbolize=false"]);
  for (const host of ["xbar", "unknown"] as const) {
    assert.deepEqual(parseXbarOutput(`t | color=red ${literalParams(host).join(" ")}`)[0]?.params, {
      color: "red",
      emojize: "false",
      ansi: "false",
    });
  }
  assert.throws(
    () => parseXbarOutput(`ok\nt | color=red ${literalParams("swiftbar").join(" ")}`),
    (e) => e instanceof XbarParseError && /line 2 .*unknown parameter: symbolize/.test(e.message),
  );
});

Deno.test("the xbar reader refuses what xbar refuses and reads what it reads", async (t) => {
  const ok: [string, Record<string, string>][] = [
    ["a", {}],
    ['a | bash="/x y/p.sh" param1=run param2=b terminal=false refresh=true', {
      bash: "/x y/p.sh",
      param1: "run",
      param2: "b",
      terminal: "false",
      refresh: "true",
    }],
    [`a | bash='/x "y"/p.sh' color=#ff0000`, { bash: '/x "y"/p.sh', color: "#ff0000" }],
    ["a | refresh=true", { refresh: "true" }],
  ];
  for (const [line, params] of ok) {
    await t.step(line, () => assert.deepEqual(parseXbarOutput(line)[0]?.params, params));
  }
  const bad: [string, RegExp][] = [
    ["a | symbolize=false", /unknown parameter: symbolize/],
    ["a | sfimage=gear", /unknown parameter: sfimage/],
    ["a | terminal=no", /terminal: expected "true" or "false"/],
    ["a | color=reddish", /invalid color/],
    ["a | size=big", /expected an int/],
    ["a | paramx=1", /should be paramN/],
    ["a | refresh", /missing equals/],
  ];
  for (const [line, why] of bad) {
    await t.step(line, () => {
      assert.throws(
        () => parseXbarOutput(line),
        (e) => e instanceof XbarParseError && why.test(e.message),
      );
    });
  }
});

Deno.test("menuHost() from the variables SwiftBar and xbar set", () => {
  const cases: [Record<string, string>, MenuHost][] = [
    [{ SWIFTBAR: "1" }, "swiftbar"],
    [{ SWIFTBAR: "1", XBARDarkMode: "false" }, "swiftbar"],
    [{ XBARDarkMode: "false" }, "xbar"],
    [{ XBARDarkMode: "true" }, "xbar"],
    [{ SWIFTBAR: "" }, "unknown"],
    [{}, "unknown"],
  ];
  for (const [env, want] of cases) assert.equal(menuHost((n) => env[n]), want, JSON.stringify(env));
});
