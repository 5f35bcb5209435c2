/**
 * @module
 * The one HTTP listener (Deno.serve): the web dashboard's. Listens on one address, answers each
 * request with `handler`, and stops when asked, closing open streams.
 */

/** A listening server. */
export interface HttpServer {
  /** The port it listens on (the one the system chose when asked for 0). */
  port: number;
  /** Settles when the server has stopped. */
  finished: Promise<void>;
  /** Stops listening, ends open connections and waits for the server to stop. */
  shutdown(): Promise<void>;
}

/**
 * Listens on `hostname`:`port` (0: a free port).
 * @throws {Deno.errors.AddrInUse} when the port is taken.
 */
export function serveHttp(
  options: { hostname: string; port: number },
  handler: (request: Request) => Response | Promise<Response>,
): HttpServer {
  const server = Deno.serve(
    { hostname: options.hostname, port: options.port, onListen: () => {} },
    (request) => handler(request),
  );
  return {
    port: server.addr.port,
    finished: server.finished,
    async shutdown() {
      await server.shutdown();
    },
  };
}
