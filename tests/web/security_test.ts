/**
 * @module
 * Who may talk to the server, against a real one on port 0: the token (missing, wrong, Bearer,
 * the ?token= exchange for an HttpOnly SameSite=Strict cookie), the Host header (DNS rebinding:
 * a raw request, as fetch sets Host itself), the POST rules (the token in the header and a
 * same-origin Origin), the CSP on every response, and the `web.json` marker (0600, named by
 * `status` without its token, gone when the server stops).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readStatus } from "../../lib/status/read.ts";
import { readWebMarker, webMarkerPath } from "../../lib/status/web_marker.ts";
import { json, testServer } from "./api_server.ts";

/** One raw HTTP/1.1 request with exactly these headers; the status line and headers back. */
async function rawRequest(
  port: number,
  lines: string[],
): Promise<{ status: number; head: string }> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode([...lines, "Connection: close", "", ""].join("\r\n")),
    );
    let text = "";
    const buf = new Uint8Array(4096);
    while (!text.includes("\r\n\r\n")) {
      const n = await conn.read(buf);
      if (n === null) break;
      text += new TextDecoder().decode(buf.subarray(0, n));
    }
    return { status: Number(text.split(" ")[1]), head: text.split("\r\n\r\n")[0] ?? "" };
  } finally {
    conn.close();
  }
}

const CSP = /default-src 'none'; script-src 'self'/;

Deno.test("no token is 401, a wrong one is 401, Bearer works; each with the CSP", async () => {
  await using t = await testServer();
  const none = await fetch(`${t.base}/api/status`);
  const body = await json<{ error: { message: string; hint: string } }>(none);
  assert.equal(none.status, 401);
  assert.equal(body.error.message, "The token is missing");
  assert.match(body.error.hint, /Authorization: Bearer/);
  assert.match(none.headers.get("content-security-policy") ?? "", CSP);

  const wrong = await fetch(`${t.base}/api/status`, { headers: { authorization: "Bearer nope" } });
  assert.equal(wrong.status, 401);
  assert.equal(
    (await json<{ error: { message: string } }>(wrong)).error.message,
    "The token is wrong",
  );

  const page = await fetch(`${t.base}/`);
  assert.equal(page.status, 401);
  assert.match(page.headers.get("content-type") ?? "", /text\/html/);
  await page.body?.cancel();

  const ok = await t.get("/api/status");
  assert.equal(ok.status, 200);
  assert.match(ok.headers.get("content-security-policy") ?? "", CSP);
  assert.equal(ok.headers.get("x-frame-options"), "DENY");
  await ok.body?.cancel();
});

Deno.test("?token= on a page is traded for an HttpOnly SameSite=Strict cookie (303), which then works", async () => {
  await using t = await testServer();
  const traded = await fetch(`${t.base}/?token=${t.server.token}`, { redirect: "manual" });
  await traded.body?.cancel();
  assert.equal(traded.status, 303);
  assert.equal(traded.headers.get("location"), "/");
  assert.match(traded.headers.get("content-security-policy") ?? "", CSP);
  const cookie = traded.headers.get("set-cookie") ?? "";
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  const pair = cookie.split(";")[0] ?? "";
  assert.equal(pair, `clodputer_${t.server.port}=${t.server.token}`);

  const page = await fetch(`${t.base}/`, { headers: { cookie: pair } });
  assert.equal(page.status, 200);
  assert.match(page.headers.get("content-security-policy") ?? "", CSP);
  await page.body?.cancel();
  const api = await fetch(`${t.base}/api/status`, { headers: { cookie: pair } });
  assert.equal(api.status, 200);
  await api.body?.cancel();

  const bad = await fetch(`${t.base}/?token=wrong`, { redirect: "manual" });
  assert.equal(bad.status, 401);
  assert.equal(bad.headers.get("set-cookie"), null);
  await bad.body?.cancel();
});

