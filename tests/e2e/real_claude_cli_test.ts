/**
 * @module
 * The second end-to-end tier: Clodputer driving the REAL Claude Code CLI (pinned, from npm),
 * pointed at a loopback stand-in of the Messages API. Skipped, loudly, only when the CLI cannot
 * be installed.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { type Block, startMessagesApi } from "../fixtures/anthropic_api.ts";
import { CLAUDE_VERSION, ensureRealClaude, offlineClaudeEnv } from "../fixtures/claude_cli.ts";
import {
  markedPids,
  pidAlive,
  REPO_ROOT,
  runCli,
  runTick,
  spawnCli,
  type TempHome,
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

async function cliEnvFor(home: TempHome, apiUrl: string): Promise<Record<string, string>> {
  const state = join(home.root, "claude-state");
  await Deno.mkdir(join(state, "config"), { recursive: true });
  await Deno.mkdir(join(state, "tmp"), { recursive: true });
  return { ...offlineClaudeEnv(apiUrl, state), CLODPUTER_CLAUDE: CLAUDE };
}

/** The pid a process wrote to `file`, once it is all there (the file exists before its text). */
async function pidIn(file: string): Promise<string | undefined> {
  const text = await Deno.readTextFile(file).catch(() => "");
  return /^\d+\s*$/.test(text) ? text : undefined;
}

function bash(command: string): Block {
  return { type: "tool_use", name: "Bash", input: { command, description: "test step" } };
}

Deno.test({
  name: `the stand-in Messages API answers the real claude ${CLAUDE_VERSION} directly`,
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    await using api = startMessagesApi([{
      blocks: [{ type: "text", text: "hello from the stand-in" }],
    }]);
    const env = await cliEnvFor(home, api.url);
    const out = await new Deno.Command(CLAUDE, {
      args: ["-p", "--output-format", "json", "--", "hi"],
      env: { ...env, HOME: home.home, PATH: "/usr/bin:/bin" },
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).output();
    const result = JSON.parse(new TextDecoder().decode(out.stdout));
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.equal(result.is_error, false);
    assert.equal(result.result, "hello from the stand-in");
    assert.equal(typeof result.total_cost_usd, "number");
    assert.equal(api.requests[0]?.headers["x-claude-code-session-id"], result.session_id);
  },
});

Deno.test({
  name: "real claude: a task whose Bash tool writes a file succeeds; cost and session id are kept",
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    const target = join(home.root, "out.txt");
    await using api = startMessagesApi([
      { blocks: [bash(`echo hello > ${target}`)] },
      { blocks: [{ type: "text", text: "I wrote the file." }] },
    ]);
    await home.writeTask(
      "write-file",
      `name: write-file
task:
  prompt: "Write hello into ${target}"
  allowed_tools: [Bash]
  timeout: 60
`,
    );
    const env = await cliEnvFor(home, api.url);
    const r = await runCli(home, ["run", "write-file", "--now", "--json"], { env });
    assert.equal(r.code, 0, r.stderr + r.stdout);
    assert.equal(await Deno.readTextFile(target), "hello\n");
    const record = JSON.parse(r.stdout);
    assert.equal(record.status, "succeeded");
    assert.equal(record.claude.result, "I wrote the file.");
    const session = api.requests.at(-1)?.headers["x-claude-code-session-id"];
    assert.ok(session);
    assert.equal(record.claude.session_id, session);
    assert.ok(record.claude.total_cost_usd > 0);
    assert.equal(record.claude.num_turns, 2);
    const saved = JSON.parse(
      await Deno.readTextFile(join(home.clodputerHome, "runs", record.id, "result.json")),
    );
    assert.equal(saved.claude.session_id, session);
    assert.equal(saved.claude.total_cost_usd, record.claude.total_cost_usd);

    // The same run for a person: the reply, the cost and the session id.
    await Deno.remove(target);
    const human = await runCli(home, ["run", "write-file", "--now"], { env });
    assert.equal(human.code, 0, human.stderr);
    const session2 = api.requests.at(-1)?.headers["x-claude-code-session-id"] ?? "?";
    assert.match(human.stdout, /^I wrote the file\.$/m);
    assert.match(
      human.stdout,
      new RegExp(`✓ write-file succeeded · in \\S+ · \\$\\d+\\.\\d+ · session ${session2}`),
    );
    assert.match(human.stderr, /tool Bash: echo hello >/);
  },
});

