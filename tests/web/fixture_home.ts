/**
 * @module
 * A home with a history, for the web dashboard's tests, its screenshots and its bench: three
 * tasks (a daily cron task, a folder watch, and one whose description and results hold hostile
 * markup), finished runs in the store (their summaries and the cost ledger, as the runner keeps
 * them), a `result.json`, `prompt` and `stdout` (a real claude stream-json transcript) for the
 * newest run of each task, and execution-log lines. Everything is made from `nowMs`, the caller's
 * one clock, so the history ends "today" whatever the date.
 */

import { dirname, join } from "node:path";
import { runEvents } from "../../lib/state/run_events.ts";
import { EventLog, logSettings } from "../../lib/log/writer.ts";
import type { RunRecord } from "../../lib/run/record.ts";
import type { TaskSession } from "../../lib/run/session.ts";
import { parseResult } from "../../lib/run/stream.ts";
import { Store } from "../../lib/state/store.ts";
import type { RunSummary } from "../../lib/state/types.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { FakeClock } from "../fakes/clock.ts";

const SAMPLES = new URL("../fixtures/claude-samples/", import.meta.url);

/** Markup that must show as text wherever it appears. */
export const HOSTILE =
  `<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">`;

/** The fixture's tasks. */
export const TASKS = {
  daily: "daily-review",
  watch: "inbox",
  hostile: "hostile",
} as const;

/** A seeded run, as the tests count them. */
export interface SeededRun {
  id: string;
  task: string;
  /** The local day it started on (`YYYY-MM-DD`). */
  day: string;
  status: RunSummary["status"];
  cost_usd: number;
}

/** What `seedHome` made. */
export interface Seeded {
  home: string;
  /** Every run, oldest first. */
  runs: SeededRun[];
  /** The newest run of each task (with a full record and transcript). */
  newest: Record<string, SeededRun>;
}

function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

function runId(ms: number, n: number): string {
  const iso = new Date(ms).toISOString();
  const stamp = iso.slice(0, 10).replaceAll("-", "") + "-" + iso.slice(11, 19).replaceAll(":", "");
  return `${stamp}-${n.toString(16).padStart(6, "0").slice(-6)}`;
}

/** The task files. */
export function taskFiles(home: string): Record<string, string> {
  return {
    [TASKS.daily]: `name: ${TASKS.daily}
description: Review yesterday's notes and flag what needs an answer
schedule:
  type: cron
  expression: "0 9 * * *"
task:
  prompt: Review my notes from yesterday and list what needs an answer.
  allowed_tools: [Read]
`,
    [TASKS.watch]: `name: ${TASKS.watch}
description: Summarise each file dropped in the inbox folder
trigger:
  type: file_watch
  path: ${join(home, "inbox")}
  pattern: "*.txt"
task:
  prompt: "Summarise {{ context.file_path }} in three lines."
  context:
    file_path: "{{ metadata.path }}"
  allowed_tools: [Read]
`,
    [TASKS.hostile]: `name: ${TASKS.hostile}
description: '${HOSTILE.replaceAll("'", "''")}'
trigger:
  type: manual
task:
  prompt: 'Say ${HOSTILE.replaceAll("'", "''")}'
`,
  };
}

/**
 * The outcome pattern by day index (0: today): some days have no run, one in seven fails, one in
 * eleven is skipped; costs cycle through 1..4 cents. Deterministic, so tests can count.
 */
function planDay(i: number, taskIndex: number): { run: boolean; status: RunSummary["status"] } {
  if ((i + taskIndex) % 5 === 4) return { run: false, status: "succeeded" };
  if ((i + taskIndex) % 7 === 3) return { run: true, status: "failed" };
  if ((i + taskIndex) % 11 === 5) return { run: true, status: "skipped" };
  return { run: true, status: "succeeded" };
}

function summaryOf(run: SeededRun, startedMs: number, result: string): RunSummary {
  const outcome: RunSummary["outcome"] = run.status === "succeeded"
    ? { kind: "success" }
    : run.status === "skipped"
    ? { kind: "skipped", reason: "depends_on daily-review: it failed" }
    : { kind: "exit_error", code: 1, message: result };
  return {
    id: run.id,
    task: run.task,
    status: run.status,
    outcome,
    trigger: { type: run.task === TASKS.daily ? "schedule" : "manual" },
    enqueued_at: new Date(startedMs).toISOString(),
    started_at: new Date(startedMs).toISOString(),
    ended_at: new Date(startedMs + 42_000).toISOString(),
    duration_ms: 42_000,
    cost_usd: run.status === "skipped" ? null : run.cost_usd,
    session_id: run.status === "skipped" ? null : "7f0d4b3e-0000-4000-8000-000000000001",
    tokens: { input: 1200, output: 340, cache_read: 5000, cache_creation: 100 },
  };
}

