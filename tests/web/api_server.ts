/**
 * @module
 * An in-process web dashboard for the API, event and security tests: a temp CLODPUTER_HOME seeded
 * by `seedHome` from the real clock, the server on port 0, a stand-in for starting the runner
 * (it counts the calls and starts nothing), and fetch helpers carrying the token. Disposable:
 * `await using` it and the server is shut down and the home removed however the test ends.
 */

import { join } from "node:path";
import { systemClock } from "../../lib/sys/clock.ts";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import { systemProc } from "../../lib/sys/proc.ts";
import type { WebDeps } from "../../lib/web/context.ts";
import { startWebServer, type WebServer } from "../../lib/web/server.ts";
import { type Seeded, seedHome } from "./fixture_home.ts";

/** A running test server and its home. */
export interface TestServer extends AsyncDisposable {
  server: WebServer;
  deps: WebDeps;
  seeded: Seeded;
  home: string;
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** How many times a POST asked for a runner. */
  runnersStarted: number;
  /** GET (or any method) with the Bearer token. */
  get(path: string, init?: RequestInit): Promise<Response>;
  /** POST a JSON body with the Bearer token and this server's Origin. */
  post(
    path: string,
    body?: unknown,
    init?: { headers?: Record<string, string> },
  ): Promise<Response>;
}

/** Starts a server over a freshly seeded home. */
export async function testServer(
  options: { days?: number; events?: { pollMs?: number; pingMs?: number } } = {},
): Promise<TestServer> {
  const root = await Deno.makeTempDir({ prefix: "clodputer-web-" });
  const home = join(root, "clodputer");
  const seeded = await seedHome(home, { nowMs: systemClock.now(), days: options.days ?? 30 });
  const counter = { started: 0 };
  const deps: WebDeps = {
    proc: systemProc(),
    clock: systemClock,
    env: envFrom({ HOME: root, CLODPUTER_HOME: home, PATH: "/usr/bin:/bin" }),
    paths: pathsUnder(home),
    os: Deno.build.os,
    selfPid: Deno.pid,
    startRunner: () => {
      counter.started++;
      return Promise.resolve(undefined);
    },
  };
  const server = startWebServer(deps, { port: 0, events: options.events ?? { pollMs: 50 } });
  await server.marked;
  const base = `http://127.0.0.1:${server.port}`;
  const auth = { authorization: `Bearer ${server.token}` };
  return {
    server,
    deps,
    seeded,
    home,
    base,
    get runnersStarted() {
      return counter.started;
    },
    get(path, init = {}) {
      return fetch(base + path, {
        ...init,
        headers: { ...auth, ...(init.headers as Record<string, string> | undefined) },
      });
    },
    post(path, body = {}, init = {}) {
      return fetch(base + path, {
        method: "POST",
        headers: {
          ...auth,
          origin: base,
          "content-type": "application/json",
          ...init.headers,
        },
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    async [Symbol.asyncDispose]() {
      try {
        await server.shutdown();
      } finally {
        await Deno.remove(root, { recursive: true }).catch(() => {});
      }
    },
  };
}

/** A response's JSON body (read whole: the body is always consumed). */
export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return await response.json() as T;
}
