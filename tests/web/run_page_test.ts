/**
 * @module
 * The run page and its live fragment, asked of the handler in process over a seeded home: the
 * transcript's entries for the sample, the record's figures, command, prompt and resume command,
 * hostile text shown as text, a damaged record, a running run (cancel, live region, its transcript
 * so far), a queued run, a long transcript cut, and unknown runs.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { Store } from "../../lib/state/store.ts";
import type { Lease } from "../../lib/state/types.ts";
import { readStdout, renderTranscript, runState } from "../../lib/web/pages/run.ts";
import { parseTranscript } from "../../lib/run/transcript.ts";
import { escapeHtml } from "../../lib/web/html.ts";
import { commandLine } from "../../lib/ui/shell_quote.ts";
import { HOSTILE, TASKS } from "./fixture_home.ts";
import { type Scene, webScene } from "./scene.ts";

function scene(options: { days?: number } = {}): Promise<Scene> {
  return webScene({ days: options.days ?? 20, prefix: "clodputer-web-run-" });
}

/** The elements with `attr` (e.g. `data-kind="`) in order: their attribute values. */
function attrs(text: string, attr: string): string[] {
  return [...text.matchAll(new RegExp(`${attr}="([^"]*)"`, "g"))].map((m) => m[1] as string);
}

/** The text inside the element carrying `data-testid="<id>"` (up to its closing tag). */
function testid(text: string, id: string): string {
  const m = text.match(new RegExp(`data-testid="${id}"[^>]*>([\\s\\S]*?)</`));
  assert.ok(m, `an element with data-testid=${id}`);
  return m[1] as string;
}

