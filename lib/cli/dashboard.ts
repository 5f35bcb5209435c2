/**
 * @module
 * `clodputer dashboard`: a full-screen view of the runner, the running task's live progress, the
 * queue, recent runs, today's cost, the scheduler and the watcher, refreshed every second, with
 * keys to run a task, cancel the running one, pause or resume the queue and follow the log.
 */

import { ClodputerError, UsageError } from "../errors.ts";
import { readEvents } from "../log/reader.ts";
import { cancelRunning } from "../state/cancel.ts";
import { withStore } from "../state/open.ts";
import { togglePause } from "../state/pause.ts";
import { startRunInBackground } from "../state/start_runner.ts";
import { RunTail } from "../run/live.ts";
import { join } from "../sys/posix_path.ts";
import { runDir } from "../sys/paths.ts";
import { canUseScreen, enterScreen, type Screen } from "../sys/term.ts";
import { colors } from "../ui/color.ts";
import { zoneLabel } from "../ui/duration.ts";
import { type DashboardState, renderDashboard } from "../ui/dashboard.ts";
import { describePause } from "../ui/pause.ts";
import type { Deps } from "./deps.ts";
import { renderEvent } from "./logs_tail.ts";
import { raiseOverdueAlarms } from "../status/overdue_alarms.ts";
import { readStatus } from "../status/read.ts";
import { runNowTasks } from "../status/run_now.ts";

/** How often the screen is redrawn, and the state read again while a task runs. */
const REFRESH_MS = 1000;
/**
 * While nothing runs, the state is read again only when one of its files changed, or after this
 * long (for what changes with time alone: the tick's age, a pause's end, a runner that died).
 */
const IDLE_READ_MS = 10_000;

/**
 * A cheap summary of the files the state is read from (size and mtime of each): while it stays
 * the same and nothing runs, reading the whole state again would show the same.
 */
async function fingerprint(deps: Deps): Promise<string> {
  const p = deps.paths;
  const files = [p.state, `${p.state}-wal`, p.pause, p.log, p.watcherPid, p.schedulerRecord];
  const stats = await Promise.all(
    files.map((f) => Deno.stat(f).then((s) => `${s.size}@${s.mtime?.getTime() ?? 0}`, () => "-")),
  );
  return stats.join(" ");
}

