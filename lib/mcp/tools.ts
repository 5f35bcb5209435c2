/**
 * @module
 * The MCP server's tools (docs/mcp.md): each a name, a description, its input as a zod shape (the
 * SDK turns it into the JSON schema Claude sees) and a handler that calls the same domain function
 * as the CLI's command and the web's API, answering the CLI's `--json` shape. Errors are thrown
 * as the domain throws them; the server (lib/mcp/server.ts) turns them into tool errors.
 */

import { z } from "zod";
import { isTaskName } from "../config/names.ts";
import { topLevelString } from "../config/yaml.ts";
import { readTaskSource } from "../config/source.ts";
import { validateTasks, validateTaskText, type Validation } from "../doctor/validate.ts";
import { setTaskEnabled, writeTaskText } from "../doctor/task_write.ts";
import { ClodputerError, ConfigError, problemsOf, whereText } from "../errors.ts";
import { asUserError } from "../ui/errors.ts";
import { redact, redactDeep, secretEnvValues } from "../log/redact.ts";
import { parseWhen } from "../log/when.ts";
import { parseTranscript, TRANSCRIPT_CAP_BYTES } from "../run/transcript.ts";
import { parseDuration, pauseFor } from "../state/pause.ts";
import { resumeAll } from "../state/resume_queue.ts";
import { parseSince, readCost } from "../status/cost.ts";
import { findRunFor, foundRunJson, pendingRun } from "../status/find_run.ts";
import { isRunId } from "../run/run_id.ts";
import { readStatus } from "../status/read.ts";
import { runHistory } from "../status/run_history.ts";
import { requestRun, type RunRequestDeps } from "../status/run_request.ts";
import { readTaskSession } from "../status/task_page.ts";
import { listTasks } from "../status/task_list.ts";
import { readTail } from "../sys/fs.ts";
import { runDir, taskFile } from "../sys/paths.ts";
import { join } from "../sys/posix_path.ts";
import { pauseAnswer, resumeAnswer } from "../ui/pause.ts";
import { requestedRunJson } from "../ui/run_request.ts";
import { transcriptLines } from "./transcript.ts";

/** The seams the MCP server uses: a run's (proc, clock, env, paths, os, selfPid), and a stand-in
 * for starting the runner in tests. */
export type McpDeps = RunRequestDeps;

/** What a tool answers: a JSON object, the CLI's `--json` shape. */
export type Answer = Record<string, unknown>;

/**
 * An answer that is a refusal all the same (create_task of a file that does not validate): the
 * answer is given, marked as an error, with `text` above its JSON.
 */
export class RefusedAnswer {
  constructor(readonly text: string, readonly answer: Answer) {}
}

/** One tool: its name, what it is for, its input and its handler. */
export interface Tool {
  name: string;
  description: string;
  input: z.ZodRawShape;
  /** Read-only tools are marked so (a client may run them without asking). */
  readOnly: boolean;
  handle(deps: McpDeps, args: Record<string, unknown>): Promise<Answer | RefusedAnswer>;
}

/** How many runs list_runs gives at most, and when `limit` is not said. */
export const MAX_LIST_RUNS = 200;
export const DEFAULT_LIST_RUNS = 20;

/** How much of a transcript show_run reads: its last 5 MB. */

/** How many next runs show_task and validate_task give. */
export const NEXT_RUNS = 5;

/** The name validate_task gives a text whose `name:` is not a task name. */
export const DEFAULT_TASK_NAME = "new-task";

const name = z.string().describe("the task's name: its file is tasks/<name>.yaml");
const yaml = z.string().describe(
  "the task file's whole text (YAML); read the resource clodputer://docs/task-reference first",
);

function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

function secrets(deps: McpDeps): string[] {
  return secretEnvValues(deps.env.toObject());
}

/** The `name:` of a task file's text, when it is a task name. */
export function nameInText(text: string): string | undefined {
  const found = topLevelString(text, "name");
  return found !== undefined && isTaskName(found) ? found : undefined;
}

/** The problems of a validation, one line each with its `file:line:column`, and their hints. */
export function problemLines(validation: Validation): string[] {
  return validation.problems.flatMap((p) => [
    `  ${p.where ? `${p.where}: ` : ""}${p.message}`,
    ...(p.hint ? [`    To fix: ${p.hint}`] : []),
  ]);
}

async function writeAnswer(
  deps: McpDeps,
  input: { name: string; source: string; mode: "create" | "update"; overwrite: boolean },
): Promise<Answer | RefusedAnswer> {
  const wrote = await writeTaskText(deps, input);
  const answer = { ...wrote } as Answer;
  if (wrote.written) return answer;
  return new RefusedAnswer(
    [
      `Cannot ${input.mode} task "${input.name}": the text does not validate, so nothing was ` +
      `written to ${wrote.file}:`,
      ...problemLines(wrote.validation),
    ].join("\n"),
    answer,
  );
}

