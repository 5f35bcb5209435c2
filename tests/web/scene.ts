/**
 * @module
 * A seeded home and the web handler over it, in process, for the page tests: a temp root (its
 * `.clodputer` the home, seeded by fixture_home.ts from a FakeClock, the one clock), the deps the
 * server gets, and `get(path)` answered by the handler with the token, as a browser would ask.
 */

import { join } from "node:path";
import { envFrom } from "../../lib/sys/env.ts";
import { pathsUnder } from "../../lib/sys/paths.ts";
import type { WebDeps } from "../../lib/web/context.ts";
import { handler } from "../../lib/web/server.ts";
import { FakeClock } from "../fakes/clock.ts";
import { FakeProc } from "../fakes/proc.ts";
import { type Seeded, seedHome } from "./fixture_home.ts";

/** The port and token the handler believes it serves on. */
export const PORT = 7433;
export const TOKEN = "test-token";

/** A seeded home and its handler; disposing of it removes the temp root. */
export interface Scene extends AsyncDisposable {
  root: string;
  home: string;
  clock: FakeClock;
  deps: WebDeps;
  seeded: Seeded;
  /** GET `path` with the token: the status, the body and its content type. */
  get(path: string): Promise<{ status: number; text: string; type: string }>;
}

/** A home seeded with `days` days of history (log lines only when `log`). */
export async function webScene(
  options: { days?: number; log?: boolean; prefix?: string } = {},
): Promise<Scene> {
  const root = await Deno.makeTempDir({ prefix: options.prefix ?? "clodputer-web-" });
  const home = join(root, ".clodputer");
  const clock = new FakeClock();
  try {
    const seeded = await seedHome(home, {
      nowMs: clock.now(),
      ...(options.days === undefined ? {} : { days: options.days }),
      log: options.log ?? false,
    });
    const deps: WebDeps = {
      proc: new FakeProc([]),
      clock,
      env: envFrom({ HOME: root, CLODPUTER_HOME: home, PATH: "/usr/bin:/bin" }),
      paths: pathsUnder(home),
      os: "linux",
      selfPid: 5000,
    };
    const handle = handler(deps, { port: PORT, token: TOKEN });
    return {
      root,
      home,
      clock,
      deps,
      seeded,
      async get(path) {
        const res = await handle(
          new Request(`http://127.0.0.1:${PORT}${path}`, {
            headers: { host: `127.0.0.1:${PORT}`, authorization: `Bearer ${TOKEN}` },
          }),
        );
        return {
          status: res.status,
          text: await res.text(),
          type: res.headers.get("content-type") ?? "",
        };
      },
      async [Symbol.asyncDispose]() {
        await Deno.remove(root, { recursive: true });
      },
    };
  } catch (error) {
    await Deno.remove(root, { recursive: true });
    throw error;
  }
}
