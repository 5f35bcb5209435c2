/**
 * @module
 * The web dashboard in a real browser (issue 26's list): Debian's chromium driven by
 * playwright-core against `clodputer web --port 0` run from source, the real clock, the stand-in
 * claude for runs. One browser for the file; a fresh context per step. The attributes the steps
 * look for are the ones /work/web_contract.md (docs/web.md) gives the pages.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import {
  markedPids,
  pidAlive,
  pidsIn,
  type TempHome,
  tempHome,
  waitFor,
  waitForStart,
} from "../e2e/cli.ts";
import {
  CHROMIUM,
  foreignRequests,
  goto,
  launchBrowser,
  type OpenPage,
  openPage,
  type PageGlobals,
  signIn,
  WAIT_MS,
  waitForSelector,
  waitInPage,
  WebServerProcess,
} from "./browser.ts";
import {
  HOSTILE,
  type Seeded,
  seedHome,
  seedSession,
  SESSION_TASK,
  TASKS,
} from "./fixture_home.ts";

const { ignore } = CHROMIUM;

/** The local day (`YYYY-MM-DD`) of an instant, as the pages and the ledger count days. */
function localDay(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** The day after `day` (local calendar). */
function nextDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number);
  return localDay(new Date(y as number, (m as number) - 1, (d as number) + 1, 12).getTime());
}

/** What a calendar cell says of a day's runs of one task (data-outcome). */
function outcomeOf(statuses: readonly string[]): string {
  if (statuses.length === 0) return "none";
  const ok = statuses.some((s) => s === "succeeded");
  const failed = statuses.some((s) => s !== "succeeded" && s !== "skipped");
  if (ok && failed) return "mixed";
  if (failed) return "failed";
  if (ok) return "ok";
  return "skipped";
}

/** Fails if the page asked anything of another origin or threw; then closes its context. */
function assertLocalOnly(open: OpenPage, server: WebServerProcess): void {
  assert.deepEqual(
    foreignRequests(open.requests, server.origin),
    [],
    "every request goes to the server itself (127.0.0.1)",
  );
  assert.deepEqual(open.errors, [], "no uncaught error in the page's script");
}

/** Sends one raw HTTP/1.1 request (any Host header) and returns its status code. */
async function rawStatus(
  port: number,
  lines: string[],
): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    await conn.write(
      new TextEncoder().encode([...lines, "Connection: close", "", ""].join("\r\n")),
    );
    const chunks: Uint8Array[] = [];
    const buffer = new Uint8Array(4096);
    while (true) {
      const n = await conn.read(buffer);
      if (n === null) break;
      chunks.push(buffer.slice(0, n));
      if (new TextDecoder().decode(chunks[0]).includes("\r\n")) break;
    }
    const head = new TextDecoder().decode(chunks[0] ?? new Uint8Array());
    const status = head.match(/^HTTP\/1\.1 (\d{3})/)?.[1];
    if (!status) throw new Error(`not an HTTP answer: ${head.slice(0, 200)}`);
    return Number(status);
  } finally {
    conn.close();
  }
}

/** A manual task for the live runs. */
const NOTES_TASK = `name: notes
description: Read the notes folder and say what is new
trigger:
  type: manual
task:
  prompt: Read my notes and say what is new.
`;

/**
 * A stream-json transcript for the stand-in claude: Claude's first text (printed before the
 * gate), then, once the gate opens, a tool round, more text and the result.
 */
async function gatedScenario(home: TempHome): Promise<string> {
  const sample = (await Deno.readTextFile(
    new URL("../fixtures/claude/bash-tool.jsonl", import.meta.url),
  )).trim().split("\n").map((l) => JSON.parse(l));
  const [, toolUse, toolResult, text, result] = sample;
  const first = structuredClone(text);
  first.message.content = [{ type: "text", text: "FIRST PART: reading the notes folder" }];
  first.message.id = "msg_first";
  text.message.content = [{ type: "text", text: "SECOND PART: three notes are new" }];
  result.result = "SECOND PART: three notes are new";
  const file = join(home.root, "gated.jsonl");
  await Deno.writeTextFile(
    file,
    [first, toolUse, toolResult, text, result].map((e) => JSON.stringify(e)).join("\n") + "\n",
  );
  return file;
}