/** A promise that any event (a key, a resize, a signal) can end early. */
class Waker {
  #controller = new AbortController();
  get signal(): AbortSignal {
    return this.#controller.signal;
  }
  wake(): void {
    this.#controller.abort();
  }
  reset(): void {
    if (this.#controller.signal.aborted) this.#controller = new AbortController();
  }
}

/** Options of `dashboard`. */
export interface DashboardOptions {
  /** Opens the screen (tests pass a fake); default: the real terminal, which must be one. */
  screen?: () => Screen;
}

/** Runs the dashboard until `q`, Ctrl-C or a signal; returns the exit code. */
export async function dashboardCommand(
  deps: Deps,
  options: DashboardOptions = {},
): Promise<number> {
  let open = options.screen;
  if (!open) {
    const can = canUseScreen();
    if (!can.stdout || !can.stdin) {
      throw new UsageError(
        `Cannot start the dashboard: standard ${can.stdout ? "input" : "output"} is not a terminal`,
        { hint: "run it in a terminal, or use clodputer status (or status --json) instead" },
      );
    }
    open = enterScreen;
  }
  const screen = open();
  try {
    return await loop(deps, screen);
  } finally {
    screen.leave();
  }
}

async function loop(deps: Deps, screen: Screen): Promise<number> {
  const { clock } = deps;
  const waker = new Waker();
  const keys: string[] = [];
  let stopping = false;
  let resized = true;
  const removeSignal = deps.onSignal(() => {
    stopping = true;
    waker.wake();
  });
  const removeResize = screen.onResize(() => {
    resized = true;
    waker.wake();
  });
  void (async () => {
    const decoder = new TextDecoder();
    while (!stopping) {
      const bytes = await screen.read().catch(() => null);
      if (bytes === null) {
        stopping = true;
      } else {
        keys.push(...splitKeys(decoder.decode(bytes)));
      }
      waker.wake();
    }
  })();

  const state: DashboardState = {
    now: clock.now(),
    zone: zoneLabel(clock.now()),
    status: null,
    queue: [],
    live: null,
    view: { kind: "main" },
    message: null,
  };
  let tail: RunTail | undefined;
  let shown: string[] = [];
  let nextRefresh = 0;
  let nextRead = 0;
  let seen = "";

  const refresh = async () => {
    try {
      // Looking raises what is overdue (the dead-man's switch), as `status` does.
      // One store for the raise and the reads: the status reuses the raise's check.
      const [status, queue] = await withStore(deps, async (store) => {
        const overdue = await raiseOverdueAlarms(deps, { store });
        return await Promise.all([readStatus(deps, { store, overdue }), store.queued()]);
      });
      state.status = status;
      state.queue = queue;
      const r = status.runner;
      if (r.state === "running") {
        if (tail?.runId !== r.run_id) {
          tail = new RunTail(r.run_id, join(runDir(deps.paths, r.run_id), "stdout"));
        }
        state.live = await tail.read();
      } else {
        tail = undefined;
        state.live = null;
      }
      if (state.view.kind === "log") {
        state.view = { kind: "log", lines: await logLines(deps, screen.size().rows) };
      }
    } catch (error) {
      state.message = `could not read the state: ${
        error instanceof Error ? error.message : String(error)
      }`;
    }
  };

  try {
    while (!stopping) {
      while (keys.length > 0 && !stopping) {
        const key = keys.shift() as string;
        let action: Action;
        try {
          action = await handleKey(deps, state, key, screen);
        } catch (error) {
          // What a person can fix is said on the screen; anything else is a bug and ends it.
          if (!(error instanceof ClodputerError)) throw error;
          state.view = { kind: "main" };
          state.message = error.message.split("\n")[0] ?? "";
          action = undefined;
        }
        if (action === "quit") stopping = true;
        if (action === "refresh") nextRefresh = nextRead = 0;
      }
      if (stopping) break;
      if (clock.now() >= nextRefresh) {
        const files = await fingerprint(deps);
        const active = state.status?.runner.state !== "idle";
        if (active || files !== seen || clock.now() >= nextRead) {
          await refresh();
          nextRead = clock.now() + IDLE_READ_MS;
        }
        seen = files;
        nextRefresh = clock.now() + REFRESH_MS;
      }
      state.now = clock.now();
      state.zone = zoneLabel(state.now);
      const size = screen.size();
      const frame = renderDashboard(state, size);
      screen.write(draw(shown, frame, resized));
      shown = frame;
      resized = false;
      waker.reset();
      if (keys.length === 0 && !stopping && !resized) {
        await clock.sleep(Math.max(0, nextRefresh - clock.now()), waker.signal);
      }
    }
  } finally {
    removeSignal();
    removeResize();
  }
  return 0;
}

/**
 * The bytes that turn frame `before` into `after`: only the lines that changed, each rewritten
 * in place and cleared to its end; after a resize, every line. Never clears the whole screen.
 */
export function draw(before: string[], after: string[], all: boolean): string {
  let out = "";
  after.forEach((line, i) => {
    if (all || before[i] !== line) out += `\x1b[${i + 1};1H${line}\x1b[K`;
  });
  if (all) out += "\x1b[J";
  return out;
}

/** Splits raw input into keys: escape sequences (arrows) stay whole. */
export function splitKeys(text: string): string[] {
  const keys: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === "\x1b" && (text[i + 1] === "[" || text[i + 1] === "O") && i + 2 < text.length) {
      keys.push(text.slice(i, i + 3));
      i += 3;
    } else {
      const ch = String.fromCodePoint(text.codePointAt(i) ?? 0);
      keys.push(ch);
      i += ch.length;
    }
  }
  return keys;
}

