/**
 * @module
 * Who may talk to the web dashboard: a request whose Host names the loopback address (or
 * localhost) with our port (DNS rebinding), carrying the token (an `Authorization: Bearer`
 * header, or the cookie a page load with `?token=` set); every POST also carries the token itself
 * (not only the cookie) and a same-origin Origin (CSRF). Every response carries the headers here:
 * a strict Content-Security-Policy (scripts and styles only from this server, nothing inline), no
 * framing, no sniffing, no caching, no referrer. Pure.
 */

/** A new token: 32 random bytes, base64url. */
export function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** The names this server answers to: the loopback address and localhost, with its port. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Whether the Host header names this server (not a name that resolves to it: DNS rebinding). */
export function hostAllowed(host: string | null, port: number): boolean {
  return host !== null && allowedHosts(port).includes(host.toLowerCase());
}

/** Whether the Origin header is this server's own. */
export function originAllowed(origin: string | null, port: number): boolean {
  return origin !== null &&
    allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

/** The cookie's name: one per port, as browsers share cookies across a host's ports. */
export function cookieName(port: number): string {
  return `clodputer_${port}`;
}

/** The Set-Cookie value that keeps the token for the pages: HttpOnly, SameSite=Strict. */
export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Compares two strings in time that does not depend on where they differ. */
export function sameSecret(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** The token of an `Authorization: Bearer` header, if any. */
export function bearerToken(request: Request): string | undefined {
  const header = request.headers.get("authorization");
  const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
  return match?.[1];
}

/** The token of our cookie, if any. */
export function cookieToken(request: Request, port: number): string | undefined {
  const name = cookieName(port);
  for (const part of (request.headers.get("cookie") ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** What the checks found: allowed, or refused with a status and a message. */
export type Verdict =
  | { ok: true }
  | { ok: false; status: 400 | 401 | 403; message: string; hint: string };

/**
 * Checks a request: Host, then the token (header or cookie), then for anything but GET and HEAD
 * the token in the header and the Origin.
 */
export function checkRequest(request: Request, port: number, token: string): Verdict {
  if (!hostAllowed(request.headers.get("host"), port)) {
    return {
      ok: false,
      status: 403,
      message: "This server answers only to 127.0.0.1 and localhost",
      hint: `open http://127.0.0.1:${port}/ as clodputer web printed it`,
    };
  }
  const bearer = bearerToken(request);
  const cookie = cookieToken(request, port);
  const given = bearer ?? cookie;
  if (given === undefined || !sameSecret(given, token)) {
    return {
      ok: false,
      status: 401,
      message: given === undefined ? "The token is missing" : "The token is wrong",
      hint: "open the URL clodputer web printed (it carries ?token=), " +
        "or send Authorization: Bearer <token>",
    };
  }
  if (request.method !== "GET" && request.method !== "HEAD") {
    if (bearer === undefined) {
      return {
        ok: false,
        status: 403,
        message: "A change needs the token in its Authorization header, not only the cookie",
        hint: "send Authorization: Bearer <token>",
      };
    }
    if (!originAllowed(request.headers.get("origin"), port)) {
      return {
        ok: false,
        status: 403,
        message: "A change must come from this server's own pages (the Origin header)",
        hint: `send Origin: http://127.0.0.1:${port}`,
      };
    }
  }
  return { ok: true };
}

/** The headers every response carries. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; "),
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
  "cross-origin-resource-policy": "same-origin",
};
