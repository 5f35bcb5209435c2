/**
 * @module
 * `clodputer mcp` with a real client: the REAL Claude Code CLI (pinned, from npm) starts the
 * server from an `--mcp-config` file and, driven by the loopback Messages API stand-in, lists the
 * tasks, creates a valid task and an invalid one, runs the valid one and reads its run. The test
 * checks what reached the API (the tool results), the files on disk and the run's record. The
 * queued run itself uses the stand-in claude (tests/fixtures/bin/claude), not the API. Skipped,
 * loudly, only when the CLI cannot be installed.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type Reply, startMessagesApi } from "../fixtures/anthropic_api.ts";
import { CLAUDE_VERSION, ensureRealClaude, offlineClaudeEnv } from "../fixtures/claude_cli.ts";
import {
  awaitRunners,
  cliArgs,
  cliEnv,
  FIXTURE_BIN,
  outputWithin,
  runnersStarted,
  tempHome,
  waitFor,
} from "./cli.ts";
import { skipUnless } from "../needs.ts";

const claude = await ensureRealClaude();
const skip = skipUnless(
  `the real Claude Code CLI ${CLAUDE_VERSION}`,
  "skip" in claude ? claude.skip : undefined,
);
const CLAUDE = "path" in claude ? claude.path : "";

/** The task Claude writes: the file a person would write, kept exactly. */
const VALID = `# Written by Claude through clodputer mcp.
name: morning-review
description: Review what changed yesterday, every weekday at 8
schedule:
  type: cron
  expression: "0 8 * * 1-5"
task:
  prompt: "Review the commits of the last day and list anything risky."
  allowed_tools: [Read]
  timeout: 300
`;

/** A task whose `timeout:` (line 4, column 12) is not a number: nothing may be written. */
const INVALID = `name: bad-task
task:
  prompt: "Say hello"
  timeout: soon
`;

function call(tool: string, input: Record<string, unknown>): Reply {
  return { blocks: [{ type: "tool_use", name: `mcp__clodputer__${tool}`, input }] };
}

function text(body: string): Reply {
  return { blocks: [{ type: "text", text: body }] };
}

interface ToolResult {
  tool: string;
  text: string;
  isError: boolean;
}

type Message = { role: string; content: unknown };
type ContentBlock = Record<string, unknown>;

function blocksOf(message: Message | undefined): ContentBlock[] {
  return Array.isArray(message?.content) ? message.content as ContentBlock[] : [];
}

/** A tool_result's content as text (claude sends a string; a list of text blocks is joined). */
function resultText(block: ContentBlock): string {
  const content = block.content;
  if (typeof content === "string") return content;
  if (Array.isArray(content)) {
    return content.map((c) => (c as { text?: string }).text ?? "").join("");
  }
  return "";
}

/** Every tool_result in a request's messages, in order, named by the tool_use it answers. */
function toolResults(body: Record<string, unknown>): ToolResult[] {
  const messages = (Array.isArray(body.messages) ? body.messages : []) as Message[];
  const names = new Map<string, string>();
  const out: ToolResult[] = [];
  for (const message of messages) {
    for (const block of blocksOf(message)) {
      if (block.type === "tool_use") names.set(String(block.id), String(block.name));
      if (block.type === "tool_result") {
        out.push({
          tool: names.get(String(block.tool_use_id)) ?? "?",
          text: resultText(block),
          isError: block.is_error === true,
        });
      }
    }
  }
  return out;
}

/** The tasks of list_tasks' answer: listTasks()'s `rows` (`list --json` prints them as its array). */
function tasksIn(answer: unknown): unknown[] {
  const rows = (answer as { rows?: unknown })?.rows;
  assert.ok(Array.isArray(rows), `list_tasks answered no rows: ${JSON.stringify(answer)}`);
  return rows;
}