Deno.test("a foreign Host is refused (DNS rebinding); localhost and 127.0.0.1 with the port are not", async () => {
  await using t = await testServer();
  const auth = `Authorization: Bearer ${t.server.token}`;
  const port = t.server.port;
  const evil = await rawRequest(port, [
    "GET /api/status HTTP/1.1",
    `Host: evil.example:${port}`,
    auth,
  ]);
  assert.equal(evil.status, 403);
  assert.match(evil.head, /content-security-policy: default-src 'none'/i);
  const otherPort = await rawRequest(port, ["GET /api/status HTTP/1.1", "Host: 127.0.0.1:1", auth]);
  assert.equal(otherPort.status, 403);
  for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
    const ok = await rawRequest(port, ["GET /api/status HTTP/1.1", `Host: ${host}`, auth]);
    assert.equal(ok.status, 200, host);
  }
});

Deno.test("a POST needs the token in its header and this server's Origin", async () => {
  await using t = await testServer();
  const auth = { authorization: `Bearer ${t.server.token}` };
  const noOrigin = await fetch(`${t.base}/api/pause`, {
    method: "POST",
    headers: auth,
    body: "{}",
  });
  const e1 = await json<{ error: { message: string; hint: string } }>(noOrigin);
  assert.equal(noOrigin.status, 403);
  assert.match(e1.error.message, /Origin/);
  assert.match(noOrigin.headers.get("content-security-policy") ?? "", CSP);

  const foreign = await fetch(`${t.base}/api/pause`, {
    method: "POST",
    headers: { ...auth, origin: "http://evil.example" },
    body: "{}",
  });
  assert.equal(foreign.status, 403);
  await foreign.body?.cancel();

  const cookieOnly = await fetch(`${t.base}/api/pause`, {
    method: "POST",
    headers: { cookie: `clodputer_${t.server.port}=${t.server.token}`, origin: t.base },
    body: "{}",
  });
  const e3 = await json<{ error: { message: string } }>(cookieOnly);
  assert.equal(cookieOnly.status, 403);
  assert.match(e3.error.message, /not only the cookie/);

  assert.equal(
    await Deno.stat(t.deps.paths.pause).then(() => true, () => false),
    false,
    "nothing was paused",
  );
  const ok = await t.post("/api/pause");
  assert.equal(ok.status, 200);
  await ok.body?.cancel();
});

Deno.test("web.json names the running server (0600), status shows its address without the token, it goes at shutdown", async () => {
  await using t = await testServer();
  const path = webMarkerPath(t.deps.paths);
  assert.equal(path, join(t.home, "web.json"));
  assert.equal(((await Deno.stat(path)).mode ?? 0) & 0o777, 0o600);
  const marker = await readWebMarker(t.deps);
  assert.equal(marker?.port, t.server.port);
  assert.equal(marker?.token, t.server.token);
  assert.equal(marker?.pid, Deno.pid);
  assert.equal(marker?.process_started, (await t.deps.proc.info(Deno.pid))?.started);
  const view = await readStatus(t.deps);
  assert.deepEqual(view.web, { url: `http://127.0.0.1:${t.server.port}/`, pid: Deno.pid });

  await t.server.shutdown();
  assert.equal(await Deno.stat(path).then(() => true, () => false), false, "web.json removed");
  assert.equal((await readStatus(t.deps)).web, null);
});

Deno.test("a stale web.json (its process gone) names no server", async () => {
  await using t = await testServer();
  await t.server.shutdown();
  await Deno.writeTextFile(
    webMarkerPath(t.deps.paths),
    JSON.stringify({ pid: 2 ** 22 + 7, port: 1, token: "t", started_at: "2026-01-01T00:00:00Z" }),
  );
  assert.equal(await readWebMarker(t.deps), undefined);
  await Deno.writeTextFile(webMarkerPath(t.deps.paths), "{broken");
  assert.equal(await readWebMarker(t.deps), undefined);
});

Deno.test("a web.json whose pid is now another program's names no server", async () => {
  await using t = await testServer();
  await t.server.shutdown();
  // A live process that is not `clodputer web` (the pid was reused after a crash).
  const other = new Deno.Command("sleep", { args: ["300"], stdout: "null", stderr: "null" })
    .spawn();
  try {
    await Deno.writeTextFile(
      webMarkerPath(t.deps.paths),
      JSON.stringify({
        pid: other.pid,
        port: 1,
        token: "t",
        started_at: "2026-01-01T00:00:00Z",
        process_started: "Thu Jan  1 00:00:00 2026",
      }),
    );
    assert.equal(await readWebMarker(t.deps), undefined);
  } finally {
    other.kill("SIGKILL");
    await other.status;
  }
});
