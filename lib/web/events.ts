/**
 * @module
 * The event stream (`GET /api/events`, text/event-stream): what changed, as named events
 * (`run-started`, `run-progress`, `run-finished`, `queue`, `hold`, `pause`) and a `: ping` comment
 * every 15 s. One hub per server. It watches only while a client is connected (none: no timer, no
 * read): once a second it stats the execution log, the store (`state.kv` and its `-wal`) and the
 * pause file, and reads only when one of them changed: the log's new lines (run started and
 * finished), the queue, hold and pause (sent when they differ from the last read), and, while a
 * run goes on, its `stdout`'s new events folded into its progress (lib/run/live.ts). A client that
 * goes away, or the server's shutdown (`close()`), ends its stream; the last one ends the watch.
 */

import { followEvents } from "../log/reader.ts";
import type { LogEvent } from "../log/writer.ts";
import { RunTail } from "../run/live.ts";
import { withStore } from "../state/open.ts";
import { readPause } from "../state/pause.ts";
import { holdInForce } from "../state/store.ts";
import { queueCounts } from "../status/read.ts";
import { runDir } from "../sys/paths.ts";
import { join } from "../sys/posix_path.ts";
import { jsonResponse, response, type WebDeps } from "./context.ts";

/** How often the files are looked at while a client is connected. */
export const POLL_MS = 1000;

/** How often a `: ping` comment keeps the stream open (and a read is made whatever changed). */
export const PING_MS = 15_000;

/** The end events of a run in the execution log, and the status each stands for. */
const END_EVENTS: Readonly<Record<string, string>> = {
  task_completed: "succeeded",
  task_failed: "failed",
  task_timed_out: "timed_out",
  task_cancelled: "cancelled",
  task_lost: "lost",
  task_skipped: "skipped",
  task_over_budget: "over_budget",
  task_deferred: "deferred",
  task_auth_failed: "auth_failed",
};

/** A client whose stream fills beyond this many bytes unread is dropped. */
const MAX_UNREAD = 1 << 20;

interface Client {
  controller: ReadableStreamDefaultController<Uint8Array>;
}

/** What one watch knows from its last look. */
interface Seen {
  stamp: string;
  queue: string;
  hold: string;
  pause: string;
  running: { id: string; task: string; tail: RunTail; live: string } | undefined;
}

const encoder = new TextEncoder();

