/**
 * @module
 * A running run's live progress, as every face shows it (the spinner of `run --now`, the
 * dashboard, the coming web dashboard): the activity folded from its progress events, the turns,
 * tokens and cost folded from its stream-json, and `RunTail`, which follows the `stdout` file of
 * a run another process runs. Pure folds; only the tail reads a file. Words for people are the
 * faces' (`activityText` in lib/ui/run_view.ts).
 */

import { OutputTail } from "./follow.ts";
import { describeEvent, type ProgressEvent } from "./stream.ts";

/**
 * A run's activity so far, as the spinner and the dashboard show it: the turns (tool calls and
 * text blocks) and the latest activity ("claude started", "Bash: ls", "writing", ...).
 */
export interface RunActivity {
  turns: number;
  activity: string;
  /** The turn the latest activity belongs to (a tool call or text); null for any other. */
  turn: number | null;
}

/** A run's activity before any event: `activity` says what it is waiting for. */
export function startActivity(activity: string): RunActivity {
  return { turns: 0, activity, turn: null };
}

/** Folds one progress event into a run's activity. Pure: returns a new value. */
export function foldActivity(prev: RunActivity, event: ProgressEvent): RunActivity {
  switch (event.kind) {
    case "init":
      return { ...prev, activity: "claude started", turn: null };
    case "tool": {
      const turns = prev.turns + 1;
      const detail = event.detail ? `: ${event.detail}` : "";
      return { turns, activity: `${event.name}${detail}`, turn: turns };
    }
    case "text":
      return { turns: prev.turns + 1, activity: "writing", turn: prev.turns + 1 };
    case "retry":
      return { ...prev, activity: `API error ${event.status ?? "?"}, retrying`, turn: null };
    case "result":
      return { ...prev, activity: "finishing", turn: null };
  }
}

/** What is known of a running run from its stream-json so far. */
export interface LiveRun {
  run_id: string;
  /** Assistant turns so far (tool calls and text blocks). */
  turns: number;
  /** The latest activity: "claude started", "Bash: ls", "writing", ... */
  activity: string;
  tokens_in: number;
  tokens_out: number;
  /** Claude reports the cost only in its final result event: null until then. */
  cost_usd: number | null;
}

/** A run's live progress before any event. */
export function startLiveRun(runId: string): LiveRun {
  return {
    run_id: runId,
    turns: 0,
    activity: "starting",
    tokens_in: 0,
    tokens_out: 0,
    cost_usd: null,
  };
}

/**
 * Token use per assistant message id: claude streams a message's usage again as it grows, so
 * each message counts once, at its latest.
 */
export type MessageUsage = Map<string, { in: number; out: number }>;

/**
 * The running run's progress, folded from its stream-json: turns, the latest activity, tokens,
 * and the cost once the result reports it. Pure but for `usage`, which it updates: returns a
 * new value.
 */
export function foldEvent(
  live: LiveRun,
  event: Record<string, unknown>,
  usage: MessageUsage,
): LiveRun {
  const next = { ...live };
  if (event.type === "assistant") {
    const message = event.message as Record<string, unknown> | undefined;
    const u = message?.usage as Record<string, unknown> | undefined;
    const id = typeof message?.id === "string" ? message.id : undefined;
    if (u && id) {
      const n = (k: string) => (typeof u[k] === "number" ? u[k] as number : 0);
      usage.set(id, {
        in: n("input_tokens") + n("cache_creation_input_tokens") + n("cache_read_input_tokens"),
        out: n("output_tokens"),
      });
      next.tokens_in = [...usage.values()].reduce((sum, x) => sum + x.in, 0);
      next.tokens_out = [...usage.values()].reduce((sum, x) => sum + x.out, 0);
    }
  }
  for (const e of describeEvent(event)) {
    const a = foldActivity({ turns: next.turns, activity: next.activity, turn: null }, e);
    next.turns = a.turns;
    next.activity = a.activity;
    if (e.kind === "result") next.cost_usd = e.result.total_cost_usd;
  }
  return next;
}

/** Follows one run's `stdout` file as it grows, folding its events into live progress. */
export class RunTail {
  readonly runId: string;
  #tail: OutputTail;
  #usage: MessageUsage = new Map();
  live: LiveRun;

  constructor(runId: string, path: string) {
    this.runId = runId;
    this.#tail = new OutputTail(path);
    this.live = startLiveRun(runId);
  }

  /** The progress so far, with whatever was written since the last read folded in. */
  async read(): Promise<LiveRun> {
    for (const event of await this.#tail.readEvents()) {
      this.live = foldEvent(this.live, event, this.#usage);
    }
    return this.live;
  }
}
