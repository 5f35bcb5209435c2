/**
 * @module
 * The notification channels: desktop (osascript on macOS, notify-send on Linux), a webhook, a
 * command. Each sends one event within its time limit and says how it went; none throws.
 * Text from data reaches osascript and notify-send only as argv elements, never as code.
 */

import type { Clock } from "../sys/clock.ts";
import type { Env } from "../sys/env.ts";
import { type Child, findExecutable, type Proc } from "../sys/proc.ts";
import { type AnyNotifyEvent, desktopText, webhookBody } from "./payload.ts";

/** The seams the channels use. */
export interface ChannelDeps {
  proc: Proc;
  clock: Clock;
  env: Env;
  /** `Deno.build.os`: "darwin" uses osascript, anything else notify-send. */
  os: string;
}

/** How a channel went: sent, or failed with the reason, after how many tries. */
export type ChannelResult =
  | { ok: true; attempts: number }
  | { ok: false; attempts: number; error: string };

/** An HTTP client shaped like `fetch` (injectable: tests pass one that records or fails). */
export type Fetch = (url: string, init: RequestInit) => Promise<Response>;

/** Limits of one send. */
export interface SendLimits {
  /** Milliseconds one try (one request, one program) may take. */
  timeoutMs: number;
}

/**
 * The AppleScript that shows a notification from its arguments: message, title, subtitle. The
 * source is constant; data only ever arrives as `argv` items. osascript's manual does not say
 * what it does with the `--` that ends its options: if it hands it on to the script, argv holds
 * one item more, and the script drops that leading "--" (only then: a message of "--" alone is
 * kept). `scriptItems()` models this, for tests.
 */
export const OSASCRIPT_LINES: readonly string[] = [
  "on run argv",
  "set args to argv",
  'if (count of args) is 4 and (item 1 of args) is "--" then set args to rest of args',
  "display notification (item 1 of args) with title (item 2 of args) subtitle (item 3 of args)",
  "end run",
];

/**
 * What the AppleScript of `OSASCRIPT_LINES` shows for the argv osascript hands it: a model of
 * the script, line by line, for tests (whether or not `--` reached it). Pure.
 */
export function scriptItems(
  argv: readonly string[],
): { message: string; title: string; subtitle: string } {
  const args = argv.length === 4 && argv[0] === "--" ? argv.slice(1) : argv;
  const item = (n: number) => {
    const value = args[n - 1];
    // AppleScript fails here ("Can't get item n of {...}"): no notification.
    if (value === undefined) throw new RangeError(`Can't get item ${n} of argv`);
    return value;
  };
  return { message: item(1), title: item(2), subtitle: item(3) };
}

/** The program and argv of a desktop notification on `os`. Pure. */
export function desktopCommand(
  event: AnyNotifyEvent,
  os: string,
): { command: string; args: string[] } {
  const text = desktopText(event);
  if (os === "darwin") {
    return {
      command: "osascript",
      args: [
        ...OSASCRIPT_LINES.flatMap((line) => ["-e", line]),
        "--",
        text.message,
        text.title,
        text.subtitle,
      ],
    };
  }
  const urgency = event.event === "run_finished" && event.status === "succeeded"
    ? "normal"
    : "critical";
  return {
    command: "notify-send",
    args: [
      "--app-name=Clodputer",
      `--urgency=${urgency}`,
      "--",
      text.title,
      `${text.message}\n${text.subtitle}`,
    ],
  };
}

/** Shows a desktop notification: Notification Center on macOS, notify-send elsewhere. */
export async function sendDesktop(
  deps: ChannelDeps,
  event: AnyNotifyEvent,
  limits: SendLimits,
): Promise<ChannelResult> {
  const { command, args } = desktopCommand(event, deps.os);
  const path = await findExecutable(command, deps.env.get("PATH"));
  if (path === undefined) {
    return { ok: false, attempts: 0, error: `${command} was not found on PATH` };
  }
  return await runProgram(deps, { command: path, args, stdin: undefined, ...limits });
}

/** Runs the configured program with the event as JSON on its stdin. */
export async function sendCommand(
  deps: ChannelDeps,
  event: AnyNotifyEvent,
  options: SendLimits & { argv: readonly string[] },
): Promise<ChannelResult> {
  const [command, ...args] = options.argv;
  if (command === undefined) return { ok: false, attempts: 0, error: "the command is empty" };
  const path = await findExecutable(command, deps.env.get("PATH"));
  if (path === undefined) {
    return { ok: false, attempts: 0, error: `"${command}" was not found or is not executable` };
  }
  return await runProgram(deps, {
    command: path,
    args,
    stdin: JSON.stringify(event) + "\n",
    timeoutMs: options.timeoutMs,
  });
}

