/**
 * @module
 * The JSON API: the same shapes as the CLI's `--json` (docs/web.md "The API"), each route a call
 * of the domain (lib/status, lib/state) and nothing of its own. Bad input is a UsageError (400),
 * an unknown task or run a NotFoundError (404): the server turns them into
 * `{error: {name, message, hint}}`. Every POST answers with a `message` sentence for the page.
 */

import { NotFoundError, UsageError } from "../errors.ts";
import { describeOutcome } from "../run/describe.ts";
import { isRunId } from "../run/run_id.ts";
import { cancelRunning } from "../state/cancel.ts";
import { withStore } from "../state/open.ts";
import { parseDuration, pauseFor } from "../state/pause.ts";
import { removeQueued } from "../state/remove.ts";
import { resumeAll } from "../state/resume_queue.ts";
import { resetSession } from "../state/session_reset.ts";
import { parseSince, readCost } from "../status/cost.ts";
import { findRunFor, foundRunJson } from "../status/find_run.ts";
import { readStatus } from "../status/read.ts";
import { runHistory } from "../status/run_history.ts";
import { readTaskSession } from "../status/task_page.ts";
import { describeReset } from "../ui/sessions.ts";
import type { TaskSessionView } from "../status/sessions.ts";
import { listTasks } from "../status/task_list.ts";
import { TRANSCRIPT_CAP_BYTES } from "../run/transcript.ts";
import { readTail } from "../sys/fs.ts";
import { runDir } from "../sys/paths.ts";
import { join } from "../sys/posix_path.ts";
import { localTime } from "../ui/duration.ts";
import { pauseAnswer, resumeAnswer } from "../ui/pause.ts";
import { requestedRunJson } from "../ui/run_request.ts";
import { requestRun } from "../status/run_request.ts";
import { jsonResponse, type Route, type RouteContext } from "./context.ts";

/** The most runs one page of `GET /api/runs` gives. */
export const MAX_RUNS_PAGE = 500;

/** The runs one page gives when `limit` is not said. */
export const DEFAULT_RUNS_PAGE = 50;

/** How much of a transcript is read: its last 5 MB. */

/** A query parameter, or null when absent or empty. */
function param(context: RouteContext, name: string): string | null {
  const value = context.url.searchParams.get(name);
  return value === null || value === "" ? null : value;
}

/** `limit`: a whole number in 1..MAX_RUNS_PAGE. @throws {UsageError} */
export function parseLimit(text: string | null): number {
  if (text === null) return DEFAULT_RUNS_PAGE;
  const n = /^\d{1,6}$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_RUNS_PAGE)) {
    throw new UsageError(`limit must be a whole number from 1 to ${MAX_RUNS_PAGE}, not "${text}"`, {
      hint: `leave it out for ${DEFAULT_RUNS_PAGE}`,
    });
  }
  return n;
}

/** `before`: a run id or an ISO time. @throws {UsageError} */
export function parseBefore(text: string | null): string | null {
  if (text === null || isRunId(text)) return text;
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && !Number.isNaN(Date.parse(text))) return text;
  throw new UsageError(`before must be a run id or an ISO time, not "${text}"`, {
    hint: "give the next_before of the previous page, or a time such as 2026-11-01T00:00:00Z",
  });
}

/** A POST's JSON body: an object (an empty body is `{}`). @throws {UsageError} */
export async function readBody(request: Request): Promise<Record<string, unknown>> {
  const text = await request.text();
  if (text.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError("The request body is not JSON", {
      hint: 'send a JSON object, such as {} or {"for": "2h"}',
    });
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new UsageError("The request body must be a JSON object", {
      hint: 'send a JSON object, such as {} or {"for": "2h"}',
    });
  }
  return value as Record<string, unknown>;
}

/** A run id from the path. @throws {NotFoundError} for anything not shaped like one. */
function runIdParam(context: RouteContext): string {
  const id = context.params.id ?? "";
  if (!isRunId(id)) {
    throw new NotFoundError(`There is no run "${id}": run ids look like 20261125-120000-ab12cd`, {
      hint: "see recent runs with GET /api/runs (or clodputer status)",
    });
  }
  return id;
}

// ---- GET ---------------------------------------------------------------------------------------

async function runsPage(context: RouteContext): Promise<Response> {
  const task = param(context, "task");
  const limit = parseLimit(param(context, "limit"));
  const before = parseBefore(param(context, "before"));
  return jsonResponse(await runHistory(context.deps, { task, limit, before }));
}

async function runRecord(context: RouteContext): Promise<Response> {
  return jsonResponse(foundRunJson(await findRunFor(context.deps, runIdParam(context), "show")));
}

/** The stream-json events of a run's `stdout` (objects only; other lines are skipped). */
export function parseTranscript(text: string): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    try {
      const value = JSON.parse(line);
      if (value !== null && typeof value === "object" && !Array.isArray(value)) events.push(value);
    } catch { /* not an event: claude's stdout may hold other lines */ }
  }
  return events;
}

async function transcript(context: RouteContext): Promise<Response> {
  const id = runIdParam(context);
  const { deps } = context;
  const read = await readTail(join(runDir(deps.paths, id), "stdout"), TRANSCRIPT_CAP_BYTES);
  if (read === undefined) {
    // No output yet: a queued run, or one that is starting; else no such run.
    const known = await withStore(
      deps,
      async (store) =>
        (await store.run(id)) !== undefined || (await store.running())?.id === id ||
        (await store.queued()).some((q) => q.id === id),
    );
    if (!known) {
      throw new NotFoundError(`There is no run "${id}"`, {
        hint: "it may have been pruned; see recent runs with GET /api/runs",
      });
    }
    return jsonResponse({ run_id: id, events: [], truncated: false });
  }
  return jsonResponse({
    run_id: id,
    events: parseTranscript(read.text),
    truncated: read.truncated,
  });
}