/** Starts a run of `task` from its page's Run now; returns the run id the API answered. */
async function runNow(open: OpenPage, server: WebServerProcess, task: string): Promise<string> {
  const { page } = open;
  await goto(page, server, `/tasks/${task}`);
  await waitForSelector(page, "button[data-action=run-now]", "the Run now button");
  const answered = page.waitForResponse(
    (r) => r.request().method() === "POST" && r.url() === server.at(`/api/tasks/${task}/run`),
    { timeout: WAIT_MS },
  );
  await page.click("button[data-action=run-now]");
  const response = await answered;
  const body = await response.json();
  assert.equal(response.status(), 202, JSON.stringify(body));
  assert.equal(body.task, task);
  assert.equal(typeof body.run_id, "string");
  await waitForSelector(page, "#flash[data-kind=ok]", "the flash saying the run is queued", {
    state: "visible",
  });
  return body.run_id as string;
}

Deno.test({
  name: "web dashboard in a real browser (chromium)",
  ignore,
  async fn(t) {
    const browser: Browser = await launchBrowser();
    try {
      // ---- one seeded home, read only, for the steps that only look --------------------------
      await using home = await tempHome();
      const seeded: Seeded = await seedHome(home.clodputerHome, { nowMs: Date.now() });
      await using server = await WebServerProcess.start(home);

      await t.step("the printed URL (with its token) loads the page; without it: 401", async () => {
        await using open = await openPage(browser);
        const { page, context } = open;
        const refused = await page.goto(server.at("/"));
        assert.equal(refused?.status(), 401);
        assert.match(await page.textContent("body") ?? "", /The token is missing/);
        const wrong = await page.goto(server.at("/?token=not-the-token"));
        assert.equal(wrong?.status(), 401);

        await signIn(page, server);
        // The token went into an HttpOnly, SameSite=Strict cookie and left the address bar.
        assert.equal(page.url(), server.at("/"));
        assert.match(await page.title(), /Overview/);
        const cookies = await context.cookies(server.origin);
        const cookie = cookies.find((c) => c.name === `clodputer_${server.port}`);
        assert.ok(cookie, `the token's cookie, in ${JSON.stringify(cookies)}`);
        assert.equal(cookie.httpOnly, true);
        assert.equal(cookie.sameSite, "Strict");
        // The cookie carries the next page loads.
        const again = await page.goto(server.at("/"));
        assert.equal(again?.status(), 200);
        assertLocalOnly(open, server);
      });

      await t.step("a request with a foreign Host or Origin is refused", async () => {
        const auth = `Authorization: Bearer ${server.token}`;
        const get = (host: string) =>
          rawStatus(server.port, [`GET / HTTP/1.1`, `Host: ${host}`, auth]);
        assert.equal(await get(`127.0.0.1:${server.port}`), 200);
        assert.equal(await get(`localhost:${server.port}`), 200);
        // DNS rebinding: a name that resolves here, or another port.
        assert.equal(await get(`evil.example:${server.port}`), 403);
        assert.equal(await get(`evil.example`), 403);
        assert.equal(await get(`127.0.0.1:${server.port + 1}`), 403);

        const postAck = async (headers: string[]) => {
          const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.port });
          try {
            const text = [
              "POST /api/ack HTTP/1.1",
              `Host: 127.0.0.1:${server.port}`,
              ...headers,
              "Content-Type: application/json",
              "Content-Length: 2",
              "Connection: close",
              "",
              "{}",
            ].join("\r\n");
            await conn.write(new TextEncoder().encode(text));
            const buffer = new Uint8Array(4096);
            const n = await conn.read(buffer) ?? 0;
            const head = new TextDecoder().decode(buffer.slice(0, n));
            return Number(head.match(/^HTTP\/1\.1 (\d{3})/)?.[1] ?? 0);
          } finally {
            conn.close();
          }
        };
        const cookie = `Cookie: clodputer_${server.port}=${server.token}`;
        assert.equal(await postAck([auth, "Origin: http://evil.example"]), 403);
        assert.equal(await postAck([auth, `Origin: http://evil.example:${server.port}`]), 403);
        assert.equal(await postAck([auth]), 403, "a POST without an Origin");
        assert.equal(
          await postAck([cookie, `Origin: ${server.origin}`]),
          403,
          "a POST with the cookie alone (CSRF)",
        );
        assert.equal(await postAck([`Origin: ${server.origin}`]), 401, "a POST without a token");
        // Our own origin with the token passes the checks (the route answers).
        const own = await postAck([auth, `Origin: ${server.origin}`]);
        assert.ok(own !== 401 && own !== 403, `our own POST was refused: ${own}`);
      });

      await t.step(
        "the calendar draws 182 days with the outcomes of the fixture's runs",
        async () => {
          await using open = await openPage(browser);
          const { page } = open;
          await signIn(page, server, `/tasks/${TASKS.daily}`);
          await waitForSelector(
            page,
            "svg[data-testid=calendar] rect[data-day]",
            "the calendar's cells",
          );
          const cells = await page.$$eval(
            "svg[data-testid=calendar] rect[data-day]",
            (rects) =>
              rects.map((r) => [r.getAttribute("data-day"), r.getAttribute("data-outcome")]),
          );
          assert.equal(cells.length, 182, "one cell per day of the last 182 days");
          const byDay = new Map<string, string[]>();
          for (const run of seeded.runs.filter((r) => r.task === TASKS.daily)) {
            byDay.set(run.day, [...byDay.get(run.day) ?? [], run.status]);
          }
          const days = cells.map(([day]) => String(day));
          for (let i = 1; i < days.length; i++) {
            assert.equal(
              days[i],
              nextDay(days[i - 1] as string),
              `cell ${i} follows cell ${i - 1}`,
            );
          }
          // The last cell is today (the day the page was drawn; the fixture was seeded today).
          assert.ok(
            [localDay(Date.now()), seeded.runs.at(-1)?.day].includes(days.at(-1)),
            `the last cell is today, not ${days.at(-1)}`,
          );
          const wrong = cells.filter(([day, outcome]) =>
            outcome !== outcomeOf(byDay.get(String(day)) ?? [])
          );
          assert.deepEqual(wrong, [], "every cell's outcome is its day's runs'");
          const counts = (o: string) => cells.filter(([, x]) => x === o).length;
          // The fixture's pattern has failures, skips and gaps in its 120 days.
          assert.ok(counts("ok") > 0 && counts("failed") > 0 && counts("skipped") > 0);
          assert.ok(counts("none") >= 182 - 120);
          assertLocalOnly(open, server);
        },
      );

      await t.step("the cost charts draw one bar per day and per month of the ledger", async () => {
        await using open = await openPage(browser);
        const { page } = open;
        // The page's default may be a window (the last 30 days): ask from the fixture's first day.
        await signIn(page, server, `/cost?since=${seeded.runs[0]?.day}`);
        // The ledger counts every run but the skipped ones, on its local start day.
        const counted = seeded.runs.filter((r) => r.status !== "skipped");
        const days = [...new Set(counted.map((r) => r.day))].sort();
        const months = [...new Set(counted.map((r) => r.day.slice(0, 7)))].sort();
        for (const [chart, want] of [["cost-by-day", days], ["cost-by-month", months]] as const) {
          await waitForSelector(page, `svg[data-testid=${chart}] [data-bar]`, `the ${chart} bars`);
          const keys = await page.$$eval(
            `svg[data-testid=${chart}] [data-bar]`,
            (bars) => bars.map((b) => b.getAttribute("data-key") ?? ""),
          );
          assert.equal(keys.length, want.length, `${chart}: one bar per row`);
          assert.deepEqual([...keys].sort(), want, `${chart}: the rows' keys`);
        }
        assertLocalOnly(open, server);
      });

      await t.step(
        "a description, prompt and Claude result holding markup show as text",
        async () => {
          await using open = await openPage(browser);
          const { page } = open;
          const noMarkup = async (where: string) => {
            const found = await page.evaluate(() => ({
              pwned: (globalThis as unknown as PageGlobals).window.__pwned,
              imgs: (globalThis as unknown as PageGlobals).document.querySelectorAll(
                "img[onerror], img[src=x]",
              ).length,
              scripts: [...(globalThis as unknown as PageGlobals).document.scripts].filter((s) =>
                s.textContent?.includes("__pwned")
              )
                .length,
            }));
            assert.deepEqual(found, { pwned: undefined, imgs: 0, scripts: 0 }, where);
          };
          await signIn(page, server, `/tasks/${TASKS.hostile}`);
          await waitForSelector(page, "[data-testid=task-description]", "the task's description");
          const description = await page.textContent("[data-testid=task-description]");
          assert.ok(description?.includes(HOSTILE), `the description as text: ${description}`);
          await noMarkup("the hostile task's page");

          const run = seeded.newest[TASKS.hostile];
          assert.ok(run);
          await goto(page, server, `/runs/${run.id}`);
          await waitForSelector(page, "[data-testid=result]", "the run's result");
          for (const part of ["result", "prompt", "transcript"]) {
            const text = await page.textContent(`[data-testid=${part}]`);
            assert.ok(text?.includes(HOSTILE), `the ${part} shows the markup as text: ${text}`);
          }
          await noMarkup("the hostile run's page");
          assertLocalOnly(open, server);
        },
      );

      await t.step("every page asks only the server itself", async () => {
        await using open = await openPage(browser);
        const { page } = open;
        await signIn(page, server);
        const run = seeded.newest[TASKS.daily];
        assert.ok(run);
        for (const path of ["/", `/tasks/${TASKS.daily}`, `/runs/${run.id}`, "/cost", "/logs"]) {
          await goto(page, server, path);
        }
        assert.ok(open.requests.length >= 10, `the pages and their assets: ${open.requests}`);
        assertLocalOnly(open, server);
      });

      // ---- live runs: a home each, with a gated stand-in claude ---------------------------------
      await t.step(
        "Run now queues a run; it shows on the overview and its page, live",
        async () => {
          await using home = await tempHome();
          await home.writeTask("notes", NOTES_TASK);
          const scenario = await gatedScenario(home);
          await using server = await WebServerProcess.start(home, {
            FAKE_CLAUDE_GATE: home.gate,
            FAKE_CLAUDE_SCENARIO_FILE: scenario,
          });
          await using open = await openPage(browser);
          const { page, context } = open;
          await signIn(page, server);
          // The overview stays open in a second tab: the run must appear there without a reload.
          const overview = await context.newPage();
          await overview.goto(server.at("/"));
          await waitForSelector(overview, "[data-testid=runner]", "the overview's runner");
          await waitForSelector(overview, "#live-state[data-state=on]", "the event stream");
          await overview.evaluate(() =>
            (globalThis as unknown as PageGlobals).window.__kept = 1
          );

          const id = await runNow(open, server, "notes");
          await waitInPage(
            overview,
            `run ${id} on the overview`,
            (id) =>
              (globalThis as unknown as PageGlobals).document.querySelector(
                  `[data-run-id="${id}"]`,
                ) !== null ||
              [...(globalThis as unknown as PageGlobals).document.querySelectorAll(
                "[data-testid=runner], [data-testid=queue]",
              )]
                .some((e) => e.textContent?.includes(id)),
            id,
          );
          assert.equal(
            await overview.evaluate(() => (globalThis as unknown as PageGlobals).window.__kept),
            1,
            "the overview was updated in place, not reloaded",
          );

          await goto(page, server, `/runs/${id}`);
          await waitInPage(
            page,
            "Claude's first text in the transcript",
            () =>
              (globalThis as unknown as PageGlobals).document.querySelector(
                "[data-testid=transcript]",
              )?.textContent?.includes(
                "FIRST PART",
              ),
          );
          await waitForSelector(page, "button[data-action=cancel]", "cancel, while it runs");
          assert.ok(
            !(await page.textContent("[data-testid=transcript]"))?.includes("SECOND PART"),
            "the rest waits on the gate",
          );
          await page.evaluate(() => (globalThis as unknown as PageGlobals).window.__kept = 1);
          await home.openGate();
          await waitInPage(
            page,
            "the rest of the transcript, live",
            () => {
              const t = (globalThis as unknown as PageGlobals).document.querySelector(
                "[data-testid=transcript]",
              );
              return t?.textContent?.includes("SECOND PART") &&
                t.querySelector("[data-kind=tool_use]") !== null;
            },
          );
          assert.equal(
            await page.evaluate(() => (globalThis as unknown as PageGlobals).window.__kept),
            1,
            "the transcript grew in place, not by a reload",
          );
          const record = await waitFor(`run ${id}'s result.json`, async () => {
            const text = await Deno.readTextFile(
              join(home.clodputerHome, "runs", id, "result.json"),
            );
            return JSON.parse(text) as { status: string };
          });
          assert.equal(record.status, "succeeded");
          assertLocalOnly(open, server);
          await overview.close();
        },
      );

      await t.step(
        "cancel on a running run's page ends it cancelled, its processes gone",
        async () => {
          await using home = await tempHome();
          await home.writeTask("notes", NOTES_TASK);
          // The gate never opens: the run stays running, with a child process, until cancelled.
          await using server = await WebServerProcess.start(home, {
            FAKE_CLAUDE_GATE: home.gate,
            FAKE_CLAUDE_SPAWN: "child",
          });
          const queued = await server.fetch("/api/tasks/notes/run", { method: "POST", body: "{}" });
          const body = await queued.json();
          assert.equal(queued.status, 202, JSON.stringify(body));
          const id = String(body.run_id);
          await waitForStart(home, "notes");
          // task_started is logged once claude is spawned, maybe before the stand-in has run.
          const pids = await waitFor("the stand-in claude and its child's pids", async () => {
            const pids = await pidsIn(home.pidsFile);
            return pids.get("claude") && pids.get("child") ? pids : undefined;
          });

          await using open = await openPage(browser);
          const { page } = open;
          await signIn(page, server, `/runs/${id}`);
          await waitForSelector(page, "button[data-action=cancel]", "the cancel button");
          await page.click("button[data-action=cancel]");
          await waitForSelector(page, "#flash[data-kind=ok]", "the flash saying it is cancelled", {
            state: "visible",
          });
          const record = await waitFor(`run ${id} recorded`, async () => {
            const text = await Deno.readTextFile(
              join(home.clodputerHome, "runs", id, "result.json"),
            );
            return JSON.parse(text) as { status: string; outcome: { kind: string } };
          });
          assert.equal(record.status, "cancelled");
          assert.equal(record.outcome.kind, "cancelled");
          await waitFor(
            `run ${id}'s processes to be gone`,
            async () =>
              (await markedPids(id)).length === 0 &&
              [...pids.values()].every((pid) => !pidAlive(pid)),
          );
          await goto(page, server, `/runs/${id}`);
          assert.equal(await page.locator("button[data-action=cancel]").count(), 0);
          assertLocalOnly(open, server);
        },
      );
      await t.step(
        "a session: continue task's page shows its session; Start a new session drops it",
        async () => {
          await using home = await tempHome();
          const seeded = await seedSession(home.clodputerHome, { nowMs: Date.now() });
          await using server = await WebServerProcess.start(home);
          await using open = await openPage(browser);
          const { page } = open;
          await signIn(page, server, `/tasks/${SESSION_TASK}`);
          await waitForSelector(page, "[data-testid=session]", "the session section");
          assert.equal(
            (await page.textContent("[data-testid=session-id]"))?.trim(),
            seeded.session.id,
          );
          assert.equal(
            await page.getAttribute("[data-testid=session-next]", "data-next"),
            "continue",
          );
          const answered = page.waitForResponse(
            (r) =>
              r.request().method() === "POST" &&
              r.url() === server.at(`/api/tasks/${SESSION_TASK}/session/reset`),
            { timeout: WAIT_MS },
          );
          // The button asks first (data-confirm): the harness accepts every dialog.
          await page.click("button[data-action=session-reset]");
          const response = await answered;
          assert.equal(response.status(), 200);
          await waitForSelector(page, "#flash[data-kind=ok]", "the flash saying it was reset", {
            state: "visible",
          });
          await waitForSelector(
            page,
            "[data-testid=session-next][data-next=new]",
            "the section saying the next run starts a new session",
          );
          assert.ok(await page.isDisabled("button[data-action=session-reset]"));
          const after = await (await server.fetch(`/api/tasks/${SESSION_TASK}/session`)).json();
          assert.equal(after.session, null, "the store dropped the session");
          assert.equal(typeof after.reset_at, "string");
          assertLocalOnly(open, server);
        },
      );
    } finally {
      await browser.close();
    }
  },
});
