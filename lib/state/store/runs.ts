/**
 * @module
 * Run summaries: `["run", id]` (a finished run's summary), `["run_start", started_at, id]` (the
 * start-time index; `["meta","run_index"]` once runs kept before it are indexed),
 * `["run_task", task, started_at, id]` (each task's runs by start time, for its page;
 * `["meta","run_task_index"]` once runs kept before it are indexed) and `["last", task]` (the id
 * of the task's last finished run). A summary and its index keys are written as the run is
 * finished, in `steps.ts`, and deleted together by `prune`.
 */

import type { RunSummary } from "../types.ts";
import type { KvCore } from "./core.ts";

const MAX_MESSAGE = 2000;

/** The key of run `id`'s summary. */
export function runKey(id: string): Deno.KvKey {
  return ["run", id];
}

/** The start-time index's key of `summary`. */
export function runStartKey(summary: RunSummary): Deno.KvKey {
  return ["run_start", summary.started_at, summary.id];
}

/** The per-task index's key of `summary`. */
export function runTaskKey(summary: RunSummary): Deno.KvKey {
  return ["run_task", summary.task, summary.started_at, summary.id];
}

/** The key of the id of `task`'s last finished run. */
export function lastKey(task: string): Deno.KvKey {
  return ["last", task];
}

/** The summary as kept: an outcome's message cut to MAX_MESSAGE characters. */
export function shortenOutcome(summary: RunSummary): RunSummary {
  const o = summary.outcome;
  if ("message" in o && o.message.length > MAX_MESSAGE) {
    return { ...summary, outcome: { ...o, message: `${o.message.slice(0, MAX_MESSAGE - 1)}…` } };
  }
  return summary;
}

/** One run's summary. */
export function run(core: KvCore, id: string): Promise<RunSummary | undefined> {
  return core.value<RunSummary>("read a run", runKey(id));
}

/** Finished runs, newest first by start time (ids only sort to the second). */
export async function runs(
  core: KvCore,
  options: { limit?: number; task?: string } = {},
): Promise<RunSummary[]> {
  const all = await core.retry(
    "read runs",
    () => Array.fromAsync(core.kv.list<RunSummary>({ prefix: ["run"] })),
  );
  const newestFirst = all.map((e) => e.value)
    .filter((r) => !options.task || r.task === options.task)
    .sort((a, b) =>
      a.started_at === b.started_at
        ? (a.id < b.id ? 1 : -1)
        : (a.started_at < b.started_at ? 1 : -1)
    );
  return options.limit === undefined ? newestFirst : newestFirst.slice(0, options.limit);
}

/**
 * The newest `limit` runs by start time, or every run started at or after `since`, newest
 * first, read through the start-time index: the cost follows what is shown, not how many runs
 * are kept. Runs recorded before the index existed are indexed on first use.
 */
export async function recentRuns(
  core: KvCore,
  options: { limit?: number; since?: string },
): Promise<RunSummary[]> {
  await indexRuns(core);
  const selector = options.since === undefined
    ? { prefix: ["run_start"] }
    : { start: ["run_start", options.since], end: ["run_start", "\uffff"] };
  const ids = await core.retry(
    "read the run index",
    () =>
      Array.fromAsync(
        core.kv.list<string>(selector, {
          reverse: true,
          ...(options.limit === undefined ? {} : { limit: options.limit }),
        }),
      ),
  );
  return await summariesOf(core, ids.map((e) => e.value));
}

/** The summaries of `ids`, in their order, read 10 at a time; a run pruned meanwhile is left out. */
async function summariesOf(core: KvCore, ids: readonly string[]): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for (let i = 0; i < ids.length; i += 10) {
    const batch = ids.slice(i, i + 10).map((id) => runKey(id));
    const got = await core.retry("read runs", () => core.kv.getMany<RunSummary[]>(batch));
    for (const entry of got) if (entry.value !== null) out.push(entry.value);
  }
  return out;
}

/**
 * `task`'s runs (null: every task's), newest first by start time, `limit` of them, through the
 * per-task index (or the start-time index): those started before `before` (exclusive on start
 * time, then id), or the newest.
 */
export async function taskRuns(
  core: KvCore,
  task: string | null,
  options: { limit: number; before?: { started_at: string; id: string } | undefined },
): Promise<RunSummary[]> {
  await indexRuns(core);
  const before = options.before;
  const prefix: Deno.KvKey = task === null ? ["run_start"] : ["run_task", task];
  const selector = before === undefined
    ? { prefix }
    : { prefix, end: [...prefix, before.started_at, before.id] };
  const ids = await core.retry(
    "read the run index",
    () => Array.fromAsync(core.kv.list<string>(selector, { reverse: true, limit: options.limit })),
  );
  return await summariesOf(core, ids.map((e) => e.value));
}

/** The indexes over run summaries, each with the marker set once the runs kept before it are in. */
const INDEXES: { marker: Deno.KvKey; key: (summary: RunSummary) => Deno.KvKey }[] = [
  { marker: ["meta", "run_index"], key: runStartKey },
  { marker: ["meta", "run_task_index"], key: runTaskKey },
];

/** Indexes the runs kept before an index existed, once per index. */
async function indexRuns(core: KvCore): Promise<void> {
  const done = await core.retry(
    "read the run index",
    () => core.kv.getMany(INDEXES.map((index) => index.marker)),
  );
  const missing = INDEXES.filter((_, i) => done[i]?.value === null);
  if (missing.length === 0) return;
  const all = await runs(core);
  for (let i = 0; i < all.length; i += 200) {
    const op = core.kv.atomic();
    for (const r of all.slice(i, i + 200)) for (const index of missing) op.set(index.key(r), r.id);
    await core.retry("index runs", () => op.commit());
  }
  const op = core.kv.atomic();
  for (const index of missing) op.set(index.marker, 1);
  await core.retry("index runs", () => op.commit());
}

/** The id of a task's last finished run. */
export function lastRun(core: KvCore, task: string): Promise<string | undefined> {
  return core.value<string>("read the last run", lastKey(task));
}

/**
 * Deletes summaries beyond the newest `keep`, and those of runs started before `before`, with
 * their index keys; returns their ids. Reads the start-time index, and only the doomed summaries
 * (for their task's index key).
 */
export async function prune(
  core: KvCore,
  options: { keep: number; before: string },
): Promise<string[]> {
  await indexRuns(core);
  const index = await core.retry(
    "read the run index",
    () => Array.fromAsync(core.kv.list<string>({ prefix: ["run_start"] }, { reverse: true })),
  );
  const doomed = index.filter((e, i) => i >= options.keep || String(e.key[1]) < options.before);
  for (let i = 0; i < doomed.length; i += 10) {
    const batch = doomed.slice(i, i + 10);
    const summaries = await core.retry(
      "read runs",
      () => core.kv.getMany<RunSummary[]>(batch.map((e) => runKey(e.value))),
    );
    for (const [j, e] of batch.entries()) {
      const summary = summaries[j]?.value;
      await core.retry("prune old runs", async () => {
        const op = core.kv.atomic().delete(runKey(e.value)).delete(e.key);
        if (summary) op.delete(runTaskKey(summary));
        await op.commit();
      });
    }
  }
  return doomed.map((e) => e.value);
}
