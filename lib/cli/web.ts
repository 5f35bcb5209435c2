/**
 * @module
 * `clodputer web [--port N] [--open]`: the web dashboard (lib/web/), on 127.0.0.1 until Ctrl-C.
 * While one already serves this home (its `web.json` names a live process), `web` and `web --open`
 * say where it is (and open it) instead of starting another; `--port N` starts another;
 * `--stop` stops it.
 */

import { EnvironmentError, UsageError } from "../errors.ts";
import { readWebMarker, webUrl } from "../status/web_marker.ts";
import { DEFAULT_WEB_PORT, startWebServer } from "../web/server.ts";
import type { Deps } from "./deps.ts";

/** The port `--port` names. @throws {UsageError} for anything but 0..65535. */
export function parsePort(text: string | undefined): number {
  if (text === undefined) return DEFAULT_WEB_PORT;
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) {
    throw new UsageError(`--port must be a port number (0 to 65535), not "${text}"`, {
      hint: `leave it out for ${DEFAULT_WEB_PORT}, or give 0 for any free port`,
    });
  }
  return port;
}

/** Opens `url` in the browser: `open` on macOS, `xdg-open` elsewhere. A failure is a warning. */
async function openBrowser(deps: Deps, url: string): Promise<void> {
  const command = deps.os === "darwin" ? "open" : "xdg-open";
  try {
    const result = await deps.proc.output(command, {
      args: [url],
      env: deps.env.toObject(),
      stdin: "null",
    });
    if (result.code !== 0) {
      deps.out.error(`warning: ${command} failed (exit ${result.code}); open the URL yourself`);
    }
  } catch {
    deps.out.error(`warning: ${command} is not on PATH; open the URL yourself`);
  }
}

/** How long `--stop` waits for the server to stop. */
const STOP_WAIT_MS = 10_000;

/** `web --stop`: stops the dashboard serving this home (SIGTERM), and waits until it has. */
async function stopWeb(deps: Deps): Promise<number> {
  const running = await readWebMarker(deps);
  if (!running) {
    deps.out.line("No web dashboard is running for this home.");
    return 0;
  }
  deps.proc.signal(running.pid, "SIGTERM");
  const until = deps.clock.now() + STOP_WAIT_MS;
  while (await readWebMarker(deps)) {
    if (deps.clock.now() >= until) {
      throw new EnvironmentError(
        `The web dashboard (pid ${running.pid}) did not stop within ${STOP_WAIT_MS / 1000} s`,
        { hint: `stop it with: kill ${running.pid}` },
      );
    }
    await deps.clock.sleep(100);
  }
  deps.out.line(`Stopped the web dashboard (pid ${running.pid}).`);
  return 0;
}

/** `web`. */
export async function webCommand(
  deps: Deps,
  options: { port?: string | undefined; open: boolean; stop?: boolean },
): Promise<number> {
  if (options.stop) return await stopWeb(deps);
  const port = parsePort(options.port);
  // One already serves this home: say where (and open it), unless another port is asked for.
  if (options.open || options.port === undefined) {
    const running = await readWebMarker(deps);
    if (running) {
      const url = webUrl(running.port, running.token);
      deps.out.line(`Clodputer web dashboard (already running, pid ${running.pid}): ${url}`);
      if (options.open) await openBrowser(deps, url);
      return 0;
    }
  }
  let server;
  try {
    server = startWebServer(deps, { port });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse) {
      throw new EnvironmentError(`Port ${port} on 127.0.0.1 is taken`, {
        hint: "another clodputer web may be running; or choose a port: clodputer web --port 0",
      });
    }
    throw error;
  }
  const stop = deps.onSignal(() => {
    server.shutdown().catch(() => {});
  });
  try {
    const marked = await server.marked;
    if (!marked.ok) {
      deps.out.error(
        `warning: could not write web.json (${marked.message}); status will not name this server`,
      );
    }
    deps.out.line(`Clodputer web dashboard: ${server.url}`);
    deps.out.line("Ctrl-C stops it.");
    if (options.open) await openBrowser(deps, server.url);
    await server.finished;
  } finally {
    stop();
  }
  return 0;
}
