/**
 * @module
 * A run's page (`/runs/:id`): what `show` says of it (the record, or what the store kept), its
 * transcript rendered for reading (lib/run/transcript.ts), the command line, the prompt and the
 * resume command. A run that is running shows its transcript so far, live, and a cancel button;
 * a queued run says so and turns live when it starts. The live part is also a fragment
 * (`/fragments/runs/:id/transcript`).
 */

import { join } from "../../sys/posix_path.ts";
import { describeDamage } from "../../log/state_file.ts";
import { describeOutcome } from "../../run/describe.ts";
import { foldEvent, type LiveRun, type MessageUsage, startLiveRun } from "../../run/live.ts";
import type { RunRecord } from "../../run/record.ts";
import type { RunSession } from "../../run/session.ts";
import {
  type CutText,
  parseLines,
  type Transcript,
  type TranscriptEntry,
  transcriptOf,
} from "../../run/transcript.ts";
import { tokensOf } from "../../state/ledger.ts";
import { withStore } from "../../state/open.ts";
import type { QueueItem, RunningItem } from "../../state/types.ts";
import { findRunFor, type FoundRun } from "../../status/find_run.ts";
import { exists, readFileBounded } from "../../sys/fs.ts";
import { runDir } from "../../sys/paths.ts";
import { formatCost, formatDuration, localTimeWithZone } from "../../ui/duration.ts";
import { commandLine } from "../../ui/shell_quote.ts";
import { htmlResponse, type Route, type RouteContext, type WebDeps } from "../context.ts";
import { href, html, type SafeHtml } from "../html.ts";
import { layout } from "../layout.ts";

/** The most of a run's stdout the page reads: its last 5 MiB. */
export const MAX_TRANSCRIPT_BYTES = 5 * 1024 * 1024;

/** The most of a prompt the page shows. */
const MAX_PROMPT_BYTES = 1024 * 1024;

/** Where a run is: running now, waiting in the queue, or over (its record). */
export type RunState =
  | { kind: "running"; item: RunningItem }
  | { kind: "queued"; item: QueueItem; position: number; of: number }
  | { kind: "done"; found: FoundRun };

/** A run's stdout as read: its text (the end of it when it was long), and the bytes left out. */
export interface StdoutRead {
  text: string;
  /** Bytes before the part read (0: read whole); the first partial line is dropped too. */
  cutBytes: number;
  /** The file is not there. */
  missing: boolean;
}

/** The last `maxBytes` of a run's stdout, from the start of a line; a file not there is `missing`. */
export async function readStdout(path: string, maxBytes: number): Promise<StdoutRead> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch {
    return { text: "", cutBytes: 0, missing: true };
  }
  try {
    const size = (await file.stat()).size;
    const start = Math.max(0, size - maxBytes);
    await file.seek(start, Deno.SeekMode.Start);
    const buffer = new Uint8Array(size - start);
    let length = 0;
    while (length < buffer.length) {
      const n = await file.read(buffer.subarray(length));
      if (n === null) break;
      length += n;
    }
    let bytes = buffer.subarray(0, length);
    let cutBytes = start;
    if (start > 0) {
      // Begin at a line's start: the line the cut fell in cannot be read.
      const nl = bytes.indexOf(10);
      const skip = nl === -1 ? bytes.length : nl + 1;
      bytes = bytes.subarray(skip);
      cutBytes += skip;
    }
    return { text: new TextDecoder().decode(bytes), cutBytes, missing: false };
  } finally {
    file.close();
  }
}

/** Where run `id` is now. @throws {NotFoundError} for a run nobody knows (the CLI's message). */
export async function runState(deps: WebDeps, id: string): Promise<RunState> {
  const dir = runDir(deps.paths, id);
  const live = await withStore(deps, async (store) => {
    const running = await store.running();
    if (running?.id === id) return { kind: "running" as const, item: running };
    const queued = await store.queued();
    const at = queued.findIndex((q) => q.id === id);
    const item = queued[at];
    return item
      ? { kind: "queued" as const, item, position: at + 1, of: queued.length }
      : undefined;
  });
  // A run whose record is written is over, though the store may still hold it as running.
  if (live && !(live.kind === "running" && await exists(join(dir, "result.json")))) return live;
  return { kind: "done", found: await findRunFor(deps, id, "show") };
}

// ---- the transcript -----------------------------------------------------------------------

function cutNote(text: CutText): SafeHtml | "" {
  return text.cut === 0 ? "" : html`
    <p class="cut muted">… ${text.cut} more characters not shown</p>
  `;
}