Deno.test({
  name: "real claude: a hanging Bash tool with an MCP server running is stopped and leaves nothing",
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    await Deno.writeTextFile(join(home.clodputerHome, "config.yaml"), "grace_period: 1\n");
    const mcpPidFile = join(home.root, "mcp.pid");
    const bashPidFile = join(home.root, "bash.pid");
    const mcpConfig = join(home.root, "mcp.json");
    // The hard case: the MCP server is a grandchild (sh -c node ...) that ignores stdin EOF.
    await Deno.writeTextFile(
      mcpConfig,
      JSON.stringify({
        mcpServers: {
          stub: {
            command: "sh",
            args: [
              "-c",
              `exec_node() { node "$@"; }; exec_node ${
                join(REPO_ROOT, "tests", "fixtures", "mcp_stub_server.mjs")
              }`,
            ],
            env: {
              MCP_PID_FILE: mcpPidFile,
              MCP_IGNORE_EOF: "1",
              PATH: "/usr/local/bin:/usr/bin:/bin",
            },
          },
        },
      }),
    );
    await using api = startMessagesApi([
      // 2.1.330 refuses a bare `sleep 300`; this form is accepted (claude-cli.md).
      { blocks: [bash(`echo $$ > ${bashPidFile}; echo started; sleep 300`)] },
      { blocks: [{ type: "text", text: "done" }] },
    ]);
    await home.writeTask(
      "hang",
      `name: hang
task:
  prompt: "Run the long command"
  allowed_tools: [Bash, mcp__stub]
  mcp_config: ${mcpConfig}
  timeout: 600
`,
    );
    const env = await cliEnvFor(home, api.url);
    let record: {
      id: string;
      status: string;
      cleanup: { signalled: { pid: number }[]; survivors: unknown[] };
    } | undefined;
    try {
      // The run is stopped once both hanging processes exist (never while claude is still
      // starting them, however slow the machine): the same cleanup a timeout runs.
      await using runner = await spawnCli(home, ["run", "hang", "--now", "--json"], { env });
      const mcpPid = Number(
        await waitFor(
          "the MCP server's pid file",
          () => pidIn(mcpPidFile),
        ),
      );
      const bashPid = Number(
        await waitFor(
          "the Bash tool's pid file",
          () => pidIn(bashPidFile),
        ),
      );
      const cancel = await runCli(home, ["cancel", "hang"], { env });
      assert.equal(cancel.code, 0, cancel.stderr);
      const r = await runner.output();
      assert.equal(r.code, 1, r.stderr);
      record = JSON.parse(r.stdout);
      assert.equal(record?.status, "cancelled");
      assert.ok(mcpPid > 0 && bashPid > 0);
      assert.ok(!pidAlive(mcpPid), `the MCP server ${mcpPid} survived`);
      assert.ok(!pidAlive(bashPid), `the Bash tool's shell ${bashPid} survived`);
      // claude 2.1.330 stops its own MCP servers and Bash commands on SIGTERM, racing the cleanup
      // that signals them right after it: whichever signal lands first, each is gone, and the
      // report names what the cleanup itself signalled (claude at least).
      const killed = new Set(record?.cleanup.signalled.map((s) => s.pid));
      assert.ok(killed.size > 0, "the cleanup signalled the run's processes");
      assert.deepEqual(record?.cleanup.survivors, []);
      assert.deepEqual(
        await markedPids(record?.id ?? "?"),
        [],
        "no process carries the run's mark",
      );
    } finally {
      // Kill only what this test started, whatever an assertion said.
      for (const pid of record ? await markedPids(record.id) : []) {
        try {
          Deno.kill(pid, "SIGKILL");
        } catch { /* gone */ }
      }
    }
  },
});