async function logLines(deps: Deps, rows: number): Promise<string[]> {
  const c = colors(false);
  return (await readEvents(deps.paths, {}, { tail: Math.max(rows, 1) })).map((e) =>
    renderEvent(e, c)
  );
}

type Action = "quit" | "refresh" | undefined;

const CTRL_C = "\x03";
const UP = ["\x1b[A", "\x1bOA", "k"];
const DOWN = ["\x1b[B", "\x1bOB", "j"];

async function handleKey(
  deps: Deps,
  state: DashboardState,
  key: string,
  screen: Screen,
): Promise<Action> {
  if (key === CTRL_C) return "quit";
  const view = state.view;
  switch (view.kind) {
    case "log":
      state.view = { kind: "main" };
      return "refresh";
    case "confirm_cancel":
      state.view = { kind: "main" };
      if (key === "y" || key === "Y") {
        state.message = await cancelKey(deps, view.run_id, view.task);
        return "refresh";
      }
      state.message = `kept ${view.task} running`;
      return undefined;
    case "picker": {
      if (UP.includes(key)) {
        state.view = { ...view, index: Math.max(0, view.index - 1) };
      } else if (DOWN.includes(key)) {
        state.view = { ...view, index: Math.min(view.names.length - 1, view.index + 1) };
      } else if (key === "\r" || key === "\n") {
        const name = view.names[view.index];
        state.view = { kind: "main" };
        if (name) {
          state.message = await runKey(deps, name);
          return "refresh";
        }
      } else if (key === "\x1b" || key === "q") {
        state.view = { kind: "main" };
      }
      return undefined;
    }
    case "main":
      break;
  }
  switch (key) {
    case "q":
    case "Q":
      return "quit";
    case "r": {
      state.message = null;
      // Not the folder watches: a run of one needs a file (clodputer run <task> --file <path>).
      const tasks = await runNowTasks(deps);
      state.view = { kind: "picker", names: tasks.offered, needFile: tasks.needFile, index: 0 };
      return undefined;
    }
    case "c": {
      const r = state.status?.runner;
      if (r?.state === "running") {
        state.view = { kind: "confirm_cancel", task: r.task, run_id: r.run_id };
        state.message = null;
      } else {
        state.message = "nothing is running: nothing to cancel";
      }
      return undefined;
    }
    case "p":
      state.message = await pauseKey(deps);
      return "refresh";
    case "l":
      state.message = null;
      state.view = { kind: "log", lines: await logLines(deps, screen.size().rows) };
      return undefined;
    default:
      return undefined;
  }
}

/** The dashboard's answer to `p`: the pause toggled, in words. */
async function pauseKey(deps: Deps): Promise<string> {
  const done = await togglePause(deps.paths, deps.clock.now());
  switch (done.kind) {
    case "resumed":
      return "resumed: queued tasks start with the next tick or clodputer run";
    case "paused":
      return `the queue is ${describePause(done.pause)}`;
  }
}

/** The dashboard's answer to `y` on "Cancel?": the running run asked to stop, in words. */
async function cancelKey(deps: Deps, runId: string, task: string): Promise<string> {
  const done = await cancelRunning(deps, runId, { by: "clodputer dashboard" });
  switch (done.kind) {
    case "not_running":
      return `${task} (run ${runId}) is no longer running`;
    case "cancelling":
      return `cancelling ${task} (run ${runId}): its runner stops it and cleans up`;
  }
}

/** The dashboard's answer to Enter in the picker: the task's run started, in words. */
async function runKey(deps: Deps, task: string): Promise<string> {
  const done = await startRunInBackground(deps, task);
  switch (done.kind) {
    case "invalid":
      return `cannot run ${task}: ${
        done.message.split("\n")[0]
      } (clodputer validate ${task} says more)`;
    case "started":
      return `started clodputer run ${task}: it shows here once queued`;
  }
}