function mcpList(servers: { name: string; status: string | null }[]): SafeHtml | "" {
  if (servers.length === 0) return "";
  return html`; MCP servers: ${
    servers.map((s, i) => html`${i ? ", " : ""}${s.name}${s.status ? ` (${s.status})` : ""}`)
  }`;
}

/** One transcript entry as HTML: every text from claude escaped. Pure. */
export function renderEntry(entry: TranscriptEntry): SafeHtml {
  switch (entry.kind) {
    case "init":
      return html`
        <li class="entry system" data-kind="system" data-type="init">
          <span class="label">Session started</span> ${entry.model ?? "unknown model"}${entry.cwd
            ? html`
              in <code>${entry.cwd}</code>
            `
            : ""}${entry.permission_mode ? `, permissions ${entry.permission_mode}` : ""}${mcpList(
              entry.mcp_servers,
            )}
          <details><summary>${entry.tools.length} tools</summary><p class="mono">${entry.tools.join(
            ", ",
          )}</p></details>
        </li>
      `;
    case "text":
      return html`
        <li class="entry text${entry.thinking
          ? " thinking"
          : ""}" data-kind="text" data-role="${entry
          .role}">
          <span class="label">${entry.role === "user"
            ? "User"
            : entry.thinking
            ? "Claude (thinking)"
            : "Claude"}</span>
          <div class="prose">${entry.text.text}</div>
          ${cutNote(entry.text)}
        </li>
      `;
    case "tool_use":
      return html`
        <li class="entry tool_use" data-kind="tool_use" data-tool="${entry.name}">
          <span class="label">Tool call</span> <code class="tool-name">${entry.name}</code>
          <pre class="tool-input">${entry.input.text}</pre>
          ${cutNote(entry.input)}
        </li>
      `;
    case "tool_result":
      return html`
        <li class="entry tool_result${entry.is_error ? " fail" : ""}" data-kind="tool_result"
          data-error="${String(entry.is_error)}">
          <details>
            <summary>${entry.is_error ? "Error from" : "Result of"} ${entry.tool_name ??
              "a tool"} (${entry.content.text.length} characters)</summary>
            <pre>${entry.content.text}</pre>
            ${cutNote(entry.content)}
          </details>
        </li>
      `;
    case "retry":
      return html`
        <li class="entry system warn" data-kind="system" data-type="api_retry">
          <span class="label">API error ${entry.status ?? "?"}${entry.error
            ? ` (${entry.error})`
            : ""}</span>: retry ${entry.attempt ?? "?"}${entry.max_retries === null
            ? ""
            : ` of ${entry.max_retries}`}${entry.delay_ms === null
            ? ""
            : ` in ${formatDuration(entry.delay_ms)}`}
        </li>
      `;
    case "error":
      return html`
        <li class="entry error fail" data-kind="error">
          <span class="label">Error${entry.status === null ? "" : ` (API ${entry.status})`}</span>
          <div class="prose">${entry.message.text}</div>
          ${cutNote(entry.message)}
        </li>
      `;
    case "result": {
      const r = entry.result;
      return html`
        <li class="entry result ${r.is_error ? "fail" : "ok"}" data-kind="result">
          <span class="label">${r.is_error ? "Ended with an error" : "Result"}${r.subtype &&
              r.subtype !== "success"
            ? ` (${r.subtype})`
            : ""}</span> <span class="muted">${formatCost(r.total_cost_usd)}${r.num_turns === null
            ? ""
            : ` · ${r.num_turns} turn${r.num_turns === 1 ? "" : "s"}`}</span>
          ${entry.text === null ? "" : html`
            <div class="prose">${entry.text.text}</div>
            ${cutNote(entry.text)}
          `}
        </li>
      `;
    }
    case "system":
      return html`
        <li class="entry system" data-kind="system" data-type="${entry.type}">
          <span class="label">${entry.type}</span>${entry.summary ? html`: ${entry.summary}` : ""}
        </li>
      `;
  }
}

/** The transcript as HTML: `[data-testid=transcript]` with an entry per item. Pure. */
export function renderTranscript(
  transcript: Transcript,
  read: { cutBytes: number; missing: boolean },
  running: boolean,
): SafeHtml {
  const notes: SafeHtml[] = [];
  if (read.cutBytes > 0) {
    notes.push(html`
      <p class="warn" data-testid="transcript-cut">
        The transcript is long: its first ${read.cutBytes} bytes are not shown (the page reads the
        last ${MAX_TRANSCRIPT_BYTES / 1024 / 1024} MiB of the run's stdout).
      </p>
    `);
  }
  if (transcript.skipped > 0) {
    notes.push(html`
      <p class="warn" data-testid="transcript-skipped">
        ${transcript.skipped} line${transcript.skipped === 1 ? " was" : "s were"} not readable
        stream-json and ${transcript.skipped === 1 ? "is" : "are"} left out.
      </p>
    `);
  }
  const empty = transcript.entries.length === 0
    ? html`
      <p class="muted">${read.missing
        ? "This run left no transcript (no stdout file)."
        : running
        ? "Nothing from claude yet."
        : "claude wrote nothing readable."}</p>
    `
    : "";
  return html`
    ${notes}${empty}
    <ol class="transcript" data-testid="transcript">${transcript.entries.map(renderEntry)}</ol>
  `;
}

