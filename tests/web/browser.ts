/**
 * @module
 * The web dashboard in a real browser: Debian's `chromium` driven by playwright-core, against
 * `clodputer web --port 0` started from source as a real subprocess in a temp home (as
 * tests/e2e/cli.ts starts every CLI). One browser per test file (`launchBrowser`), a fresh context
 * per test (`openPage`: its own cookies, every request it makes recorded), every wait bounded and
 * named. Used by tests/web/browser_test.ts and scripts/web_screenshots.ts.
 */

import fs from "node:fs";
import type { Browser, BrowserContext, Page, Request as PwRequest } from "playwright-core";
import { needProgram, onPath } from "../needs.ts";
import { spawnCli, type Spawned, type TempHome } from "../e2e/cli.ts";

/** Where macOS keeps the browsers the tests can drive (GitHub's macOS images have Chrome). */
const MAC_BROWSERS = [
  "/Applications/Chromium.app/Contents/MacOS/Chromium",
  "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
];

/**
 * The browser the tests drive: `$CLODPUTER_CHROMIUM`, else `chromium` on PATH (.ci/run installs
 * Debian's), `chromium-browser` or `google-chrome`, else on macOS Chromium's or Chrome's app. Missing: skipped on a developer's machine,
 * a failure under CI=true (tests/needs.ts).
 */
export const CHROMIUM: { path: string; ignore: boolean } = findChromium();

function findChromium(): { path: string; ignore: boolean } {
  const named = Deno.env.get("CLODPUTER_CHROMIUM");
  if (named) return { path: named, ignore: false };
  if (onPath("chromium")) return needProgram("chromium", "the web dashboard in a real browser");
  for (const other of ["chromium-browser", "google-chrome"]) {
    const path = onPath(other);
    if (path) return { path, ignore: false };
  }
  if (Deno.build.os === "darwin") {
    const app = MAC_BROWSERS.find((file) => {
      try {
        return Deno.statSync(file).isFile;
      } catch {
        return false;
      }
    });
    if (app) return { path: app, ignore: false };
  }
  return needProgram("chromium", "the web dashboard in a real browser");
}

/** The bound of one wait in the browser (a loaded machine runs the suite in parallel). */
export const WAIT_MS = 60_000;

let patched = false;

/**
 * playwright-core asks `fs.existsSync("/proc/sys/fs/binfmt_misc/WSLInterop")` as it loads; Deno
 * refuses a read under /proc without --allow-all (the suite runs with -P), and the refusal is
 * thrown rather than answered. Answer it as Node would for a file we may not see: false.
 */
function answerRefusedExists(): void {
  if (patched) return;
  patched = true;
  const existsSync = fs.existsSync;
  fs.existsSync = ((path: fs.PathLike) => {
    try {
      return existsSync(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotCapable) return false;
      throw error;
    }
  }) as typeof fs.existsSync;
}

/** Starts headless chromium; close it in a `finally`. */
export async function launchBrowser(): Promise<Browser> {
  answerRefusedExists();
  const { chromium } = await import("playwright-core");
  // The browser runs on the real clock: the suite's shifted pass (libfaketime) moves the clock of
  // Clodputer, which the tests are about; chromium under libfaketime is many times slower.
  const env = Object.fromEntries(
    Object.entries(Deno.env.toObject()).filter(([k]) =>
      k !== "LD_PRELOAD" && !k.startsWith("FAKETIME")
    ),
  );
  return await chromium.launch({
    executablePath: CHROMIUM.path,
    // As root (CI containers, this machine) chromium refuses to start with its sandbox.
    args: Deno.uid() === 0 ? ["--no-sandbox"] : [],
    env,
    timeout: 120_000,
  });
}

/** `clodputer web --port 0` running in a temp home, with the URL it printed. */
export class WebServerProcess implements AsyncDisposable {
  readonly #spawned: Spawned;
  readonly #home: TempHome;
  #exited = false;
  /** The URL it printed: `http://127.0.0.1:PORT/?token=...`. */
  readonly url: string;
  /** `http://127.0.0.1:PORT`. */
  readonly origin: string;
  readonly port: number;
  readonly token: string;

