/**
 * @module
 * Shared pieces of the notification tests: a run record, a temp home with the stand-ins first on
 * PATH, and a loopback HTTP server that records what it was sent.
 */

import { join } from "node:path";
import type { ChannelDeps } from "../../lib/notify/channels.ts";
import type { Outcome } from "../../lib/run/outcome.ts";
import { statusOf } from "../../lib/run/outcome.ts";
import type { RunRecord } from "../../lib/run/record.ts";
import { systemClock } from "../../lib/sys/clock.ts";
import { type Env, envFrom } from "../../lib/sys/env.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import { FIXTURE_BIN } from "../e2e/cli.ts";

/** Error text that would run code if it were pasted into AppleScript or a shell. */
export const HOSTILE =
  `it said "no" & do shell script "touch /tmp/pwned" & "'; rm -rf ~; echo '$(id)\`id\`\n` +
  `-- end run\non run argv\\" --title x`;

/** A finished run's record. */
export function record(
  outcome: Outcome = { kind: "exit_error", code: 1, message: "claude exited with code 1" },
  extra: Partial<RunRecord> = {},
): RunRecord {
  return {
    id: "20261125-120000-abcdef",
    task: "daily-email",
    status: statusOf(outcome),
    outcome,
    trigger: { type: "schedule" },
    started_at: "2026-11-25T12:00:00.000Z",
    ended_at: "2026-11-25T12:00:12.000Z",
    duration_ms: 12_000,
    pid: 123,
    exit: { code: 1, signal: null },
    command: "claude",
    argv: [],
    cwd: null,
    claude: null,
    cleanup: null,
    output: {
      stdout: { bytes: 0, kept: 0, truncated: false },
      stderr: { bytes: 0, kept: 0, truncated: false },
    },
    warnings: [],
    ...extra,
  };
}

/** A temp HOME with the stand-ins first on PATH. */
export interface NotifyHome extends AsyncDisposable {
  root: string;
  env: Env;
  deps(os: string): ChannelDeps;
  /** Every stand-in call so far: its program name and its argv, element by element. */
  calls(): Promise<{ program: string; argv: string[] }[]>;
}

/** A temp HOME whose PATH finds the stand-in osascript and notify-send first. */
export async function notifyHome(extraEnv: Record<string, string> = {}): Promise<NotifyHome> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-notify-" });
  const calls = join(root, "fake-notify");
  const env = envFrom({
    HOME: root,
    PATH: `${FIXTURE_BIN}:/usr/bin:/bin`,
    FAKE_NOTIFY_DIR: calls,
    ...extraEnv,
  });
  const deps = (os: string): ChannelDeps => ({ proc: systemProc(), clock: systemClock, env, os });
  return {
    root,
    env,
    deps,
    /** Every stand-in call so far: its program name and its argv, element by element. */
    async calls(): Promise<{ program: string; argv: string[] }[]> {
      const out: { program: string; argv: string[] }[] = [];
      try {
        for await (const e of Deno.readDir(calls)) {
          const text = await Deno.readTextFile(join(calls, e.name));
          out.push({ program: e.name.replace(/\.\d+$/, ""), argv: text.split("\0").slice(0, -1) });
        }
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
      return out;
    },
    [Symbol.asyncDispose]: () => Deno.remove(root, { recursive: true }),
  };
}

/** What the loopback server was sent. */
export interface Received {
  method: string;
  contentType: string | null;
  body: string;
}

/**
 * A loopback HTTP server on 127.0.0.1, port 0. `answer(n)` gives the status of the n-th request
 * (1-based), or "hang" to never answer (until the server is disposed).
 */
export function loopback(
  answer: (n: number) => number | "hang",
): AsyncDisposable & { url: string; received: Received[]; release(): void } {
  const received: Received[] = [];
  const release = Promise.withResolvers<void>();
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen() {} }, async (req) => {
    received.push({
      method: req.method,
      contentType: req.headers.get("content-type"),
      body: await req.text(),
    });
    const status = answer(received.length);
    if (status === "hang") {
      await release.promise;
      return new Response("late", { status: 200 });
    }
    return new Response(status === 204 ? null : status < 300 ? "ok" : "no", { status });
  });
  return {
    url: `http://127.0.0.1:${server.addr.port}/hook?token=hook-secret-123`,
    received,
    /** Lets every hanging request (and every later one) answer 200. */
    release: () => release.resolve(),
    async [Symbol.asyncDispose]() {
      release.resolve();
      await server.shutdown();
    },
  };
}