// ---- the run's body (the live part) -------------------------------------------------------

function tokenWords(
  t: { input: number; output: number; cache_read: number; cache_creation: number },
) {
  return `${t.input} input · ${t.output} output · ${t.cache_read} cache read · ${t.cache_creation} cache write`;
}

function figures(parts: { tokens: string; cost: string; turns: string }): SafeHtml {
  return html`
    <dl class="figures">
      <div>
        <dt>Tokens</dt>
        <dd data-testid="tokens">${parts.tokens}</dd>
      </div>
      <div>
        <dt>Cost</dt>
        <dd data-testid="cost">${parts.cost}</dd>
      </div>
      <div>
        <dt>Turns</dt>
        <dd data-testid="turns">${parts.turns}</dd>
      </div>
    </dl>
  `;
}

function liveFigures(live: LiveRun): SafeHtml {
  return figures({
    tokens: `${live.tokens_in} input (cache included) · ${live.tokens_out} output so far`,
    cost: live.cost_usd === null ? "reported when the run ends" : formatCost(live.cost_usd),
    turns: String(live.turns),
  });
}

function recordFigures(record: RunRecord): SafeHtml {
  const cl = record.claude;
  const tokens = tokensOf(cl);
  return figures({
    tokens: tokens ? tokenWords(tokens) : "not reported",
    cost: formatCost(cl?.total_cost_usd),
    turns: cl?.num_turns === null || cl?.num_turns === undefined ? "?" : String(cl.num_turns),
  });
}

function outcomeLine(record: RunRecord): SafeHtml {
  const cls = record.status === "succeeded" ? "ok" : record.status === "skipped" ? "muted" : "fail";
  const mark = record.status === "succeeded" ? "✓" : record.status === "skipped" ? "⊘" : "✗";
  return html`
    <p class="outcome ${cls}" data-testid="outcome"
      data-status="${record.status}">${mark} ${describeOutcome(
        record.outcome,
      )}</p>
  `;
}

async function readRunStdout(deps: WebDeps, id: string): Promise<StdoutRead> {
  return await readStdout(join(runDir(deps.paths, id), "stdout"), MAX_TRANSCRIPT_BYTES);
}

/** The live part of a run's page, for its state: outcome or progress, figures, transcript. */
export async function renderRunBody(deps: WebDeps, state: RunState): Promise<SafeHtml> {
  switch (state.kind) {
    case "queued": {
      const item = state.item;
      return html`
        <p class="outcome muted" data-testid="outcome" data-status="queued">
          Queued: ${state.position} of ${state.of} in the queue${item.priority === "high"
            ? " (high priority)"
            : ""}, since ${localTimeWithZone(item.enqueued_at)}${item.run_at
            ? `; not before ${localTimeWithZone(item.run_at)}`
            : ""}. It has not started yet.
        </p>
      `;
    }
    case "running": {
      const item = state.item;
      const read = await readRunStdout(deps, item.id);
      const { events, skipped } = parseLines(read.text);
      const usage: MessageUsage = new Map();
      let live = startLiveRun(item.id);
      for (const event of events) live = foldEvent(live, event, usage);
      const transcript = { ...transcriptOf(events), skipped };
      return html`
        <p class="outcome running" data-testid="outcome" data-status="running">
          Running since ${localTimeWithZone(item.started_at)}: ${live.activity}
        </p>
        <p><button class="danger" data-action="cancel" data-post="${href(
          "api",
          "runs",
          item.id,
          "cancel",
        )}" data-confirm="${`Cancel run ${item.id} of ${item.task}?`}">Cancel this run</button></p>
        ${liveFigures(live)}
        <h2>Transcript so far</h2>
        ${renderTranscript(transcript, read, true)}
      `;
    }
    case "done": {
      const record = state.found.record;
      const read = await readRunStdout(deps, record.id);
      const { events, skipped } = parseLines(read.text);
      const transcript = { ...transcriptOf(events), skipped };
      const result = record.claude?.result;
      return html`
        ${outcomeLine(record)}
        ${recordFigures(record)}
        <h2>Result</h2>
        <div class="prose result${record.claude?.is_error
          ? " fail"
          : ""}" data-testid="result">${result ??
          "No result from claude."}</div>
        <h2>Transcript</h2>
        ${renderTranscript(transcript, read, false)}
      `;
    }
  }
}