  private constructor(spawned: Spawned, home: TempHome, url: string) {
    this.#spawned = spawned;
    this.#home = home;
    this.url = url;
    const parsed = new URL(url);
    this.origin = parsed.origin;
    this.port = Number(parsed.port);
    this.token = parsed.searchParams.get("token") ?? "";
  }

  /**
   * Starts it in `home` (`env` goes to the server, so to the runners it starts and their
   * stand-in claude) and waits for the line with its URL.
   */
  static async start(
    home: TempHome,
    env: Record<string, string> = {},
  ): Promise<WebServerProcess> {
    const spawned = await spawnCli(home, ["web", "--port", "0"], { env });
    let exited = false;
    const status = spawned.output().then(() => {
      exited = true;
    });
    try {
      const deadline = Date.now() + 60_000;
      let url: string | undefined;
      while (url === undefined) {
        url = spawned.stdout.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/)?.[0];
        if (url !== undefined) break;
        if (exited || Date.now() > deadline) {
          throw new Error(
            `clodputer web --port 0 ${exited ? "exited" : "printed no URL within 60 s"}\n` +
              `stdout: ${spawned.stdout}\nstderr: ${spawned.stderr}`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
      const server = new WebServerProcess(spawned, home, url);
      status.then(() => server.#exited = true);
      return server;
    } catch (error) {
      await spawned[Symbol.asyncDispose]();
      throw error;
    }
  }

  get pid(): number {
    return this.#spawned.pid;
  }

  /** What it printed on stderr so far (for a failure's message). */
  get stderr(): string {
    return this.#spawned.stderr;
  }

  /** A URL on this server. */
  at(path: string): string {
    return this.origin + path;
  }

  /** A fetch with the token (`Authorization: Bearer`), and for a POST our own Origin. */
  fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (!headers.has("authorization")) headers.set("authorization", `Bearer ${this.token}`);
    if (init.method === "POST" && !headers.has("origin")) headers.set("origin", this.origin);
    return fetch(this.at(path), { ...init, headers });
  }

  /**
   * Stops it as Ctrl-C does and waits for its end (SIGKILL after 30 s); then records the
   * processes it started (runners, claude) for the home's disposal, which kills any still running.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    try {
      if (!this.#exited) this.#spawned.kill("SIGINT");
      const done = this.#spawned.output();
      const late = await Promise.race([
        done.then(() => false),
        new Promise<boolean>((r) => {
          const timer = setTimeout(() => r(true), 30_000);
          done.finally(() => clearTimeout(timer));
        }),
      ]);
      if (late) this.#spawned.kill("SIGKILL");
    } finally {
      await this.#spawned[Symbol.asyncDispose]();
      await recordRunners(this.#home);
    }
  }
}

/**
 * Adds every process still running with this home's mark (`FAKE_CLAUDE_PIDS=<its pids file>` in
 * its environment: the runners the server started, their claude and its children) to the pids
 * file, so the home's disposal SIGKILLs them (a failed test leaves nothing behind).
 */
export async function recordRunners(home: TempHome): Promise<void> {
  const out = await new Deno.Command("ps", {
    args: ["-A", "-ww", "-o", "pid=,command=", Deno.build.os === "darwin" ? "-E" : "e"],
    stdout: "piped",
    stderr: "null",
  }).output();
  const mark = `FAKE_CLAUDE_PIDS=${home.pidsFile}`;
  const pids = new TextDecoder().decode(out.stdout).split("\n")
    .filter((line) => line.split(/\s+/).includes(mark))
    .map((line) => Number(line.trim().split(/\s+/)[0]))
    .filter((pid) => pid > 0 && pid !== Deno.pid);
  if (pids.length === 0) return;
  await Deno.writeTextFile(home.pidsFile, pids.map((pid) => `marked ${pid}\n`).join(""), {
    append: true,
  }).catch(() => {});
}

/** A browser context (its own cookies) with one page, and what the page asked for. */
export interface OpenPage extends AsyncDisposable {
  context: BrowserContext;
  page: Page;
  /** Every URL the context requested, in order. */
  requests: string[];
  /** Uncaught errors in the page's scripts. */
  errors: string[];
}

/** A fresh context and page at 1280x900; `await using` it. */
export async function openPage(browser: Browser): Promise<OpenPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const requests: string[] = [];
  const errors: string[] = [];
  context.on("request", (r: PwRequest) => requests.push(r.url()));
  try {
    const page = await context.newPage();
    page.on("pageerror", (e: Error) => errors.push(String(e)));
    // A data-confirm button asks; the tests answer yes.
    page.on("dialog", (d) => d.accept().catch(() => {}));
    page.setDefaultTimeout(WAIT_MS);
    page.setDefaultNavigationTimeout(WAIT_MS);
    return {
      context,
      page,
      requests,
      errors,
      async [Symbol.asyncDispose]() {
        await context.close();
      },
    };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** Opens the URL the server printed (trading the token for the cookie), then `path`. */
export async function signIn(page: Page, server: WebServerProcess, path = "/"): Promise<void> {
  const first = await page.goto(server.url, { waitUntil: "load" });
  if (!first?.ok()) {
    throw new Error(
      `the printed URL answered ${first?.status()}: ${await first?.text()}\n${server.stderr}`,
    );
  }
  if (path !== "/") await goto(page, server, path);
}

/** Goes to `path` on the server and fails unless it answers 2xx. */
export async function goto(page: Page, server: WebServerProcess, path: string): Promise<void> {
  const response = await page.goto(server.at(path), { waitUntil: "load" });
  if (!response?.ok()) {
    throw new Error(`GET ${path} answered ${response?.status()}: ${await response?.text()}`);
  }
}

/** Waits for `selector` (visible unless `state` says otherwise), or fails naming `what`. */
export async function waitForSelector(
  page: Page,
  selector: string,
  what: string,
  options: { state?: "attached" | "visible" | "detached" | "hidden"; timeoutMs?: number } = {},
): Promise<void> {
  const timeout = options.timeoutMs ?? WAIT_MS;
  try {
    await page.waitForSelector(selector, { state: options.state ?? "attached", timeout });
  } catch (error) {
    throw new Error(
      `Timed out after ${timeout} ms waiting for ${what} (${selector}) on ${page.url()}: ${
        error instanceof Error ? error.message.split("\n")[0] : error
      }`,
    );
  }
}

/** Waits until `fn(arg)` is truthy in the page, or fails naming `what`. */
export async function waitInPage(
  page: Page,
  what: string,
  fn: (arg: string) => unknown,
  arg = "",
  timeoutMs = WAIT_MS,
): Promise<void> {
  try {
    await page.waitForFunction(fn, arg, { timeout: timeoutMs, polling: 100 });
  } catch (error) {
    throw new Error(
      `Timed out after ${timeoutMs} ms waiting for ${what} on ${page.url()}: ${
        error instanceof Error ? error.message.split("\n")[0] : error
      }`,
    );
  }
}

/**
 * The page's document, for functions that run in the page (the project type-checks without the
 * DOM library): `const document = pageDocument()` inside them.
 */
export interface PageNode {
  readonly textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageNode | null;
  querySelectorAll(selector: string): ArrayLike<PageNode> & Iterable<PageNode>;
}

/** The page's `document` and `window`, typed for what the tests read (see PageNode). */
export interface PageGlobals {
  document: PageNode & { scripts: Iterable<PageNode> };
  window: { __pwned?: unknown; __kept?: number };
}

/** The requests that went anywhere but `origin` (data: and about: URLs are the page's own). */
export function foreignRequests(requests: readonly string[], origin: string): string[] {
  return requests.filter((url) =>
    !url.startsWith(origin + "/") && !url.startsWith("data:") && !url.startsWith("about:")
  );
}