async function transcript(hostile: boolean): Promise<string> {
  const text = await Deno.readTextFile(new URL("stream-json-bash-tool.jsonl", SAMPLES));
  if (!hostile) return text;
  // The result and Claude's text carry the hostile markup, as prompt-injected output would.
  return text.split("\n").map((line) => {
    if (!line.trim()) return line;
    const event = JSON.parse(line);
    if (event.type === "result") event.result = `Done. ${HOSTILE}`;
    if (event.type === "assistant") {
      for (const block of event.message?.content ?? []) {
        if (block.type === "text") block.text = `${block.text} ${HOSTILE}`;
      }
    }
    return JSON.stringify(event);
  }).join("\n");
}

function recordOf(summary: RunSummary, stdout: string, home: string): RunRecord {
  const last = stdout.trim().split("\n").map((l) => JSON.parse(l)).filter((e) =>
    e.type === "result"
  ).at(-1);
  const parsed = last ? parseResult(last) : null;
  // The cost the store keeps is the record's too.
  const claude = parsed && { ...parsed, total_cost_usd: summary.cost_usd };
  const dir = join(home, "runs", summary.id);
  return {
    id: summary.id,
    task: summary.task,
    status: summary.status,
    outcome: summary.outcome,
    trigger: summary.trigger,
    started_at: summary.started_at,
    ended_at: summary.ended_at,
    duration_ms: summary.duration_ms,
    pid: 4242,
    exit: { code: summary.status === "failed" ? 1 : 0, signal: null },
    command: "/usr/local/bin/claude",
    argv: ["-p", "--output-format", "stream-json", "--verbose", "--allowedTools", "Read"],
    prompt_file: join(dir, "prompt"),
    cwd: home,
    claude,
    cleanup: { signalled: [], survivors: [], duration_ms: 12 },
    output: {
      stdout: { bytes: stdout.length, kept: stdout.length, truncated: false },
      stderr: { bytes: 0, kept: 0, truncated: false },
    },
    warnings: [],
  };
}

/**
 * Writes the tasks and a history of `days` days (today included) into `home` (it becomes
 * `$CLODPUTER_HOME`): one run a day per task but on planned gaps, plus `extra` more runs of the
 * daily task spread over the same days (for the bench's 10,000).
 */
export async function seedHome(
  home: string,
  options: { nowMs: number; days?: number; extra?: number; log?: boolean },
): Promise<Seeded> {
  const days = options.days ?? 120;
  const paths = pathsUnder(home);
  await Deno.mkdir(paths.tasks, { recursive: true });
  await Deno.mkdir(join(home, "inbox"), { recursive: true });
  for (const [name, text] of Object.entries(taskFiles(home))) {
    await Deno.writeTextFile(join(paths.tasks, `${name}.yaml`), text);
  }
  const clock = new FakeClock(options.nowMs);
  const store = await Store.open(paths.state, clock);
  const runs: SeededRun[] = [];
  const summaries: RunSummary[] = [];
  let n = 0;
  const names = [TASKS.daily, TASKS.watch, TASKS.hostile];
  // Midnight of today, local; runs start at 09:00 + task index hours, local.
  const midnight = new Date(options.nowMs);
  midnight.setHours(0, 0, 0, 0);
  try {
    for (let i = days - 1; i >= 0; i--) {
      const day = new Date(midnight);
      day.setDate(day.getDate() - i);
      for (const [t, task] of names.entries()) {
        const plan = planDay(i, t);
        if (!plan.run) continue;
        const start = new Date(day);
        start.setHours(i === 0 ? 0 : 9 + t, i === 0 ? 10 + t : 0, 0, 0);
        if (start.getTime() > options.nowMs) continue;
        const run: SeededRun = {
          id: runId(start.getTime(), ++n),
          task,
          day: localDay(start.getTime()),
          status: plan.status,
          cost_usd: (1 + (i % 4)) / 100,
        };
        runs.push(run);
        summaries.push(
          summaryOf(run, start.getTime(), task === TASKS.hostile ? HOSTILE : "exit 1"),
        );
      }
    }
    const extra = options.extra ?? 0;
    for (let k = 0; k < extra; k++) {
      const i = 1 + (k % Math.max(1, days - 1));
      const start = new Date(midnight);
      start.setDate(start.getDate() - i);
      start.setHours(12, 0, k % 60, 0);
      start.setMilliseconds(k % 1000);
      const run: SeededRun = {
        id: runId(start.getTime(), ++n),
        task: TASKS.daily,
        day: localDay(start.getTime()),
        status: "succeeded",
        cost_usd: 0.01,
      };
      runs.push(run);
      summaries.push(summaryOf(run, start.getTime(), ""));
    }
    runs.sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const s of summaries) await store.finish(s);
  } finally {
    store.close();
  }
  const newest: Record<string, SeededRun> = {};
  for (const run of runs) {
    const prev = newest[run.task];
    const s = summaries.find((x) => x.id === run.id) as RunSummary;
    if (
      !prev || s.started_at > (summaries.find((x) => x.id === prev.id) as RunSummary).started_at
    ) {
      newest[run.task] = run;
    }
  }
  // Each line is stamped with its run's time, as the runner would have written it.
  let stamp = options.nowMs;
  const log = new EventLog(
    paths,
    { now: () => stamp, sleep: clock.sleep.bind(clock) },
    logSettings(),
  );
  // The log's lines in the order the runs happened.
  for (const run of Object.values(newest).sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const summary = summaries.find((x) => x.id === run.id) as RunSummary;
    const dir = join(paths.runs, run.id);
    await Deno.mkdir(dir, { recursive: true });
    const stdout = await transcript(run.task === TASKS.hostile);
    await Deno.writeTextFile(join(dir, "stdout"), stdout);
    await Deno.writeTextFile(join(dir, "stderr"), "");
    await Deno.writeTextFile(
      join(dir, "prompt"),
      run.task === TASKS.hostile ? `Say ${HOSTILE}` : "Review my notes from yesterday.",
    );
    const record = recordOf(summary, stdout, home);
    await Deno.writeTextFile(join(dir, "result.json"), JSON.stringify(record, null, 2));
    if (options.log !== false) {
      stamp = Date.parse(summary.started_at);
      await log.append({
        event: "task_started",
        run_id: run.id,
        task: run.task,
        trigger: record.trigger.type,
      });
      stamp = Date.parse(summary.ended_at);
      for (const event of runEvents(record)) await log.append(event);
    }
  }
  return { home, runs, newest };
}

