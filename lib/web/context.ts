/**
 * @module
 * What a web handler receives: the seams (the same a command has, less the console), the request
 * and its route's parameters, the server's token and port, and the event hub.
 */

import type { RunDeps } from "../run/run_task.ts";
import type { Store } from "../state/store.ts";
import type { SafeHtml } from "./html.ts";
import { SECURITY_HEADERS } from "./security.ts";

/** The seams the web face uses: those of a run (proc, clock, env, paths, os, selfPid). */
export interface WebDeps extends RunDeps {
  /**
   * Starts a runner for what a POST queued; its pid, or undefined when a live one runs. Default:
   * `startRunner()` (lib/state/start_runner.ts: `tick --runner`, detached). Tests pass a stand-in.
   */
  startRunner?: ((store: Store) => Promise<number | undefined>) | undefined;
}

/** A request as a handler sees it. */
export interface RouteContext {
  deps: WebDeps;
  request: Request;
  url: URL;
  /** The route's named parts (`/api/runs/:id` -> `{ id }`), decoded. */
  params: Record<string, string>;
  /** The server's token (the pages put it in a meta tag, for their POSTs). */
  token: string;
  port: number;
  /** The event stream's hub (`GET /api/events`; lib/web/events.ts): one per server. */
  hub: EventStreams;
}

/** What a handler sees of the event hub: a new client's stream. */
export interface EventStreams {
  connect(): Promise<Response>;
}

/** One route: a method and a path pattern (`:name` parts), and what answers it. */
export interface Route {
  method: "GET" | "POST";
  /** `/api/runs/:id`: literal parts, and `:name` parts matching one path segment. */
  path: string;
  handle(context: RouteContext): Promise<Response> | Response;
}

/** A JSON response with the security headers. */
export function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "application/json; charset=utf-8" },
  });
}

/** An HTML response with the security headers. */
export function htmlResponse(body: SafeHtml, status = 200): Response {
  return new Response(body.text, {
    status,
    headers: { ...SECURITY_HEADERS, "content-type": "text/html; charset=utf-8" },
  });
}

/** A response of any type with the security headers. */
export function response(
  body: BodyInit | null,
  init: { status?: number; type?: string; headers?: Record<string, string> } = {},
): Response {
  return new Response(body, {
    status: init.status ?? 200,
    headers: {
      ...SECURITY_HEADERS,
      ...(init.type === undefined ? {} : { "content-type": init.type }),
      ...init.headers,
    },
  });
}