Deno.test({
  name: "real claude: a prompt of about 1 MB goes on stdin and reaches the Messages API whole",
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    await using api = startMessagesApi([{ blocks: [{ type: "text", text: "read it all" }] }]);
    // 1 MB (in 1,000 lines, so the task file stays under its 1 MiB limit): far over Linux's
    // 128 KiB limit for one argument, which is what broke when the prompt was passed in argv.
    const line = (i: number) => `line ${String(i).padStart(4, "0")} ${"lorem ipsum ".repeat(83)}`;
    const body = Array.from({ length: 1000 }, (_, i) => line(i)).join("\n");
    const prompt = `Count these lines.\n${body}\nEND-OF-PROMPT`;
    assert.ok(new TextEncoder().encode(prompt).length >= 1_000_000, "a prompt of 1 MB");
    await home.writeTask(
      "big",
      `name: big\ntask:\n  prompt: |\n${prompt.split("\n").map((l) => `    ${l}`).join("\n")}\n`,
    );
    const env = await cliEnvFor(home, api.url);
    const r = await runCli(home, ["run", "big", "--now", "--json"], { env });
    assert.equal(r.code, 0, r.stderr);
    const record = JSON.parse(r.stdout);
    assert.equal(record.status, "succeeded");
    assert.equal(record.claude.result, "read it all");
    const first = JSON.stringify(api.requests.find((q) => Array.isArray(q.body.tools))?.body);
    assert.ok(
      first.includes(JSON.stringify(prompt + "\n").slice(1, -1)),
      "the whole prompt arrived",
    );
    assert.ok(!record.argv.some((a: string) => a.includes("lorem")), "no prompt in argv");
  },
});

Deno.test({
  name:
    "real claude: max_cost_usd is claude's --max-budget-usd; the run ends over_budget, in the ledger",
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    await using api = startMessagesApi([
      { blocks: [bash("echo one")] },
      { blocks: [bash("echo two")] },
      { blocks: [{ type: "text", text: "done" }] },
    ]);
    await home.writeTask(
      "pricey",
      `name: pricey
task:
  prompt: "Run two commands"
  allowed_tools: [Bash]
  timeout: 60
  max_cost_usd: 0.0000001
`,
    );
    const env = await cliEnvFor(home, api.url);
    const r = await runCli(home, ["run", "pricey", "--now", "--json"], { env });
    assert.equal(r.code, 1, r.stderr + r.stdout);
    const record = JSON.parse(r.stdout);
    assert.equal(record.status, "over_budget");
    assert.equal(record.outcome.kind, "over_budget");
    assert.match(record.outcome.message, /^Reached maximum budget/);
    assert.equal(record.claude.subtype, "error_max_budget_usd");
    assert.equal(api.requests.length, 1, "claude stopped after the first turn");
    const cost = JSON.parse((await runCli(home, ["cost", "--json"], { env })).stdout);
    assert.equal(cost.total.runs, 1);
    assert.equal(cost.total.cost_usd, Math.round(record.claude.total_cost_usd * 1e6) / 1e6);
  },
});