// ---- the rest of the page -----------------------------------------------------------------

async function promptText(deps: WebDeps, id: string): Promise<string> {
  const read = await readFileBounded(join(runDir(deps.paths, id), "prompt"), MAX_PROMPT_BYTES);
  switch (read.kind) {
    case "file":
      return new TextDecoder().decode(read.bytes);
    case "too-big":
      return `(the prompt is ${read.size} bytes: too long to show here)`;
    default:
      return "(no prompt file kept for this run)";
  }
}

function fact(label: string, value: SafeHtml | string): SafeHtml {
  return html`
    <div>
      <dt>${label}</dt>
      <dd>${value}</dd>
    </div>
  `;
}

/** What a run's record says of its Claude session (`session: continue` tasks), in words. Pure. */
export function sessionWords(session: RunSession): string {
  switch (session.mode) {
    case "continued":
      return `continued ${session.resumed ?? "?"} (run ${session.run} of the session, which began ${
        localTimeWithZone(session.started_at)
      })`;
    case "new":
      return `a new session${session.reason === null ? "" : `: ${session.reason}`}`;
    case "restarted":
      return `restarted: claude could not find session ${session.resumed ?? "?"}${
        session.reason === null ? "" : ` (${session.reason})`
      }, so the run began a new one`;
  }
}

function sessionFact(session: RunSession): SafeHtml {
  return html`
    <div>
      <dt>Session mode</dt>
      <dd data-testid="run-session" data-mode="${session.mode}">${sessionWords(session)}</dd>
    </div>
  `;
}

function recordFacts(record: RunRecord): SafeHtml[] {
  const t = record.trigger;
  const out = [
    fact("Trigger", t.type),
    fact("Started", localTimeWithZone(record.started_at)),
    fact(
      "Ended",
      `${localTimeWithZone(record.ended_at)} (${formatDuration(record.duration_ms)})`,
    ),
  ];
  if (typeof t.path === "string") {
    out.push(fact("File", `${t.path}${typeof t.event === "string" ? ` (${t.event})` : ""}`));
  }
  if (t.type === "retry") {
    out.push(
      fact(
        "Attempt",
        `${t.attempt} of ${t.max_attempts} (retry of ${t.retry_of}, first ${t.first})`,
      ),
    );
  }
  if (record.exit) {
    out.push(
      fact(
        "Exit",
        record.exit.signal ? `killed by ${record.exit.signal}` : `code ${record.exit.code}`,
      ),
    );
  }
  if (record.pid !== null) out.push(fact("Pid", String(record.pid)));
  out.push(fact("Working folder", record.cwd ?? "(Clodputer's own)"));
  out.push(fact("Session", record.claude?.session_id ?? "-"));
  if (record.session) out.push(sessionFact(record.session));
  if (record.next_retry) {
    const n = record.next_retry;
    out.push(
      fact(
        "Retry",
        html`attempt ${n.attempt} of ${n.max_attempts} queued for ${
          localTimeWithZone(n.at)
        } (<a href="${href("runs", n.run_id)}">${n.run_id}</a>)`,
      ),
    );
  }
  if (record.deferred) {
    const d = record.deferred;
    out.push(
      fact(
        "Deferred",
        html`until ${d.until} (usage limit); queued again as <a href="${
          href("runs", d.run_id)
        }">${d.run_id}</a>`,
      ),
    );
  }
  if (record.outcome.kind === "failed_to_spawn") out.push(fact("Hint", record.outcome.hint));
  return out;
}

function warningsOf(found: FoundRun): string[] {
  const record = found.record;
  const out: string[] = [];
  if (found.damaged) {
    out.push(`${describeDamage(found.damaged)}; showing what the store kept of the run`);
  }
  if (record.output.stdout.truncated) {
    out.push(
      `claude wrote ${record.output.stdout.bytes} bytes; only the first ${record.output.stdout.kept} were kept`,
    );
  }
  out.push(...record.warnings);
  out.push(...(record.actions?.errors ?? []).map((e) => `action failed: ${e}`));
  return out;
}