/** How much of a program's stderr is kept for the failure message. */
const STDERR_KEEP = 500;

async function runProgram(
  deps: ChannelDeps,
  options: { command: string; args: string[]; stdin: string | undefined; timeoutMs: number },
): Promise<ChannelResult> {
  let child: Child;
  try {
    child = deps.proc.spawn(options.command, {
      args: options.args,
      env: deps.env.toObject(),
      stdin: options.stdin === undefined ? "null" : "piped",
      stdout: "null",
      stderr: "piped",
    });
  } catch (error) {
    return {
      ok: false,
      attempts: 1,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  const stderr = keepHead(child.stderr);
  if (options.stdin !== undefined && child.stdin !== null) {
    const writer = child.stdin.getWriter();
    // A program that exits without reading its stdin closes the pipe: that is its business.
    writer.write(new TextEncoder().encode(options.stdin)).then(() => writer.close()).catch(
      () => {},
    );
  }
  const stopTimer = new AbortController();
  const timeout = deps.clock.sleep(options.timeoutMs, stopTimer.signal)
    .then(() => "timeout" as const);
  const ended = await Promise.race([child.status, timeout]);
  stopTimer.abort();
  if (ended === "timeout") {
    deps.proc.signal(child.pid, "SIGKILL");
    await child.status;
    await stderr.stop();
    return {
      ok: false,
      attempts: 1,
      error: `${baseName(options.command)} did not finish within ${options.timeoutMs} ms`,
    };
  }
  const text = (await stderr.stop()).trim();
  if (ended.code === 0 && ended.signal === null) return { ok: true, attempts: 1 };
  const how = ended.signal === null ? `exit code ${ended.code}` : `signal ${ended.signal}`;
  return {
    ok: false,
    attempts: 1,
    error: `${baseName(options.command)} ended with ${how}${text === "" ? "" : `: ${text}`}`,
  };
}

/** Reads a stream in the background, keeping its first bytes; `stop()` ends the reading. */
function keepHead(stream: ReadableStream<Uint8Array> | null): { stop(): Promise<string> } {
  if (stream === null) return { stop: () => Promise.resolve("") };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let kept = 0;
  const reading = (async () => {
    try {
      while (true) {
        const { done, value } = await reader.read();
        if (done) break;
        if (kept < STDERR_KEEP) {
          chunks.push(value.subarray(0, STDERR_KEEP - kept));
          kept += Math.min(value.length, STDERR_KEEP - kept);
        }
      }
    } catch {
      // cancelled
    }
  })();
  return {
    async stop() {
      // A grandchild may hold the pipe open: do not wait for its end.
      await reader.cancel().catch(() => {});
      await reading;
      const bytes = new Uint8Array(kept);
      let at = 0;
      for (const c of chunks) {
        bytes.set(c, at);
        at += c.length;
      }
      return new TextDecoder().decode(bytes);
    },
  };
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** Statuses worth another try: the server was busy or failing, or the request timed out. */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/**
 * POSTs the event to `url`: up to `tries` tries, each given `timeoutMs`, waiting `backoffMs`,
 * then twice that, between them. A 2xx answer is success; another 4xx is final.
 */
export async function sendWebhook(
  deps: Pick<ChannelDeps, "clock">,
  event: AnyNotifyEvent,
  options: SendLimits & {
    url: string;
    format: "json" | "slack";
    fetch: Fetch;
    tries: number;
    backoffMs: number;
  },
): Promise<ChannelResult> {
  const body = webhookBody(event, options.format);
  let error = "no try was made";
  for (let attempt = 1; attempt <= options.tries; attempt++) {
    if (attempt > 1) await deps.clock.sleep(options.backoffMs * 2 ** (attempt - 2));
    const abort = new AbortController();
    const stopTimer = new AbortController();
    deps.clock.sleep(options.timeoutMs, stopTimer.signal).then(() => {
      if (!stopTimer.signal.aborted) abort.abort();
    });
    try {
      const response = await options.fetch(options.url, {
        method: "POST",
        headers: { "content-type": "application/json", "user-agent": "clodputer" },
        body,
        signal: abort.signal,
      });
      await response.body?.cancel().catch(() => {});
      if (response.ok) return { ok: true, attempts: attempt };
      error = `the server answered ${response.status}${
        response.statusText === "" ? "" : ` ${response.statusText}`
      }`;
      if (!retryable(response.status)) return { ok: false, attempts: attempt, error };
    } catch (caught) {
      error = abort.signal.aborted
        ? `no answer within ${options.timeoutMs} ms`
        : caught instanceof Error
        ? caught.message
        : String(caught);
    } finally {
      stopTimer.abort();
    }
  }
  return { ok: false, attempts: options.tries, error };
}