Deno.test({
  name: "real claude: a 401 holds the queue as auth_failed; a 529 is retried later",
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    let status = 401;
    await using api = startMessagesApi(() => ({
      error: status === 401
        ? {
          status: 401,
          type: "authentication_error",
          message:
            "OAuth token has expired. Please obtain a new token or refresh your existing token.",
        }
        : { status: 529, type: "overloaded_error", message: "Overloaded" },
    }));
    await home.writeTask(
      "api",
      "name: api\ntask:\n  prompt: hi\n  timeout: 120\n  max_retries: 1\n",
    );
    const env = await cliEnvFor(home, api.url);
    const denied = await runCli(home, ["run", "api", "--wait", "--json"], { env });
    const record = JSON.parse(denied.stdout);
    assert.equal(record.status, "auth_failed", denied.stdout);
    assert.match(record.auth_hold.fix, /claude setup-token/);
    const view = JSON.parse((await runCli(home, ["status", "--json"], { env })).stdout);
    assert.equal(view.queue.hold.kind, "auth");

    assert.equal((await runCli(home, ["resume"], { env })).code, 0);
    await runCli(home, ["queue", "clear", "--yes"], { env });
    status = 529;
    const busy = await runCli(home, ["run", "api", "--wait", "--json"], { env });
    const failed = JSON.parse(busy.stdout);
    assert.equal(failed.status, "failed", busy.stdout);
    assert.equal(failed.claude.api_error_status, 529);
    assert.equal(failed.next_retry.attempt, 2);
  },
});

Deno.test({
  name: "real claude: a 429 defers the run and holds the queue; a 529 is retried and then succeeds",
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    let reply: "429" | "529" | "ok" = "429";
    await using api = startMessagesApi(() =>
      reply === "429"
        ? {
          error: {
            status: 429,
            type: "rate_limit_error",
            message: "This request would exceed your account's rate limit. Please try again later.",
          },
        }
        : reply === "529"
        ? { error: { status: 529, type: "overloaded_error", message: "Overloaded" } }
        : { blocks: [{ type: "text", text: "done" }] }
    );
    await home.writeTask(
      "api",
      "name: api\ntask:\n  prompt: hi\n  timeout: 120\n  max_retries: 2\n",
    );
    await home.writeTask("other", "name: other\ntask:\n  prompt: hi\n  timeout: 120\n");
    const env = await cliEnvFor(home, api.url);

    // 429: not a failure; the run waits for the limit to reset, and nothing else starts meanwhile.
    const limited = JSON.parse(
      (await runCli(home, ["run", "api", "--wait", "--json"], { env })).stdout,
    );
    assert.equal(limited.status, "deferred", JSON.stringify(limited));
    assert.equal(limited.claude.api_error_status, 429);
    const held = JSON.parse((await runCli(home, ["status", "--json"], { env })).stdout);
    assert.equal(held.queue.hold.kind, "usage_limit");
    assert.equal(held.attention, null, "a deferred run is not a failure to acknowledge");
    const queuedOther = await runCli(home, ["run", "other", "--json"], { env });
    assert.equal(JSON.parse(queuedOther.stdout).runs.length, 0, "the held queue starts nothing");

    // 529 then success: the retry is queued for later and succeeds when its time comes.
    assert.equal((await runCli(home, ["resume"], { env })).code, 0);
    await runCli(home, ["queue", "clear", "--yes"], { env });
    reply = "529";
    const failed = JSON.parse(
      (await runCli(home, ["run", "api", "--wait", "--json"], { env })).stdout,
    );
    assert.equal(failed.status, "failed", JSON.stringify(failed));
    assert.equal(failed.claude.api_error_status, 529);
    assert.equal(failed.next_retry.attempt, 2);
    reply = "ok";
    const later = {
      ...env,
      CLODPUTER_FAKE_TIME: new Date(Date.now() + 3 * 3600_000).toISOString(),
    };
    const tick = await runTick(home, ["tick"], { env: later });
    assert.equal(tick.code, 0, tick.stderr);
    const retried = JSON.parse(
      (await runCli(home, ["show", failed.next_retry.run_id, "--json"], { env: later })).stdout,
    );
    assert.equal(retried.status, "succeeded", JSON.stringify(retried));
    assert.equal(retried.trigger.type, "retry");
    assert.equal(retried.trigger.retry_of, failed.id);
  },
});