function cleanupSection(record: RunRecord): SafeHtml | "" {
  const cleanup = record.cleanup;
  if (!cleanup) return "";
  return html`
    <h2>Cleanup</h2>
    <p data-testid="cleanup">${cleanup.signalled.length === 0
      ? "Nothing was left running."
      : `${cleanup.signalled.length} signals in ${formatDuration(cleanup.duration_ms)}.`}</p>
    ${cleanup.signalled.length === 0 ? "" : html`
      <table>
        <thead>
          <tr>
            <th class="num">Pid</th>
            <th>Signal</th>
            <th>Found by</th>
            <th>Command</th>
          </tr>
        </thead>
        <tbody>${cleanup.signalled.map((s) =>
          html`
            <tr>
              <td class="num">${s.pid}</td>
              <td>${s.signal}</td>
              <td>${s.found_by}</td>
              <td class="mono">${s.command}</td>
            </tr>
          `
        )}</tbody>
      </table>
    `}
    ${cleanup.survivors.map((s) => html`<p class="fail">Survived: ${s.pid} ${s.command}</p>`)}
  `;
}

function liveRegion(id: string, body: SafeHtml): SafeHtml {
  return html`
    <section class="run-body" data-live="${href("fragments", "runs", id, "transcript")}"
      data-live-on="run-progress run-finished">${body}</section>
  `;
}

/** The whole page of a run, for its state. */
export async function renderRunPage(deps: WebDeps, id: string, state: RunState): Promise<SafeHtml> {
  const body = await renderRunBody(deps, state);
  const prompt = html`
    <h2>Prompt</h2>
    <details open>
      <summary>What claude was asked</summary>
      <pre data-testid="prompt">${await promptText(deps, id)}</pre>
    </details>
  `;
  if (state.kind !== "done") {
    const item = state.item;
    const started = state.kind === "running" ? state.item.started : undefined;
    return html`
      <h1>Run <span class="mono">${item.id}</span> of <a href="${href("tasks", item.task)}">${item
        .task}</a></h1>
      <dl class="facts">
        ${fact("Trigger", item.trigger.type)}
        ${fact("Queued", localTimeWithZone(item.enqueued_at))}
        ${state.kind === "running" && state.item.claude_pid !== null
          ? fact("Claude pid", String(state.item.claude_pid))
          : ""}
      </dl>
      ${liveRegion(item.id, body)}
      ${started
        ? html`
          <h2>Command</h2>
          <pre data-testid="command">${commandLine(
            [started.command, ...started.argv],
            started.prompt_file,
          )}</pre>
        `
        : ""}
      ${prompt}
    `;
  }
  const record = state.found.record;
  const warnings = warningsOf(state.found);
  const session = record.claude?.session_id;
  return html`
    <h1>Run <span class="mono">${record.id}</span> of <a href="${href(
      "tasks",
      record.task,
    )}">${record
      .task}</a></h1>
    ${warnings.length === 0 ? "" : html`
      <ul class="warnings" data-testid="warnings">${warnings.map((w) =>
        html`<li class="warn">${w}</li>`
      )}</ul>
    `}
    <dl class="facts">${recordFacts(record)}</dl>
    <section class="run-body">${body}</section>
    <h2>Command</h2>
    <pre data-testid="command">${commandLine(
      [record.command, ...record.argv],
      record.prompt_file,
    )}</pre>
    ${prompt}
    <h2>Resume</h2>
    ${session
      ? html`
        <p>Open this run's Claude session again, in its working folder:</p>
        <pre data-testid="resume">clodputer resume ${record.id}</pre>
      `
      : html`<p class="muted">This run has no Claude session to resume.</p>`}
    ${(record.actions?.logs ?? []).map((l) => html`<p class="muted">Action: ${l}</p>`)}
    ${cleanupSection(record)}
  `;
}

function title(state: RunState): string {
  return state.kind === "done"
    ? `${state.found.record.task} ${state.found.record.id}`
    : `${state.item.task} ${state.item.id}`;
}

async function page(context: RouteContext): Promise<Response> {
  const id = context.params.id as string;
  const state = await runState(context.deps, id);
  return htmlResponse(
    layout({
      title: `Run ${title(state)}`,
      section: "run",
      token: context.token,
      body: await renderRunPage(context.deps, id, state),
    }),
  );
}

async function fragment(context: RouteContext): Promise<Response> {
  const id = context.params.id as string;
  return htmlResponse(await renderRunBody(context.deps, await runState(context.deps, id)));
}

/** A run's routes: the page, and its live part. */
export function runRoutes(): Route[] {
  return [
    { method: "GET", path: "/runs/:id", handle: page },
    { method: "GET", path: "/fragments/runs/:id/transcript", handle: fragment },
  ];
}