/** The task that continues its Claude session (added by `seedSession`). */
export const SESSION_TASK = "remember";

/** What `seedSession` made: the task's session and its two runs (the newest continued it). */
export interface SeededSession {
  /** The task's working_directory. */
  cwd: string;
  /** The Claude config folder the runs used (`$HOME/.claude` of the scene). */
  configDir: string;
  session: TaskSession;
  /** The first run (began the session) and the second (continued it), oldest first. */
  runs: [string, string];
}

/**
 * Adds a `session: continue` task to a seeded `home` (its working_directory a folder under the
 * home, its Claude config folder `$HOME/.claude` with `$HOME` the home's parent, as the scenes
 * set it), two runs of it a day apart ending before `nowMs` (the second continued the first's
 * session: its record says so), and its session state in the store.
 */
export async function seedSession(
  home: string,
  options: { nowMs: number; runs?: number; maxRuns?: number },
): Promise<SeededSession> {
  const paths = pathsUnder(home);
  const cwd = join(home, "work");
  await Deno.mkdir(cwd, { recursive: true });
  await Deno.writeTextFile(
    join(paths.tasks, `${SESSION_TASK}.yaml`),
    `name: ${SESSION_TASK}
description: A daily review that remembers what it flagged before
schedule:
  type: cron
  expression: "0 8 * * *"
task:
  prompt: Review today's notes; do not flag again what you flagged before.
  allowed_tools: [Read]
  working_directory: ${cwd}
  session: continue
  session_max_runs: ${options.maxRuns ?? 20}
`,
  );
  const configDir = join(dirname(home), ".claude");
  const first = options.nowMs - 26 * 3_600_000;
  const second = options.nowMs - 2 * 3_600_000;
  const ids: [string, string] = [runId(first, 0xfff01), runId(second, 0xfff02)];
  const sessionId = "5e55104e-0000-4000-8000-00000000000a";
  const session: TaskSession = {
    id: sessionId,
    cwd,
    config_dir: configDir,
    started_at: new Date(first).toISOString(),
    last_at: new Date(second + 42_000).toISOString(),
    last_run_id: ids[1],
    runs: options.runs ?? 2,
  };
  const clock = new FakeClock(options.nowMs);
  const store = await Store.open(paths.state, clock);
  try {
    for (const [i, id] of ids.entries()) {
      const start = i === 0 ? first : second;
      const run: SeededRun = {
        id,
        task: SESSION_TASK,
        day: localDay(start),
        status: "succeeded",
        cost_usd: 0.02,
      };
      await store.finish({ ...summaryOf(run, start, ""), session_id: sessionId });
    }
    await store.setSession(SESSION_TASK, { session, reset_at: null });
  } finally {
    store.close();
  }
  // The second run's record: it continued the session the first began.
  const summary = summaryOf(
    { id: ids[1], task: SESSION_TASK, day: localDay(second), status: "succeeded", cost_usd: 0.02 },
    second,
    "",
  );
  const stdout = await transcript(false);
  const record: RunRecord = {
    ...recordOf(summary, stdout, home),
    cwd,
    session: {
      mode: "continued",
      resumed: sessionId,
      reason: null,
      run: 2,
      started_at: session.started_at,
      config_dir: configDir,
    },
  };
  const dir = join(paths.runs, ids[1]);
  await Deno.mkdir(dir, { recursive: true });
  await Deno.writeTextFile(join(dir, "stdout"), stdout);
  await Deno.writeTextFile(join(dir, "prompt"), "Review today's notes.");
  await Deno.writeTextFile(join(dir, "result.json"), JSON.stringify(record, null, 2));
  return { cwd, configDir, session, runs: ids };
}