/** A `session: continue` task's session, or a 400 saying the task has none to show or reset. */
async function continuedSession(context: RouteContext, what: string): Promise<TaskSessionView> {
  const name = context.params.name ?? "";
  const session = await readTaskSession(context.deps, name);
  if (session === null) {
    throw new UsageError(
      `Cannot ${what} of ${name}: it does not continue a session (its task file says session: new, ` +
        "the default)",
      { hint: `add "session: continue" under task: in ${name}'s file to have its runs remember` },
    );
  }
  return session;
}

async function taskSession(context: RouteContext): Promise<Response> {
  const session = await continuedSession(context, "show the session");
  return jsonResponse(session);
}

async function cost(context: RouteContext): Promise<Response> {
  const sinceText = param(context, "since");
  const since = sinceText === null
    ? null
    : parseSince(sinceText, context.deps.clock.now(), "since");
  return jsonResponse(await readCost(context.deps, { since, task: param(context, "task") }));
}

// ---- POST --------------------------------------------------------------------------------------

async function runTask(context: RouteContext): Promise<Response> {
  const body = await readBody(context.request);
  const requested = await requestRun(context.deps, {
    task: context.params.name ?? "",
    file: body.file,
    by: "web",
    trigger: "manual",
  });
  return jsonResponse(requestedRunJson(requested), 202);
}

async function cancel(context: RouteContext): Promise<Response> {
  const { deps } = context;
  const id = runIdParam(context);
  const asked = await cancelRunning(deps, id, { by: "clodputer web" });
  if (asked.kind === "cancelling") {
    const r = asked.running;
    return jsonResponse({
      message: `Cancelling ${r.task} (${r.id}): its runner stops it and cleans up.`,
      cancelling: r,
    });
  }
  const removed = await removeQueued(deps, id, "web");
  if (removed) {
    return jsonResponse({
      message: `Removed ${removed.task} (${removed.id}) from the queue; it had not started.`,
      removed,
    });
  }
  const finished = await withStore(deps, (store) => store.run(id));
  if (finished) {
    throw new UsageError(
      `Cannot cancel ${finished.task} (${id}): it is not running, it already ended ` +
        `(${describeOutcome(finished.outcome)})`,
      { hint: "only a running or queued run can be cancelled" },
    );
  }
  throw new NotFoundError(`Cannot cancel "${id}": no run by that id is running or queued`, {
    hint: "see what is running and queued with GET /api/status (or clodputer queue)",
  });
}

async function pause(context: RouteContext): Promise<Response> {
  const body = await readBody(context.request);
  const given = body.for;
  if (given !== undefined && given !== null && typeof given !== "string") {
    throw new UsageError(`"for" must be a duration such as "2h", not ${JSON.stringify(given)}`, {
      hint: 'send {"for": "2h"} (s, m, h, d), or {} to pause until resumed',
    });
  }
  const seconds = typeof given === "string" ? parseDuration(given, '"for"') : undefined;
  const paused = await pauseFor(context.deps.paths, context.deps.clock.now(), { seconds });
  return jsonResponse(pauseAnswer(paused));
}

async function resume(context: RouteContext): Promise<Response> {
  return jsonResponse(resumeAnswer(await resumeAll(context.deps, { by: "web" })));
}

async function ack(context: RouteContext): Promise<Response> {
  const was = await withStore(context.deps, (store) => store.acknowledge());
  return jsonResponse({
    message: was
      ? `Acknowledged ${was.failed} failed run${was.failed === 1 ? "" : "s"} since ${
        localTime(was.since)
      } (the last: ${was.last.task}, run ${was.last.id}).`
      : "No failed runs to acknowledge.",
    acknowledged: was ?? null,
  });
}

async function sessionReset(context: RouteContext): Promise<Response> {
  const { deps } = context;
  const name = context.params.name ?? "";
  await continuedSession(context, "reset the session");
  const now = deps.clock.now();
  const resetAt = new Date(now).toISOString();
  const dropped = await withStore(deps, (store) => resetSession(store, name, resetAt));
  // `session reset --json`'s shape, with the sentence the CLI prints and the session after it.
  return jsonResponse({
    task: name,
    reset_at: resetAt,
    dropped,
    message: `${describeReset(name, dropped, now)}.`,
    session: await readTaskSession(deps, name),
  });
}

/** The API's routes. */
export function apiRoutes(): Route[] {
  return [
    {
      method: "GET",
      path: "/api/status",
      handle: async (c) => jsonResponse(await readStatus(c.deps)),
    },
    {
      method: "GET",
      path: "/api/tasks",
      handle: async (c) => jsonResponse(await listTasks(c.deps)),
    },
    { method: "GET", path: "/api/runs", handle: runsPage },
    { method: "GET", path: "/api/runs/:id", handle: runRecord },
    { method: "GET", path: "/api/runs/:id/transcript", handle: transcript },
    { method: "GET", path: "/api/cost", handle: cost },
    { method: "GET", path: "/api/events", handle: (c) => c.hub.connect() },
    { method: "GET", path: "/api/tasks/:name/session", handle: taskSession },
    { method: "POST", path: "/api/tasks/:name/run", handle: runTask },
    { method: "POST", path: "/api/tasks/:name/session/reset", handle: sessionReset },
    { method: "POST", path: "/api/runs/:id/cancel", handle: cancel },
    { method: "POST", path: "/api/pause", handle: pause },
    { method: "POST", path: "/api/resume", handle: resume },
    { method: "POST", path: "/api/ack", handle: ack },
  ];
}
