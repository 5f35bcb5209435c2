/**
 * @module
 * The event stream (`GET /api/events`) against a real server: a client connects, a change is made
 * (a pause through the API, a queued run, log lines, a running run's output) and the named event
 * arrives within a bounded wait; pings; the watch runs only while a client is connected; the
 * stream ends when the client goes or the server shuts down.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { openLog } from "../../lib/log/writer.ts";
import { withStore } from "../../lib/state/open.ts";
import { sseEvent } from "../../lib/web/events.ts";
import { waitFor } from "../e2e/cli.ts";
import { TASKS } from "./fixture_home.ts";
import { testServer } from "./api_server.ts";

/** What a stream sent: named events with their data, and comments. */
class Stream implements AsyncDisposable {
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  readonly events: { name: string; data: Record<string, unknown> }[] = [];
  readonly comments: string[] = [];
  ended = false;

  constructor(response: Response) {
    assert.ok(response.body);
    this.#reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** Reads until `check` finds what it wants, the stream ends, or `ms` pass (then fails). */
  async until<T>(what: string, check: () => T | undefined, ms = 30_000): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<"late">((resolve) => (timer = setTimeout(() => resolve("late"), ms)));
    try {
      while (true) {
        const found = check();
        if (found !== undefined) return found;
        if (this.ended) throw new Error(`the stream ended before ${what}`);
        const next = await Promise.race([this.#reader.read(), late]);
        if (next === "late") {
          throw new Error(
            `Timed out after ${ms} ms waiting for ${what}: ${JSON.stringify(this.events)}`,
          );
        }
        if (next.done) this.ended = true;
        else this.#take(next.value);
      }
    } finally {
      clearTimeout(timer);
    }
  }

  /** The first event `name` (after `from` events) whose data passes `match`. */
  event(
    name: string,
    match: (data: Record<string, unknown>) => boolean = () => true,
    from = 0,
  ): Promise<Record<string, unknown>> {
    return this.until(
      `a ${name} event`,
      () => this.events.slice(from).find((e) => e.name === name && match(e.data))?.data,
    );
  }

  #take(text: string): void {
    this.#buffer += text;
    let end: number;
    while ((end = this.#buffer.indexOf("\n\n")) >= 0) {
      const block = this.#buffer.slice(0, end);
      this.#buffer = this.#buffer.slice(end + 2);
      let name = "message";
      let data = "";
      for (const line of block.split("\n")) {
        if (line.startsWith(":")) this.comments.push(line.slice(1).trim());
        else if (line.startsWith("event: ")) name = line.slice(7);
        else if (line.startsWith("data: ")) data += line.slice(6);
      }
      if (data !== "") this.events.push({ name, data: JSON.parse(data) });
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.#reader.cancel().catch(() => {});
  }
}

Deno.test("sseEvent() writes a named event with JSON data", () => {
  assert.equal(sseEvent("pause", { paused: null }), 'event: pause\ndata: {"paused":null}\n\n');
});

Deno.test("the stream is text/event-stream with the security headers; no client, no watch", async () => {
  await using t = await testServer();
  assert.equal(t.server.hub.watching, false, "nothing watched before a client");
  const response = await t.get("/api/events");
  assert.equal(response.status, 200);
  assert.match(response.headers.get("content-type") ?? "", /^text\/event-stream/);
  assert.match(response.headers.get("content-security-policy") ?? "", /default-src 'none'/);
  await using stream = new Stream(response);
  await stream.until(
    "the connected comment",
    () => stream.comments.includes("connected") || undefined,
  );
  assert.equal(t.server.hub.watching, true);
  assert.equal(t.server.hub.clients, 1);
  await stream[Symbol.asyncDispose]();
  await waitFor(
    "the hub to let go of the closed client",
    () => t.server.hub.clients === 0 && !t.server.hub.watching || undefined,
  );
});

Deno.test("a pause and a resume through the API arrive as pause events", async () => {
  await using t = await testServer();
  await using stream = new Stream(await t.get("/api/events"));
  await (await t.post("/api/pause", { for: "1h" })).body?.cancel();
  const paused = await stream.event("pause", (d) => d.paused !== null);
  assert.match(String((paused.paused as { until: string }).until), /^\d{4}-/);
  await (await t.post("/api/resume")).body?.cancel();
  await stream.event("pause", (d) => d.paused === null);
});

Deno.test("a queued run arrives as a queue event", async () => {
  await using t = await testServer();
  await using stream = new Stream(await t.get("/api/events"));
  await (await t.post(`/api/tasks/${TASKS.hostile}/run`)).body?.cancel();
  const queue = await stream.event("queue", (d) => d.queued === 1);
  assert.deepEqual(queue, { queued: 1, high: 0, waiting: [] });
});

Deno.test("log lines of a run starting and ending arrive as run-started and run-finished", async () => {
  await using t = await testServer();
  await using stream = new Stream(await t.get("/api/events"));
  const log = openLog(t.deps);
  const id = "20991231-120000-abcdef";
  await log.append({ event: "task_started", run_id: id, task: TASKS.daily, trigger: "manual" });
  assert.deepEqual(await stream.event("run-started"), { run_id: id, task: TASKS.daily });
  await log.append({ event: "task_failed", run_id: id, task: TASKS.daily, error: "exit 1" });
  assert.deepEqual(await stream.event("run-finished"), {
    run_id: id,
    task: TASKS.daily,
    status: "failed",
  });
});

Deno.test("a running run's output arrives as run-progress", async () => {
  await using t = await testServer();
  const queued = await t.post(`/api/tasks/${TASKS.daily}/run`);
  const { run_id } = await queued.json() as { run_id: string };
  await using stream = new Stream(await t.get("/api/events"));
  const at = new Date(t.deps.clock.now()).toISOString();
  const me = { pid: 999_999, started: "x", acquired_at: at, heartbeat_at: at };
  await withStore(t.deps, async (s) => {
    await s.acquireLease(me, null);
    await s.takeNext(me, at);
  });
  const dir = join(t.home, "runs", run_id);
  await Deno.mkdir(dir, { recursive: true });
  const line = (o: unknown) => JSON.stringify(o) + "\n";
  await Deno.writeTextFile(
    join(dir, "stdout"),
    line({ type: "system", subtype: "init", session_id: "s" }) +
      line({
        type: "assistant",
        message: {
          id: "m1",
          content: [{ type: "tool_use", id: "t1", name: "Bash", input: { command: "ls" } }],
          usage: { input_tokens: 10, output_tokens: 5 },
        },
      }),
  );
  const progress = await stream.event(
    "run-progress",
    (d) => (d.live as { turns: number }).turns >= 1,
  );
  assert.equal(progress.run_id, run_id);
  assert.equal(progress.task, TASKS.daily);
  const live = progress.live as { tokens_in: number; tokens_out: number; activity: string };
  assert.equal(live.tokens_in, 10);
  assert.equal(live.tokens_out, 5);
  assert.match(live.activity, /Bash/);
});

Deno.test("a ping comment keeps the stream open", async () => {
  await using t = await testServer({ events: { pollMs: 20, pingMs: 60 } });
  await using stream = new Stream(await t.get("/api/events"));
  await stream.until("a ping", () => stream.comments.includes("ping") || undefined);
});

Deno.test("shutting the server down ends an open stream and the watch", async () => {
  await using t = await testServer();
  await using stream = new Stream(await t.get("/api/events"));
  await stream.until(
    "the connected comment",
    () => stream.comments.includes("connected") || undefined,
  );
  await t.server.shutdown();
  await stream.until("the end of the stream", () => stream.ended || undefined);
  assert.equal(t.server.hub.watching, false);
  assert.equal(t.server.hub.clients, 0);
});