/** The tools, in the order tools/list gives them. */
export function tools(): Tool[] {
  return [
    {
      name: "list_tasks",
      description: "List every task: its trigger, next run, last run and state (list --json).",
      input: {},
      readOnly: true,
      handle: async (deps) => ({ ...await listTasks(deps) }),
    },
    {
      name: "show_task",
      description: "Show a task: its file's YAML, whether it validates, its trigger and next " +
        "runs, the claude command it runs, and its session when it continues one.",
      input: { name },
      readOnly: true,
      handle: async (deps, args) => {
        const task = str(args.name) ?? "";
        const [validation] = await validateTasks(deps, [task], NEXT_RUNS);
        const file = taskFile(deps.paths, task);
        const source = await readTaskSource(file, `task "${task}"`) ?? "";
        const session = validation?.valid ? await readTaskSession(deps, task) : null;
        return {
          name: task,
          file,
          yaml: redact(source, secrets(deps)),
          ...validation,
          session,
        };
      },
    },
    {
      name: "validate_task",
      description: "Check a task file's text without writing it: the problems (each with " +
        "file:line:column and how to fix it) or its trigger, next runs and claude command.",
      input: {
        yaml,
        name: name.optional().describe(
          `the name to check it as (default: its name: line, else "${DEFAULT_TASK_NAME}")`,
        ),
      },
      readOnly: true,
      handle: async (deps, args) => {
        const source = str(args.yaml) ?? "";
        const task = str(args.name) ?? nameInText(source) ?? DEFAULT_TASK_NAME;
        return { ...await validateTaskText(deps, task, source, NEXT_RUNS) };
      },
    },
    {
      name: "create_task",
      description: "Write a new task file, only when its text validates (else nothing is " +
        "written and the problems come back). Refused when the task exists, unless overwrite.",
      input: {
        name,
        yaml,
        overwrite: z.boolean().optional().describe(
          "replace an existing task file (default false)",
        ),
      },
      readOnly: false,
      handle: (deps, args) =>
        writeAnswer(deps, {
          name: str(args.name) ?? "",
          source: str(args.yaml) ?? "",
          mode: "create",
          overwrite: args.overwrite === true,
        }),
    },
    {
      name: "update_task",
      description: "Replace an existing task's file, only when the new text validates (else " +
        "nothing is written and the problems come back).",
      input: { name, yaml },
      readOnly: false,
      handle: (deps, args) =>
        writeAnswer(deps, {
          name: str(args.name) ?? "",
          source: str(args.yaml) ?? "",
          mode: "update",
          overwrite: true,
        }),
    },
    {
      name: "enable_task",
      description: "Switch a task on (enabled: true in its file): its schedule or trigger runs it.",
      input: { name },
      readOnly: false,
      handle: async (deps, args) => ({ ...await setTaskEnabled(deps, str(args.name) ?? "", true) }),
    },
    {
      name: "disable_task",
      description: "Switch a task off (enabled: false in its file): nothing starts it but a " +
        "run_task.",
      input: { name },
      readOnly: false,
      handle: async (deps, args) => ({
        ...await setTaskEnabled(deps, str(args.name) ?? "", false),
      }),
    },
    {
      name: "run_task",
      description: "Queue a run of a task now; answers at once with its run id (see it with " +
        "show_run). A task already queued is not queued twice. A folder-watching task needs file.",
      input: {
        name,
        file: z.string().optional().describe(
          "for a task that runs on a file: the file's path (absolute, or from its watched folder)",
        ),
      },
      readOnly: false,
      handle: async (deps, args) =>
        requestedRunJson(
          await requestRun(deps, {
            task: str(args.name) ?? "",
            file: args.file,
            by: "mcp",
            trigger: "mcp",
            insideRun: deps.env.get("CLODPUTER_RUN_ID"),
          }),
        ),
    },
    {
      name: "status",
      description: "What is running, queued and overdue, the pause, and recent runs " +
        "(status --json).",
      input: {},
      readOnly: true,
      handle: async (deps) => ({ ...await readStatus(deps) }),
    },
    {
      name: "list_runs",
      description: "Recent runs, newest first: all tasks' or one task's, since a time.",
      input: {
        name: name.optional().describe("only this task's runs"),
        limit: z.number().int().min(1).max(MAX_LIST_RUNS).optional().describe(
          `how many runs at most (default ${DEFAULT_LIST_RUNS})`,
        ),
        since: z.string().optional().describe(
          "only runs started since: 2h, 7d, today, 2026-11-01, or an ISO time",
        ),
      },
      readOnly: true,
      handle: async (deps, args) => {
        const limit = typeof args.limit === "number" ? args.limit : DEFAULT_LIST_RUNS;
        const sinceText = str(args.since);
        const page = await runHistory(deps, {
          task: str(args.name) ?? null,
          limit,
          before: null,
        });
        if (sinceText === undefined) return { ...page };
        const since = new Date(parseWhen(sinceText, deps.clock.now(), { flag: "since" }))
          .toISOString();
        const runs = page.runs.filter((r) => r.started_at >= since);
        return { runs, next_before: runs.length < page.runs.length ? null : page.next_before };
      },
    },
    {
      name: "show_run",
      description: "One run's record (show --json): outcome, cost, claude's result; id may be a " +
        "task's name for its last run. A run still queued or running has no record yet: the " +
        "answer is {record: null, pending: {state, ...}}; ask again later. transcript: true adds " +
        "what claude did, as text lines.",
      input: {
        id: z.string().describe("a run id (20261125-120000-ab12cd), or a task name: its last run"),
        transcript: z.boolean().optional().describe("add the run's transcript (default false)"),
      },
      readOnly: true,
      handle: async (deps, args) => {
        const id = str(args.id) ?? "";
        // A run Claude just queued has no record until it ends: say where it is instead.
        const pending = isRunId(id) ? await pendingRun(deps, id) : undefined;
        if (pending) return { record: null, pending };
        const found = await findRunFor(deps, id, "show");
        const record = found.record;
        const hidden = secrets(deps);
        const shown: Answer = redactDeep(foundRunJson(found), hidden);
        if (args.transcript !== true) return { record: shown };
        const text = await readTail(
          join(runDir(deps.paths, record.id), "stdout"),
          TRANSCRIPT_CAP_BYTES,
        );
        const lines = text === undefined ? [] : transcriptLines(parseTranscript(text.text).entries);
        return { record: shown, transcript: lines.map((line) => redact(line, hidden)) };
      },
    },
    {
      name: "cost",
      description: "What runs cost, by day and by task (cost --json).",
      input: {
        since: z.string().optional().describe("from: 7d, today, 2026-11-01 (default: all kept)"),
        name: name.optional().describe("only this task"),
      },
      readOnly: true,
      handle: async (deps, args) => {
        const sinceText = str(args.since);
        const since = sinceText === undefined
          ? null
          : parseSince(sinceText, deps.clock.now(), "since");
        return { ...await readCost(deps, { since, task: str(args.name) ?? null }) };
      },
    },
    {
      name: "pause",
      description: "Pause the queue: nothing new starts (tasks are still queued) until resume, " +
        "or for a while.",
      input: {
        for: z.string().optional().describe("how long: 30m, 2h, 1d (default: until resume)"),
      },
      readOnly: false,
      handle: async (deps, args) => {
        const given = str(args.for);
        const seconds = given === undefined ? undefined : parseDuration(given, '"for"');
        return pauseAnswer(await pauseFor(deps.paths, deps.clock.now(), { seconds }));
      },
    },
    {
      name: "resume",
      description: "Resume the queue after a pause (or a hold on claude's login or usage limit).",
      input: {},
      readOnly: false,
      handle: async (deps) => resumeAnswer(await resumeAll(deps, { by: "mcp" })),
    },
  ];
}

/** An error as a tool's answer: its text, and `{error: {name, message, where, hint, problems?}}`. */
export function errorAnswer(raw: unknown): { text: string; answer: Answer } {
  // A full disk is the user's to fix, as main.ts says it for the CLI.
  const error = asUserError(raw);
  if (error instanceof ClodputerError) {
    const w = error.where;
    const where = w ? whereText(w) + (w.field ? ` (${w.field})` : "") : null;
    const problems = error instanceof ConfigError ? problemsOf(error) : undefined;
    const text = [
      error.message,
      ...(problems
        ? problems.map((p) => `  ${p.where ? `${p.where}: ` : ""}${p.message}`)
        : where
        ? [where]
        : []),
      ...(error.hint ? [`To fix: ${error.hint}`] : []),
    ].join("\n");
    return {
      text,
      answer: {
        error: {
          name: error.name,
          message: error.message,
          where,
          hint: error.hint ?? null,
          ...(problems ? { problems } : {}),
        },
      },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    text: `internal error: ${message}`,
    answer: { error: { name: "InternalError", message, where: null, hint: null } },
  };
}