/** One event as the stream carries it. Pure. */
export function sseEvent(name: string, data: unknown): string {
  return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** The hub: its clients, and the one watch that runs while it has any. */
export class EventHub {
  readonly #deps: WebDeps;
  readonly #pollMs: number;
  readonly #pingMs: number;
  readonly #clients = new Set<Client>();
  /** The watch running, if any, and how to stop it. */
  #watch: { stop: AbortController; ready: Promise<void>; done: Promise<void> } | undefined;
  /** Watches stopped and still ending (close() waits for them). */
  readonly #ending = new Set<Promise<void>>();
  #closed = false;

  constructor(deps: WebDeps, options: { pollMs?: number; pingMs?: number } = {}) {
    this.#deps = deps;
    this.#pollMs = options.pollMs ?? POLL_MS;
    this.#pingMs = options.pingMs ?? PING_MS;
  }

  /** How many clients are connected. */
  get clients(): number {
    return this.#clients.size;
  }

  /** Whether it is watching (only while a client is connected). */
  get watching(): boolean {
    return this.#watch !== undefined;
  }

  /**
   * A new client's stream. The watch is ready (the files looked at) before it answers, so a
   * change made after the answer is seen as one.
   */
  async connect(): Promise<Response> {
    if (this.#closed) {
      return jsonResponse({
        error: { name: "Unavailable", message: "The server is stopping", hint: "start it again" },
      }, 503);
    }
    let client: Client | undefined;
    const stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        client = { controller };
        controller.enqueue(encoder.encode(": connected\nretry: 3000\n\n"));
      },
      cancel: () => {
        if (client) this.#drop(client);
      },
    });
    const mine = client as unknown as Client;
    // A client that goes away cancels the body: `cancel` above drops it.
    this.#clients.add(mine);
    await this.#startWatch().ready;
    return response(stream, {
      type: "text/event-stream; charset=utf-8",
      headers: { "x-accel-buffering": "no" },
    });
  }

  /** Ends every stream and the watch, and waits for the watch to stop. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const client of [...this.#clients]) this.#drop(client);
    this.#stopWatch();
    await Promise.all([...this.#ending]);
  }

  /** Sends one event to every client. */
  send(name: string, data: unknown): void {
    this.#write(sseEvent(name, data));
  }

  #write(text: string): void {
    const bytes = encoder.encode(text);
    for (const client of [...this.#clients]) {
      try {
        const unread = client.controller.desiredSize;
        if (unread !== null && unread < -MAX_UNREAD) {
          this.#drop(client);
          continue;
        }
        client.controller.enqueue(bytes);
      } catch {
        this.#drop(client);
      }
    }
  }

  #drop(client: Client): void {
    if (!this.#clients.delete(client)) return;
    try {
      client.controller.close();
    } catch { /* already closed or cancelled */ }
    if (this.#clients.size === 0) this.#stopWatch();
  }

  #startWatch(): { ready: Promise<void> } {
    if (this.#watch) return this.#watch;
    const stop = new AbortController();
    let readyResolve!: () => void;
    const ready = new Promise<void>((resolve) => (readyResolve = resolve));
    const done = this.#run(stop.signal, readyResolve).catch(() => {}).finally(readyResolve);
    this.#watch = { stop, ready, done };
    return this.#watch;
  }

  #stopWatch(): void {
    const watch = this.#watch;
    if (!watch) return;
    this.#watch = undefined;
    watch.stop.abort();
    this.#ending.add(watch.done);
    void watch.done.finally(() => this.#ending.delete(watch.done));
  }

  /** The watch: a first look (then `ready`), then a look each poll until `signal` aborts. */
  async #run(signal: AbortSignal, ready: () => void): Promise<void> {
    const deps = this.#deps;
    const logSize = await Deno.stat(deps.paths.log).then((s) => s.size, () => 0);
    const seen: Seen = {
      stamp: await this.#stamp(),
      queue: "",
      hold: "",
      pause: "",
      running: undefined,
    };
    await this.#look(seen, { quiet: true }).catch(() => {});
    ready();
    const following = this.#follow(signal, logSize);
    let lastRead = deps.clock.now();
    let lastPing = lastRead;
    try {
      while (!signal.aborted) {
        await deps.clock.sleep(this.#pollMs, signal);
        if (signal.aborted) break;
        const now = deps.clock.now();
        const stamp = await this.#stamp();
        // What changes with time alone (a pause's end, a hold's) is read at each ping.
        if (stamp !== seen.stamp || now - lastRead >= this.#pingMs) {
          seen.stamp = stamp;
          lastRead = now;
          await this.#look(seen, { quiet: false }).catch(() => {});
        }
        await this.#progress(seen).catch(() => {});
        if (now - lastPing >= this.#pingMs) {
          lastPing = now;
          this.#write(": ping\n\n");
        }
      }
    } finally {
      await following;
    }
  }

  /** Size and mtime of the files a change shows in. */
  async #stamp(): Promise<string> {
    const p = this.#deps.paths;
    const files = [p.state, `${p.state}-wal`, p.pause, p.log];
    const stats = await Promise.all(
      files.map((f) => Deno.stat(f).then((s) => `${s.size}@${s.mtime?.getTime() ?? 0}`, () => "-")),
    );
    return stats.join(" ");
  }

  /** The log's new lines: a run started, a run finished. */
  async #follow(signal: AbortSignal, fromOffset: number): Promise<void> {
    const { paths, clock } = this.#deps;
    try {
      for await (
        const event of followEvents(paths, clock, {
          signal,
          fromEnd: false,
          fromOffset,
          pollMs: this.#pollMs,
        })
      ) this.#onLogEvent(event);
    } catch { /* the log cannot be read: the other events go on */ }
  }

  #onLogEvent(event: LogEvent): void {
    const runId = typeof event.run_id === "string" ? event.run_id : undefined;
    const task = typeof event.task === "string" ? event.task : undefined;
    if (runId === undefined || task === undefined) return;
    if (event.event === "task_started") {
      this.send("run-started", { run_id: runId, task });
      return;
    }
    const status = END_EVENTS[event.event];
    if (status !== undefined) this.send("run-finished", { run_id: runId, task, status });
  }

  /** Reads the queue, hold, pause and running run; sends what differs (unless `quiet`). */
  async #look(seen: Seen, options: { quiet: boolean }): Promise<void> {
    const deps = this.#deps;
    const now = deps.clock.now();
    const [read, paused] = await Promise.all([
      withStore(deps, async (store) => ({
        queued: await store.queued(),
        hold: await store.hold(),
        running: await store.running(),
      })),
      readPause(deps.paths, now),
    ]);
    const counts = queueCounts(read.queued, now);
    const queue = JSON.stringify(counts);
    const hold = JSON.stringify({ hold: holdInForce(read.hold, now) ?? null });
    const pause = JSON.stringify({ paused: paused ?? null });
    if (!options.quiet) {
      if (queue !== seen.queue) this.send("queue", counts);
      if (hold !== seen.hold) this.#write(`event: hold\ndata: ${hold}\n\n`);
      if (pause !== seen.pause) this.#write(`event: pause\ndata: ${pause}\n\n`);
    }
    seen.queue = queue;
    seen.hold = hold;
    seen.pause = pause;
    const running = read.running;
    if (running?.id !== seen.running?.id) {
      seen.running = running === undefined ? undefined : {
        id: running.id,
        task: running.task,
        tail: new RunTail(running.id, join(runDir(deps.paths, running.id), "stdout")),
        live: "",
      };
    }
  }

  /** The running run's progress, sent when it moved. */
  async #progress(seen: Seen): Promise<void> {
    const running = seen.running;
    if (!running) return;
    const live = await running.tail.read();
    const text = JSON.stringify(live);
    if (text === running.live) return;
    running.live = text;
    this.send("run-progress", { run_id: running.id, task: running.task, live });
  }
}