/** Every text a request's messages hold, in order. */
function textsOf(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  for (const m of Array.isArray(body.messages) ? body.messages : []) {
    const content = (m as { content?: unknown }).content;
    if (typeof content === "string") out.push(content);
    for (const b of Array.isArray(content) ? content : []) {
      const text = (b as { text?: unknown }).text;
      if (typeof text === "string") out.push(text);
    }
  }
  return out;
}

Deno.test({
  name:
    "real claude: a session: continue task's second run sends the first run's prompt and answer",
  ignore: skip,
  async fn() {
    await using home = await tempHome();
    // Each reply names how many answers came before it in the conversation.
    await using api = startMessagesApi((turn) => ({
      blocks: [{ type: "text", text: `answer after ${turn} earlier answers` }],
    }));
    const work = join(home.root, "work");
    await Deno.mkdir(work);
    await home.writeTask(
      "review",
      `name: review
task:
  prompt: "Review as of {{ context.now }}"
  session: continue
  working_directory: ${work}
  timeout: 60
`,
    );
    const env = await cliEnvFor(home, api.url);
    /** Runs the task; its record, and the prompt it sent (each run's names its own time). */
    const run = async () => {
      const r = await runCli(home, ["run", "review", "--now", "--json"], { env });
      assert.equal(r.code, 0, r.stderr + r.stdout);
      const record = JSON.parse(r.stdout);
      return { ...record, prompt: await Deno.readTextFile(record.prompt_file) };
    };
    const mainRequests = () => api.requests.filter((q) => Array.isArray(q.body.tools));

    const first = await run();
    assert.equal(first.status, "succeeded");
    assert.equal(first.session.mode, "new");
    assert.equal(first.claude.result, "answer after 0 earlier answers");
    const session = first.claude.session_id;
    assert.ok(session);

    const before = mainRequests().length;
    const second = await run();
    assert.equal(second.status, "succeeded");
    assert.equal(second.session.mode, "continued");
    assert.equal(second.session.resumed, session);
    assert.ok(second.argv.includes("--resume"));
    assert.equal(second.claude.result, "answer after 1 earlier answers");
    const sent = mainRequests().slice(before).at(-1);
    assert.ok(sent, "the second run asked the API");
    const texts = textsOf(sent.body);
    assert.ok(texts.some((t) => t.includes(first.prompt)), "the first run's prompt is sent");
    assert.ok(texts.includes("answer after 0 earlier answers"), "and its answer");
    assert.ok(texts.some((t) => t.includes(second.prompt)), "then the second prompt");
    assert.notEqual(first.prompt, second.prompt);

    // The session's transcript removed from claude's config folder: the next run begins
    // afresh, with claude's words in its record, and sends nothing of the earlier runs.
    const configDir = env.CLAUDE_CONFIG_DIR ?? "";
    let removed = 0;
    for await (const project of Deno.readDir(join(configDir, "projects"))) {
      const transcript = join(configDir, "projects", project.name, `${session}.jsonl`);
      if (await Deno.remove(transcript).then(() => true, () => false)) removed++;
    }
    assert.equal(removed, 1, "claude kept the session's transcript under its config folder");
    const afterRemoval = mainRequests().length;
    const third = await run();
    assert.equal(third.status, "succeeded", "a lost session is not a failure");
    assert.equal(third.session.mode, "restarted");
    assert.equal(third.session.resumed, session);
    assert.match(third.session.reason, /^claude: No conversation found with session ID: /);
    assert.ok(!third.argv.includes("--resume"));
    assert.equal(third.claude.result, "answer after 0 earlier answers");
    const fresh = textsOf(mainRequests().slice(afterRemoval).at(-1)?.body ?? {});
    assert.ok(fresh.some((t) => t.includes(third.prompt)));
    assert.ok(!fresh.some((t) => t.includes(first.prompt)), "nothing of the lost session");
  },
});