Deno.test("the run page shows a finished run: transcript entries, figures, command, prompt, resume", async () => {
  await using s = await scene();
  const run = s.seeded.newest[TASKS.daily];
  assert.ok(run);
  const { status, text } = await s.get(`/runs/${run.id}`);
  assert.equal(status, 200);
  // The bash-tool sample: init, the Bash call, its result, Claude's text, the result.
  const transcript = text.slice(text.indexOf('data-testid="transcript"'));
  assert.deepEqual(attrs(transcript, "data-kind"), [
    "system",
    "tool_use",
    "tool_result",
    "text",
    "result",
  ]);
  assert.match(transcript, /<details>\s*<summary>Result of Bash/);
  assert.match(
    transcript,
    /<pre class="tool-input">\{\n {2}&quot;command&quot;: &quot;echo bash-ran/,
  );
  assert.match(testid(text, "result"), /Bash done\./);
  assert.equal(testid(text, "tokens"), "24 input · 14 output · 0 cache read · 0 cache write");
  assert.equal(testid(text, "cost"), formatted(run.cost_usd));
  assert.equal(testid(text, "turns"), "2");
  // As `show` prints it: the record's command and arguments, the prompt on stdin.
  const record = JSON.parse(
    await Deno.readTextFile(join(s.deps.paths.runs, run.id, "result.json")),
  );
  assert.equal(
    testid(text, "command"),
    escapeHtml(commandLine([record.command, ...record.argv], record.prompt_file)),
  );
  assert.match(testid(text, "command"), /&lt; \S+\/prompt$/);
  assert.equal(testid(text, "prompt"), "Review my notes from yesterday.");
  assert.equal(testid(text, "resume"), `clodputer resume ${run.id}`);
  assert.match(testid(text, "outcome"), /✓ succeeded/);
  assert.match(text, /Nothing was left running\./);
  assert.match(text, /UTC/, "times carry their zone");
  // Not running: no cancel button, no live region.
  assert.doesNotMatch(text, /data-action="cancel"/);
  assert.doesNotMatch(text, /data-live=/);
});

function formatted(usd: number): string {
  return `$${usd.toFixed(2)}`;
}

Deno.test("the run page shows hostile result, text and prompt as text", async () => {
  await using s = await scene();
  const run = s.seeded.newest[TASKS.hostile];
  assert.ok(run);
  const { status, text } = await s.get(`/runs/${run.id}`);
  assert.equal(status, 200);
  assert.equal(text.match(/<script/g)?.length, 1, "only the layout's own script tag");
  assert.doesNotMatch(text, /<img/);
  const escaped = "&lt;script&gt;window.__pwned = 1&lt;/script&gt;&lt;img src=x onerror=" +
    "&quot;window.__pwned = 2&quot;&gt;";
  assert.equal(testid(text, "result"), `Done. ${escaped}`);
  assert.equal(testid(text, "prompt"), `Say ${escaped}`);
  assert.ok(text.includes(`Bash done. ${escaped}`), "Claude's text, escaped");
  assert.ok(HOSTILE.startsWith("<script>"));
});

Deno.test("the run page shows what the store kept of a damaged record, with the warning", async () => {
  await using s = await scene();
  const run = s.seeded.newest[TASKS.watch];
  assert.ok(run);
  await Deno.writeTextFile(join(s.deps.paths.runs, run.id, "result.json"), "{ not json");
  const { status, text } = await s.get(`/runs/${run.id}`);
  assert.equal(status, 200);
  assert.match(testid(text, "warnings"), /result\.json is damaged/);
  assert.match(text, /showing what the store kept of the run/);
  // The transcript is still read from stdout.
  assert.ok(attrs(text, "data-kind").includes("tool_use"));
});

Deno.test("the run page of a running run: its transcript so far, live, with a cancel button", async () => {
  await using s = await scene();
  const id = "20261125-115900-00abcd";
  const now = () => new Date(s.clock.now()).toISOString();
  const me: Lease = { pid: 5000, started: "x", acquired_at: now(), heartbeat_at: now() };
  const store = await Store.open(s.deps.paths.state, s.clock);
  try {
    await store.acquireLease(me, null);
    await store.enqueue(
      { id, task: TASKS.daily, priority: "normal", trigger: { type: "manual" } },
      now(),
    );
    await store.enqueue(
      {
        id: "20261125-115901-00abce",
        task: TASKS.watch,
        priority: "normal",
        trigger: { type: "manual" },
      },
      now(),
    );
    assert.equal((await store.takeNext(me, now(), id))?.id, id);
    await store.setClaudePid(id, 4321, {
      command: "/usr/local/bin/claude",
      argv: ["-p", "--output-format", "stream-json"],
      cwd: null,
      prompt_file: join(s.deps.paths.runs, id, "prompt"),
    });
  } finally {
    store.close();
  }
  const dir = join(s.deps.paths.runs, id);
  await Deno.mkdir(dir, { recursive: true });
  const sample = await Deno.readTextFile(
    new URL("../fixtures/claude-samples/stream-json-bash-tool.jsonl", import.meta.url),
  );
  // The first two lines: the session started and the Bash call went out.
  await Deno.writeTextFile(join(dir, "stdout"), sample.split("\n").slice(0, 2).join("\n") + "\n");

  const { status, text } = await s.get(`/runs/${id}`);
  assert.equal(status, 200);
  assert.match(
    text,
    new RegExp(
      `data-live="/fragments/runs/${id}/transcript"\\s+data-live-on="run-progress run-finished"`,
    ),
  );
  assert.match(
    text,
    new RegExp(`data-action="cancel" data-post="/api/runs/${id}/cancel" data-confirm="Cancel run`),
  );
  assert.deepEqual(attrs(text.slice(text.indexOf('data-testid="transcript"')), "data-kind"), [
    "system",
    "tool_use",
  ]);
  assert.match(testid(text, "outcome"), /Running since .*: Bash: echo bash-ran/);
  assert.equal(testid(text, "turns"), "1");
  assert.equal(testid(text, "cost"), "reported when the run ends");
  assert.equal(
    testid(text, "command"),
    "/usr/local/bin/claude -p --output-format stream-json &lt; " + join(dir, "prompt"),
  );

  // More is written: the fragment shows it.
  await Deno.writeTextFile(join(dir, "stdout"), sample);
  const fragment = await s.get(`/fragments/runs/${id}/transcript`);
  assert.equal(fragment.status, 200);
  assert.doesNotMatch(fragment.text, /<html/);
  assert.deepEqual(attrs(fragment.text, "data-kind"), [
    "system",
    "tool_use",
    "tool_result",
    "text",
    "result",
  ]);
  assert.match(fragment.text, /data-action="cancel"/);

  // The queued one says so, and is live too.
  const queued = await s.get("/runs/20261125-115901-00abce");
  assert.equal(queued.status, 200);
  assert.match(testid(queued.text, "outcome"), /Queued: 1 of 1 in the queue/);
  assert.match(queued.text, /data-live="\/fragments\/runs\/20261125-115901-00abce\/transcript"/);
  assert.doesNotMatch(queued.text, /data-action="cancel"/);
});

Deno.test("runState() takes a running run whose record is written as done", async () => {
  await using s = await scene();
  const run = s.seeded.newest[TASKS.daily];
  assert.ok(run);
  const now = () => new Date(s.clock.now()).toISOString();
  const me: Lease = { pid: 5000, started: "x", acquired_at: now(), heartbeat_at: now() };
  const store = await Store.open(s.deps.paths.state, s.clock);
  try {
    await store.acquireLease(me, null);
    await store.enqueue({
      id: run.id,
      task: run.task,
      priority: "normal",
      trigger: { type: "manual" },
    }, now());
    await store.takeNext(me, now(), run.id);
  } finally {
    store.close();
  }
  assert.equal((await runState(s.deps, run.id)).kind, "done");
});

Deno.test("the run page answers 404 with the CLI's message for an unknown run", async () => {
  await using s = await scene();
  const page = await s.get("/runs/20200101-000000-000000");
  assert.equal(page.status, 404);
  assert.match(page.text, /Cannot show run &quot;20200101-000000-000000&quot;: it has no record/);
  const task = await s.get("/runs/no-such-task");
  assert.equal(task.status, 404);
  assert.match(task.text, /neither a run id nor a task that has run/);
  const fragment = await s.get("/fragments/runs/20200101-000000-000000/transcript");
  assert.equal(fragment.status, 404);
});

Deno.test("readStdout() reads the end of a long stdout from a line's start, and says so", async () => {
  await using s = await scene();
  const path = join(s.deps.paths.home, "long");
  const line = JSON.stringify({
    type: "assistant",
    message: { content: [{ type: "text", text: "é".repeat(40) }] },
  });
  await Deno.writeTextFile(path, `${line}\n${line}\n${line}\n`);
  const bytes = new TextEncoder().encode(line).length + 1;
  const read = await readStdout(path, bytes + 10);
  assert.equal(read.cutBytes, 2 * bytes);
  assert.equal(read.text, `${line}\n`);
  assert.deepEqual(await readStdout(path, 10_000), {
    text: `${line}\n`.repeat(3),
    cutBytes: 0,
    missing: false,
  });
  assert.deepEqual(await readStdout(join(path, "nope"), 10), {
    text: "",
    cutBytes: 0,
    missing: true,
  });
});

Deno.test("the run page says when the transcript is cut and when lines are unreadable", async () => {
  await using s = await scene();
  const run = s.seeded.newest[TASKS.daily];
  assert.ok(run);
  const path = join(s.deps.paths.runs, run.id, "stdout");
  const filler = JSON.stringify({
    type: "assistant",
    message: { content: [{ type: "text", text: "x".repeat(1024 * 1024) }] },
  });
  await Deno.writeTextFile(path, `${filler}\n`.repeat(6) + "garbage\n");
  const { text } = await s.get(`/runs/${run.id}`);
  assert.match(
    testid(text, "transcript-cut"),
    /The transcript is long: its first \d+ bytes are not shown/,
  );
  assert.match(testid(text, "transcript-skipped"), /1 line was not readable/);
  assert.match(text, /more characters not shown/);
});

Deno.test("renderTranscript() marks errors, retries and unknown events, and escapes them", async () => {
  const sample = async (name: string) =>
    parseTranscript(
      await Deno.readTextFile(new URL(`../fixtures/claude-samples/${name}`, import.meta.url)),
    );
  const e500 = renderTranscript(await sample("stream-json-e500-retries.jsonl"), {
    cutBytes: 0,
    missing: false,
  }, false).text;
  assert.deepEqual(attrs(e500, "data-kind"), ["system", "system", "system", "error", "result"]);
  assert.match(
    e500,
    /data-type="api_retry">\s*<span class="label">API error 500 \(server_error\)<\/span>: retry 1 of 2 in 529ms/,
  );
  assert.match(e500, /<li class="entry error fail" data-kind="error">/);
  assert.match(e500, /<li class="entry result fail" data-kind="result">/);
  const bg = renderTranscript(await sample("stream-json-background-task.jsonl"), {
    cutBytes: 0,
    missing: false,
  }, false).text;
  assert.match(bg, /data-type="system\/task_notification"/);
  const odd = renderTranscript(
    parseTranscript(
      [
        JSON.stringify({
          type: "user",
          message: {
            content: [{
              type: "tool_result",
              tool_use_id: "x",
              content: "<b>no</b>",
              is_error: true,
            }],
          },
        }),
        JSON.stringify({
          type: "assistant",
          message: { content: [{ type: "thinking", thinking: "<i>" }] },
        }),
        JSON.stringify({ type: "<odd>" }),
      ].join("\n"),
    ),
    { cutBytes: 0, missing: false },
    false,
  ).text;
  assert.match(
    odd,
    /<li class="entry tool_result fail" data-kind="tool_result"\s+data-error="true">/,
  );
  assert.match(odd, /Error from a tool/);
  assert.match(odd, /Claude \(thinking\)/);
  assert.match(odd, /data-type="&lt;odd&gt;"/);
  assert.doesNotMatch(odd, /<b>|<i>/);
  const none = renderTranscript(parseTranscript(""), { cutBytes: 0, missing: true }, false).text;
  assert.match(none, /This run left no transcript/);
});

Deno.test("the run page of a run the store alone keeps (no folder): its outcome, no transcript", async () => {
  await using s = await scene();
  const failed = s.seeded.runs.find((r) =>
    r.status === "failed" && !Object.values(s.seeded.newest).some((n) => n.id === r.id)
  );
  assert.ok(failed);
  const { status, text } = await s.get(`/runs/${failed.id}`);
  assert.equal(status, 200);
  assert.match(testid(text, "outcome"), /✗ failed: claude exited with code 1/);
  assert.match(text, /This run left no transcript/);
  assert.match(testid(text, "prompt"), /no prompt file/);
});
