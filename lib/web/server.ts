/**
 * @module
 * The web dashboard's server: listens on 127.0.0.1 only, checks every request (lib/web/security.ts),
 * trades a page load's `?token=` for a cookie, and answers from the route table
 * (lib/web/routes.ts). It runs nothing itself: its changes go through the queue as the CLI's do.
 * While it listens, `web.json` in the home names it (lib/status/web_marker.ts); its event hub
 * (lib/web/events.ts) is closed, ending every open stream, when it stops.
 */

import { ClodputerError, NotFoundError, UsageError } from "../errors.ts";
import { QueuedForAnotherFileError } from "../state/queue_run.ts";
import { serveHttp } from "../sys/http.ts";
import { errorJson } from "../ui/errors.ts";
import { removeWebMarker, type WebMarker, webUrl, writeWebMarker } from "../status/web_marker.ts";
import {
  htmlResponse,
  jsonResponse,
  response,
  type Route,
  type RouteContext,
  type WebDeps,
} from "./context.ts";
import { EventHub } from "./events.ts";
import { errorPage } from "./layout.ts";
import { matchPath, routes } from "./routes.ts";
import { checkRequest, newToken, tokenCookie } from "./security.ts";

/** The address the server listens on: the loopback address only. */
export const WEB_HOST = "127.0.0.1";

/** The port `clodputer web` takes when none is named. */
export const DEFAULT_WEB_PORT = 7433;

/** A running web dashboard. */
export interface WebServer {
  port: number;
  token: string;
  /** The address to open: `http://127.0.0.1:PORT/?token=...`. */
  url: string;
  /** Settles when the server has stopped (and its marker is gone). */
  finished: Promise<void>;
  /** Settles once `web.json` names this server (a failure to write it is only a warning). */
  marked: Promise<{ ok: true } | { ok: false; message: string }>;
  /** The event stream's hub. */
  hub: EventHub;
  /** Ends the event streams, stops listening, removes the marker. */
  shutdown(): Promise<void>;
}

/** The HTTP status an error answers with. */
export function statusFor(error: unknown): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof QueuedForAnotherFileError) return 409;
  if (error instanceof UsageError) return 400;
  if (error instanceof ClodputerError && error.exitCode === 2) return 400;
  return 500;
}

/** Answers one request: the checks, the token exchange, then the route. */
export function handler(
  deps: WebDeps,
  server: { port: number; token: string; hub?: EventHub | undefined },
  table: readonly Route[] = routes(),
): (request: Request) => Promise<Response> {
  const hub = server.hub ?? new EventHub(deps);
  return async (request) => {
    const url = new URL(request.url);
    const api = url.pathname.startsWith("/api/");
    // A page opened with ?token=: keep it in a cookie and drop it from the address bar.
    const offered = url.searchParams.get("token");
    if (!api && request.method === "GET" && offered !== null) {
      const withToken = new Request(request.url, {
        headers: { host: request.headers.get("host") ?? "", authorization: `Bearer ${offered}` },
      });
      const verdict = checkRequest(withToken, server.port, server.token);
      if (verdict.ok) {
        url.searchParams.delete("token");
        return response(null, {
          status: 303,
          headers: {
            location: url.pathname + url.search,
            "set-cookie": tokenCookie(server.port, server.token),
          },
        });
      }
    }
    const verdict = checkRequest(request, server.port, server.token);
    if (!verdict.ok) {
      const body = { error: { name: "Refused", message: verdict.message, hint: verdict.hint } };
      return api || request.method !== "GET"
        ? jsonResponse(body, verdict.status)
        : htmlResponse(errorPage(verdict.message, verdict.hint), verdict.status);
    }
    for (const route of table) {
      if (
        route.method !== request.method && !(route.method === "GET" && request.method === "HEAD")
      ) {
        continue;
      }
      const params = matchPath(route.path, url.pathname);
      if (params === undefined) continue;
      const context: RouteContext = {
        deps,
        request,
        url,
        params,
        token: server.token,
        port: server.port,
        hub,
      };
      try {
        return await route.handle(context);
      } catch (error) {
        const status = statusFor(error);
        if (api) return jsonResponse(errorJson(error), status);
        const e = errorJson(error).error;
        return htmlResponse(
          errorPage(String(e.message), typeof e.hint === "string" ? e.hint : undefined),
          status,
        );
      }
    }
    const message = `Nothing at ${url.pathname}`;
    return api
      ? jsonResponse({ error: { name: "NotFoundError", message } }, 404)
      : htmlResponse(errorPage(message, "start from the overview: /"), 404);
  };
}

/**
 * Starts the server on 127.0.0.1:`port` (0: a free port) with a new token (or `token`), and
 * writes `web.json` naming it. `events` tunes the event hub (tests look more often).
 * @throws {Deno.errors.AddrInUse} when the port is taken.
 */
export function startWebServer(
  deps: WebDeps,
  options: { port: number; token?: string; events?: { pollMs?: number; pingMs?: number } },
): WebServer {
  const token = options.token ?? newToken();
  const hub = new EventHub(deps, options.events);
  // The handler reads the port from `state` per request: the system chooses it for port 0.
  const state = { port: options.port, token, hub };
  const http = serveHttp({ hostname: WEB_HOST, port: options.port }, handler(deps, state));
  state.port = http.port;
  const marker: WebMarker = {
    pid: deps.selfPid,
    port: http.port,
    token,
    started_at: new Date(deps.clock.now()).toISOString(),
  };
  const marked = deps.proc.info(deps.selfPid).catch(() => undefined).then((me) => {
    if (me !== undefined) marker.process_started = me.started;
    return writeWebMarker(deps.paths, marker);
  }).then(
    () => ({ ok: true as const }),
    (error: unknown) => ({
      ok: false as const,
      message: error instanceof Error ? error.message : String(error),
    }),
  );
  const unmark = async () => {
    await marked;
    await removeWebMarker(deps.paths, marker).catch(() => {});
  };
  let stopping: Promise<void> | undefined;
  const shutdown = () =>
    stopping ??= (async () => {
      // Open event streams would keep the server from stopping: end them first.
      await hub.close();
      await http.shutdown();
      await unmark();
    })();
  return {
    port: http.port,
    token,
    url: webUrl(http.port, token),
    finished: http.finished.then(unmark),
    marked,
    hub,
    shutdown,
  };
}