Deno.test({
  name: `real claude ${CLAUDE_VERSION} as the MCP client of clodputer mcp: list, create (valid, ` +
    "invalid), run, show_run",
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    const tasksDir = join(home.clodputerHome, "tasks");
    const runsDir = join(home.clodputerHome, "runs");

    // The conversation: each reply chosen from the request (the number of assistant turns and the
    // text of the last tool_result), so a wrong answer shows in the assertions, not as a hang.
    const script = async (turn: number, body: Record<string, unknown>): Promise<Reply> => {
      const last = toolResults(body).at(-1);
      switch (turn) {
        case 0:
          return call("list_tasks", {});
        case 1:
          return call("create_task", { name: "morning-review", yaml: VALID });
        case 2:
          return call("create_task", { name: "bad-task", yaml: INVALID });
        case 3:
          return call("run_task", { name: "morning-review" });
        case 4: {
          // The run is queued and runs in the background: wait for its record before asking.
          const id = last && !last.isError ? String(JSON.parse(last.text).run_id ?? "") : "";
          if (!id) return text(`run_task gave no run id: ${last?.text}`);
          await waitFor(
            `runs/${id}/result.json (the run run_task queued)`,
            () => Deno.stat(join(runsDir, id, "result.json")).then(() => true),
            120_000,
          );
          return call("show_run", { id });
        }
        default:
          return text("Done: morning-review runs every weekday at 8, and its first run succeeded.");
      }
    };
    await using api = startMessagesApi(script);

    // claude's own state and a project folder of its own (no CLAUDE.md, no .mcp.json there).
    const state = join(home.root, "claude-state");
    const project = join(home.root, "project");
    for (const dir of [join(state, "config"), join(state, "tmp"), project]) {
      await Deno.mkdir(dir, { recursive: true });
    }
    const serverEnv = await cliEnv(home, { CLODPUTER_CLAUDE: join(FIXTURE_BIN, "claude") });
    const mcpConfig = join(home.root, "mcp.json");
    await Deno.writeTextFile(
      mcpConfig,
      JSON.stringify({
        mcpServers: {
          clodputer: {
            command: Deno.execPath(),
            args: [...await cliArgs(), "mcp"],
            env: serverEnv,
          },
        },
      }),
    );

    const before = await runnersStarted(home);
    let out: Deno.CommandOutput | undefined;
    try {
      const child = new Deno.Command(CLAUDE, {
        args: [
          "-p",
          "--output-format",
          "json",
          "--mcp-config",
          mcpConfig,
          "--strict-mcp-config",
          "--allowedTools",
          "mcp__clodputer",
          "--",
          "Schedule a review of yesterday's changes every weekday at 8, and run it once now.",
        ],
        cwd: project,
        env: {
          ...offlineClaudeEnv(api.url, state),
          HOME: home.home,
          PATH: "/usr/bin:/bin",
          // The MCP tools in the request itself, with their schemas (else deferred behind
          // ToolSearch: claude-cli.md).
          ENABLE_TOOL_SEARCH: "false",
          // A cold deno start of the server on a loaded machine (default 30 s).
          MCP_TIMEOUT: "120000",
          // The stand-in holds turn 4 until the queued run has finished.
          API_TIMEOUT_MS: "180000",
        },
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      const ran = await outputWithin(child, 300_000);
      out = ran.out;
      assert.ok(!ran.timedOut, "claude did not finish within 300 s (killed)");
    } finally {
      // The runner run_task started, whatever happened to claude.
      await awaitRunners(home, before);
    }

    const stdout = new TextDecoder().decode(out.stdout);
    const stderr = new TextDecoder().decode(out.stderr);
    // The server's tools reached the API, each with its input schema.
    const first = api.requests.find((r) => Array.isArray(r.body.tools))?.body;
    const tools = (first?.tools ?? []) as { name: string; input_schema?: unknown }[];
    for (const name of ["list_tasks", "create_task", "run_task", "show_run"]) {
      const tool = tools.find((t) => t.name === `mcp__clodputer__${name}`);
      assert.ok(tool, `mcp__clodputer__${name} in the request's tools (stderr: ${stderr})`);
      assert.equal((tool.input_schema as { type?: string }).type, "object");
    }

    assert.equal(out.code, 0, `claude exited ${out.code}\nstdout: ${stdout}\nstderr: ${stderr}`);
    const result = JSON.parse(stdout);
    assert.equal(result.is_error, false, stdout);
    assert.deepEqual(result.permission_denials, []);
    assert.equal(
      result.result,
      "Done: morning-review runs every weekday at 8, and its first run succeeded.",
    );

    // The tool results that reached the API, in order.
    const lastBody = api.requests.filter((r) => Array.isArray(r.body.tools)).at(-1)?.body ?? {};
    const results = toolResults(lastBody);
    assert.deepEqual(
      results.map((r) => r.tool),
      ["list_tasks", "create_task", "create_task", "run_task", "show_run"].map((t) =>
        `mcp__clodputer__${t}`
      ),
      JSON.stringify(results, null, 2),
    );
    const [listed, created, refused, queued, shown] = results as [
      ToolResult,
      ToolResult,
      ToolResult,
      ToolResult,
      ToolResult,
    ];

    assert.equal(listed.isError, false, listed.text);
    assert.deepEqual(tasksIn(JSON.parse(listed.text)), [], "no tasks at first");

    assert.equal(created.isError, false, created.text);
    const write = JSON.parse(created.text);
    assert.equal(write.written, true);
    assert.equal(write.replaced, false);
    assert.equal(write.file, join(tasksDir, "morning-review.yaml"));
    assert.equal(write.validation.valid, true);

    assert.equal(refused.isError, true, refused.text);
    assert.match(refused.text, /tasks\/bad-task\.yaml:4:12\b/);
    assert.match(refused.text, /timeout/);

    assert.equal(queued.isError, false, queued.text);
    const request = JSON.parse(queued.text);
    assert.equal(typeof request.run_id, "string");
    assert.ok(request.run_id.length > 0);
    assert.equal(request.task, "morning-review");

    assert.equal(shown.isError, false, shown.text);
    const { record } = JSON.parse(shown.text);
    assert.equal(record.id, request.run_id);
    assert.equal(record.task, "morning-review");
    assert.equal(record.status, "succeeded");
    assert.equal(record.trigger.type, "mcp");

    // On disk: the valid task's file exactly as written, nothing for the invalid one, and the run.
    assert.equal(await Deno.readTextFile(join(tasksDir, "morning-review.yaml")), VALID);
    await assert.rejects(
      Deno.stat(join(tasksDir, "bad-task.yaml")),
      Deno.errors.NotFound,
      "the invalid task wrote nothing",
    );
    const saved = JSON.parse(
      await Deno.readTextFile(join(runsDir, request.run_id, "result.json")),
    );
    assert.equal(saved.trigger.type, "mcp");
    assert.equal(saved.status, "succeeded");
  },
});
